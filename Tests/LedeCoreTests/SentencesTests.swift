import Testing
@testable import LedeCore

/// Sentence splitting: abbreviations, initials, decimals and quotes must not
/// cut a sentence, and real sentence ends must.
@Suite struct SentencesTests {
    func split(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return Sentences.split(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test(arguments: [
        // Abbreviations inside a sentence.
        ("The U.S. Army arrived. Then it left.", ["The U.S. Army arrived.", "Then it left."]),
        ("Dr. Smith spoke first. Mr. Jones agreed.", ["Dr. Smith spoke first.", "Mr. Jones agreed."]),
        ("On Jan. 5 the talks began. They ended in Feb. 2019.", ["On Jan. 5 the talks began.", "They ended in Feb. 2019."]),
        ("Gen. David Petraeus testified. Sen. Reid objected.", ["Gen. David Petraeus testified.", "Sen. Reid objected."]),
        ("He was born in St. Louis. He moved to Washington, D.C. in 1990.", ["He was born in St. Louis.", "He moved to Washington, D.C. in 1990."]),
        ("Roe v. Wade was decided in 1973. It stood for decades.", ["Roe v. Wade was decided in 1973.", "It stood for decades."]),
        ("He works for Acme Inc. and lives in Boston. She does not.", ["He works for Acme Inc. and lives in Boston.", "She does not."]),
        ("The No. 2 official resigned, e.g. over pay. Nobody else did.", ["The No. 2 official resigned, e.g. over pay.", "Nobody else did."]),
        // Abbreviations that end a sentence.
        ("He moved to the U.S. The next day he left.", ["He moved to the U.S.", "The next day he left."]),
        ("It ended at 5 p.m. The next morning was quiet.", ["It ended at 5 p.m.", "The next morning was quiet."]),
        ("The meeting ended at 5 p.m. on Friday. Both sides left.", ["The meeting ended at 5 p.m. on Friday.", "Both sides left."]),
        ("They sold books, maps, etc. Then they closed.", ["They sold books, maps, etc.", "Then they closed."]),
        // Initials.
        ("John F. Kennedy was shot in 1963. Lee H. Oswald was arrested.", ["John F. Kennedy was shot in 1963.", "Lee H. Oswald was arrested."]),
        ("J.R.R. Tolkien wrote it. He was a professor.", ["J.R.R. Tolkien wrote it.", "He was a professor."]),
        ("They needed a Plan B. The first plan had failed.", ["They needed a Plan B.", "The first plan had failed."]),
        // Decimals and numbers.
        ("Prices rose 3.5 percent. Wages fell 0.2 percent.", ["Prices rose 3.5 percent.", "Wages fell 0.2 percent."]),
        ("He earned $1.5 million in 2019. That is a lot.", ["He earned $1.5 million in 2019.", "That is a lot."]),
        ("The vote was 5-4. Justice Kennedy wrote the opinion.", ["The vote was 5-4.", "Justice Kennedy wrote the opinion."]),
        // Quotes and brackets.
        ("\"We won,\" he said. \"Now we rest.\"", ["\"We won,\" he said.", "\"Now we rest.\""]),
        ("He said: \"It is over.\" Then he left.", ["He said: \"It is over.\"", "Then he left."]),
        ("“It is over.” Then he left.", ["“It is over.”", "Then he left."]),
        ("“Is it over?” he asked. Nobody answered.", ["“Is it over?” he asked.", "Nobody answered."]),
        ("She left (for good.) He stayed.", ["She left (for good.)", "He stayed."]),
        ("'We are ready,' she said. 'Are you?'", ["'We are ready,' she said.", "'Are you?'"]),
        // Other stops.
        ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        ("Wait... what happened? Nobody knew…", ["Wait... what happened?", "Nobody knew…"]),
        ("It was over... The crowd went home.", ["It was over...", "The crowd went home."]),
    ])
    func splits(_ text: String, _ expected: [String]) {
        #expect(split(text) == expected)
    }

    @Test func offsetsAreUTF8AndTrimmed() {
        let text = "  Zürich grew. Genève did not.  "
        let bytes = Array(text.utf8)
        let ranges = Sentences.split(bytes)
        #expect(ranges.count == 2)
        #expect(ranges.first?.lowerBound == 2)
        #expect(ranges.last?.upperBound == bytes.count - 2)
    }
}

extension SentencesTests {
    /// The splitter skips eight bytes at a time past bytes that cannot end a
    /// sentence: every stop must be seen whatever its place in those eight.
    @Test func stopsAreFoundAtEveryPlaceInAWord() {
        let tail = "Wall fell. Then unity! Why now? Well… It was 1990."
        let expected = ["Wall fell.", "Then unity!", "Why now?", "Well…", "It was 1990."]
        for pad in 0..<24 {
            let text = String(repeating: "x", count: pad) + " " + tail + String(repeating: " ", count: pad % 3)
            let bytes = Array(text.utf8)
            let sentences = Sentences.split(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
            let first = pad == 0 ? expected[0] : String(repeating: "x", count: pad) + " " + expected[0]
            #expect(sentences == [first] + expected.dropFirst(), "padding \(pad)")
        }
    }
}

extension SentencesTests {
    /// The clause's ends are tested Character by Character with a switch,
    /// and openers by bytes when the head is ASCII: as the Strings tested them.
    @Test func aClauseKeepsWhatTheStringTestsKept() {
        let characters: [Character] = [",", ";", ":", "—", "–", "-", ".", "!", "?", "…", "\"", "”", "’", ")", "a", " ", "(", "“",
                                       "-\u{301}", ",\u{308}", "—\u{301}", ".\u{301}", "”\u{301}", "é", "e\u{301}"]
        for c in characters {
            #expect(Clause.isTrailingPunctuation(c) == ",;:—–-".contains(c), "\(c)")
            #expect(Clause.endsClause(c) == ".!?…\"”’)".contains(c), "\(c)")
        }
        func clause(_ s: String) -> String {
            let bytes = Array(s.utf8)
            let date = try! #require(s.range(of: "1989").map { s.utf8.distance(from: s.startIndex, to: $0.lowerBound) })
            return Clause.around(date..<(date + 4), in: 0..<bytes.count, of: bytes)
        }
        #expect(clause("However, the wall fell in 1989 after weeks of protest") == "The wall fell in 1989 after weeks of protest.")
        #expect(clause("Meanwhile, however, the wall fell in 1989 after weeks;") == "The wall fell in 1989 after weeks.")
        // A combining mark after the opener's space makes it another Character: the opener stays.
        #expect(clause("However, \u{301}the wall fell in 1989 after weeks of protest") == "However, \u{301}the wall fell in 1989 after weeks of protest.")
        #expect(clause("HOWEVER, ÉTÉ: the wall fell in 1989 after weeks -") == "The wall fell in 1989 after weeks.")
        // A head that is not ASCII is tested as a String.
        #expect(clause("however, ça va, the wall fell in 1989 after weeks") == "Ça va, the wall fell in 1989 after weeks.")
        // A dash with a combining mark is another Character: it stays.
        #expect(clause("and the wall fell in 1989 —\u{301}") == "The wall fell in 1989 —\u{301}.")
        let long = (1...40).map { "w\($0)" }.joined(separator: " ")
        #expect(clause(long + " in 1989 " + long) .hasPrefix("…"))
        #expect(clause(long + " in 1989 " + long).hasSuffix("…"))
        #expect(clause(long + " in 1989 " + long).split(separator: " ").count == 32)
    }
}

extension SentencesTests {
    /// Words are counted eight bytes at a time: as many as a byte-by-byte
    /// count finds, for every range of a text with every kind of white space.
    @Test func wordsAreCountedAsByteByByte() {
        let text = Array("  The wall\tfell,\n\r in 1989 — after  weeks.\u{a0}x y  z\r\n end ".utf8)
        func byteByByte(_ r: Range<Int>) -> Int {
            var n = 0, inWord = false
            for i in r {
                let space = Sentences.isSpace(text[i])
                if !space && !inWord { n += 1 }
                inWord = !space
            }
            return n
        }
        var wrong: [Range<Int>] = []
        for lo in 0...text.count {
            for hi in lo...text.count where Clause.wordCount(text, lo..<hi) != byteByByte(lo..<hi) { wrong.append(lo..<hi) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }
}
