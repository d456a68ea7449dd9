import Foundation

/// Words as a bag of content terms: lowercased, stopwords dropped, lightly
/// stemmed, for comparing sentences (automatic takeaways) and articles
/// (related explainers). English only, no dictionaries or models.
public enum Terms {
    /// Function words and reporting verbs that say nothing about a topic.
    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as",
        "into", "onto", "over", "under", "about", "after", "before", "during", "between", "through", "since", "until",
        "than", "that", "this", "these", "those", "there", "here", "it", "its", "he", "she", "they", "them", "his",
        "her", "hers", "their", "theirs", "we", "us", "our", "you", "your", "i", "me", "my", "mine", "him", "was",
        "were", "is", "are", "be", "been", "being", "am", "had", "has", "have", "having", "do", "did", "does", "doing",
        "done", "not", "no", "so", "such", "which", "who", "whom", "whose", "what", "when", "where", "why", "how",
        "also", "then", "more", "most", "very", "just", "only", "all", "any", "some", "each", "every", "both", "few",
        "many", "much", "other", "others", "another", "own", "same", "s", "t", "would", "could", "should", "will",
        "shall", "can", "may", "might", "must", "up", "out", "off", "down", "again", "further", "once", "if", "because",
        "while", "though", "although", "whether", "yet", "still", "even", "too", "now", "ever", "never", "always",
        "often", "already", "however", "itself", "himself", "herself", "themselves", "ourselves", "yourself", "one",
        "ones", "said", "says", "say", "saying", "told", "tell", "according", "mr", "mrs", "ms", "dr", "like", "get",
        "got", "make", "made", "way", "well", "back", "around", "among", "against", "without", "within", "upon",
        "per", "via", "de", "la", "le", "don", "didn", "doesn", "isn", "wasn", "aren", "weren", "won", "ll", "ve",
        "re", "d", "m",
    ]

    /// Lowercased ASCII words (letters and digits; apostrophes dropped) of a
    /// text, with stopwords and one-letter words left out, lightly stemmed.
    public static func of(_ text: String) -> [String] {
        struct Collect: TermSink {
            var out: [String] = []
            mutating func term(_ word: UnsafeBufferPointer<UInt8>, keep: Int, y: Bool) {
                var term = String(decoding: UnsafeBufferPointer(rebasing: word[0..<keep]), as: UTF8.self)
                if y { term += "y" }
                out.append(term)
            }
        }
        var sink = Collect()
        text.withUTF8Bytes { scan($0, into: &sink) }
        return sink.out
    }

    /// The terms of valid UTF-8 text, as `of` finds them, without making
    /// Strings: `sink` gets each word’s lowercased bytes, how many of them the
    /// stem keeps, and whether a "y" follows the kept bytes.
    ///
    /// ASCII letters and digits make words (lowercased); bytes of other
    /// scripts are kept as they are; everything else separates words, and so
    /// do the characters that start with E2 (punctuation: ’ “ — …), which are
    /// skipped whole. "Putin's" → "putin" (the "s" is too short to count).
    /// So a word is always one run of the text's bytes.
    static func scan<Sink: TermSink>(_ t: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        let keys = stopwordKeys
        let longest = longestStopword
        let n = t.count
        // Words with capitals are lowercased here (a word is never longer than the text).
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(n, 1))
        defer { scratch.deallocate() }
        var i = 0
        while i < n {
            let b = t[i]
            if b == 0xE2 {
                i += 1
                while i < n, t[i] & 0xC0 == 0x80 { i += 1 }
                continue
            }
            guard isWordByte(b) else { i += 1; continue }
            let start = i
            var upper = false, nonASCII = false
            while i < n {
                let c = t[i]
                if c >= 0x80 {
                    if c == 0xE2 { break }
                    nonASCII = true
                } else if c >= 0x61 && c <= 0x7A || c >= 0x30 && c <= 0x39 {
                } else if c >= 0x41 && c <= 0x5A {
                    upper = true
                } else {
                    break
                }
                i += 1
            }
            let count = i - start
            guard count > 1 else { continue }
            let word: UnsafeBufferPointer<UInt8>
            if upper {
                for k in 0..<count {
                    let c = t[start + k]
                    scratch[k] = c >= 0x41 && c <= 0x5A ? c + 32 : c
                }
                word = UnsafeBufferPointer(rebasing: scratch[0..<count])
            } else {
                word = UnsafeBufferPointer(rebasing: t[start..<i])
            }
            // Every stopword is short: longer words need no lookup.
            if count <= longest {
                if !nonASCII {
                    if keys.contains(word) { continue }
                } else if stopwords.contains(String(decoding: word, as: UTF8.self)) {
                    continue
                }
            }
            let (keep, y) = nonASCII ? (count, false) : stemmed(word)
            sink.term(word, keep: keep, y: y)
        }
    }

    /// Bytes that start or continue a word: ASCII letters and digits, and all
    /// bytes of characters outside ASCII except those that start with E2.
    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        if b >= 0x80 { return b != 0xE2 }
        return b >= 0x61 && b <= 0x7A || b >= 0x30 && b <= 0x39 || b >= 0x41 && b <= 0x5A
    }

    /// The stopwords as packed keys, for looking up ASCII words without Strings.
    static let stopwordKeys = PackedWordSet(stopwords)

    /// Lowercased words, nothing dropped.
    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }
    }

    static let longestStopword = stopwords.map(\.utf8.count).max() ?? 0

    /// A light suffix stripper (plural, -ing, -ed, -ly) so that "talks",
    /// "talked" and "talking" count as one term. Not a full Porter stemmer: it
    /// only needs to be consistent. The stem of the lowercased ASCII word `u`:
    /// how many of its bytes to keep, and whether a "y" follows them
    /// ("stories" → "story").
    @inline(__always)
    static func stemmed(_ u: UnsafeBufferPointer<UInt8>) -> (keep: Int, y: Bool) {
        let n = u.count
        guard n > 4 else { return (n, false) }
        let last = u[n - 1], second = u[n - 2]
        func ends(_ suffix: StaticString) -> Bool {
            let k = suffix.utf8CodeUnitCount
            guard k <= n else { return false }
            let p = suffix.utf8Start
            for i in 0..<k where u[n - k + i] != p[i] { return false }
            return true
        }
        // Every suffix tested ends in "s", "g", "d" or "y".
        switch last {
        case 0x73:  // s
            if ends("ies"), n > 5 { return (n - 3, true) }
            if ends("sses") { return (n - 2, false) }
            if second == 0x73 || second == 0x75 || second == 0x69 { return (n, false) }  // ss, us, is
            if ends("es"), n > 5, ends("ches") || ends("shes") || ends("xes") || ends("zes") { return (n - 2, false) }
            return (n - 1, false)
        case 0x67:  // g
            if ends("ing"), n > 6 { return (n - 3, false) }
        case 0x64:  // d
            if second == 0x65, n > 5, u[n - 3] != 0x65 { return (n - 2, false) }  // ed, not eed
        case 0x79:  // y
            if second == 0x6C, n > 5 { return (n - 2, false) }  // ly
        default: break
        }
        return (n, false)
    }
}

/// What `Terms.scan` gives each term to: the word's lowercased bytes, how
/// many of them the stem keeps, and whether a "y" follows the kept bytes.
protocol TermSink {
    mutating func term(_ word: UnsafeBufferPointer<UInt8>, keep: Int, y: Bool)
}

/// A set of short words (up to 15 bytes), looked up by their bytes without
/// making Strings or hashing with SipHash: each word packs into one integer,
/// its bytes and its length.
struct PackedWordSet: Sendable {
    private var keys: [UInt128]
    private let mask: Int

    init<S: Sequence>(_ words: S) where S.Element == String {
        let list = words.map { Array($0.utf8) }.filter { $0.count <= 15 }
        var size = 16
        while size < list.count * 4 { size *= 2 }
        mask = size - 1
        keys = Array(repeating: 0, count: size)
        for w in list {
            let key = w.withUnsafeBufferPointer { Key($0).packed }
            var i = Self.slot(key) & mask
            while keys[i] != 0, keys[i] != key { i = (i + 1) & mask }
            keys[i] = key
        }
    }

    /// A word's key, built a byte at a time (for a word read out of a longer
    /// text and lowercased on the way). A word of more than 15 bytes is in
    /// no set.
    struct Key {
        fileprivate var bits: UInt128 = 0
        private(set) var count = 0

        init() {}

        /// The key of a whole word: its first 15 bytes, byte k at bits 8k (as
        /// `append` puts them), gathered in two 64-bit halves. (Copying the
        /// bytes into the key's memory called memcpy for every word and then
        /// read the 16 bytes back as one, a load the CPU cannot forward from
        /// the byte stores: it stalled.)
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            let n = min(bytes.count, 15)
            var lo: UInt64 = 0, hi: UInt64 = 0
            for k in 0..<min(n, 8) { lo |= UInt64(bytes[k]) << (8 * k) }
            if n > 8 {
                for k in 8..<n { hi |= UInt64(bytes[k]) << (8 * (k - 8)) }
            }
            bits = UInt128(hi) << 64 | UInt128(lo)
            count = bytes.count
        }

        @inline(__always)
        mutating func append(_ b: UInt8) {
            if count < 15 { bits |= UInt128(b) << (8 * count) }
            count += 1
        }

        /// The bytes and, in the top byte, the length: never 0 (only for count <= 15).
        @inline(__always)
        fileprivate var packed: UInt128 { bits | UInt128(count) << 120 | 1 << 127 }
    }

    @inline(__always)
    static func slot(_ key: UInt128) -> Int {
        let lo = UInt64(truncatingIfNeeded: key), hi = UInt64(truncatingIfNeeded: key >> 64)
        let h = (lo &* 0x9E37_79B9_7F4A_7C15) ^ (hi &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: h >> 40)
    }

    /// Whether the bytes are one of the words.
    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= 15 else { return false }
        return contains(Key(bytes))
    }

    /// Whether the word `key` was built from is one of the words.
    @inline(__always)
    func contains(_ word: Key) -> Bool {
        guard word.count <= 15 else { return false }
        let key = word.packed
        var i = Self.slot(key) & mask
        while true {
            let k = keys[i]
            if k == key { return true }
            if k == 0 { return false }
            i = (i + 1) & mask
        }
    }

    func contains(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { contains($0) } }
}

/// A sparse term vector with unit length.
struct TermVector {
    var weights: [String: Double]

    init(_ weights: [String: Double]) {
        let norm = weights.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        self.weights = norm > 0 ? weights.mapValues { $0 / norm } : [:]
    }

    /// Cosine similarity with another unit vector.
    func cosine(_ other: TermVector) -> Double {
        let (small, large) = weights.count <= other.weights.count ? (weights, other.weights) : (other.weights, weights)
        var sum = 0.0
        for (term, w) in small { if let v = large[term] { sum += w * v } }
        return sum
    }

    /// TF-IDF vectors of a list of documents (here: sentences), with the
    /// inverse document frequency taken over the list itself.
    static func tfidf(_ docs: [[String]]) -> [TermVector] {
        var df: [String: Int] = [:]
        for d in docs { for t in Set(d) { df[t, default: 0] += 1 } }
        let n = Double(docs.count)
        return docs.map { d in
            var tf: [String: Int] = [:]
            for t in d { tf[t, default: 0] += 1 }
            var w: [String: Double] = [:]
            for (t, c) in tf {
                let idf = ((n + 1) / (Double(df[t] ?? 1) + 0.5)).lnValue
                w[t] = (1 + Double(c).lnValue) * idf
            }
            return TermVector(w)
        }
    }
}

extension Double {
    var lnValue: Double { Foundation.log(self) }
}
