import Foundation
import Testing
@testable import LedeCore

/// Every input a fuzzer crashed on (.ci/fuzz), kept and replayed with the same
/// invariants the fuzz targets check.
@Suite struct FuzzRegressionTests {
    static let folder = repositoryRoot + "/Tests/LedeCoreTests/Fixtures/fuzz"

    static func inputs(_ prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }

    @Test(arguments: inputs("tagger-"))
    func tagger(_ name: String) throws {
        let bytes = try FileIO.readBytes(Self.folder + "/" + name)
        bytes.withUnsafeBufferPointer { text in
            // lede never tags invalid UTF-8 (files are checked first), so character
            // boundaries are only defined, and checked, for valid text.
            let valid = UTF8Check.firstInvalidByte(text) == nil
            func isBoundary(_ i: Int) -> Bool { !valid || i == text.count || (text[i] & 0xC0) != 0x80 }
            for genre in [DocumentGenre.news, .narrative] {
                var tagger = TemporalTagger(referenceDate: DateTime(year: 2020, month: 2, day: 29), genre: genre)
                let found = tagger.tag(text)
                for e in found {
                    #expect(e.start >= 0 && e.start < e.end && e.end <= text.count)
                    #expect(isBoundary(e.start) && isBoundary(e.end))
                }
                var again = TemporalTagger(referenceDate: DateTime(year: 2020, month: 2, day: 29), genre: genre)
                #expect(again.tag(text) == found)
            }
        }
    }
}
