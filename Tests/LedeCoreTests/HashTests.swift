import Testing
@testable import LedeCore

@Suite struct HashTests {
    /// Any one byte changed, at any place and size around the four-lane
    /// path's edges, changes the hash; so does the length of zeros.
    @Test func everyByteCounts() {
        for size in [1, 7, 8, 31, 63, 64, 65, 95, 96, 97, 1000] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let base = Hash64.hash(bytes)
            #expect(Hash64.hash(bytes) == base)
            #expect(Hash64.hash(bytes, seed: 1) != base)
            var seen: Set<UInt64> = [base]
            for k in 0..<size {
                var changed = bytes
                changed[k] ^= 0x01
                #expect(seen.insert(Hash64.hash(changed)).inserted, "size \(size), byte \(k)")
            }
        }
        let zeros = Set((0..<200).map { Hash64.hash([UInt8](repeating: 0, count: $0)) })
        #expect(zeros.count == 200)
        // Two lanes' words swapped.
        var swapped = [UInt8](repeating: 0, count: 64)
        swapped[0] = 1
        var other = [UInt8](repeating: 0, count: 64)
        other[8] = 1
        #expect(Hash64.hash(swapped) != Hash64.hash(other))
    }
}

extension HashTests {
    /// The cache's writer: a string is its length, then its UTF-8, and reads back as it was.
    @Test func aWrittenStringReadsBack() throws {
        let strings = ["", "a", "fifteen bytes!!", "sixteen bytes!!!", "café — “quoted”", String(repeating: "long text ", count: 40), "\u{0}\u{7F}"]
        var w = ByteWriter()
        for s in strings { w.string(s); w.optionalString(nil); w.optionalString(s) }
        #expect(w.bytes.prefix(2) == [0, 0])  // "": length 0, then nil
        var expectedCount = 0
        for s in strings { let n = s.utf8.count; expectedCount += 2 * (n + (n < 128 ? 1 : 2)) + 2 }
        #expect(w.bytes.count == expectedCount)
        // Read back: each string, nil's flag, the optional's flag and the string again.
        let read: [String]? = w.bytes.withUnsafeBytes { p in
            var r = ByteReader(p)
            var out: [String] = []
            do {
                for _ in strings {
                    out.append(try r.string())
                    out.append(String(try r.u8()))
                    out.append(String(try r.u8()))
                    out.append(try r.string())
                }
            } catch { return nil }
            return r.at == p.count ? out : nil
        }
        #expect(read == strings.flatMap { [$0, "0", "1", $0] })
    }
}
