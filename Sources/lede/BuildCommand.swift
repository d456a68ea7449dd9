import ArgumentParser
import Foundation
import LedeCore

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site from content/ into public/.",
        discussion: """
            Every error in the content is reported as path:line:col: message, and the \
            previous site in the output folder is left exactly as it was. Exit status: \
            0 built, 1 the content has errors, 2 bad usage.
            """)

    @OptionGroup var site: SiteOptions

    @Flag(help: "Include articles marked `draft: true`.")
    var drafts = false

    @Flag(help: "Include articles dated in the future.")
    var future = false

    @Option(help: ArgumentHelp("The URL the site is served at, for canonical links, the feed and the sitemap (overrides base_url in content/_index.md).", valueName: "URL"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Where to write the site (default: public/ in the site folder).", valueName: "DIR"))
    var output: String?

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(help: "Ignore and do not write the build cache (.lede-cache/): build everything and replace the output folder.")
    var noCache = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Parallel workers (default: one per core).", valueName: "N"))
    var jobs: Int?

    @Flag(help: "Print how long each phase of the build took, and the temporal tagger's CPU time, to standard error.")
    var timings = false

    func run() throws {
        var options = BuildOptions(siteRoot: site.siteRoot, drafts: drafts, future: future, baseURL: baseURL)
        options.output = output.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        options.useCache = !noCache
        options.measurePhases = timings
        if let jobs { options.workers = max(1, jobs) }
        if !quiet { options.onWait = { printError("lede: \($0)") } }
        // For tests of build safety: stop at a named moment of the build (see
        // BuildOptions.checkpoint), so that a test can kill the process there.
        if let point = ProcessInfo.processInfo.environment["LEDE_TEST_STOP_AT"] {
            options.checkpoint = { name in if name == point { raise(SIGSTOP) } }
        }
        do {
            let session = SiteSession(options: options)
            let result = try session.build()
            // The process ends right after: what the build holds (400 MB of
            // small objects at 10,000 articles) is left to the system, not
            // freed object by object (a third of a second), as compilers do.
            _ = Unmanaged.passRetained(session)
            if timings {
                for (name, seconds, cpu, resident) in result.phases {
                    let label = name.count < 36 ? name + String(repeating: " ", count: 36 - name.count) : name
                    printError(label + String(format: " %8.3f s", seconds)
                               + (resident > 0 ? String(format: "  %8.3f s CPU  %6d MB resident", cpu, resident >> 20) : ""))
                }
                printError("articles rebuilt: \(result.articlesRebuilt)")
            }
            if !quiet { report(result.warnings) }
            if !quiet { for note in result.notes { printError(note) } }
            if !quiet { print(result.summary) }
        } catch {
            report(error.all)
            let count = error.errors.count
            printError("build failed with \(count) error\(count == 1 ? "" : "s"); \(options.outputPath) is unchanged")
            throw ExitCode(1)
        }
    }
}
