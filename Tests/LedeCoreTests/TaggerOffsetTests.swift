import Testing
@testable import LedeCore

/// Offsets are UTF-8 byte offsets and always fall on character boundaries.
@Suite("Tagger offsets")
struct TaggerOffsetTests {
    func check(_ text: String, _ expected: [String], reference: String? = "2019-03-15", genre: DocumentGenre? = .news) {
        var tagger = TemporalTagger(referenceDate: reference.flatMap { DateTime(parsing: $0) }, genre: genre)
        let found = tagger.tag(text)
        let bytes = Array(text.utf8)
        for e in found {
            #expect(e.start >= 0 && e.start < e.end && e.end <= bytes.count)
            // Boundaries: neither end falls inside a multi-byte character.
            #expect(e.start == bytes.count || bytes[e.start] & 0xC0 != 0x80, "start \(e.start) inside a character")
            #expect(e.end == bytes.count || bytes[e.end] & 0xC0 != 0x80, "end \(e.end) inside a character")
        }
        #expect(found.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == expected, "\(text)")
    }

    @Test func curlyQuotesAndApostrophes() {
        check("“It began on 14 July 1789,” she said — the ’80s were different.", ["14 July 1789", "the ’80s"])
    }

    @Test func accentsBeforeAndInside() {
        check("Émile Zola’s café opened in février, no: in February 1898 in Médan.", ["February 1898"])
        check("À Québec, l’été 1759 fut court; the siege ended on 13 September 1759.", ["1759", "13 September 1759"])
    }

    @Test func emAndEnDashes() {
        check("The war—which began in 1914—ended in 1918.", ["1914", "1918"])
        check("The war of 1914–18 was long.", ["1914", "18"])
    }

    @Test func nonBreakingSpacesAndEmoji() {
        check("Signed on\u{00A0}4\u{00A0}July\u{00A0}1776 🎉 in Philadelphia.", ["4\u{00A0}July\u{00A0}1776"])
        check("🎉🎉 July 2018 🎉", ["July 2018"])
    }

    @Test func byteOffsetsAreExact() {
        var tagger = TemporalTagger(referenceDate: nil, genre: .narrative)
        let text = "Ça va — in 1999."
        let found = tagger.tag(text)
        #expect(found.count == 1)
        // "Ç" is 2 bytes, "—" is 3: "1999" starts at byte 14.
        #expect(found.first?.start == 14 && found.first?.end == 18)
    }

    @Test func invalidBytesDoNotCrash() {
        let bytes: [UInt8] = Array("In 1999 ".utf8) + [0xFF, 0xC3] + Array(" and in 2001".utf8)
        var tagger = TemporalTagger(referenceDate: nil, genre: .narrative)
        let found = bytes.withUnsafeBufferPointer { tagger.tag($0) }
        #expect(found.map(\.value) == ["1999", "2001"])
    }
}
