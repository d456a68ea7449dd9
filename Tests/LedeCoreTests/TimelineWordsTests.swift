import Testing
@testable import LedeCore

/// The byte paths behind timeline merging and titling against their
/// definitions: `fastContentWords` against `characterContentWords`, and
/// `possibleHits` as an upper bound of what `headingNames` counts.
@Suite struct TimelineWordsTests {
    static let pieces = ["The", "wall", "fell", "in", "1989", "1990s", "B-52", "Gorbachev's", "Gorbachev’s", "café", "CAFÉ", "Ærø",
                         "naïve", "—", "–", "“quoted”", "‘single’", "…", "x", "I", "a", "of", "A1", "42", "ÀÉÎ", "São", "Paulo",
                         "March", "summer", "don't", "rock'n'roll", ",", ".", ";", "(", ")", "œuvre", "Ŧest", "ǅemal", "1,500", "½",
                         "Summit", "Helsinki", "Berlin", "¿Qué?", "straße", "ﬁne"]

    static func texts(_ count: Int) -> [String] {
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        return (0..<count).map { _ in
            (0..<(1 + next(14))).map { _ in pieces[next(pieces.count)] }.joined(separator: next(4) == 0 ? "" : " ")
        }
    }

    @Test func theByteWordsAreTheCharacterWords() {
        var compared = 0
        for text in Self.texts(3000) {
            var t = text
            guard let fast = t.withUTF8({ Timeline.fastContentWords($0) }) else { continue }
            compared += 1
            #expect(fast == Timeline.characterContentWords(text), "\(text)")
        }
        // Most texts take the byte path; the rest (ﬁ, ǅ) fall back.
        #expect(compared > 1500)
        #expect(Timeline.contentWords("The wall’s fall: Gorbachev's “naïve” café, 1989") == ["walls", "gorbachevs", "naïve", "café"])  // "fall" is a season
    }

    @Test func theWordHashesAreTheHashesOfTheWords() {
        // Both paths: texts read by bytes and those with "ﬁ" or "ǅ", read by Characters.
        for text in Self.texts(2000) + ["", "a", "ﬁne wall", "Summit in Helsinki, 1975"] {
            #expect(Timeline.contentWordHashes(text) == Timeline.contentWords(text).map { Hash64.hash($0) }, "\(text)")
        }
        // What merging relies on for an event without a title: a trailing space adds no word.
        for text in Self.texts(500) {
            #expect(Timeline.contentWordHashes(text + " ") == Timeline.contentWordHashes(text), "\(text)")
        }
    }

    @Test func theMainPartOfAHeadingIsWhatSplittingAtTheColonGives() {
        var headings = ["", ":", "::", "a:", ":b", ":b:c", "a:b:c", "The Helsinki Summit: 1975", "No colon", " : x", "Café: au lait",
                        "Ünter: x", "a\u{301}:b", ":\u{301}b:c",
                        // A colon with a combining mark is no colon to Character splitting: no cut at its byte.
                        "x:\u{301}b", "x:\u{301}b: c",
                        // A prepended mark joins the colon after it; ASCII around a colon in a non-ASCII heading.
                        "\u{600}:b", "x\u{600}:b: c", "Mining and Valparaíso: part 4", "Zürich: the “vote”: 1971", "a:é", "é:a",
                        "a\u{200D}:b", "a:\u{200D}b", "a:\u{FE0F}b", "中文:x"]
        headings += Self.texts(400).map { $0.replacingAll(",", with: ":") }
        for h in headings {
            #expect(Timeline.mainPart(h) == (h.split(separator: ":", maxSplits: 1).first.map(String.init) ?? h), "\(h)")
        }
    }

    @Test func possibleHitsBoundWhatAHeadingFinds() {
        let texts = Self.texts(800)
        for (k, text) in texts.enumerated() {
            let words = Timeline.headingWords(texts[(k * 7 + 3) % texts.count])
            guard let possible = Timeline.possibleHits(words, text) else { continue }
            let eventWords = Set(Timeline.contentWords(text).map { String($0.prefix(5)) })
            let hits = words.filter { eventWords.contains(String($0.prefix(5))) }.count
            #expect(possible >= hits, "\(words) in \(text)")
        }
        #expect(Timeline.contains(Array("abcabd".utf8), Array("abd".utf8)))
        #expect(!Timeline.contains(Array("abcab".utf8), Array("abd".utf8)))
        #expect(Timeline.contains(Array("ab".utf8), []))
        #expect(!Timeline.contains(Array("ab".utf8), Array("abc".utf8)))
    }

    /// `Timeline.isFiner` on the bytes against its definition on Strings:
    /// a finer date of the same sentence says an event better.
    @Test func aFinerDateIsTheValueAndAHyphenOrATimeOfTheDay() {
        let values = ["", "1987", "1987-06", "1987-06-12", "1987-06-12T10:00", "1987-06-12TEV", "1987-W24", "1987T", "1987-",
                      "19", "198", "1987-0", "1987-06-1", "1987-06-123", "1987-06-12-x", "PRESENT_REF", "P3Y", "XXXX-07"]
        var finer = 0
        for a in values {
            for b in values {
                let expected = a.hasPrefix(b + "-") || (a.hasPrefix(b + "T") && b.count == 10)
                #expect(Timeline.isFiner(a, than: b) == expected, "\(a) than \(b)")
                if expected { finer += 1 }
            }
        }
        #expect(finer == 19)
    }
}
