import ArgumentParser
import Foundation
import LedeCore

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what lede finds in one article: timeline and takeaways.")
    @Argument var file: String
    @Option var format: String = "json"
    func run() throws { throw ValidationError("not yet implemented") }
}
