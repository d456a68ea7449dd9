import ArgumentParser
import Foundation
import LedeCore

@main
struct Lede: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lede",
        abstract: "A static site generator for explainers: Markdown in, a site with timelines and key takeaways out.",
        version: LedeVersion.string,
        subcommands: [Build.self, Serve.self, Extract.self, Dates.self, Check.self, Publish.self]
    )

    /// Exit codes as DESIGN.md has them: 0 success, 1 content errors, 2 bad usage.
    static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            Foundation.exit(2)
        }
        do {
            var runnable = command
            try runnable.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch where exitCode(for: error) == .success {
            // `lede` alone, or a help request that reached run().
            print(fullMessage(for: error))
            Foundation.exit(0)
        } catch let error as ValidationError {
            printError("error: \(error.message)")
            Foundation.exit(2)
        } catch {
            printError("error: \(error)")
            Foundation.exit(1)
        }
    }
}

/// Options every command that works on a site shares.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The site folder, holding content/ and templates/.", valueName: "DIR"))
    var source: String = "."

    var siteRoot: String { URL(fileURLWithPath: source, isDirectory: true).standardizedFileURL.path }
}

/// Prints a message to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Prints diagnostics to standard error, errors last so they stay in view.
func report(_ diagnostics: [Diagnostic]) {
    for d in diagnostics where d.severity == .warning { printError(d.description) }
    for d in diagnostics where d.severity == .error { printError(d.description) }
}
