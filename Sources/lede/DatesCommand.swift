import ArgumentParser
import Foundation
import LedeCore

struct Dates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the temporal expressions in a text or in the prose of a Markdown file.",
        discussion: """
            Prints a JSON array of {"start", "end", "text", "type", "value", "mod"} with UTF-8 byte \
            offsets into FILE (end exclusive) and TIMEX3 types and values, or with --format text one \
            expression a line. A .md file is scanned for prose only (no front matter, code, raw HTML \
            or link destinations); its front matter date is the default reference date and its \
            `genre: news|narrative` decides how relative dates are read.
            """)

    @Argument(help: "A .md file (only its prose is scanned) or any text file.")
    var file: String

    @Option(help: ArgumentHelp("The date relative expressions are read against (YYYY-MM-DD).", valueName: "YYYY-MM-DD"))
    var referenceDate: String?

    @Option(help: ArgumentHelp("news or narrative (default: the front matter's genre, else decided from the text).", valueName: "GENRE"))
    var genre: String?

    @Option(help: "json or text.")
    var format: String = "json"

    func run() throws {
        guard format == "json" || format == "text" else { usage("--format must be json or text, not \"\(format)\"") }
        var reference: DateTime?
        if let r = referenceDate {
            guard let d = DateTime(parsing: r) else { usage("--reference-date must be a date like 2018-07-16, not \"\(r)\"") }
            reference = d
        }
        var forcedGenre: DocumentGenre?
        if let g = genre {
            guard let v = DocumentGenre(rawValue: g.lowercased()) else { usage("--genre must be news or narrative, not \"\(g)\"") }
            forcedGenre = v
        }
        let source: SourceFile
        do {
            source = SourceFile(path: file, bytes: try FileIO.readBytes(file))
        } catch {
            let reason = (error as? FileIO.Failure).map { String(cString: strerror($0.code)) } ?? "\(error)"
            fail(Diagnostic.error(file, 1, 1, "cannot read the file: \(reason)"))
        }
        if let problem = source.utf8Problem() { fail(problem) }
        let found: [TemporalExpression]
        if ProseDates.isMarkdown(file) {
            do { found = try ProseDates.tagMarkdown(source, referenceDate: reference, genre: forcedGenre) } catch { fail(error) }
        } else {
            found = ProseDates.tagText(source, referenceDate: reference, genre: forcedGenre)
        }
        // Offsets are into the file as stored (with its BOM, if any).
        var fileBytes = source.bytes
        if source.bomLength > 0 { fileBytes = [0xEF, 0xBB, 0xBF] + fileBytes }
        var out = ""
        fileBytes.withUnsafeBufferPointer { text in
            if format == "json" {
                out.reserveCapacity(found.count * 96 + 4)
                out += "["
                for (i, e) in found.enumerated() {
                    out += i == 0 ? "\n  " : ",\n  "
                    out += e.json(text: text)
                }
                out += found.isEmpty ? "]\n" : "\n]\n"
            } else {
                for e in found {
                    let t = String(decoding: UnsafeBufferPointer(rebasing: text[e.start..<e.end]), as: UTF8.self)
                    out += "\(e.start)-\(e.end)\t\(e.type.rawValue)\t\(e.value)\(e.mod.map { " (\($0))" } ?? "")\t\(t)\n"
                }
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func usage(_ message: String) -> Never {
        printError("error: \(message)")
        Foundation.exit(2)
    }

    private func fail(_ d: Diagnostic) -> Never {
        printError(d.description)
        Foundation.exit(1)
    }
}
