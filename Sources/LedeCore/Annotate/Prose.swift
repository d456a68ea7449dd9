import CCmark
#if canImport(Glibc)
import Glibc
#endif

/// The text a reader sees in one block (a paragraph or heading), as UTF-8 bytes,
/// with a map from text offsets back to the block's inline nodes.
///
/// Raw HTML and images are left out, line breaks become spaces, and link text
/// is kept without its destination. Code spans are kept in `bytes` (what a
/// reader sees) but blanked in `prose` (what is read for dates), so both have
/// the same offsets.
struct ProseText {
    var bytes: [UInt8] = []
    /// `bytes` with code spans replaced by spaces.
    var prose: [UInt8] = []
    /// The block's direct inline children and the text range each produced.
    var pieces: [(node: MarkdownNode, range: Range<Int>)] = []

    /// Code spans' ranges in `bytes`, blanked in `prose` at the end.
    private var codeSpans: [Range<Int>] = []

    init(block: MarkdownNode) {
        // Most blocks are a paragraph of a few hundred bytes: one allocation
        // instead of a doubling for every few literals.
        bytes.reserveCapacity(256)
        // And a dozen inlines (text, emphasis, links, line breaks).
        pieces.reserveCapacity(12)
        for child in block.children {
            let start = bytes.count
            append(child)
            pieces.append((child, start..<bytes.count))
        }
        // `prose` shares `bytes`' storage (arrays copy on write): most blocks
        // have no code span, and then it is never copied.
        prose = bytes
        for span in codeSpans {
            for i in span { prose[i] = 0x20 }
        }
    }

    /// Walks the inline's subtree with cmark's iterator rather than recursion:
    /// emphasis can nest tens of thousands deep. (On cmark's nodes directly,
    /// as `MarkdownNode.walk` would visit them, without a handle per node.)
    private mutating func append(_ node: MarkdownNode) {
        // Most inlines of a block are plain text, a leaf: no iterator for it.
        if cmark_node_get_type(node.pointer) == CMARK_NODE_TEXT {
            appendText(node.pointer)
            return
        }
        let iter = cmark_iter_new(node.pointer)
        defer { cmark_iter_free(iter) }
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { return }
            guard ev == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) else { continue }
            switch cmark_node_get_type(n) {
            case CMARK_NODE_TEXT:
                appendText(n)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                bytes.append(0x20)
            case CMARK_NODE_CODE:
                if let literal = Self.literal(n) {
                    let start = bytes.count
                    bytes.append(contentsOf: literal)
                    codeSpans.append(start..<bytes.count)
                }
            case CMARK_NODE_IMAGE:
                // Skip its children (alt text), as the walk's .skipChildren does.
                cmark_iter_reset(iter, n, CMARK_EVENT_EXIT)
            default:
                break
            }
        }
    }

    private mutating func appendText(_ n: OpaquePointer) {
        if let literal = Self.literal(n) { bytes.append(contentsOf: literal) }
    }

    /// A node's literal as typed bytes (appending raw bytes went one at a time).
    private static func literal(_ n: OpaquePointer) -> UnsafeBufferPointer<UInt8>? {
        guard let p = cmark_node_get_literal(n) else { return nil }
        return UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
}

/// Picks the part of a sentence that a date belongs to, so that a timeline
/// entry reads on its own without a whole run-on sentence.
enum Clause {
    /// Words that start a subordinate clause after a comma: a date before them
    /// belongs to the main clause, which ends there; a date after them needs the
    /// main clause too.
    static let subordinators: [String] = [
        ", which ", ", who ", ", whose ", ", where ",  // the relative pronouns first (see `relatives`)
        ", while ", ", whereas ", ", although ", ", though ", ", after which ",
        ", when ", ", as ", ", before ", ", after ", ", because ", ", prompting ", ", leading ",
    ]
    /// How many of `subordinators` start a relative clause, about the noun before them.
    static let relatives = 4
    /// Words that join two clauses that can each stand alone.
    static let coordinators: [String] = [", but ", ", and then ", ", so ", ", yet "]

    /// At most this many bytes of a "sentence" are read on each side of a date:
    /// text without full stops (a list pasted as one line) is not one sentence,
    /// and reading all of it for every date would make long lines quadratic.
    static let reach = 600

    /// `sentence` cut to `reach` bytes around `span`, at spaces.
    static func window(_ sentence: Range<Int>, around span: Range<Int>, in text: [UInt8]) -> Range<Int> {
        var lo = sentence.lowerBound, hi = sentence.upperBound
        if span.lowerBound - lo > reach {
            lo = span.lowerBound - reach
            while lo < span.lowerBound, !Sentences.isSpace(text[lo]) { lo += 1 }
        }
        if hi - span.upperBound > reach {
            hi = span.upperBound + reach
            while hi > span.upperBound, !Sentences.isSpace(text[hi - 1]) { hi -= 1 }
        }
        return lo..<hi
    }

    /// The first word at or after `i` (before `end`, past spaces and a comma)
    /// is an auxiliary verb that opens a predicate ("were cheered", "had left").
    static func auxiliaryAt(_ text: UnsafeBufferPointer<UInt8>, _ i: Int, before end: Int) -> Bool {
        var k = i
        while k < end, text[k] == 0x20 || text[k] == 0x2C { k += 1 }
        var e = k
        while e < end, text[e] >= 0x61, text[e] <= 0x7A { e += 1 }
        guard e > k, e == end || !(text[e] >= 0x41 && text[e] <= 0x5A) else { return false }
        let word = UnsafeBufferPointer(rebasing: text[k..<e])
        return auxiliaries.contains { $0.elementsEqual(word) }
    }
    static let auxiliaries = ["was", "were", "had", "has", "have", "is", "are", "did", "would", "could", "will"].map { Array($0.utf8) }

    /// Where the phrase before a relative clause starting at `r.upperBound`
    /// (", which ...") begins: after the comma before it, when that phrase
    /// is a short noun phrase of one to eight words ("a direct link, the
    /// “hotline”, which ..." → "the “hotline”"). Nil without such a comma.
    static func antecedent(_ text: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        var j = r.upperBound - 1
        while j > r.lowerBound {
            if text[j - 1] == 0x2C, text[j] == 0x20 {
                let words = wordCount(text, (j + 1)..<r.upperBound)
                return words >= 1 && words <= 8 ? j + 1 : nil
            }
            j -= 1
        }
        return nil
    }

    static let subordinatorBytes = subordinators.map { Array($0.utf8) }
    static let andBytes = Array(", and ".utf8)
    static let coordinatorBytes = coordinators.map { Array($0.utf8) }

    /// Discourse openers dropped from the start of an extracted clause.
    static let openers: [String] = [
        "however, ", "meanwhile, ", "moreover, ", "furthermore, ", "in addition, ", "still, ", "yet, ",
        "and ", "but ", "so ", "then, ", "indeed, ", "instead, ", "nevertheless, ", "nonetheless, ",
        "first, ", "second, ", "third, ", "finally, ", "later, ", "eventually, ", "ultimately, ",
    ]

    /// The clause of `sentence` (byte range of `text`) that contains `date`.
    /// `others` are the other dates of the same sentence: a sentence that tells
    /// two dated events ("X happened in 1918, and Y in 1938") is cut between them.
    static func around(_ date: Range<Int>, in sentence: Range<Int>, of text: [UInt8], others: [Range<Int>] = [],
                       maxWords: Int = 32) -> String {
        // Read through a pointer below, which checks no bounds.
        precondition(sentence.lowerBound >= 0 && sentence.upperBound <= text.count)
        var lo = sentence.lowerBound, hi = sentence.upperBound
        var prefix = "", suffix = ""
        // The word lists read once, and the bytes where they are: looked up
        // at every byte, the lists cost a call and a retain and release each.
        let coordinators = coordinatorBytes, subordinators = subordinatorBytes, and = andBytes
        text.withUnsafeBufferPointer { text in
            func matches(_ at: Int, _ word: [UInt8]) -> Bool {
                guard at + word.count <= hi else { return false }
                for k in 0..<word.count {
                    var c = text[at + k]
                    if c >= 0x41 && c <= 0x5A { c += 32 }
                    if c != word[k] { return false }
                }
                return true
            }
            // Boundaries: ";", ": " followed by several words, " — " pairs, and comma + joiner.
            var i = sentence.lowerBound
            while i < sentence.upperBound {
                let b = text[i]
                // Every boundary starts with one of these three bytes.
                guard b == 0x3B || b == 0x3A || b == 0x2C else { i += 1; continue }
                var cutBefore: Int?  // the clause before ends here
                var cutAfter: Int?   // the clause after starts here (nil: it cannot stand alone)
                var relative = false // the clause after is a relative clause (", which ...")
                if b == 0x3B { cutBefore = i; cutAfter = i + 1 }
                else if b == 0x3A, i + 1 < hi, text[i + 1] == 0x20 { cutBefore = i; cutAfter = i + 2 }
                else if b == 0x2C {
                    if coordinators.contains(where: { matches(i, $0) }) { cutBefore = i; cutAfter = i + 2 }
                    else if let k = subordinators.firstIndex(where: { matches(i, $0) }) { cutBefore = i; relative = k < relatives }
                    else if matches(i, and), others.contains(where: { ($0.lowerBound > i) != (date.lowerBound > i) }) {
                        // ", and" between this date and another one.
                        cutBefore = i; cutAfter = i + 2
                        // "They were released on August 10, and three days later were cheered": what follows
                        // "and" is the date and a verb with no subject of its own, which needs the clause before.
                        if date.lowerBound == i + and.count, auxiliaryAt(text, date.upperBound, before: hi) { cutAfter = nil }
                    }
                }
                if relative, let before = cutBefore, before <= date.lowerBound, lo < before,
                   others.contains(where: { $0.lowerBound >= lo && $0.lowerBound < before }),
                   let start = antecedent(text, lo..<before), !others.contains(where: { $0.upperBound > start && $0.lowerBound < before }) {
                    // The date is in a relative clause after a main clause that tells another dated
                    // event ("On June 20, 1963, they signed an agreement to set up a link, the
                    // “hotline”, which went into operation on August 30, 1963"): the clause reads
                    // from the noun it is about ("The “hotline”, which went into operation on ..."),
                    // not from the other event.
                    lo = start
                }
                if let before = cutBefore {
                    let after = cutAfter ?? Int.max
                    if before <= date.lowerBound, after <= date.lowerBound {
                        // Keep the clause after only if it is long enough to stand alone.
                        if wordCount(text, after..<hi) >= 4 { lo = after }
                    } else if before >= date.upperBound {
                        // Not when what comes before is only the date and its preposition ("On November
                        // 20, 1962, after Khrushchev agreed, Kennedy lifted the quarantine"): no clause.
                        if wordCount(text, lo..<before) >= 4, wordCount(text, lo..<date.lowerBound) + wordCount(text, date.upperBound..<before) >= 3 {
                            hi = before; break
                        }
                    }
                }
                i += 1
            }
            // Too long: keep a window of words that shows the date.
            // Counted first: most clauses are short enough, and need no list.
            var count = 0
            var k = lo
            while k < hi, count <= maxWords {
                while k < hi, Sentences.isSpace(text[k]) { k += 1 }
                if k < hi { count += 1 }
                while k < hi, !Sentences.isSpace(text[k]) { k += 1 }
            }
            if count > maxWords {
                var words: [Range<Int>] = []
                k = lo
                while k < hi {
                    while k < hi, Sentences.isSpace(text[k]) { k += 1 }
                    let s = k
                    while k < hi, !Sentences.isSpace(text[k]) { k += 1 }
                    if s < k { words.append(s..<k) }
                }
                let last = words.lastIndex { $0.lowerBound < date.upperBound } ?? 0
                var first = 0
                if last >= maxWords - 3 { first = min(last - maxWords + 4, words.count - maxWords) }
                let end = min(first + maxWords, words.count)
                if first > 0 { prefix = "…" }
                if end < words.count { suffix = "…" }
                lo = words[first].lowerBound
                hi = words[end - 1].upperBound
            }
        }
        if let ascii = asciiClause(text, lo..<hi, prefix: prefix, suffix: suffix) { return ascii }
        var clause = String(decoding: text[lo..<hi], as: UTF8.self).trimmingWhitespace
        // Drop trailing punctuation that belonged to the sentence, keep a final stop.
        while let last = clause.last, isTrailingPunctuation(last) { clause.removeLast() }
        clause = clause.trimmingWhitespace
        if prefix.isEmpty {
            var lowered = lowercasedHead(clause)
            var ascii = lowered.utf8.allSatisfy { $0 < 0x80 }
            var changed = true
            while changed {
                changed = false
                for (n, opener) in openers.enumerated()
                where (ascii ? lowered.utf8.starts(with: openerUTF8[n]) : lowered.hasPrefix(opener)) && clause.count > opener.count + 10 {
                    clause = String(clause.dropFirst(opener.count))
                    lowered = lowercasedHead(clause)
                    ascii = lowered.utf8.allSatisfy { $0 < 0x80 }
                    changed = true
                }
            }
            if let first = clause.first, first.isLowercase { clause = first.uppercased() + clause.dropFirst() }
        }
        if !suffix.isEmpty { return prefix + clause + suffix }
        if let last = clause.last, !endsClause(last) { clause += "." }
        return prefix + clause
    }

    /// The end of `around` (trimming, openers, capital, final stop) for a
    /// clause of ASCII bytes other than CR, where every byte is a Character of
    /// its own: the same steps on bytes, without Strings and Characters.
    /// Nil for other clauses, which take the String path.
    static func asciiClause(_ text: [UInt8], _ r: Range<Int>, prefix: String, suffix: String) -> String? {
        text.withUnsafeBufferPointer { t -> String? in
            for i in r where t[i] >= 0x80 || t[i] == 0x0D { return nil }
            // Character.isWhitespace, for ASCII.
            func isWhite(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
            var lo = r.lowerBound, hi = r.upperBound
            while lo < hi, isWhite(t[lo]) { lo += 1 }
            while hi > lo, isWhite(t[hi - 1]) { hi -= 1 }
            // isTrailingPunctuation's ASCII members: , ; : -
            while hi > lo, t[hi - 1] == 0x2C || t[hi - 1] == 0x3B || t[hi - 1] == 0x3A || t[hi - 1] == 0x2D { hi -= 1 }
            while hi > lo, isWhite(t[hi - 1]) { hi -= 1 }
            var capital = false
            if prefix.isEmpty {
                func startsWith(_ opener: [UInt8]) -> Bool {
                    guard hi - lo >= opener.count else { return false }
                    for k in 0..<opener.count {
                        var c = t[lo + k]
                        if c >= 0x41 && c <= 0x5A { c += 32 }
                        if c != opener[k] { return false }
                    }
                    return true
                }
                // As the String path: every opener in turn, until none is dropped.
                var changed = true
                while changed {
                    changed = false
                    for opener in openerUTF8 where startsWith(opener) && hi - lo > opener.count + 10 {
                        lo += opener.count
                        changed = true
                    }
                }
                capital = lo < hi && t[lo] >= 0x61 && t[lo] <= 0x7A
            }
            var out: [UInt8] = []
            out.reserveCapacity(hi - lo + 8)
            out.append(contentsOf: prefix.utf8)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: t[lo..<hi]))
            if capital { out[prefix.utf8.count] -= 32 }
            if !suffix.isEmpty {
                out.append(contentsOf: suffix.utf8)
            } else if hi > lo {
                // endsClause's ASCII members: . ! ? " )
                let last = t[hi - 1]
                if !(last == 0x2E || last == 0x21 || last == 0x3F || last == 0x22 || last == 0x29) { out.append(0x2E) }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The openers as UTF-8. An ASCII head starts with one exactly when its
    /// bytes do: the Character after an opener's final space is ASCII too
    /// (`lowercasedHead`), so it cannot combine with the space.
    static let openerUTF8 = openers.map { Array($0.utf8) }

    /// Punctuation that belonged to the sentence, not the clause: , ; : — – -
    @inline(__always)
    static func isTrailingPunctuation(_ c: Character) -> Bool {
        switch c {
        case ",", ";", ":", "—", "–", "-": return true
        default: return false
        }
    }

    /// What a clause may end with as it is: . ! ? … " ” ’ )
    @inline(__always)
    static func endsClause(_ c: Character) -> Bool {
        switch c {
        case ".", "!", "?", "…", "\"", "”", "’", ")": return true
        default: return false
        }
    }

    static let openerBytes = openers.map(\.utf8.count).max()! + 2

    /// Enough of `s.lowercased()` to test for an opener: when the first bytes
    /// are ASCII, only they are lowercased (openers are ASCII and end in a
    /// space, so the Character after one is ASCII too and cannot combine).
    /// `bytes` must exceed the longest prefix tested by at least two (the
    /// prefix's final ASCII character and the one after it).
    static func lowercasedHead(_ s: String, bytes: Int = openerBytes) -> String {
        var head: [UInt8] = []
        head.reserveCapacity(bytes + 1)
        for b in s.utf8 {
            guard b < 0x80 else { return s.lowercased() }
            head.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
            if head.count > bytes { break }
        }
        return String(decoding: head, as: UTF8.self)
    }

    /// Runs of bytes other than white space (`Sentences.isSpace`) in
    /// `text[r]`: every byte of every article's prose is counted, so eight at
    /// a time (a word starts at a byte that is not white space after one that
    /// is, or at the start of the range).
    static func wordCount(_ text: [UInt8], _ r: Range<Int>) -> Int {
        text.withUnsafeBufferPointer { wordCount($0, r) }
    }

    static func wordCount(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int {
        precondition(r.lowerBound >= 0 && r.upperBound <= p.count)
        do {
            var n = 0
            var i = r.lowerBound
            var afterSpace = true  // whether the byte before `i` is white space (or there is none)
            if let base = p.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= r.upperBound {
                    // Byte k of the eight is bits 8k..<8k+8; its high bit in `word` says it is not white space.
                    let word = notSpace(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                    // The same flags moved up a byte: whether the byte before each is not white space.
                    let before = word << 8 | (afterSpace ? 0 : 0x80)
                    n += (word & ~before).nonzeroBitCount
                    afterSpace = word >> 63 == 0
                    i += 8
                }
            }
            while i < r.upperBound {
                let space = Sentences.isSpace(p[i])
                if !space && afterSpace { n += 1 }
                afterSpace = space
                i += 1
            }
            return n
        }
    }

    /// The high bit of each byte of `w` set when the byte is not white space
    /// (" ", "\n", "\t" or "\r"), every other bit clear. Exact for every
    /// byte: `nonZero` adds within bytes only, so nothing carries into the next.
    @inline(__always)
    static func notSpace(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, highs: UInt64 = 0x8080_8080_8080_8080
        /// High bit of each byte: whether the byte is not zero.
        @inline(__always) func nonZero(_ v: UInt64) -> UInt64 { (((v & low7) &+ low7) | v) & highs }
        return nonZero(w ^ (ones &* 0x20)) & nonZero(w ^ (ones &* 0x0A)) & nonZero(w ^ (ones &* 0x09)) & nonZero(w ^ (ones &* 0x0D))
    }

    /// Shortens text to at most `maxWords` words, ending with an ellipsis.
    static func trim(_ text: String, maxWords: Int) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count > maxWords else { return text }
        var cut = words.prefix(maxWords).joined(separator: " ")
        while let last = cut.last, isTrailingPunctuation(last) { cut.removeLast() }
        return cut + "…"
    }
}
