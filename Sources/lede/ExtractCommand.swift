import ArgumentParser
import Foundation
import LedeCore

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what lede finds in one article: its timeline and key takeaways.")

    @Argument(help: "A Markdown article.")
    var file: String

    @Option(help: "json or text.")
    var format: OutputFormat = .json

    @OptionGroup var site: SiteOptions

    func run() throws {
        let root = site.siteRoot
        let templates = root + "/templates"
        let theme: Theme
        do {
            theme = try Theme.load(siteTemplates: FileManager.default.fileExists(atPath: templates) ? templates : nil)
        } catch {
            report(error.all)
            throw ExitCode(1)
        }
        let source: SourceFile
        do {
            source = try SourceFile.read(path: file, displayPath: file)
        } catch {
            report([error])
            throw ExitCode(1)
        }
        let indexPath = root + "/content/_index.md"
        let config = FileManager.default.fileExists(atPath: indexPath)
            ? SiteConfig.load(try? SourceFile.read(path: indexPath, displayPath: "content/_index.md")).0
            : SiteConfig()
        let annotator = Annotator(theme: theme, settings: AnnotationSettings(genre: config.genre, autoTakeaways: config.autoTakeaways))
        let (article, diagnostics) = annotator.annotate(source, defaultSlug: ContentScanner.defaultSlug(file))
        report(diagnostics)
        guard let article else { throw ExitCode(1) }
        switch format {
        case .json: print(ExtractOutput.json(article).serialized(pretty: true))
        case .text: print(ExtractOutput.text(article), terminator: "")
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, text
}
