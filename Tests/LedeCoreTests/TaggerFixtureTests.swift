import Foundation
import Testing
@testable import LedeCore

/// Runs the tagger over small TimeML documents written for the project
/// (`Fixtures/timeml/`) and scores it as TempEval-3 does: relaxed and strict
/// span matches, and value accuracy over the relaxed matches.
@Suite("Tagger on TimeML fixtures")
struct TaggerFixtureTests {
    struct Gold { var start: Int; var end: Int; var type: String; var value: String }
    struct Doc { var name: String; var dct: String?; var text: [UInt8]; var gold: [Gold] }
    struct Score {
        var gold = 0, system = 0, relaxed = 0, strict = 0, values = 0
        var misses: [String] = []
        var precision: Double { system == 0 ? 0 : Double(relaxed) / Double(system) }
        var recall: Double { gold == 0 ? 0 : Double(relaxed) / Double(gold) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var valueAccuracy: Double { relaxed == 0 ? 0 : Double(values) / Double(relaxed) }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/timeml")

    /// Reads a TimeML file: the DCT value, the text inside <TEXT> without markup, and the TIMEX3 spans in UTF-8 bytes.
    static func read(_ url: URL) throws -> Doc {
        let raw = try String(contentsOf: url, encoding: .utf8)
        var dct: String?
        if let r = raw.range(of: "<DCT>"), let v = raw[r.upperBound...].range(of: "value=\"") {
            dct = String(raw[v.upperBound...].prefix { $0 != "\"" })
        }
        guard let open = raw.range(of: "<TEXT>"), let close = raw.range(of: "</TEXT>") else { throw CocoaError(.fileReadCorruptFile) }
        let body = Array(raw[open.upperBound..<close.lowerBound].utf8)
        var text: [UInt8] = []
        var gold: [Gold] = []
        var pending: (start: Int, type: String, value: String)?
        var i = 0
        func attribute(_ tag: String, _ name: String) -> String {
            guard let r = tag.range(of: name + "=\"") else { return "" }
            return String(tag[r.upperBound...].prefix { $0 != "\"" })
        }
        while i < body.count {
            if body[i] == UInt8(ascii: "<"), let end = body[i...].firstIndex(of: UInt8(ascii: ">")) {
                let tag = String(decoding: body[i...end], as: UTF8.self)
                if tag.hasPrefix("<TIMEX3") {
                    pending = (text.count, attribute(tag, "type"), attribute(tag, "value"))
                } else if tag == "</TIMEX3>", let p = pending {
                    gold.append(Gold(start: p.start, end: text.count, type: p.type, value: p.value))
                    pending = nil
                }
                i = end + 1
            } else if body[i] == UInt8(ascii: "&"), let semi = body[i...].firstIndex(of: UInt8(ascii: ";")), semi - i <= 6 {
                switch String(decoding: body[i...semi], as: UTF8.self) {
                case "&amp;": text.append(UInt8(ascii: "&"))
                case "&lt;": text.append(UInt8(ascii: "<"))
                case "&gt;": text.append(UInt8(ascii: ">"))
                case "&quot;": text.append(UInt8(ascii: "\""))
                default: text.append(UInt8(ascii: "'"))
                }
                i = semi + 1
            } else {
                text.append(body[i]); i += 1
            }
        }
        return Doc(name: url.lastPathComponent, dct: dct, text: text, gold: gold)
    }

    /// Scores one document: each gold span takes the unused system span that overlaps it most.
    static func score(_ doc: Doc, into s: inout Score) {
        var tagger = TemporalTagger(referenceDate: doc.dct.flatMap { DateTime(parsing: String($0.prefix(10))) }, genre: nil)
        let found = doc.text.withUnsafeBufferPointer { tagger.tag($0) }
        s.gold += doc.gold.count
        s.system += found.count
        var used = Set<Int>()
        func trimmed(_ r: Range<Int>) -> String {
            String(decoding: doc.text[r], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        for g in doc.gold {
            var best: Int?
            var bestOverlap = 0
            for (k, e) in found.enumerated() where !used.contains(k) {
                let overlap = min(g.end, e.end) - max(g.start, e.start)
                if overlap > bestOverlap { best = k; bestOverlap = overlap }
            }
            let goldText = trimmed(g.start..<g.end)
            guard let k = best else { s.misses.append("MISS \(goldText)"); continue }
            used.insert(k)
            s.relaxed += 1
            if trimmed(found[k].start..<found[k].end) == goldText { s.strict += 1 }
            if found[k].value == g.value { s.values += 1 } else { s.misses.append("VALUE \(goldText): \(found[k].value) for \(g.value)") }
        }
        for (k, e) in found.enumerated() where !used.contains(k) { s.misses.append("EXTRA \(trimmed(e.start..<e.end))") }
    }

    @Test func fixturesAreReadable() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.directory, includingPropertiesForKeys: nil).filter { $0.pathExtension == "tml" }
        #expect(files.count == 2)
        for f in files {
            let doc = try Self.read(f)
            #expect(!doc.gold.isEmpty && doc.dct != nil)
            for g in doc.gold { #expect(g.start < g.end && g.end <= doc.text.count) }
        }
    }

    @Test func scoresOnTheFixtures() throws {
        var total = Score()
        for name in ["riverside-tram.tml", "eiffel-tower.tml"] {
            let doc = try Self.read(Self.directory.appendingPathComponent(name))
            var s = Score()
            Self.score(doc, into: &s)
            #expect(s.recall >= 0.9, "\(name): recall \(s.recall), \(s.misses)")
            total.gold += s.gold; total.system += s.system; total.relaxed += s.relaxed
            total.strict += s.strict; total.values += s.values; total.misses += s.misses
        }
        #expect(total.gold == 38)
        #expect(total.f1 >= 0.95, "relaxed F1 \(total.f1): \(total.misses)")
        #expect(Double(total.strict) / Double(total.relaxed) >= 0.9, "strict matches \(total.strict) of \(total.relaxed): \(total.misses)")
        #expect(total.valueAccuracy >= 0.9, "value accuracy \(total.valueAccuracy): \(total.misses)")
    }

    @Test func scorerCountsMissesExtrasAndWrongValues() {
        // The scorer itself: one right, one wrong value, one miss, one extra.
        let text = Array("In 1990 and on May 5, 1991, or in 1993, later 1994.".utf8)
        func span(_ s: String) -> Range<Int> {
            let t = String(decoding: text, as: UTF8.self)
            let r = t.range(of: s)!
            return t.utf8.distance(from: t.startIndex, to: r.lowerBound)..<t.utf8.distance(from: t.startIndex, to: r.upperBound)
        }
        let gold = [Gold(start: span("1990").lowerBound, end: span("1990").upperBound, type: "DATE", value: "1990"),
                    Gold(start: span("May 5, 1991").lowerBound, end: span("May 5, 1991").upperBound, type: "DATE", value: "1991-05-06"),
                    Gold(start: span("or").lowerBound, end: span("or").upperBound, type: "DATE", value: "X")]
        var s = Score()
        Self.score(Doc(name: "t", dct: nil, text: text, gold: gold), into: &s)
        #expect(s.gold == 3 && s.system == 4 && s.relaxed == 2 && s.values == 1)
    }
}
