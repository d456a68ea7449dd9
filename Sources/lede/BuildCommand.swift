import ArgumentParser
import Foundation
import LedeCore

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into public/.")
    @OptionGroup var site: SiteOptions
    func run() throws { throw ValidationError("not yet implemented") }
}
