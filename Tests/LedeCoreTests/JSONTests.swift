import Foundation
import Testing
@testable import LedeCore

/// lede writes its JSON by hand (timelines, lede extract, lede dates): every
/// string must come back exactly through a real JSON parser.
@Suite struct JSONTests {
    static let strings: [String] = [
        "", "plain ASCII", "“curly” quotes — and an em dash", "a \"quote\" and a \\ backslash",
        "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F} controls", "\u{2028}line and paragraph\u{2029} separators",
        "e\u{301} combining after \"", "\"\u{301}", "emoji 🇩🇪 flags and 👩‍👩‍👧 families", "\u{E2}",
        "ends with a backslash \\",
        // Escapes on each side of the eight-byte steps of the UTF-8 writer.
        "1234567\"89abcdef\\", "12345678\n", "123456789abcdefg\u{2028}", "abcdefg“hijklmn\u{1}op",
    ]

    @Test(arguments: strings) func stringsSurviveAParser(_ text: String) throws {
        let json = JSON.object([("s", .string(text))]).serialized()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(parsed?["s"] == text)
        // Never a raw control character or line separator inside the JSON.
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
    }

    /// Timelines write their strings straight into UTF-8 bytes, eight bytes
    /// at a time past those that need no escape: at every offset from an
    /// eight-byte step, each string comes back byte for byte through a real
    /// parser, with no raw control character or line separator in the JSON.
    @Test(arguments: strings) func theByteWriterQuotesAtEveryOffset(_ text: String) throws {
        for pad in 0..<9 {
            let padded = String(repeating: "x", count: pad) + text
            var bytes: [UInt8] = Array("[".utf8)
            JSON.quote(padded, into: &bytes)
            bytes.append(contentsOf: "]".utf8)
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String]
            #expect(parsed.map { $0.map { Array($0.utf8) } } == [Array(padded.utf8)], "padded by \(pad)")
            #expect(!String(decoding: bytes, as: UTF8.self).unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" },
                    "padded by \(pad)")
        }
    }

    /// Values of every kind, nested, compact and indented: the bytes
    /// `lede extract` and the pages' JSON-LD print.
    @Test func valuesAreWrittenCompactAndIndented() throws {
        let value = JSON.object([
            ("a", [1, -2, .double(0.5), .double(.infinity)]), ("b", .object([])), ("c", .array([])),
            ("d", .object([("e", .null), ("f", true), ("g", false), ("h", "x\"y")])), ("i", .array([.object([("j", 3)])])),
        ])
        #expect(value.serialized() == #"{"a":[1,-2,0.5,null],"b":{},"c":[],"d":{"e":null,"f":true,"g":false,"h":"x\"y"},"i":[{"j":3}]}"#)
        #expect(value.serialized(pretty: true) == """
            {
              "a": [
                1,
                -2,
                0.5,
                null
              ],
              "b": {},
              "c": [],
              "d": {
                "e": null,
                "f": true,
                "g": false,
                "h": "x\\"y"
              },
              "i": [
                {
                  "j": 3
                }
              ]
            }
            """)
        #expect(value.serializedBytes(pretty: true) == Array(value.serialized(pretty: true).utf8))
        var appended = Array("x".utf8)
        value.write(into: &appended)
        #expect(appended == Array(("x" + value.serialized()).utf8))
        let parsed = try JSONSerialization.jsonObject(with: Data(value.serialized(pretty: true).utf8)) as? [String: Any]
        #expect((parsed?["d"] as? [String: Any])?["h"] as? String == "x\"y")
    }
}
