import ArgumentParser
import Foundation
import LedeCore

struct Dates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the temporal expressions in a text or in the prose of a Markdown file.")

    @Argument(help: "A .md file (only its prose is scanned) or any text file.")
    var file: String

    @Option(help: ArgumentHelp("The date relative expressions are read against (YYYY-MM-DD).", valueName: "YYYY-MM-DD"))
    var referenceDate: String?

    @Option(help: "json or text.")
    var format: String = "json"

    func run() throws {
        throw ValidationError("not yet implemented")
    }
}
