import Testing
@testable import LedeCore

/// `StringSet` (the slides' ids of a timeline page) must answer as a set of
/// the strings' UTF-8 bytes does: each is new once, through every growth,
/// and two spellings of one character are two strings.
@Suite struct StringSetTests {
    @Test func itAnswersAsASetOfTheirBytesDoes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = ["a", "b", "-", "1", "é", "中", "e\u{301}", ""]
        var strings: [String] = ["", "a", "a-", "-a", "é", "e\u{301}", String(repeating: "x", count: 70)]
        for _ in 0..<3000 {
            let length = Int.random(in: 0...12, using: &generator)
            strings.append((0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined())
        }
        strings += strings.shuffled(using: &generator).prefix(500)
        for capacity in [0, 1, 40, 5000] {
            var mine = StringSet(minimumCapacity: capacity)
            var theirs = Set<[UInt8]>()
            for s in strings {
                #expect(mine.insert(s) == theirs.insert(Array(s.utf8)).inserted, "\(s.debugDescription) at capacity \(capacity)")
            }
            #expect(mine.count == theirs.count)
            for s in ["zz", "a-b-c-d-e-f-g-h-i", "ü"] where !theirs.contains(Array(s.utf8)) { #expect(!mine.contains(s)) }
            #expect(theirs.allSatisfy { mine.contains(String(decoding: $0, as: UTF8.self)) })
            #expect(mine.contains("e\u{301}") && mine.contains("é"))
        }
    }
}
