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
    ]

    @Test(arguments: strings) func stringsSurviveAParser(_ text: String) throws {
        let json = JSON.object([("s", .string(text))]).serialized()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(parsed?["s"] == text)
        // Never a raw control character or line separator inside the JSON.
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
    }
}
