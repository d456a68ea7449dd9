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
        var out: [String] = []
        var word: [UInt8] = []
        word.reserveCapacity(32)
        func flush() {
            defer { word.removeAll(keepingCapacity: true) }
            guard word.count > 1 else { return }
            // Every stopword is short: longer words need no lookup.
            if word.count <= longestStopword, stopwords.contains(String(decoding: word, as: UTF8.self)) { return }
            let (keep, y) = stemmed(word)
            var term = String(decoding: word[0..<keep], as: UTF8.self)
            if y { term += "y" }
            out.append(term)
        }
        // ASCII letters and digits make words (lowercased); bytes of other
        // scripts are kept as they are; everything else separates words.
        // "Putin's" → "putin" (the "s" is too short to count).
        var utf8 = text.utf8.makeIterator()
        var pendingNonASCII = false
        while let b = utf8.next() {
            switch b {
            case 0x41...0x5A: word.append(b + 32); pendingNonASCII = false
            case 0x61...0x7A, 0x30...0x39: word.append(b); pendingNonASCII = false
            case 0xC0...0xFF:
                // A multi-byte character: punctuation (’ “ — …, all E2 80 xx) separates, letters stay.
                if b == 0xE2 { pendingNonASCII = true; flush(); continue }
                word.append(b); pendingNonASCII = false
            case 0x80...0xBF:
                if pendingNonASCII { continue }
                word.append(b)
            default: flush(); pendingNonASCII = false
            }
        }
        flush()
        return out
    }

    /// Lowercased words, nothing dropped.
    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }
    }

    static let longestStopword = stopwords.map(\.utf8.count).max() ?? 0

    /// A light suffix stripper (plural, -ing, -ed, -ly) so that "talks",
    /// "talked" and "talking" count as one term. Not a full Porter stemmer: it
    /// only needs to be consistent.
    static func stem(_ w: String) -> String {
        let u = Array(w.utf8)
        let (keep, y) = stemmed(u)
        return keep == u.count && !y ? w : String(decoding: u[0..<keep], as: UTF8.self) + (y ? "y" : "")
    }

    /// The stem of the lowercased word `u`: how many of its bytes to keep,
    /// and whether a "y" follows them ("stories" → "story").
    static func stemmed(_ u: [UInt8]) -> (keep: Int, y: Bool) {
        let n = u.count
        guard n > 4, !u.contains(where: { $0 >= 0x80 }) else { return (n, false) }
        func ends(_ suffix: StaticString) -> Bool {
            let k = suffix.utf8CodeUnitCount
            guard k <= n else { return false }
            let p = suffix.utf8Start
            for i in 0..<k where u[n - k + i] != p[i] { return false }
            return true
        }
        if ends("ies"), n > 5 { return (n - 3, true) }
        if ends("sses") { return (n - 2, false) }
        if ends("ss") || ends("us") || ends("is") { return (n, false) }
        if ends("ing"), n > 6 { return (n - 3, false) }
        if ends("ed"), n > 5, !ends("eed") { return (n - 2, false) }
        if ends("ly"), n > 5 { return (n - 2, false) }
        if ends("es"), n > 5, ends("ches") || ends("shes") || ends("xes") || ends("zes") { return (n - 2, false) }
        if ends("s") { return (n - 1, false) }
        return (n, false)
    }
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
