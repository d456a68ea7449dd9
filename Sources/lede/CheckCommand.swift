import ArgumentParser
import Foundation
import LedeCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site for production into a temporary folder and check it.",
        discussion: """
            Verifies that every internal link and src resolves to a file of the site, every \
            #fragment to an id on its target page, every page has a title and a description, \
            and every feed, sitemap and robots.txt entry exists. public/ is not touched. \
            Each problem is printed as `page → link: reason`. Exit status: 0 no problems, \
            1 problems (or the site does not build), 2 bad usage.
            """)

    @OptionGroup var site: SiteOptions

    @Option(help: ArgumentHelp("The URL the site is served at (overrides base_url in content/_index.md).", valueName: "URL"))
    var baseURL: String?

    @OptionGroup var links: LinkCheckOptions

    @Flag(name: .shortAndLong, help: "Print only problems.")
    var quiet = false

    func validate() throws { try links.validate() }

    func run() throws {
        let build = try checkedBuild(site: site.siteRoot, baseURL: baseURL, links: links, quiet: quiet, purpose: "check")
        build.remove()
    }
}

/// How links to other sites are checked; shared by `check` and `publish`.
struct LinkCheckOptions: ParsableArguments {
    @Flag(help: "Also check links to other sites (off by default).")
    var external = false

    @Option(help: ArgumentHelp("Seconds to wait for one answer from another site.", valueName: "SECONDS"))
    var timeout: Double = 10

    @Option(help: ArgumentHelp("External requests at once (at most 2 to one host).", valueName: "N"))
    var concurrency: Int = 8

    @Option(help: ArgumentHelp("Further tries after a timeout, a network error, HTTP 429 or 5xx.", valueName: "N"))
    var retries: Int = 2

    @Option(help: ArgumentHelp("Seconds for all external checks together.", valueName: "SECONDS"))
    var externalBudget: Double = 120

    func validate() throws {
        guard timeout > 0, externalBudget > 0 else { throw ValidationError("--timeout and --external-budget must be more than 0 seconds") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard retries >= 0 else { throw ValidationError("--retries cannot be negative") }
    }

    var options: CheckOptions {
        var o = CheckOptions(external: external)
        o.timeout = timeout
        o.concurrency = concurrency
        o.retries = retries
        o.budget = externalBudget
        return o
    }
}

/// Builds the site for production into a temporary folder and checks it.
/// Returns the build when there are no problems; otherwise prints them, removes
/// the build and exits 1. The caller removes the returned build.
func checkedBuild(site: String, baseURL: String?, links: LinkCheckOptions, quiet: Bool, purpose: String) throws -> ProductionBuild {
    let build: ProductionBuild
    do {
        build = try Production.build(siteRoot: site, baseURL: baseURL)
    } catch {
        report(error.all)
        let count = error.errors.count
        printError("\(purpose) failed: the site does not build (\(count) error\(count == 1 ? "" : "s")); fix \(count == 1 ? "it" : "them") and run lede \(purpose) again")
        throw ExitCode(1)
    }
    if !quiet {
        report(build.report.warnings)
        print(build.report.summary)
    }
    let result = SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!, options: links.options)
    for problem in result.problems { print(problem.description) }
    for warning in result.warnings { printError("warning: " + warning.description) }
    if !result.passed {
        build.remove()
        printError(result.summary + "; fix them and run lede \(purpose) again" + (purpose == "publish" ? " (nothing was published)" : ""))
        throw ExitCode(1)
    }
    if !quiet { print(result.summary) }
    return build
}
