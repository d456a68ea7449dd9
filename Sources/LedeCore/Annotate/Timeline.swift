import CLedeSys
#if canImport(Glibc)
import Glibc
#endif

/// Ordering, merging and titling of an article's timeline events.
enum Timeline {
    /// What the words of a date say of its anchor, read with the tagger's
    /// own tokenizer and lexicon: whether it names a day or a period from
    /// the day of writing ("Tuesday", "last Friday", "yesterday", "last
    /// year", "this month"), a day of a month and nothing more ("20
    /// September", "Sept. 20"), or a month alone ("July"); none of them when
    /// it counts from another date the text gives ("three days later", "that
    /// Tuesday", "the following Monday", "the next year"). In news, only
    /// those are anchored by the article's date.
    static func dayWords(_ bytes: [UInt8], _ span: Range<Int>) -> (fromWriting: Bool, dayOfMonth: Bool, monthAlone: Bool) {
        var tokens: [Tok] = []
        bytes[span].withUnsafeBufferPointer { Tokenizer.tokenize($0, into: &tokens) }
        var deictic = false, month = false, numbers = 0, shortNumbers = 0, words = 0
        var determiner = false, the = false, unit = false
        for t in tokens {
            if t.kind == .number {
                numbers += 1
                if t.shape <= 2 { shortNumbers += 1 }
                continue
            }
            guard t.kind == .word else { continue }
            words += 1
            guard t.lex != 0 else { continue }
            let l = Lexicon.entries[Int(t.lex)]
            switch l.key {
            case .later, .earlier, .after, .before, .following, .previous, .preceding, .that, .same, .prior, .subsequent, .ensuing:
                return (false, false, false)
            case .yesterday, .today, .tomorrow, .tonight: deictic = true
            case .last, .this, .next: determiner = true
            case .the: the = true
            default: break
            }
            if l.weekday != 0 { deictic = true }
            if l.month != 0 { month = true }
            if l.unit == .week || l.unit == .month || l.unit == .year, !l.isPlural { unit = true }
        }
        // "last year", "this month", "next week": from the day of writing; "the next year" is not.
        if determiner, unit, !the, numbers == 0 { deictic = true }
        return (deictic, month && numbers == 1 && shortNumbers == 1, month && numbers == 0 && words == 1)
    }

    /// Whether a date is a measure's baseline: a year compared with
    /// ("46% below 1990 levels", "close to 2019 prices") or a currency's
    /// year ("$3 billion in 2010 dollars"). It names no event. Without the
    /// word before it, "In 2008 prices collapsed" would read as one.
    static func isBaseline(_ bytes: [UInt8], _ span: Range<Int>) -> Bool {
        var i = span.upperBound
        while i < bytes.count, bytes[i] == 0x20 { i += 1 }
        var j = i
        while j < bytes.count, isLetter(bytes[j]) { j += 1 }
        var b = span.lowerBound
        while b > 0, bytes[b - 1] == 0x20 { b -= 1 }
        var a = b
        while a > 0, isLetter(bytes[a - 1]) { a -= 1 }
        guard i > span.upperBound, j > i, b < span.lowerBound, a < b else { return false }
        let next = lowercased(bytes, i..<j), before = lowercased(bytes, a..<b)
        if baselineNouns.contains(next) { return comparisonWords.contains(before) }
        return currencyNouns.contains(next) && before == "in"
    }

    /// Whether a date is the point a record is measured from: "since" after
    /// a superlative or a "first" in its clause ("rates are at their highest
    /// since early 2008", "the first time since 1966"), or the year records
    /// began ("the hottest year since records began in 1850"). What the
    /// sentence tells happened now, not then.
    static func isRecordSince(_ bytes: [UInt8], _ span: Range<Int>) -> Bool {
        // The word before the date, then up to eight before that, within the sentence.
        var i = span.lowerBound
        var words: [String] = []
        while words.count < 9 {
            while i > 0, bytes[i - 1] == 0x20 || bytes[i - 1] == 0x2C { i -= 1 }
            let end = i
            while i > 0, isLetter(bytes[i - 1]) || bytes[i - 1] == 0x2D { i -= 1 }
            guard i < end else { break }  // punctuation that ends the clause, or the text's start
            words.append(lowercased(bytes, i..<end))
        }
        // "the hottest year since records began in 1850": the phrase says it is a record's start
        if words.starts(with: ["in", "began", "records", "since"]) { return true }
        guard words.first == "since" else { return false }
        return words.dropFirst().contains { recordWords.contains($0) }
    }

    /// Whether an expression's words name two years joined by a dash or slash ("the winter of
    /// 1946–47", "winter 2022/23"), read with the tagger's tokenizer (which folds every hyphen
    /// and en dash to "-"), as the tagger read them.
    static func namesTwoYears(_ bytes: [UInt8], _ span: Range<Int>) -> Bool {
        var tokens: [Tok] = []
        bytes[span].withUnsafeBufferPointer { Tokenizer.tokenize($0, into: &tokens) }
        guard tokens.count >= 3 else { return false }
        for k in 0..<(tokens.count - 2) {
            let (year, dash, next) = (tokens[k], tokens[k + 1], tokens[k + 2])
            if year.digits == 4, dash.isPunct, dash.ch == 0x2D || dash.ch == 0x2F, dash.gap == 0, next.digits >= 2, next.gap == 0 {
                return true
            }
        }
        return false
    }

    /// An ASCII letter, either case (the words `isBaseline` and `isRecordSince` read).
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private static func lowercased(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self).lowercased()
    }

    static let recordWords: Set<String> = [
        "highest", "lowest", "largest", "biggest", "smallest", "greatest", "fastest", "slowest", "strongest",
        "weakest", "deepest", "steepest", "sharpest", "hottest", "coldest", "warmest", "wettest", "driest",
        "longest", "shortest", "heaviest", "worst", "best", "most", "least", "first", "record",
    ]

    static let baselineNouns: Set<String> = ["levels", "level", "prices"]
    static let currencyNouns: Set<String> = ["dollars", "euros", "pounds"]
    static let comparisonWords: Set<String> = ["below", "above", "of", "to", "than", "from", "at", "near", "over", "under",
                                               "beneath", "versus", "vs", "with", "pre", "post"]

    /// How an event's date reads, with the part of the period its words
    /// give ("early 2002" → "Early 2002", "late April 2001" → "Late April
    /// 2001", "mid-1999", "around 1980" → "About 1980"); a day or a time is
    /// shown as it is.
    static func display(_ date: TimexDate, mod: String?) -> String {
        guard let mod, date.precision < .day else { return date.display }
        let prefix: String
        switch mod {
        case "START": prefix = "Early "
        case "MID": prefix = "Mid-"
        case "END": prefix = "Late "
        case "APPROX": prefix = "About "
        default: return date.display
        }
        // "Early summer 1943", not "Early Summer 1943".
        var shown = date.display
        if date.precision == .season, let first = shown.first { shown = first.lowercased() + shown.dropFirst() }
        return prefix + shown
    }

    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as", "into",
        "onto", "over", "under", "about", "after", "before", "during", "between", "through", "since", "until", "than",
        "that", "this", "these", "those", "there", "here", "it", "its", "he", "she", "they", "them", "his", "her",
        "their", "we", "our", "you", "your", "i", "was", "were", "is", "are", "be", "been", "being", "had", "has",
        "have", "do", "did", "does", "not", "no", "so", "such", "which", "who", "whom", "whose", "what", "when",
        "where", "why", "how", "also", "then", "more", "most", "very", "just", "only", "all", "any", "some", "each",
        "other", "s", "would", "could", "should", "will", "can", "may", "might", "must", "up", "out", "off", "again",
        "further", "once", "like", "new", "year", "years", "month", "months", "day", "days", "later", "early", "late",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
        "december", "spring", "summer", "autumn", "fall", "winter", "moment", "defining",
    ]

    static let stopwordKeys = PackedWordSet(stopwords)

    /// Lowercased words of a text, without stopwords and numbers.
    static func contentWords(_ text: String) -> [String] {
        var text = text
        if let words = text.withUTF8({ fastContentWords($0) }) { return words }
        return characterContentWords(text)
    }

    /// `Hash64.hash` of each of `contentWords` (what the site timeline's
    /// merge compares), without making a String of each word where the
    /// bytes can be read directly.
    static func contentWordHashes(_ text: String) -> [UInt64] {
        let fast = text.withUTF8Bytes { p -> [UInt64]? in
            var out: [UInt64] = []
            out.reserveCapacity(p.count / 8 + 1)
            return scanContentWords(p) { out.append(Hash64.hash(UnsafeRawBufferPointer($0))) } ? out : nil
        }
        return fast ?? characterContentWords(text).map { Hash64.hash($0) }
    }

    /// The definition: words of letters and digits of the lowercased text,
    /// Character by Character; apostrophes are dropped inside words.
    static func characterContentWords(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        func flush() {
            if word.count > 1, !stopwords.contains(word), !word.allSatisfy(\.isNumber) { out.append(word) }
            word = ""
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { word.append(ch) } else if ch == "'" || ch == "’" { continue } else { flush() }
        }
        flush()
        return out
    }

    /// Scalars outside ASCII that are each a grapheme of their own, lower-case
    /// to one scalar of the same kind (letter, number or neither), and so can be
    /// handled one scalar at a time: Latin-1, Latin Extended-A and -B (but
    /// U+0130, whose lower case is two scalars) and general punctuation
    /// (dashes, curly quotes, ellipsis).
    @inline(__always)
    static func isSimpleScalar(_ v: UInt32) -> Bool {
        (v >= 0xA0 && v <= 0x24F && v != 0x130) || (v >= 0x2010 && v <= 0x2027) || (v >= 0x2030 && v <= 0x205E)
    }

    /// `characterContentWords` over UTF-8 bytes, for texts made only of ASCII
    /// and simple scalars (nil otherwise): the same words, without building a
    /// lowercased copy and Characters.
    static func fastContentWords(_ p: UnsafeBufferPointer<UInt8>) -> [String]? {
        var out: [String] = []
        out.reserveCapacity(p.count / 8 + 1)
        return scanContentWords(p) { out.append(String(decoding: $0, as: UTF8.self)) } ? out : nil
    }

    /// The pass of `fastContentWords`: gives each word's lowercased bytes to
    /// `found`; false (having given some) for a text it cannot read by bytes.
    @inline(__always)
    private static func scanContentWords(_ p: UnsafeBufferPointer<UInt8>, _ found: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        var word = ContentWord()
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            if b < 0x80 {
                i += 1
                if b >= 0x61 && b <= 0x7A { word.append(b, number: false) }
                else if b >= 0x41 && b <= 0x5A { word.append(b + 32, number: false) }
                else if b >= 0x30 && b <= 0x39 { word.append(b, number: true) }
                else if b != 0x27 { word.flush(found) }
                continue
            }
            // Decode one scalar (the text is valid UTF-8: it came from a String).
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            guard i + length <= n else { return false }
            var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { v = (v << 6) | (UInt32(p[i + k]) & 0x3F) }
            guard isSimpleScalar(v), let scalar = Unicode.Scalar(v) else { return false }
            i += length
            if v == 0x2019 { continue }
            let properties = scalar.properties
            let isNumber = properties.numericType != nil
            if properties.isAlphabetic || isNumber {
                word.append(lowercased: properties.lowercaseMapping, number: isNumber)
            } else {
                word.flush(found)
            }
        }
        word.flush(found)
        return true
    }

    /// The word `fastContentWords` is reading: its lowercased bytes, and
    /// what decides whether it counts. (A struct with mutating methods, not
    /// variables a nested function captures: those were checked for
    /// exclusive access at every byte.)
    private struct ContentWord {
        /// The word's bytes are the first `count`; the buffer only grows.
        var buffer = [UInt8](repeating: 0, count: 32)
        var count = 0
        var characters = 0
        var allNumbers = true
        var ascii = true

        @inline(__always)
        mutating func append(_ b: UInt8, number: Bool) {
            if count == buffer.count { buffer.append(b) } else { buffer[count] = b }
            count += 1
            characters += 1
            if !number { allNumbers = false }
        }

        mutating func append(lowercased: String, number: Bool) {
            ascii = false
            for b in lowercased.utf8 {
                if count == buffer.count { buffer.append(b) } else { buffer[count] = b }
                count += 1
            }
            characters += 1
            if !number { allNumbers = false }
        }

        /// Ends the word: a word of two characters or more, not all digits
        /// and not a stopword, is given to `found`.
        @inline(__always)
        mutating func flush(_ found: (UnsafeBufferPointer<UInt8>) -> Void) {
            defer { count = 0; characters = 0; allNumbers = true; ascii = true }
            guard characters > 1, !allNumbers else { return }
            let n = count
            buffer.withUnsafeBufferPointer { p in
                let word = UnsafeBufferPointer(rebasing: p[..<n])
                // Stopwords are ASCII: an ASCII word is looked up by its bytes.
                if ascii ? !Timeline.stopwordKeys.contains(word) : !Timeline.stopwords.contains(String(decoding: word, as: UTF8.self)) {
                    found(word)
                }
            }
        }
    }

    /// Words near a date mention (five on each side), which say what the date is of.
    static func contextWords(_ bytes: [UInt8], around span: Range<Int>, within sentence: Range<Int>) -> Set<String> {
        let beforeRange = sentence.lowerBound..<max(sentence.lowerBound, span.lowerBound)
        let afterRange = min(span.upperBound, sentence.upperBound)..<sentence.upperBound
        if let fast = fastContextWords(bytes, beforeRange, afterRange) { return fast }
        let before = String(decoding: bytes[beforeRange], as: UTF8.self)
        let after = String(decoding: bytes[afterRange], as: UTF8.self)
        let b = before.split(whereSeparator: { $0 == " " }).suffix(5).joined(separator: " ")
        let a = after.split(whereSeparator: { $0 == " " }).prefix(5).joined(separator: " ")
        return Set(contentWords(b + " " + a))
    }

    /// `contextWords` on bytes, when both ranges start and end on scalar
    /// boundaries and hold only ASCII and simple scalars (then every space is
    /// a Character of its own, and splitting bytes at spaces splits Characters).
    static func fastContextWords(_ bytes: [UInt8], _ before: Range<Int>, _ after: Range<Int>) -> Set<String>? {
        func isBoundary(_ i: Int) -> Bool { i >= bytes.count || bytes[i] & 0xC0 != 0x80 }
        guard isBoundary(before.lowerBound), isBoundary(before.upperBound),
              isBoundary(after.lowerBound), isBoundary(after.upperBound) else { return nil }
        // Non-empty space-separated pieces: the last five before, the first five after.
        var pieces: [Range<Int>] = []
        func split(_ r: Range<Int>) -> [Range<Int>] {
            var out: [Range<Int>] = []
            var start = r.lowerBound
            for i in r where bytes[i] == 0x20 {
                if start < i { out.append(start..<i) }
                start = i + 1
            }
            if start < r.upperBound { out.append(start..<r.upperBound) }
            return out
        }
        pieces += split(before).suffix(5)
        pieces += split(after).prefix(5)
        var joined: [UInt8] = []
        joined.reserveCapacity(128)
        for (k, piece) in pieces.enumerated() {
            if k > 0 { joined.append(0x20) }
            joined.append(contentsOf: bytes[piece])
        }
        guard let words = joined.withUnsafeBufferPointer({ fastContentWords($0) }) else { return nil }
        return Set(words)
    }

    /// Whether the TIMEX value `finer` is a part of `value`: `value` and a
    /// hyphen ("1987-06" of "1987"), or for a day, a time of it
    /// ("1987-06-12T10:00" of "1987-06-12"). Read on the bytes: with Strings,
    /// `value + "-"` was made for each date compared.
    static func isFiner(_ finer: String, than value: String) -> Bool {
        finer.withUTF8Bytes { f in
            value.withUTF8Bytes { v in
                guard f.count > v.count, v.count == 0 || memcmp(f.baseAddress!, v.baseAddress!, v.count) == 0 else { return false }
                return f[v.count] == 0x2D || (f[v.count] == 0x54 && value.count == 10)
            }
        }
    }

    /// Two mentions of one value are one event when the words around them agree.
    static func sameEvent(_ a: Set<String>, _ b: Set<String>) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
        let shared = a.intersection(b).count
        return Double(shared) / Double(min(a.count, b.count)) >= 0.5
    }

    /// Whether a heading names the event: most of the words of its main part
    /// (before a colon) occur in the event's text.
    static func headingNames(_ heading: String, _ text: String) -> Bool {
        headingNames(headingWords: headingWords(heading), text)
    }

    /// The content words of a heading's main part, as `headingNames` reads them.
    static func headingWords(_ heading: String) -> [String] {
        contentWords(mainPart(heading))
    }

    /// The first piece of `split(separator: ":", maxSplits: 1)`: the
    /// heading before its first colon. A heading whose first colon has ASCII
    /// on both sides (and does not start it) is cut at the colon's byte:
    /// only a mark that is not ASCII (a combining accent after it, a
    /// prepended one before it) makes a colon part of a larger Character.
    /// Splitting by Characters cost more than finding the heading's words.
    static func mainPart(_ heading: String) -> String {
        // On the bytes: nil for no colon, the bytes before the first colon,
        // or -1 when the String split is needed.
        let cut = heading.withUTF8Bytes { p -> Int? in
            guard let colon = p.firstIndex(of: 0x3A) else {
                // No colon byte: no colon Character either.
                return nil
            }
            if colon == 0 || p[colon - 1] >= 0x80 || (colon + 1 < p.count && p[colon + 1] >= 0x80) { return -1 }
            return colon
        }
        switch cut {
        case nil: return heading
        case -1: return heading.split(separator: ":", maxSplits: 1).first.map(String.init) ?? heading
        case let colon?: return String(heading[..<heading.utf8.index(heading.startIndex, offsetBy: colon)])
        }
    }

    static func headingNames(headingWords words: [String], _ text: String) -> Bool {
        guard words.count >= 2 else { return false }
        if let possible = possibleHits(words, text), Double(possible) / Double(words.count) < 0.6 { return false }
        let eventWords = Set(contentWords(text).map { String($0.prefix(5)) })
        let hits = words.filter { eventWords.contains(String($0.prefix(5))) }.count
        return Double(hits) / Double(words.count) >= 0.6
    }

    /// An upper bound of the heading words `headingNames` can find in `text`,
    /// without splitting the text into words: a word's five-letter prefix can
    /// only match if it occurs in the lowercased text (apostrophes dropped, as
    /// `contentWords` drops them). Nil when the text has scalars other than
    /// ASCII and simple ones (whose lower case is never ASCII).
    static func possibleHits(_ words: [String], _ text: String) -> Int? {
        return text.withUTF8Bytes { p -> Int? in
            // The lowered text is never longer than the text: written straight
            // into the array's storage (this runs for every dated event).
            var ok = true
            let lowered = [UInt8](unsafeUninitializedCapacity: p.count) { out, written in
                var i = 0, n = 0
                while i < p.count {
                    let b = p[i]
                    if b < 0x80 {
                        if b != 0x27 { out[n] = b >= 0x41 && b <= 0x5A ? b + 32 : b; n += 1 }
                        i += 1
                        continue
                    }
                    let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                    guard i + length <= p.count else { ok = false; break }
                    var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                    for k in 1..<length { v = (v << 6) | (UInt32(p[i + k]) & 0x3F) }
                    guard isSimpleScalar(v) else { ok = false; break }
                    if v != 0x2019 { out[n] = 0x20; n += 1 }  // not ASCII: a prefix cannot run through it
                    i += length
                }
                written = n
            }
            guard ok else { return nil }
            var possible = 0
            for word in words {
                let found = word.withUTF8Bytes { w -> Bool in
                    let prefix = UnsafeBufferPointer(rebasing: w.prefix(5))
                    guard prefix.allSatisfy({ $0 < 0x80 }), w.count >= 5 || w.allSatisfy({ $0 < 0x80 }) else {
                        return true  // not an ASCII prefix: no shortcut
                    }
                    guard !prefix.isEmpty else { return true }
                    guard prefix.count <= lowered.count else { return false }
                    return lowered.withUnsafeBytes { h in
                        lede_find_bytes(h.baseAddress, h.count, prefix.baseAddress, prefix.count) != nil
                    }
                }
                if found { possible += 1 }
            }
            return possible
        }
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= hay.count else { return false }
        return hay.withUnsafeBytes { h in
            needle.withUnsafeBytes { lede_find_bytes(h.baseAddress, h.count, $0.baseAddress, $0.count) != nil }
        }
    }

    /// Adds the front matter's hand-made entries, sorts chronologically (document
    /// order on ties) and titles events whose section heading names them.
    static func merge(_ extracted: [TimelineEvent], manual: [ManualTimelineEntry], headings: [HeadingInfo],
                      sectionOf: [String: Int] = [:], sortKeys: [String: Int] = [:]) -> [TimelineEvent] {
        var events = extracted
        var nextOrder = (events.map(\.order).max() ?? 0) + 1
        for entry in manual {
            if entry.remove {
                events.removeAll { $0.value == entry.value }
                continue
            }
            let date = TimexDate(entry.value)
            var display = date?.display ?? entry.value
            if let endValue = entry.endValue, let end = TimexDate(endValue), let date { display = date.rangeDisplay(to: end) }
            if let k = events.firstIndex(where: { $0.value == entry.value }) {
                events[k].text = entry.text ?? events[k].text
                events[k].title = entry.title ?? events[k].title
                events[k].endValue = entry.endValue ?? events[k].endValue
                events[k].display = display
                if let anchor = entry.anchor { events[k].anchor = anchor }
                events[k].source = .frontMatter
            } else {
                events.append(TimelineEvent(value: entry.value, endValue: entry.endValue, display: display,
                                            text: entry.text ?? "", title: entry.title, anchor: entry.anchor ?? "top",
                                            source: .frontMatter, order: nextOrder))
                nextOrder += 1
            }
        }
        // Keys are unique (document order breaks ties), computed once per event.
        // (`sortKeys`: TimexDate sort keys of values the caller has parsed already.)
        let keys = events.indices.map { k in (sortKeys[events[k].value] ?? TimexDate(events[k].value)?.sortKey ?? Int.max, events[k].order) }
        events.permute(events.indices.sorted { keys[$0] < keys[$1] })
        return events
    }
}
