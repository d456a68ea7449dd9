import Testing
@testable import LedeCore

/// `String.withUTF8Bytes`, which escaping, quoting and hashing read strings
/// through without copying them: it hands out exactly the string's UTF-8,
/// for small strings (kept inline), large ones, and strings made from parts.
@Suite struct UTF8AccessTests {
    @Test func theBytesAreTheStringsUTF8() {
        let long = String(repeating: "Zürich — “quoted” & <b> ", count: 40)
        let texts = ["", "a", "fifteen bytes!!", "sixteen bytes!!!", "Zürich", "🇩🇪 flag", long,
                     String(long.dropFirst(3).prefix(101)), "x" + long + "y"]
        for text in texts {
            #expect(text.withUTF8Bytes { Array($0) } == Array(text.utf8), "\(text.prefix(20))")
            // What the callers build on it: the same escaping and hash as by the String paths.
            var escaped: [UInt8] = []
            HTML.escape(text, into: &escaped)
            #expect(String(decoding: escaped, as: UTF8.self) == HTML.escape(text))
            #expect(Hash64.hash(text) == Hash64.hash(Array(text.utf8)))
        }
    }
}
