import ArgumentParser
import Foundation
import LedeCore

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site for production, check it, and ship it to where it is served.",
        discussion: """
            TARGET is a folder (swapped in atomically), a git remote (a URL, or a path \
            ending in .git; one commit per publish on --branch), or [user@]host:path \
            (rsync over SSH). Without --to, the `publish: {to: ...}` block of \
            content/_index.md names it. Nothing is shipped if the site does not build \
            or `lede check` finds problems, and a failure leaves the target as it was. \
            Exit status: 0 published (or nothing to do), 1 the site has problems or \
            publishing failed, 2 bad usage.
            """)

    @OptionGroup var site: SiteOptions

    @Option(help: ArgumentHelp("Where to publish: a folder, a git remote (URL or path ending in .git), or user@host:path.", valueName: "TARGET"))
    var to: String?

    @Option(help: ArgumentHelp("The branch of a git target (default: gh-pages).", valueName: "NAME"))
    var branch: String?

    @Option(help: ArgumentHelp("The URL the site is served at (overrides base_url in content/_index.md).", valueName: "URL"))
    var baseURL: String?

    @Flag(help: "Print what would be added, changed and deleted; change nothing.")
    var dryRun = false

    @Flag(help: "Replace a folder's files that lede did not publish; force-push a git branch that moved.")
    var force = false

    @Option(help: ArgumentHelp("Custom domain for a git target: writes a CNAME file (GitHub Pages).", valueName: "HOST"))
    var cname: String?

    @Option(help: ArgumentHelp("The ssh command for rsync and git targets, e.g. \"ssh -p 2222 -i ~/.ssh/deploy\".", valueName: "COMMAND"))
    var ssh: String?

    @OptionGroup var links: LinkCheckOptions

    @Flag(name: .shortAndLong, help: "List every file added, changed and deleted.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print only errors and problems.")
    var quiet = false

    func validate() throws { try links.validate() }

    func run() throws {
        let root = site.siteRoot
        // The publish block of content/_index.md; the command line wins.
        let settings: SiteConfig
        do { settings = try Production.settings(siteRoot: root, baseURL: baseURL) } catch {
            report(error.all)
            printError("publish failed: fix the site settings above; nothing was published")
            throw ExitCode(1)
        }
        let block = settings.publish
        let known: Set<String> = ["to", "branch", "cname", "ssh"]
        for key in block.keys.sorted() where !known.contains(key) && !quiet {
            printError("content/_index.md:1:1: warning: unknown publish setting `\(key)` is ignored; known settings: \(known.sorted().joined(separator: ", "))")
        }
        let target: PublishTarget
        do {
            if let to {
                target = try PublishTarget.parse(to, branch: branch ?? block["branch"].flatMap { isGitLike(to) ? $0 : nil }, relativeTo: FileManager.default.currentDirectoryPath)
            } else if let configured = block["to"] {
                target = try PublishTarget.parse(configured, branch: branch ?? block["branch"], relativeTo: root)
            } else {
                throw ValidationError("say where to publish: --to FOLDER, --to REMOTE.git or --to user@host:path, or add `publish: {to: ...}` to the front matter of content/_index.md")
            }
        } catch let error as PublishError {
            throw ValidationError(error.message)
        }

        let build = try checkedBuild(site: root, baseURL: baseURL, links: links, quiet: quiet, purpose: "publish")
        defer { build.remove() }

        var options = PublishOptions(target: target)
        options.dryRun = dryRun
        options.force = force
        options.cname = cname ?? block["cname"]
        options.ssh = ssh ?? block["ssh"]
        options.sourceRoot = root
        let result: PublishResult
        do {
            result = try Publisher.publish(site: build.folder, options: options)
        } catch {
            printError("publish failed: \(error.message)")
            throw ExitCode(1)
        }
        if !quiet || dryRun { print(result.summary) }
        if dryRun || verbose {
            for line in result.changes.listing { print(line) }
        }
    }

    /// Whether a --to value is a git remote, so that the publish block's branch applies to it.
    private func isGitLike(_ to: String) -> Bool {
        if case .git? = try? PublishTarget.parse(to, branch: nil, relativeTo: "/") { return true }
        return false
    }
}
