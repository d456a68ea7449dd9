import Testing
@testable import LedeCore

/// Content terms: what automatic takeaways and related explainers compare.
@Suite struct TermsTests {
    @Test func wordsAreLowercasedStemmedAndStopwordsDropped() {
        #expect(Terms.of("The talks: they talked, and are talking.") == ["talk", "talk", "talk"])
        #expect(Terms.of("Stories of classes, indexes and the bus") == ["story", "class", "index", "bus"])
        #expect(Terms.of("Putin’s summit in Tromsø, 2018") == ["putin", "summit", "tromsø", "2018"])
        #expect(Terms.of("Reportedly agreed; the agreed fee") == ["reported", "agreed", "agreed", "fee"])
        #expect(Terms.of("a I x") == [])
    }

    @Test(arguments: [("talks", "talk"), ("studies", "study"), ("passes", "pass"), ("status", "status"), ("analysis", "analysis"),
                      ("meeting", "meet"), ("sing", "sing"), ("walked", "walk"), ("freed", "freed"), ("agreed", "agreed"),
                      ("quickly", "quick"), ("churches", "church"), ("wishes", "wish"), ("indexes", "index"), ("gases", "gase"),
                      ("news", "news"), ("café", "café"), ("élites", "élites")])
    func stems(_ word: String, _ stem: String) {
        #expect(Terms.stem(word) == stem)
    }

    @Test func keyTermsRankByUseAndCountTheTitleThrice() {
        let terms = KeyTerms.of(title: "The Berlin airlift", blocks: ["Planes flew to Berlin in 1948.", "The planes flew daily; 1948 was hard."])
        #expect(terms.first == "berlin")
        #expect(terms.contains("airlift") && terms.contains("plane") && terms.contains("flew"))
        #expect(!terms.contains("1948"))  // numbers are not key terms
        #expect(!terms.contains("daily"))  // once, and not in the title
    }

    /// The byte-level counting gives what the String definition gives, for
    /// ASCII text, other scripts, canonically equal spellings ("é" and
    /// "e" + U+0301 are one term), long words, numbers and invalid UTF-8.
    @Test func keyTermsOnBytesMatchTheDefinition() {
        let samples: [(String, [String])] = [
            ("The Berlin airlift", ["Planes flew to Berlin in 1948.", "The planes flew daily; 1948 was hard."]),
            ("Café society", ["The café opened. The cafe\u{301} closed; café, café!", "Stories, stories and more stories."]),
            ("Tromsø", ["Tromsø talks: Tromsø talked; Tromsø’s 2018 summit. Élites élites ÉLITES."]),
            ("", [String(repeating: "supercalifragilistic", count: 5) + " " + String(repeating: "supercalifragilistic", count: 5),
                  "a b c dd dd ee ee 12 12 1a 1a studies study studys"]),
            ("Ties", ["zeta alpha beta zeta alpha beta gamma gamma", "Alpha alphas ALPHA"]),
            ("Numbers 2020 and 1990s", ["1990s 1990s 2020 2020 y2k y2k"]),
        ]
        for (title, blocks) in samples {
            #expect(KeyTerms.of(title: title, utf8: blocks.map { Array($0.utf8) }) == KeyTerms.reference(title: title, blocks: blocks))
            #expect(KeyTerms.of(title: title, blocks: blocks) == KeyTerms.reference(title: title, blocks: blocks))
        }
        // Many distinct terms (the table grows) and many ties.
        var many: [String] = []
        for k in 0..<3000 { many.append("word\(k % 1500)x term\(k % 7)y alpha\(k)") }
        #expect(KeyTerms.of(title: "Word words", utf8: many.map { Array($0.utf8) }) == KeyTerms.reference(title: "Word words", blocks: many))
        // Invalid UTF-8 is read as its repaired String.
        let invalid: [UInt8] = Array("bad bad".utf8) + [0xFF, 0xC3] + Array("x bad".utf8)
        #expect(KeyTerms.of(title: "Bad", utf8: [invalid]) == KeyTerms.reference(title: "Bad", blocks: [String(decoding: invalid, as: UTF8.self)]))
    }

    @Test func stemsOnBytesMatchTheRules() {
        // Every suffix rule, at and around its length limits.
        let words = ["ties", "flies", "tries", "classes", "class", "bus", "basis", "sing", "bring", "singing", "fed", "freed",
                     "agreed", "walked", "ended", "fly", "only", "quickly", "churches", "wishes", "boxes", "buzzes", "gases",
                     "cats", "news", "status", "analysis", "meeting", "cities", "abcdes"]
        for w in words {
            let u = Array(w.utf8)
            let (keep, y) = Terms.stemmed(u)
            #expect(String(decoding: u[0..<keep], as: UTF8.self) + (y ? "y" : "") == referenceStem(w), "\(w)")
        }
    }

    /// The suffix rules as first written, one test after another.
    func referenceStem(_ w: String) -> String {
        let u = Array(w.utf8)
        let n = u.count
        guard n > 4, !u.contains(where: { $0 >= 0x80 }) else { return w }
        func ends(_ s: String) -> Bool { w.hasSuffix(s) }
        func cut(_ k: Int, _ y: Bool = false) -> String { String(decoding: u[0..<(n - k)], as: UTF8.self) + (y ? "y" : "") }
        if ends("ies"), n > 5 { return cut(3, true) }
        if ends("sses") { return cut(2) }
        if ends("ss") || ends("us") || ends("is") { return w }
        if ends("ing"), n > 6 { return cut(3) }
        if ends("ed"), n > 5, !ends("eed") { return cut(2) }
        if ends("ly"), n > 5 { return cut(2) }
        if ends("es"), n > 5, ends("ches") || ends("shes") || ends("xes") || ends("zes") { return cut(2) }
        if ends("s") { return cut(1) }
        return w
    }
}

extension Terms {
    /// The stem of a word as a String (what `scan` hands on as bytes).
    static func stem(_ w: String) -> String {
        let u = Array(w.utf8)
        let (keep, y) = stemmed(u)
        return keep == u.count && !y ? w : String(decoding: u[0..<keep], as: UTF8.self) + (y ? "y" : "")
    }

    /// `stemmed` of any lowercased word: words outside ASCII are kept whole.
    static func stemmed(_ u: [UInt8]) -> (keep: Int, y: Bool) {
        guard !u.contains(where: { $0 >= 0x80 }) else { return (u.count, false) }
        return u.withUnsafeBufferPointer { stemmed($0) }
    }
}

extension KeyTerms {
    /// The definition, on Strings (the reference the byte version is tested against).
    static func reference(title: String, blocks: [String]) -> [String] {
        func isNumber(_ t: String) -> Bool { t.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        var frequency: [String: Int] = [:]
        for block in blocks {
            for t in Terms.of(block) where !isNumber(t) { frequency[t, default: 0] += 1 }
        }
        let titleTerms = Set(Terms.of(title))
        for t in titleTerms where !isNumber(t) { frequency[t, default: 0] += 3 }
        return rank(frequency, titleTerms: titleTerms)
    }
}

extension TermsTests {
    /// A packed word set finds exactly its words, whether a key is made
    /// from a whole word at once or built a byte at a time.
    @Test func aPackedWordSetFindsExactlyItsWords() {
        let words = ["a", "of", "the", "u.s", "fifteen-letters", "sixteen-letters!", "x", "abcdefghijklmn", "abcdefghijklmno"]
        let set = PackedWordSet(words)
        var probes = words + ["", "b", "th", "thee", "fifteen-letterz", "sixteen-letters?", "abcdefghijklm", "abcdefghijklmnop", "o", "f"]
        for n in 0..<300 {
            var bytes: [UInt8] = []
            for k in 0..<(n % 19) { bytes.append(UInt8(0x61 + (n * 7 + k * 3) % 26)) }
            probes.append(String(decoding: bytes, as: UTF8.self))
        }
        for word in probes {
            let bytes = Array(word.utf8)
            var built = PackedWordSet.Key()
            for b in bytes { built.append(b) }
            // Words of more than 15 bytes are in no set.
            let member = words.contains(word) && bytes.count <= 15
            #expect(set.contains(bytes) == member, "\(word)")
            #expect(set.contains(built) == member, "\(word)")
            #expect(bytes.withUnsafeBufferPointer { set.contains(PackedWordSet.Key($0)) } == member, "\(word)")
        }
    }
}
