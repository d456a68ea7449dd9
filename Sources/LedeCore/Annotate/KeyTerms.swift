/// The words that say what an article is about, found while the article is
/// annotated, so that the site can relate articles without keeping their text.
public enum KeyTerms {
    /// How many terms an article keeps.
    static let count = 24

    /// Content terms (see `Terms`) ranked by how often the article uses them;
    /// the title's words count three times more. A term must occur twice, or be
    /// in the title. Ties go alphabetically, so the result is deterministic.
    public static func of(title: String, blocks: [String]) -> [String] {
        var counter = TermCounter()
        for block in blocks {
            block.withUTF8Bytes { counter.add(text: $0) }
        }
        return counter.keyTerms(title: title)
    }

    /// `of(title:blocks:)` for blocks given as UTF-8 bytes (as `ProseText`
    /// keeps them); the annotator's entry point. Bytes that are not valid
    /// UTF-8 are read as the String made from them would be.
    public static func of(title: String, utf8 blocks: [[UInt8]]) -> [String] {
        var counter = TermCounter()
        for block in blocks {
            block.withUnsafeBufferPointer { p in
                if UTF8Check.firstInvalidByte(p) == nil {
                    counter.add(text: p)
                } else {
                    var repaired = String(decoding: p, as: UTF8.self)
                    repaired.withUTF8 { counter.add(text: $0) }
                }
            }
        }
        return counter.keyTerms(title: title)
    }

    static func rank(_ frequency: [String: Int], titleTerms: Set<String>) -> [String] {
        frequency.filter { $0.value >= 2 || titleTerms.contains($0.key) }
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .prefix(count).map(\.key)
    }
}

/// Counts terms by their bytes in one open-addressing table, making a String
/// only for the terms that are kept.
struct TermCounter: TermSink {
    struct Entry {
        var start: Int32
        var length: Int32
        var count: Int32
        var hash: UInt32
        var isASCII: Bool
    }

    /// The bytes of every distinct term, one after another.
    var arena: [UInt8] = []
    var entries: [Entry] = []
    /// Index into `entries` + 1, or 0 for an empty slot.
    var slots: [Int32] = Array(repeating: 0, count: 1024)

    init() {
        arena.reserveCapacity(8192)
        entries.reserveCapacity(512)
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, y: Bool) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in bytes { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        if y { h = (h ^ 0x79) &* 0x0100_0193 }
        return h
    }

    /// Adds the terms of valid UTF-8 text, numbers left out.
    mutating func add(text: UnsafeBufferPointer<UInt8>) {
        Terms.scan(text, into: &self)
    }

    mutating func term(_ word: UnsafeBufferPointer<UInt8>, keep: Int, y: Bool) {
        let stem = UnsafeBufferPointer(rebasing: word[0..<keep])
        if !y, stem.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return }
        add(stem, y: y, by: 1)
    }

    /// Adds `by` to the term `stem` (+ "y"); returns its entry.
    @discardableResult
    mutating func add(_ stem: UnsafeBufferPointer<UInt8>, y: Bool, by: Int32) -> Int {
        let h = Self.hash(stem, y: y)
        let length = stem.count + (y ? 1 : 0)
        var mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let e = Int(slots[i])
            if e == 0 { break }
            let entry = entries[e - 1]
            if entry.hash == h, Int(entry.length) == length, equal(entry, stem, y: y) {
                entries[e - 1].count += by
                return e - 1
            }
            i = (i + 1) & mask
        }
        let start = arena.count
        arena.append(contentsOf: stem)
        if y { arena.append(0x79) }
        let ascii = !stem.contains(where: { $0 >= 0x80 })
        entries.append(Entry(start: Int32(start), length: Int32(length), count: by, hash: h, isASCII: ascii))
        slots[i] = Int32(entries.count)
        if entries.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            mask = slots.count - 1
            for (k, entry) in entries.enumerated() {
                var j = Int(entry.hash) & mask
                while slots[j] != 0 { j = (j + 1) & mask }
                slots[j] = Int32(k + 1)
            }
        }
        return entries.count - 1
    }

    @inline(__always)
    private func equal(_ entry: Entry, _ stem: UnsafeBufferPointer<UInt8>, y: Bool) -> Bool {
        let start = Int(entry.start)
        for k in 0..<stem.count where arena[start + k] != stem[k] { return false }
        return !y || arena[start + stem.count] == 0x79
    }

    func string(_ entry: Entry) -> String {
        arena.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(entry.start)..<Int(entry.start + entry.length)]), as: UTF8.self)
        }
    }

    /// Compares two entries' bytes (for ASCII terms, the order of their Strings).
    func less(_ a: Entry, _ b: Entry) -> Bool {
        let n = min(a.length, b.length)
        for k in 0..<Int(n) {
            let x = arena[Int(a.start) + k], y = arena[Int(b.start) + k]
            if x != y { return x < y }
        }
        return a.length < b.length
    }

    /// `KeyTerms.of`: the title's terms count three more, then the ranking.
    mutating func keyTerms(title: String) -> [String] {
        let titleTerms = Terms.of(title)
        let titleSet = Set(titleTerms)
        var titleEntries = Set<Int>()
        for t in titleSet {
            _ = t.withUTF8Bytes { p in
                // The term's bytes are its stem: "y" is a byte like any other here.
                titleEntries.insert(p.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? -1 : add(p, y: false, by: 3))
            }
        }
        titleEntries.remove(-1)
        // Terms of ASCII bytes are equal Strings exactly when their bytes are,
        // and order as their bytes do. A term with other bytes is never equal
        // to an ASCII one (no character outside ASCII is canonically
        // equivalent to a letter or digit), but two byte-different ones may be
        // equal Strings ("é" and "e" + U+0301): those are merged as Strings,
        // and compared as Strings.
        // Candidates as (count, ref): ref >= 0 is an ASCII entry, ref < 0 the
        // merged term otherTerms[-ref - 1].
        var kept: [(count: Int, ref: Int)] = []
        var other: [String: Int] = [:]
        for (k, e) in entries.enumerated() {
            if e.isASCII {
                if e.count >= 2 || titleEntries.contains(k) { kept.append((Int(e.count), k)) }
            } else {
                other[string(e), default: 0] += Int(e.count)
            }
        }
        var otherTerms: [String] = []
        for (term, n) in other where n >= 2 || titleSet.contains(term) {
            otherTerms.append(term)
            kept.append((n, -otherTerms.count))
        }
        // Only the first `count` are kept: those with fewer uses than the
        // count-th most used need no sorting.
        if kept.count > KeyTerms.count {
            // The count-th largest count, read off how many terms have each
            // count, rather than from all the counts sorted.
            var histogram = [Int](repeating: 0, count: (kept.map(\.count).max() ?? 0) + 1)
            for k in kept { histogram[k.count] += 1 }
            var least = histogram.count - 1
            var atLeast = histogram[least]  // terms used `least` times or more
            while atLeast < KeyTerms.count {
                least -= 1
                atLeast += histogram[least]
            }
            kept.removeAll { $0.count < least }
        }
        func text(_ ref: Int) -> String { ref >= 0 ? string(entries[ref]) : otherTerms[-ref - 1] }
        kept.sort { a, b in
            if a.count != b.count { return a.count > b.count }
            if a.ref >= 0, b.ref >= 0 { return less(entries[a.ref], entries[b.ref]) }
            return text(a.ref) < text(b.ref)
        }
        return kept.prefix(KeyTerms.count).map { text($0.ref) }
    }
}
