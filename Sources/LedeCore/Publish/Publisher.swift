import Foundation

/// Where `lede publish` ships the site.
public enum PublishTarget: Sendable, Equatable, CustomStringConvertible {
    /// A folder on this machine (a web server's document root, a mounted share).
    case folder(String)
    /// A branch of a git remote (GitHub Pages and similar hosts).
    case git(remote: String, branch: String)
    /// `[user@]host:path`, with rsync over SSH.
    case rsync(String)

    public static let defaultBranch = "gh-pages"

    /// Reads a `--to` value: a URL (`https://`, `ssh://`, `git://`, `file://`)
    /// or anything ending in `.git` is a git remote; `[user@]host:path` is rsync
    /// over SSH; anything else is a folder, relative to `base`.
    public static func parse(_ raw: String, branch: String?, relativeTo base: String) throws(PublishError) -> PublishTarget {
        let text = raw.trimmingWhitespace
        guard !text.isEmpty else { throw PublishError("the target is empty; give a folder, a git remote ending in .git, or user@host:path") }
        let lower = text.lowercased()
        let isURL = ["https://", "http://", "ssh://", "git://", "file://", "git+ssh://", "ssh+git://"].contains { lower.hasPrefix($0) }
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        let isGit = isURL || trimmed.lowercased().hasSuffix(".git")
        let colon = text.firstIndex(of: ":")
        let scpLike = colon.map { c in c > text.startIndex && !text[..<c].contains("/") } ?? false
        if isGit {
            if let branch { try checkBranch(branch) }
            var remote = text
            if !isURL && !scpLike { remote = absolute(text, base) }
            return .git(remote: remote, branch: branch ?? defaultBranch)
        }
        if branch != nil {
            throw PublishError("--branch is for git targets; \(text) is \(scpLike ? "an rsync target" : "a folder"). A git remote is a URL or ends in .git")
        }
        if lower.hasPrefix("rsync://") || scpLike {
            let path = text[text.index(after: colon!)...]
            guard !String(path).trimmingWhitespace.isEmpty else {
                throw PublishError("\(text) names no folder on the server, and publishing replaces everything in the folder; name it, as in \(text)/var/www/site")
            }
            return .rsync(text)
        }
        return .folder(absolute(text, base))
    }

    static func checkBranch(_ branch: String) throws(PublishError) {
        let bad = branch.isEmpty || branch.hasPrefix("-") || branch.hasPrefix("/") || branch.hasSuffix("/") || branch.hasSuffix(".lock")
            || branch.contains("..") || branch.contains("@{") || branch.contains("//")
            || branch.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || "~^:?*[\\".unicodeScalars.contains($0) }
        if bad { throw PublishError("\"\(branch)\" is not a valid git branch name; use letters, digits, -, _, . and /, like gh-pages") }
    }

    static func absolute(_ path: String, _ base: String) -> String {
        var p = path
        if p.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { p = home + p.dropFirst() }
        let full = p.hasPrefix("/") ? p : base + "/" + p
        return URL(fileURLWithPath: full).standardizedFileURL.path
    }

    public var description: String {
        switch self {
        case .folder(let path): return path
        case .git(let remote, let branch): return "\(remote) (branch \(branch))"
        case .rsync(let destination): return destination
        }
    }
}

/// What `lede publish` is asked to do with a built site.
public struct PublishOptions: Sendable {
    public var target: PublishTarget
    /// Report what would change; change nothing.
    public var dryRun = false
    /// Replace files lede did not publish (folder, rsync); overwrite a git
    /// branch that moved (force-push).
    public var force = false
    /// Custom domain for a git target (writes CNAME).
    public var cname: String?
    /// The ssh command for rsync and git (`ssh -p 2222 -i key`).
    public var ssh: String?
    /// The site's source folder, to name its git commit.
    public var sourceRoot: String?
    /// Called with each path before it is written to a folder target's staging
    /// folder; a test throws from it to simulate a failure in the middle.
    public var beforeWrite: (@Sendable (String) throws -> Void)?
    /// Called just before a git target's push; a test pushes from elsewhere in
    /// it, to see what happens when the branch moves meanwhile.
    public var beforePush: (@Sendable () throws -> Void)?

    public init(target: PublishTarget) { self.target = target }
}

/// What a publish did (or, in a dry run, would do).
public struct PublishResult: Sendable {
    public var target: PublishTarget
    public var changes: SiteChanges
    public var dryRun: Bool
    /// The new commit of a git target.
    public var commit: String?

    public var summary: String {
        if dryRun {
            if changes.isEmpty { return "dry run: \(target) is up to date (\(changes.unchanged) files); nothing was changed" }
            return "dry run: publishing to \(target) would add \(changes.added.count), change \(changes.changed.count) and delete \(changes.deleted.count) files (\(changes.unchanged) unchanged); nothing was changed"
        }
        if changes.isEmpty { return "\(target) is already up to date (\(changes.unchanged) files); nothing was changed" }
        var s = "published to \(target): \(changes.counts)"
        if let commit { s += "; commit \(commit.prefix(12))" }
        return s
    }
}

/// Ships a built site to a target.
public enum Publisher {
    /// A file lede adds to folder and rsync targets, so that it knows a folder
    /// holds a site it published and may replace everything in it. A folder that
    /// holds other files is replaced only with `force`.
    public static let markerName = ".lede-published"
    static let markerText = "This folder holds a site published by lede. Every `lede publish` replaces everything in it.\n"

    /// Publishes the site in `folder` (a production build, which this may add
    /// files to: the marker, .nojekyll, CNAME).
    public static func publish(site folder: String, options: PublishOptions) throws(PublishError) -> PublishResult {
        var result = PublishResult(target: options.target, changes: SiteChanges(), dryRun: options.dryRun)
        switch options.target {
        case .folder(let path):
            try addFile(markerName, markerText, to: folder)
            result.changes = try FolderTarget(path: path, beforeWrite: options.beforeWrite)
                .publish(site: folder, dryRun: options.dryRun, force: options.force)
        case .rsync(let destination):
            try addFile(markerName, markerText, to: folder)
            result.changes = try RsyncTarget(destination: destination, ssh: options.ssh)
                .publish(site: folder, dryRun: options.dryRun, force: options.force)
        case .git(let remote, let branch):
            // GitHub Pages: no Jekyll; CNAME names a custom domain.
            try addFile(".nojekyll", "", to: folder)
            if let cname = options.cname?.trimmingWhitespace, !cname.isEmpty { try addFile("CNAME", cname + "\n", to: folder) }
            var target = GitTarget(remote: remote, branch: branch, ssh: options.ssh)
            target.beforePush = options.beforePush
            (result.changes, result.commit) = try target.publish(site: folder, sourceRoot: options.sourceRoot,
                                                                 dryRun: options.dryRun, force: options.force)
        }
        return result
    }

    static func addFile(_ name: String, _ text: String, to folder: String) throws(PublishError) {
        do { try FileIO.write(text, to: folder + "/" + name) } catch {
            throw PublishError("cannot prepare the site for publishing: \(error.localizedDescription); free some space in the temporary folder or set TMPDIR")
        }
    }
}
