/// Sentence and clause boundaries in English prose, over UTF-8 bytes.
///
/// Knows the usual traps: abbreviations ("U.S.", "Dr.", "Jan."), initials
/// ("John F. Kennedy"), decimals ("3.5"), ellipses, and closing quotes or
/// brackets after the final stop.
public enum Sentences {
    /// Abbreviations after which a period does not end a sentence when the next
    /// word could continue it. Lowercase, without the final period.
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "sgt", "capt", "cmdr",
        "adm", "maj", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "messrs",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "inc", "ltd", "co", "corp", "bros", "no", "nos", "vol", "vols", "pp", "p", "fig", "figs", "ch", "sec",
        "approx", "est", "dept", "univ", "assn", "ave", "blvd", "rd", "vs", "v", "etc", "al", "cf", "ca",
        "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "d.c", "n.y", "l.a", "ph.d", "b.c", "a.d",
    ]

    /// Abbreviations that often end a sentence as well ("... in the U.S. The next day").
    static let sentenceFinalAbbreviations: Set<String> = ["etc", "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "b.c", "a.d", "inc", "ltd", "co", "corp", "al"]

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { isUpper(b) || isLower(b) || b >= 0x80 }

    /// Closing quotes and brackets that may follow a sentence's final stop.
    static func closerLength(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        guard i < t.count else { return 0 }
        let b = t[i]
        if b == 0x22 || b == 0x27 || b == 0x29 || b == 0x5D { return 1 }
        // ” ’ (E2 80 9D, E2 80 99) and » (C2 BB)
        if b == 0xE2, i + 2 < t.count, t[i + 1] == 0x80, t[i + 2] == 0x9D || t[i + 2] == 0x99 { return 3 }
        if b == 0xC2, i + 1 < t.count, t[i + 1] == 0xBB { return 2 }
        return 0
    }

    /// Opening quotes and brackets that may start a sentence.
    static func openerLength(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        guard i < t.count else { return 0 }
        let b = t[i]
        if b == 0x22 || b == 0x27 || b == 0x28 || b == 0x5B { return 1 }
        if b == 0xE2, i + 2 < t.count, t[i + 1] == 0x80, t[i + 2] == 0x9C || t[i + 2] == 0x98 { return 3 }
        if b == 0xC2, i + 1 < t.count, t[i + 1] == 0xAB { return 2 }
        return 0
    }

    /// Byte ranges of the sentences in `text`, trimmed of surrounding white space.
    public static func split(_ text: [UInt8]) -> [Range<Int>] {
        text.withUnsafeBufferPointer { split($0) }
    }

    public static func split(_ t: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let n = t.count
        // A sentence of prose is a hundred bytes or more: room for most blocks' at once.
        out.reserveCapacity(n / 64 + 2)
        var start = 0
        var i = 0
        func emit(_ end: Int) {
            var s = start, e = end
            while s < e, isSpace(t[s]) { s += 1 }
            while e > s, isSpace(t[e - 1]) { e -= 1 }
            if s < e { out.append(s..<e) }
            start = end
        }
        let raw = UnsafeRawPointer(t.baseAddress)
        while i < n {
            // Eight bytes at a time past those that cannot end a sentence.
            if let raw {
                while i + 8 <= n, !mayStop(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                guard i < n else { break }
            }
            let b = t[i]
            let isStop: Bool
            var stopEnd = i + 1
            if b == 0x2E || b == 0x21 || b == 0x3F {
                isStop = true
                while stopEnd < n, t[stopEnd] == 0x2E || t[stopEnd] == 0x21 || t[stopEnd] == 0x3F { stopEnd += 1 }
            } else if b == 0xE2, i + 2 < n, t[i + 1] == 0x80, t[i + 2] == 0xA6 {  // …
                isStop = true
                stopEnd = i + 3
            } else {
                isStop = false
            }
            guard isStop else { i += 1; continue }
            var j = stopEnd
            while case let c = closerLength(t, j), c > 0 { j += c }
            // A sentence ends only where white space follows.
            guard j >= n || isSpace(t[j]) else { i = stopEnd; continue }
            var k = j
            while k < n, isSpace(t[k]) { k += 1 }
            if k >= n { emit(n); break }
            if b == 0x2E && stopEnd == i + 1 && !endsSentence(t, period: i, next: k) { i = k; continue }
            // After "...", only a capital starts a new sentence.
            var m = k
            while case let o = openerLength(t, m), o > 0 { m += o }
            if m < n, isLower(t[m]) { i = k; continue }
            emit(j)
            i = k
        }
        if start < n { emit(n) }
        return out
    }

    /// Whether any of the eight bytes of `w` is ".", "!", "?" or E2 (which
    /// starts "…"): exact, each test the bit trick for "has a zero byte".
    @inline(__always)
    static func mayStop(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return (hasZero(w ^ (ones &* 0x2E)) | hasZero(w ^ (ones &* 0x21)) | hasZero(w ^ (ones &* 0x3F)) | hasZero(w ^ (ones &* 0xE2))) != 0
    }

    /// Whether the period at `period` ends a sentence, given the next word starts at `next`.
    static func endsSentence(_ t: UnsafeBufferPointer<UInt8>, period: Int, next: Int) -> Bool {
        // The word before the period, back to white space or an opening bracket/quote.
        var s = period
        while s > 0, !isSpace(t[s - 1]), t[s - 1] != 0x28, t[s - 1] != 0x22 { s -= 1 }
        let word = t[s..<period]
        var nextStart = next
        while case let o = openerLength(t, nextStart), o > 0 { nextStart += o }
        let nextByte = nextStart < t.count ? t[nextStart] : 0
        // Decimals and numbered things do not contain a space, so a digit right
        // before is a number at the end of a sentence ("in 1945. Then").
        if word.isEmpty { return true }
        // A single capital letter: an initial ("John F. Kennedy"), unless a
        // common sentence opener follows ("a Plan B. The first plan failed").
        if word.count == 1, isUpper(word.first!) { return isUpper(nextByte) && startsWithSentenceWord(t, nextStart) }
        // Lowercase what follows the last opening punctuation.
        // The key is made from bytes (ASCII only, lowercased), not scalar by scalar.
        var key = PackedWordSet.Key()
        for c in word where c < 0x80 { key.append(isUpper(c) ? c + 32 : c) }
        if abbreviationKeys.contains(key) {
            // "in the U.S. The next day": a capitalized common word after a
            // sentence-final abbreviation starts a new sentence.
            if sentenceFinalKeys.contains(key), isUpper(nextByte) {
                return startsWithSentenceWord(t, nextStart)
            }
            return false
        }
        // Dotted acronyms like "U.S.A" or "N.A.T.O".
        if word.count >= 3, word.count % 2 == 1 {
            var dotted = true
            for (k, c) in word.enumerated() where (k % 2 == 0 && !isUpper(c)) || (k % 2 == 1 && c != 0x2E) { dotted = false; break }
            if dotted { return isUpper(nextByte) && startsWithSentenceWord(t, nextStart) }
        }
        return isUpper(nextByte) || isDigit(nextByte) || nextByte >= 0x80 || nextByte == 0x2A || nextByte == 0x5F
    }

    /// Words that commonly start sentences; after an abbreviation like "U.S.",
    /// one of these means a new sentence rather than a name ("U.S. Army").
    static let sentenceStarters: Set<String> = [
        "the", "a", "an", "it", "he", "she", "they", "we", "i", "you", "this", "that", "these", "those", "there",
        "in", "on", "at", "but", "and", "or", "so", "yet", "then", "when", "while", "after", "before", "during",
        "his", "her", "its", "their", "our", "my", "as", "if", "however", "meanwhile", "later", "since", "by", "for",
        "with", "from", "to", "no", "not", "what", "who", "why", "how", "one", "two", "some", "many", "most", "all",
    ]

    static func startsWithSentenceWord(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        var j = i
        var key = PackedWordSet.Key()
        while j < t.count, isLetter(t[j]), t[j] < 0x80 {
            let c = t[j]
            key.append(isUpper(c) ? c + 32 : c)
            j += 1
        }
        return sentenceStarterKeys.contains(key)  // every starter is shorter than 16 bytes
    }

    static let abbreviationKeys = PackedWordSet(abbreviations)
    static let sentenceFinalKeys = PackedWordSet(sentenceFinalAbbreviations)
    static let sentenceStarterKeys = PackedWordSet(sentenceStarters)
}
