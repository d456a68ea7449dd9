import ArgumentParser
import Foundation
import LedeCore

@main
struct Lede: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lede",
        abstract: "A static site generator for explainers: Markdown in, a site with timelines and key takeaways out.",
        version: LedeVersion.string,
        subcommands: [Build.self, Extract.self, Dates.self]
    )
}

/// Options every command that works on a site shares.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The site folder (holding content/ and templates/).", valueName: "DIR"))
    var source: String = "."

    var siteRoot: URL { URL(fileURLWithPath: source, isDirectory: true).standardizedFileURL }
}

/// Prints a message to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
