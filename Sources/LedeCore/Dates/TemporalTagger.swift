// PLACEHOLDER until the real tagger lands from the `tagger` branch: finds
// "Month YYYY", "Month D, YYYY", "D Month YYYY", ISO dates and years after
// in/the/of/since. Only for developing the annotator against the API.
public struct TemporalTagger {
    let reference: DateTime?
    public init(referenceDate: DateTime?, genre: DocumentGenre?) { reference = referenceDate }

    public mutating func tag(_ text: String) -> [TemporalExpression] {
        Array(text.utf8).withUnsafeBufferPointer { tag($0) }
    }

    public mutating func tag(_ t: UnsafeBufferPointer<UInt8>) -> [TemporalExpression] {
        var out: [TemporalExpression] = []
        let words = tokenize(t)
        var i = 0
        func num(_ w: (Range<Int>, String)) -> Int? { w.1.allSatisfy(\.isNumber) ? Int(w.1) : nil }
        while i < words.count {
            let (r, w) = words[i]
            if let m = DateTime.monthNames.firstIndex(of: w) {
                if i + 1 < words.count, let d = num(words[i + 1]), d <= 31, i + 2 < words.count, let y = num(words[i + 2]), words[i + 2].1.count == 4 {
                    out.append(.init(start: r.lowerBound, end: words[i + 2].0.upperBound, type: .date, value: String(format4(y)) + "-" + pad(m + 1) + "-" + pad(d)))
                    i += 3; continue
                }
                if i + 1 < words.count, let y = num(words[i + 1]), words[i + 1].1.count == 4 {
                    out.append(.init(start: r.lowerBound, end: words[i + 1].0.upperBound, type: .date, value: format4(y) + "-" + pad(m + 1)))
                    i += 2; continue
                }
            }
            if let d = num(words[i]), d <= 31, i + 2 < words.count, let m = DateTime.monthNames.firstIndex(of: words[i + 1].1), let y = num(words[i + 2]), words[i + 2].1.count == 4 {
                out.append(.init(start: r.lowerBound, end: words[i + 2].0.upperBound, type: .date, value: format4(y) + "-" + pad(m + 1) + "-" + pad(d)))
                i += 3; continue
            }
            if w.count == 4, let y = num(words[i]), y > 1000, y < 2100, i > 0, ["in", "the", "of", "since", "In", "The"].contains(words[i - 1].1) {
                out.append(.init(start: r.lowerBound, end: r.upperBound, type: .date, value: format4(y)))
            }
            i += 1
        }
        return out
    }

    func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    func format4(_ v: Int) -> String { String(v) }

    func tokenize(_ t: UnsafeBufferPointer<UInt8>) -> [(Range<Int>, String)] {
        var out: [(Range<Int>, String)] = []
        var i = 0
        while i < t.count {
            let b = t[i]
            let isWord = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if !isWord { i += 1; continue }
            let s = i
            while i < t.count, (t[i] >= 0x30 && t[i] <= 0x39) || (t[i] >= 0x41 && t[i] <= 0x5A) || (t[i] >= 0x61 && t[i] <= 0x7A) { i += 1 }
            out.append((s..<i, String(decoding: UnsafeBufferPointer(rebasing: t[s..<i]), as: UTF8.self)))
        }
        return out
    }
}
