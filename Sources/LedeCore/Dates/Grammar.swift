/// A candidate temporal expression: a token span and what it means.
struct Match {
    var start: Int
    var end: Int
    var sem: Sem
}

/// The grammar of English temporal expressions, as hand-written recursive
/// descent over tokens. Each `parse…` function tries one construction at a
/// token index and returns where it ends and what it means; `match(at:)` takes
/// the longest. The constructions follow HeidelTime's pattern families (dates,
/// times, durations, sets, relative and underspecified expressions), and
/// TimeML's rules for extents (determiners, modifiers like "early" and
/// "about", and "ago"/"later" belong to the expression; prepositions do not).
struct Grammar {
    let toks: UnsafeBufferPointer<Tok>
    let text: UnsafeBufferPointer<UInt8>
    let lexicon: UnsafeBufferPointer<Lex>
    let n: Int
    /// Narrative documents (history): conventions that differ from news.
    var narrative: Bool
    /// The era of the last date mentioned is BC (bare numbers read as BC years).
    var lastWasBC = false
    /// The last year mentioned, to read small numbers as years in BC narratives.
    var lastYear: Int?

    init(toks: UnsafeBufferPointer<Tok>, text: UnsafeBufferPointer<UInt8>, lexicon: UnsafeBufferPointer<Lex>, narrative: Bool) {
        self.toks = toks
        self.text = text
        self.lexicon = lexicon
        self.n = toks.count
        self.narrative = narrative
    }

    // MARK: Token helpers

    static let sentinel = Tok(start: 0, end: 0, kind: .punct, ch: 0, gap: 3, shape: 0, lex: 0, num: -1, grouped: false)

    @inline(__always) func t(_ i: Int) -> Tok { i >= 0 && i < n ? toks[i] : Grammar.sentinel }
    @inline(__always) func lx(_ i: Int) -> Lex { i >= 0 && i < n ? lexicon[Int(toks[i].lex)] : lexicon[0] }
    @inline(__always) func k(_ i: Int) -> K { i >= 0 && i < n ? lexicon[Int(toks[i].lex)].key : .none }
    @inline(__always) func isK(_ i: Int, _ key: K) -> Bool { k(i) == key }
    @inline(__always) func p(_ i: Int, _ c: Character) -> Bool {
        let tk = t(i); return tk.kind == .punct && tk.ch == c.asciiValue!
    }
    @inline(__always) func adj(_ i: Int) -> Bool { i < n && toks[i].gap == 0 }
    @inline(__always) func num(_ i: Int) -> Int? {
        let tk = t(i); return tk.kind == .number ? Int(tk.num) : nil
    }
    /// A sentence or paragraph ends before token i.
    func boundaryBefore(_ i: Int) -> Bool {
        if i <= 0 { return true }
        let tk = t(i)
        if tk.gap >= 3 { return true }
        let pv = t(i - 1)
        if pv.kind == .punct && (pv.ch == 0x2E || pv.ch == 0x21 || pv.ch == 0x3F) {
            if pv.ch == 0x2E, tk.gap < 2, !pointEndsSentence(i - 1) { return false }
            return true
        }
        if pv.kind == .punct && (pv.ch == 0x22 || pv.ch == 0x27) , i >= 2 {
            let pp = t(i - 2)
            if pp.kind == .punct && (pp.ch == 0x2E || pp.ch == 0x21 || pp.ch == 0x3F) { return true }
        }
        return false
    }
    /// False for the point of an abbreviation inside a sentence: one a comma or a lowercase word
    /// follows ("Birmingham, Ala., killed"), or one after a title or "vs" ("Mr. Bush", "Roe vs. Wade").
    func pointEndsSentence(_ i: Int) -> Bool {
        let nx = t(i + 1)
        if nx.kind == .punct, nx.ch == 0x2C || nx.ch == 0x3B { return false }
        // A decimal point: "$42.875 a share", "3.8 percent"
        if nx.kind == .number, nx.gap == 0, t(i).gap == 0, t(i - 1).kind == .number { return false }
        if nx.kind == .word, nx.shape & 1 == 0 { return false }
        // "1:47 a.m. EST on 16 November": a time zone goes on with the time
        if word(i - 1, "m"), nx.kind == .word, isTimeZone(i + 1) { return false }
        let w = t(i - 1)
        guard w.kind == .word, w.length <= 4, t(i).gap == 0 else { return true }
        return !(word(i - 1, "vs") || word(i - 1, "v") || word(i - 1, "mr") || word(i - 1, "mrs") || word(i - 1, "ms")
            || word(i - 1, "dr") || word(i - 1, "gen") || word(i - 1, "sen") || word(i - 1, "rep") || word(i - 1, "gov")
            || word(i - 1, "lt") || word(i - 1, "col") || word(i - 1, "capt") || word(i - 1, "sgt") || word(i - 1, "prof")
            || word(i - 1, "rev") || word(i - 1, "st"))
    }

    /// "GMT", "EST", "BST", ...: a time zone after a clock time.
    func isTimeZone(_ i: Int) -> Bool {
        let z = k(i)
        return z == .gmt || z == .utc || z == .est || z == .edt || z == .cst || z == .cdt || z == .mst || z == .mdt
            || z == .pst || z == .pdt || z == .bst || z == .cet
    }

    /// The token starts a sentence (so its capital says nothing).
    func sentenceInitial(_ i: Int) -> Bool {
        var j = i
        while j > 0, t(j - 1).kind == .punct, t(j - 1).ch == 0x22 || t(j - 1).ch == 0x27 || t(j - 1).ch == 0x28 { j -= 1 }
        return boundaryBefore(j) || t(j).gap >= 2
    }

    /// The lowercase ASCII text of a word token equals `s`.
    func word(_ i: Int, _ s: StaticString) -> Bool {
        let tk = t(i)
        guard tk.kind == .word, tk.length == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        var j = 0
        while j < tk.length {
            var c = text[Int(tk.start) + j]
            if c >= 0x41 && c <= 0x5A { c += 0x20 }
            if c != p[j] { return false }
            j += 1
        }
        return true
    }

    // MARK: Numbers

    /// A day of the month: 1...31, digits with an optional ordinal suffix, or an
    /// ordinal word ("fourth", "twenty-first").
    func parseDay(_ i: Int) -> (day: Int, end: Int, ordinal: Bool)? {
        let tk = t(i)
        if tk.kind == .number, !tk.grouped, tk.digits <= 2, tk.num >= 1, tk.num <= 31 {
            var e = i + 1
            var ord = false
            if adj(e), t(e).kind == .word, [K.st, .nd, .rd, .th].contains(k(e)) { e += 1; ord = true }
            // Not a decimal, a time or a fraction.
            if adj(e), p(e, ".") || p(e, ":") || p(e, "/"), t(e + 1).kind == .number, adj(e + 1) { return nil }
            if adj(e), p(e, "%") { return nil }
            return (Int(tk.num), e, ord)
        }
        if tk.kind == .word {
            let l = lx(i)
            if l.ordinal >= 1 && l.ordinal <= 31 && l.ordinal < 21 { return (Int(l.ordinal), i + 1, true) }
            if l.number == 20 || l.number == 30, p(i + 1, "-") || t(i + 1).kind == .word {
                var j = i + 1
                if p(j, "-"), adj(j), adj(j + 1) { j += 1 }
                let o = lx(j).ordinal
                if o >= 1 && o <= 9 && Int(l.number) + Int(o) <= 31 { return (Int(l.number) + Int(o), j + 1, true) }
            }
            if l.ordinal == 30 { return (30, i + 1, true) }
        }
        return nil
    }

    /// A count written in words or digits: (value, end). `a`/`an` count as one.
    func parseCount(_ i: Int, allowArticle: Bool = true) -> (value: Double?, end: Int)? {
        let tk = t(i)
        if tk.kind == .number {
            // 2.5
            if adj(i + 1), p(i + 1, "."), t(i + 2).kind == .number, adj(i + 2) {
                let frac = t(i + 2)
                var d = Double(frac.num)
                for _ in 0..<frac.digits { d /= 10 }
                return (Double(tk.num) + d, i + 3)
            }
            if adj(i + 1), p(i + 1, "/") || p(i + 1, ":") || p(i + 1, ".") { return nil }
            // 5 1/2
            if let a = num(i + 1), t(i + 1).gap == 1, adj(i + 2), p(i + 2, "/"), adj(i + 3), let b = num(i + 3), b > a, b <= 4 {
                return (Double(tk.num) + Double(a) / Double(b), i + 4)
            }
            return (Double(tk.num), i + 1)
        }
        guard tk.kind == .word else { return nil }
        let key = k(i)
        if allowArticle, key == .a || key == .an {
            // "a few", "a couple of", "a dozen", "a hundred"
            if isK(i + 1, .few) { return (nil, i + 2) }
            if isK(i + 1, .couple) { return (2, isK(i + 2, .of) ? i + 3 : i + 2) }
            if isK(i + 1, .dozen) { return (12, i + 2) }
            if lx(i + 1).number == 100 || lx(i + 1).number == 1000 {
                let v = Double(lx(i + 1).number)
                return (v, i + 2)
            }
            return (1, i + 1)
        }
        switch key {
        case .few, .several, .many, .numerous, .multiple: return (nil, i + 1)
        case .couple: return (2, isK(i + 1, .of) ? i + 2 : i + 1)
        case .dozens, .hundreds, .thousands, .tens:
            return isK(i + 1, .of) ? (nil, i + 2) : nil
        default: break
        }
        if let (v, e) = parseNumberWords(i) { return (Double(v), e) }
        return nil
    }

    /// Number words: "seven", "twenty-five", "twenty five", "one hundred", "two thousand".
    func parseNumberWords(_ i: Int) -> (Int, Int)? {
        let l = lx(i)
        guard l.number >= 0, t(i).kind == .word else { return nil }
        var v = Int(l.number)
        var e = i + 1
        if l.flags & Lex.tens != 0 {
            var j = e
            if p(j, "-"), adj(j), adj(j + 1) { j += 1 }
            let o = lx(j)
            if o.number >= 1 && o.number <= 9 && o.flags & Lex.teen != 0 { v += Int(o.number); e = j + 1 }
        }
        if lx(e).number == 100, v < 100, t(e).kind == .word { v *= 100; e += 1
            var j = e
            if isK(j, .and) { j += 1 }
            if let (r, e2) = parseNumberWords(j), r < 100 { v += r; e = e2 }
        }
        if lx(e).number == 1000, v < 1000, t(e).kind == .word { v *= 1000; e += 1 }
        return (v, e)
    }

    // MARK: Years

    /// A four-digit year as written: 1000...2999.
    func yearNumber(_ i: Int) -> Int? {
        let tk = t(i)
        guard tk.kind == .number, !tk.grouped, tk.digits == 4, tk.num >= 1000, tk.num <= 2999 else { return nil }
        if adj(i + 1), p(i + 1, "."), t(i + 2).kind == .number, adj(i + 2) { return nil }  // 1990.5
        if adj(i + 1), t(i + 1).kind == .word, !(isK(i + 1, .s) || isK(i + 1, .bc) || isK(i + 1, .ad)) { return nil }  // 2000m, 1990s handled elsewhere
        if adj(i), p(i - 1, "$") || p(i - 1, "#") { return nil }
        if adj(i + 1), p(i + 1, "%") { return nil }
        return Int(tk.num)
    }

    /// BC/AD after a number: ("BC", "B.C.", "BCE", "AD", "A.D.", "CE") → (isBC, end).
    func era(_ i: Int) -> (bc: Bool, end: Int)? {
        let key = k(i)
        if key == .bc || key == .bce { return (true, i + 1) }
        if key == .ad || key == .ce, t(i).isAllCaps || t(i).isCapitalized { return (false, i + 1) }
        // B.C. / A.D. / B.C.E.
        if t(i).kind == .word, t(i).length == 1, adj(i + 1), p(i + 1, "."), adj(i + 2), t(i + 2).kind == .word, t(i + 2).length == 1 {
            let a = text[Int(t(i).start)] | 0x20, b = text[Int(t(i + 2).start)] | 0x20
            var e = i + 3
            if adj(e), p(e, ".") { e += 1 }
            if a == UInt8(ascii: "b"), b == UInt8(ascii: "c") {
                if adj(e), t(e).kind == .word, t(e).length == 1, text[Int(t(e).start)] | 0x20 == UInt8(ascii: "e") {
                    e += 1; if adj(e), p(e, ".") { e += 1 }
                }
                return (true, e)
            }
            if a == UInt8(ascii: "a"), b == UInt8(ascii: "d"), t(i).isCapitalized { return (false, e) }
        }
        return nil
    }

    /// A period that ends a sentence right after an abbreviation ("in 44 B.C. Caesar ...").
    func startsSentenceAfter(_ i: Int) -> Bool {
        let nx = t(i + 1)
        return nx.kind == .word && nx.isCapitalized && lx(i + 1).month == 0
    }

    /// Words before a number that make it a name or a quantity, not a year.
    /// `rangeFollows`: the number starts a range of years (`yearRangeFrom`).
    func nonYearBefore(_ i: Int, rangeFollows: Bool = false) -> Bool {
        guard i >= 0 else { return false }
        let tk = t(i)
        if tk.kind == .punct {
            // "No. 2914", "Vol. 1999", "pp. 1990": the point of an abbreviation that numbers things
            // (not "art." or "sec.", which also end sentences and words)
            if tk.ch == 0x2E, adj(i), word(i - 1, "no") || word(i - 1, "nos") || word(i - 1, "vol") || word(i - 1, "pp") {
                return true
            }
            return tk.ch == 0x24 || tk.ch == 0x23 || tk.ch == 0x2A  // $ # ¤
        }
        guard tk.kind == .word else { return false }
        // A name right before the number: "Brigade 2506", "Vision 2030", "Apollo 11" — an
        // identifier, not a year. (Months, seasons and holidays are in the lexicon.)
        // A range of years after a name is a period, not two identifiers: "Eastern Theater 1861-1863".
        // ("C", "H", "Q" are known words, for "c. 1450" and "H1 2024", but as capitals before a number a name's: "Model C 1999".)
        let key = lx(i).key
        if tk.isCapitalized, tk.gap <= 1, !sentenceInitial(i), key == .none || key == .c || key == .h || key == .q || key == .ca,
           lx(i).month == 0, !rangeFollows { return true }
        if word(i, "room") || word(i, "flight") || word(i, "boeing") || word(i, "airbus") || word(i, "model")
            || word(i, "route") || word(i, "highway") || word(i, "no") || word(i, "number") || word(i, "page")
            || word(i, "pages") || word(i, "chapter") || word(i, "section") || word(i, "article") || word(i, "resolution")
            || word(i, "rule") || word(i, "form") || word(i, "suite") || word(i, "apartment") || word(i, "box")
            || word(i, "channel") || word(i, "bus") || word(i, "windows") || word(i, "version") || word(i, "vol")
            || word(i, "volume") || word(i, "issue") || word(i, "code") || word(i, "bill") || word(i, "interstate")
            || word(i, "pp") || word(i, "gate") || word(i, "platform") || word(i, "track") || word(i, "exit")
            || word(i, "unit") || word(i, "lot") || word(i, "street") || word(i, "avenue") || word(i, "st")
            || word(i, "road") || word(i, "ward") || word(i, "phone") || word(i, "tel") || word(i, "fax")
            || word(i, "ext") || word(i, "extension") || word(i, "dow") || word(i, "nasdaq") || word(i, "index") || word(i, "rs")
            || word(i, "usd") || word(i, "eur") || word(i, "gbp") || word(i, "us") || word(i, "mp") || word(i, "op")
            || word(i, "opus") || word(i, "psalm") || word(i, "psalms") || word(i, "verse") || word(i, "line")
            || word(i, "lines") || word(i, "item") || word(i, "step") || word(i, "level") || word(i, "floor")
            || word(i, "score") || word(i, "scored") || word(i, "total") || word(i, "totaled") || word(i, "totalled")
            || word(i, "killed") || word(i, "kill") || word(i, "killing") || word(i, "about") || word(i, "some")
            || word(i, "nearly") || word(i, "almost") || word(i, "approximately") || word(i, "roughly")
            || word(i, "least") || word(i, "than") || word(i, "over") && !overAYear(i) || word(i, "under") || word(i, "only")
            || word(i, "to") && t(i - 1).kind == .number && yearNumber(i - 1) == nil {
            return true
        }
        return false
    }

    /// "over 2023 as a whole", "Over 2023, prices rose": "over" a year, not more than a number.
    func overAYear(_ i: Int) -> Bool {
        let y = i + 1
        guard t(y).kind == .number, t(y).digits == 4, !t(y).grouped else { return false }
        if word(y + 1, "as"), isK(y + 2, .a), word(y + 3, "whole") { return true }
        return sentenceInitial(i) && p(y + 1, ",")
    }

    /// Token i, the year `y`, starts a range of years: a dash (hyphen or en
    /// dash, nothing around it) and a later year within a century, written
    /// whole or by its last two digits ("1861-1863", "1914–18").
    func yearRangeFrom(_ i: Int, _ y: Int) -> Bool {
        guard adj(i + 1), p(i + 1, "-"), adj(i + 2), t(i + 2).kind == .number, !t(i + 2).grouped else { return false }
        let tail = t(i + 2)
        if tail.digits == 4, let end = yearNumber(i + 2) { return end > y && end - y <= 100 }
        if tail.digits == 2 { let end = y / 100 * 100 + Int(tail.num); return end > y }
        return false
    }

    /// Words after a number that make it a quantity ("2000 cases", "1500 troops").
    func quantityAfter(_ i: Int, value: Int, afterDate: Bool = false) -> Bool {
        let tk = t(i)
        guard tk.kind == .word, !tk.isCapitalized else {
            if tk.kind == .punct, tk.ch == 0x25 { return true }  // %
            if tk.kind == .punct, tk.ch == 0x2D, adj(i), adj(i + 1), t(i + 1).kind == .word {
                // "2000-strong", "1500-page", but not "1990-91" or "mid-1990s-era"
                let l = lx(i + 1)
                return l.unit == .none && l.month == 0 && !word(i + 1, "era") && !word(i + 1, "style") && !word(i + 1, "vintage")
            }
            return false
        }
        let l = lx(i)
        if l.unit != .none || l.month != 0 || l.season != 0 || l.key != .none || l.flags & Lex.verbS != 0 { return false }
        // Plural nouns after a number: "2000 cases", "1999 troops". Years are rarely followed by a bare plural;
        // round numbers nearly always count things.
        let len = tk.length
        let last = text[Int(tk.end) - 1]
        // "53% of 1913 levels", "near 1988 levels": the level of that year, not a count of levels
        if word(i, "levels"), value >= 1800, value <= 2100 { return false }
        // After a month or a day ("January 1957 paratroopers") a year is a year.
        if len > 2, last == UInt8(ascii: "s"), text[Int(tk.end) - 2] != UInt8(ascii: "s"), !afterDate {
            if value % 100 == 0 || value > 2100 { return true }
            // A plural followed by a verb-like word or a preposition is a subject ("In 1990 sales rose"): keep as year
            // only when the year follows "in"/"since"/"by".
            // "the 1614 rules", "its 1990 profits": a determiner makes the year a modifier
            return !(isK(i - 2, .in) || isK(i - 2, .since) || isK(i - 2, .by) || isK(i - 2, .during) || isK(i - 2, .until)
                     || isK(i - 2, .the) || word(i - 2, "its") || word(i - 2, "their") || word(i - 2, "his") || word(i - 2, "her"))
        }
        if word(i, "people") || word(i, "men") || word(i, "women") || word(i, "children") || word(i, "feet")
            || word(i, "ft") || word(i, "km") || word(i, "kilometres") || word(i, "kilometers") || word(i, "metres")
            || word(i, "meters") || word(i, "m") || word(i, "kg") || word(i, "lb") || word(i, "mph") || word(i, "rpm")
            || word(i, "cc") || word(i, "hp") || word(i, "percent") || word(i, "per") || word(i, "dead") || word(i, "strong")
            || word(i, "mi") || word(i, "sq") || word(i, "square") || word(i, "cubic") || word(i, "metric") || word(i, "barrels")
            || word(i, "yuan") || word(i, "yen") || word(i, "rubles") || word(i, "pesos") || word(i, "marks") || word(i, "francs") {
            return true
        }
        return false
    }

    // MARK: Month names

    /// A month name usable as a date: capitalized (or all caps), and for the
    /// ambiguous ones (May, March, Aug., Sat) only when the context allows.
    func month(_ i: Int) -> (month: Int, end: Int)? {
        let tk = t(i)
        guard tk.kind == .word else { return nil }
        let l = lx(i)
        guard l.month != 0, !l.isPlural else { return nil }
        let capital = tk.isCapitalized
        if !capital {
            // lowercase full names of unambiguous months are still months ("in january")
            if l.isAbbrev || l.isAmbiguous { return nil }
        }
        var e = i + 1
        if adj(e), p(e, ".") {
            if l.isAbbrev { e += 1 }
        } else if l.isAbbrev && tk.length <= 3 && !(capital && tk.length == 3) {
            return nil
        }
        if l.isAbbrev && !capital { return nil }
        return (Int(l.month), e)
    }

    /// Context in which a bare ambiguous month name ("May", "March") is a date.
    func monthCueBefore(_ i: Int) -> Bool {
        switch k(i - 1) {
        case .in, .since, .until, .till, .by, .of, .from, .to, .through, .during, .before, .after, .last, .next, .this,
             .early, .late, .mid, .between, .and, .or, .that, .around, .throughout, .past, .coming, .every, .each, .on,
             .following, .previous, .end, .beginning, .middle, .start:
            return true
        default:
            if p(i - 1, "-") && (isK(i - 2, .mid)) { return true }
            return false
        }
    }

    /// A month joined by a dash to another month, with no space around it: "(May-August 1950)",
    /// "the June-August period". Such a pair of names is a span of months, not a name and a word.
    func monthDashPair(_ i: Int) -> Bool {
        if adj(i + 1), p(i + 1, "-"), adj(i + 2), month(i + 2) != nil { return true }
        if adj(i), p(i - 1, "-"), adj(i - 1), i >= 2, let (_, e) = month(i - 2), e == i - 1 { return true }
        return false
    }

    // MARK: Matching

    /// Whether an expression can start at token i: most tokens are rejected here
    /// with a table lookup or two, before any parsing.
    @inline(__always)
    func canStart(_ i: Int) -> Bool {
        let tk = toks[i]
        switch tk.kind {
        case .number: return true
        case .punct: return tk.ch == 0x27
        case .word:
            if tk.lex == 0 { return false }
            let st = lexicon[Int(tk.lex)].start
            if st == 1 { return true }
            if st == 0 { return false }
            // "the", "last", "about" ... start an expression only before a known word or a number.
            var j = i + 1
            while j <= i + 3 && j < n {
                let nx = toks[j]
                if nx.kind == .number || (nx.kind == .word && lexicon[Int(nx.lex)].start != 0) || (nx.kind == .punct && nx.ch == 0x27) { return true }
                if nx.kind == .word && nx.lex == 0 && j > i + 1 { return false }
                j += 1
            }
            return false
        }
    }

    /// The longest expression that starts at token i.
    func match(at i: Int) -> Match? {
        guard i >= 0, i < n, canStart(i) else { return nil }
        // "earlier this year", "later that month", "later in the day", "sometime next year", "right now":
        // the word belongs to the expression that follows.
        let k0 = k(i)
        let sometime = word(i, "sometime"), right = word(i, "right")
        if k0 == .earlier || k0 == .later || sometime || right {
            var j = i + 1
            if isK(j, .in), k0 == .earlier || k0 == .later { j += 1 }
            if var m = matchCore(j), m.start == j {
                let ok: Bool
                switch m.sem.kind {
                case .shift: ok = m.sem.offset == 0 || sometime
                case .literal: ok = right && m.sem.literal == "PRESENT_REF"
                case .point: ok = !m.sem.explicit && (k0 == .earlier || k0 == .later)
                default: ok = false
                }
                if ok {
                    m.start = i
                    if m.sem.mod == nil, k0 == .earlier { m.sem.mod = "START" } else if m.sem.mod == nil, k0 == .later { m.sem.mod = "END" }
                    return m
                }
            }
        }
        var best: Match?
        func take(_ m: Match?) {
            guard let m else { return }
            if best == nil || m.end > best!.end { best = m }
        }
        // Approximators and comparatives: "about three years", "more than a decade", "nearly two weeks ago".
        if let (mod, j, durationOnly) = parseApprox(i) {
            if var m = matchCore(j) {
                let kindOK = m.sem.kind != .literal && m.sem.kind != .set
                if kindOK, !durationOnly || m.sem.kind == .duration || (m.sem.kind == .shift && m.sem.amountWasCounted) {
                    m.start = i
                    if m.sem.mod == nil { m.sem.mod = mod }
                    take(m)
                }
            }
        }
        take(matchCore(i))
        // "quarter-to-quarter comparison", "year-over-year growth", "year-to-date": a compound adjective
        if let m = best, lx(m.end - 1).unit != .none, adj(m.end), p(m.end, "-"), adj(m.end + 1),
           word(m.end + 1, "to") || word(m.end + 1, "over"), adj(m.end + 2), p(m.end + 2, "-") {
            return nil
        }
        return best
    }

    /// "about", "around", "more than", "at least", ... : (mod, next index, applies to durations only).
    func parseApprox(_ i: Int) -> (String, Int, Bool)? {
        switch k(i) {
        case .about, .approximately, .roughly: return ("APPROX", i + 1, false)
        case .around: return ("APPROX", i + 1, false)
        case .some: return lx(i + 1).number >= 0 || t(i + 1).kind == .number ? ("APPROX", i + 1, true) : nil
        case .nearly, .almost: return ("LESS_THAN", i + 1, false)
        case .barely: return ("LESS_THAN", i + 1, true)
        case .more: return isK(i + 1, .than) ? ("MORE_THAN", i + 2, true) : nil
        case .less, .fewer: return isK(i + 1, .than) ? ("LESS_THAN", i + 2, true) : nil
        case .at: return isK(i + 1, .least) ? ("EQUAL_OR_MORE", i + 2, true) : nil
        case .up: return isK(i + 1, .to) ? ("EQUAL_OR_LESS", i + 2, true) : nil
        case .over, .under: return t(i + 1).kind == .number || lx(i + 1).number >= 0 || isK(i + 1, .a) || isK(i + 1, .an)
            ? (k(i) == .over ? "MORE_THAN" : "LESS_THAN", i + 1, true) : nil
        case .just:
            if isK(i + 1, .over) { return ("MORE_THAN", i + 2, true) }
            if isK(i + 1, .under) { return ("LESS_THAN", i + 2, true) }
            return nil
        case .well:
            if isK(i + 1, .over) { return ("MORE_THAN", i + 2, true) }
            return nil
        // "circa 1450", "c. 1450", "ca. 300 BC": about a year
        case .circa: return t(i + 1).kind == .number ? ("APPROX", i + 1, false) : nil
        case .c, .ca:
            return !t(i).isCapitalized && adj(i + 1) && p(i + 1, ".") && t(i + 2).kind == .number ? ("APPROX", i + 2, false) : nil
        default: return nil
        }
    }

    /// The longest core expression at i (no approximator).
    func matchCore(_ i: Int) -> Match? {
        var best: Match?
        func take(_ m: Match?) {
            guard let m else { return }
            if best == nil || m.end > best!.end { best = m }
        }
        let tk = t(i)
        if tk.kind == .number || tk.kind == .punct {
            take(parseNumeric(i))
            if tk.kind == .number {
                take(parseDayFirst(i))
                take(parseCentury(i))
                take(parseQuarter(i))
                take(parseBusinessPeriod(i))
                take(parseCountUnit(i))
                take(parseTime(i))
            }
            return best
        }
        let l = lx(i)
        if l.month != 0 || l.weekday != 0 { take(parseExplicit(i)) }
        if l.weekday != 0 { take(parseWeekday(i)) }
        if l.season != 0 { take(parseSeason(i)) }
        if l.ordinal != 0 || l.number >= 0 { take(parseQuarter(i)); take(parseCentury(i)); take(parseExplicit(i)) }
        if l.ordinal != 0 || l.key == .last { take(parseNthWeekday(i)) }
        if l.number >= 0 || l.key == .a || l.key == .an || l.key == .few || l.key == .several || l.key == .couple
            || l.key == .many || l.key == .dozens || l.key == .hundreds || l.key == .thousands || l.key == .tens || l.key == .numerous {
            take(parseCountUnit(i))
        }
        if l.number >= 0, l.flags & Lex.teen != 0 || l.flags & Lex.tens != 0 { take(parseSpokenYear(i)) }
        if l.unit != .none { take(parseUnitWord(i)) }
        if l.unit == .half { take(parseCountUnit(i)) }
        // "at a later date", "at some later date": a time still to come, not named
        if l.key == .a || word(i, "some"), isK(i + 1, .later), word(i + 2, "date") {
            take(Match(start: i, end: i + 3, sem: .lit("FUTURE_REF")))
        }
        // "the post-1959 politics", "pre-1990 levels": the year, after or before which
        if word(i, "post") || word(i, "pre"), adj(i + 1), p(i + 1, "-"), adj(i + 2), let y = yearNumber(i + 2), !(adj(i + 3) && p(i + 3, "-")) {
            var s = Sem(); s.year = y; s.explicit = true; s.mod = word(i, "post") ? "AFTER" : "BEFORE"
            take(Match(start: i, end: i + 3, sem: s))
        }
        if l.unit == .year, !l.isPlural, (adj(i + 1) && p(i + 1, "-") && adj(i + 2) || t(i + 1).gap == 1) && isK(i + 2 - (t(i + 1).gap == 1 && !p(i + 1, "-") ? 1 : 0), .end) {
            // "year-end", "year end": the end of the year in context
            let hyphen = p(i + 1, "-")
            var s = Sem.shift(.year, 0, .auto); s.mod = "END"
            if hyphen { s.yearEndDay = true }
            // "since year-end": the year-end that is over, the last one before the anchor
            if isK(i - 1, .since) { s.offset = -1 }
            take(Match(start: i, end: hyphen ? i + 3 : i + 2, sem: s))
        }
        // "year's end", "at month's end", "by week's end": the end of the one in view
        if l.unit == .year || l.unit == .month || l.unit == .week || l.unit == .quarter, !l.isPlural,
           p(i + 1, "'"), adj(i + 1), isK(i + 2, .s), isK(i + 3, .end) {
            var s = Sem.shift(l.unit, 0, .auto); s.mod = "END"
            take(Match(start: i, end: i + 4, sem: s))
        }
        if l.unit == .year, !l.isPlural, adj(i + 1), p(i + 1, "-"), adj(i + 2), isK(i + 2, .ago) || isK(i + 2, .earlier) {
            // "year-earlier results", "year-ago levels"
            var s = Sem.shift(.year, -1, .last); s.keepAnchorGrain = true
            take(Match(start: i, end: i + 3, sem: s))
        }
        if l.dayPart != 0 { take(parseDayPart(i)) }
        if l.key == .q || l.key == .h || l.key == .fy, tk.isCapitalized { take(parseBusinessPeriod(i)) }
        switch l.key {
        case .none: break
        case .the:
            take(parseThe(i))
        case .this, .last, .next, .past, .previous, .following, .coming, .upcoming, .current, .latest, .recent,
             .same, .that, .prior, .preceding, .subsequent, .ensuing, .final, .these, .those, .forthcoming:
            take(parseDeterminer(i))
            if l.key == .current || l.key == .recent { take(parseRefWord(i)) }
        case .early, .late, .mid, .middle, .end, .beginning, .start:
            take(parsePositional(i))
        case .yesterday, .today, .tomorrow, .tonight:
            take(parseDeictic(i))
        case .every, .each, .daily, .weekly, .monthly, .quarterly, .annually, .yearly, .hourly, .nightly, .biweekly,
             .semiannually, .per, .twice, .once, .alternate:
            take(parseSet(i))
            if l.key == .once { take(parseRefWord(i)) }
        case .noon, .midday, .midnight:
            take(parseTime(i))
        case .fiscal, .calendar:
            take(parseFiscal(i))
        case .christmas, .easter, .thanksgiving, .halloween, .new, .valentine, .independence, .memorial, .labor, .veterans, .boxing, .election:
            take(parseHoliday(i))
        case .a, .an:
            take(parseSetA(i))
        case .at, .for, .ad:
            take(parseRefWord(i))
            if l.key == .ad { take(parseNumeric(i)) }
        default:
            take(parseRefWord(i))
        }
        if l.key == .mid || (l.key == .the) || l.ordinal != 0 || l.key == .fiscal { take(parseQuarter(i)) }
        return best
    }

    // MARK: Explicit dates

    /// Dates that name a month: "Sept. 4", "July 4th, 1776", "4 July 1776",
    /// "the 4th of July", "Monday, Oct. 26", "July 2018", "February of 1940".
    func parseExplicit(_ i: Int) -> Match? {
        var j = i
        var weekday = 0
        // Weekday prefix: "Monday, Oct. 26", "Friday the 13th", "Tuesday 5 March".
        if lx(j).weekday != 0, !lx(j).isPlural, t(j).isCapitalized {
            weekday = Int(lx(j).weekday)
            j += 1
            if adj(j), p(j, ".") { j += 1 }
            if p(j, ",") { j += 1 }
            guard lx(j).month != 0 || t(j).kind == .number || isK(j, .the) || lx(j).ordinal != 0 else { return nil }
        }
        var best: Match?
        if let m = parseMonthFirst(j) { best = m }
        if let m = parseDayFirst(j), m.end > (best?.end ?? 0) { best = m }
        guard var m = best else { return nil }
        if weekday != 0 {
            guard m.sem.day != nil else { return nil }
            m.start = i
            m.sem.statedWeekday = weekday
        }
        return m
    }

    /// Month first: "Sept. 4", "July 4th, 1776", "July 2018", "February of 1940", "May".
    func parseMonthFirst(_ i: Int) -> Match? {
        guard let (mo, e0) = month(i) else { return nil }
        let l = lx(i)
        var s = Sem()
        s.month = mo
        var e = e0
        // Day
        if let (d, de, _) = parseDay(e), d <= DateTime.daysIn(month: mo, year: 2000) {
            // "May 5" but not "May 1990" (handled below) and not "March 3 million"
            let after = t(de)
            let okAfter = !(after.kind == .word && (lx(de).number >= 100 || isK(de, .million) || isK(de, .billion) || word(de, "percent")))
            if okAfter {
                s.day = d
                e = de
                // Year: ", 1998", " 1998", ", '98"
                var y = e
                if p(y, ",") { y += 1 }
                if let (yr, bc, ye) = yearAfter(y) {
                    s.year = yr; s.bc = bc; s.explicit = true; e = ye
                } else if let (off, anchor, ye) = yearPhrase(e) {
                    s.relYear = off; s.relYearAnchor = anchor; e = ye
                }
                return Match(start: i, end: e, sem: s)
            }
        }
        // Month and year: "July 2018", "July, 2018", "July of 2018", "Sept. '98"
        var y = e
        if p(y, ",") { y += 1 } else if isK(y, .of) { y += 1 }
        if let (yr, bc, ye) = yearAfter(y) {
            s.year = yr; s.bc = bc; s.explicit = true
            return Match(start: i, end: ye, sem: s)
        }
        if let (off, anchor, ye) = yearPhrase(e) {
            s.relYear = off; s.relYearAnchor = anchor
            return Match(start: i, end: ye, sem: s)
        }
        // Month alone.
        if l.isAmbiguous {
            guard t(i).isCapitalized || t(i).isAllCaps else { return nil }
            if !monthCueBefore(i), !monthDashPair(i) {
                // "May" as a name or modal; "March" as a verb or noun. Allow a month in a list
                // ("in June, July and August") only through the cue of the first.
                return nil
            }
            // "may" after a cue but followed by a verb-like lowercase word is still ambiguous: "... in May be ..."
            if isK(i + 1, .be) { return nil }
        } else if !t(i).isCapitalized && !t(i).isAllCaps {
            // lowercase "june" is fine only after a cue
            if !monthCueBefore(i) { return nil }
        }
        // A name: "June Carter", "August Wilson", "April Ryan".
        if t(e0).kind == .word, t(e0).isCapitalized, lx(e0).key == .none, lx(e0).month == 0, t(e0).gap == 1, !monthCueBefore(i) {
            return nil
        }
        if lx(i).isAbbrev, !adj(e0 - 1 + 1) || e0 == i + 1 {
            // a bare abbreviation without a period ("Mar", "Jan") alone is too risky
            if e0 == i + 1 { return nil }
        }
        return Match(start: i, end: e0, sem: s)
    }

    /// Day first: "4 July 1776", "the 4th of July, 1776", "24 February", "4th July".
    func parseDayFirst(_ i: Int) -> Match? {
        var j = i
        var hadThe = false
        if isK(j, .the) { j += 1; hadThe = true }
        guard let (d, de, ord) = parseDay(j) else { return nil }
        var m = de
        if isK(m, .of) { m += 1 } else if hadThe && !ord { return nil }
        guard let (mo, me) = month(m) else { return nil }
        if !ord, t(j).kind == .number, isK(m - 1, .of) { return nil }
        guard d <= DateTime.daysIn(month: mo, year: 2000) else { return nil }
        var s = Sem()
        s.month = mo; s.day = d
        var e = me
        var y = e
        if p(y, ",") { y += 1 }
        if let (yr, bc, ye) = yearAfter(y) {
            s.year = yr; s.bc = bc; s.explicit = true; e = ye
        } else if let (off, anchor, ye) = yearPhrase(e) {
            s.relYear = off; s.relYearAnchor = anchor; e = ye
        } else if lx(m).isAmbiguous, !t(m).isCapitalized {
            return nil
        }
        return Match(start: i, end: e, sem: s)
    }

    /// "this year", "last year", "of that year", ", next year" after a month or a date: (offset, anchor, end).
    func yearPhrase(_ i: Int) -> (Int, Sem.Anchor, Int)? {
        var j = i
        var of = false
        if isK(j, .of) { j += 1; of = true } else if p(j, ",") { j += 1 }
        let key = k(j)
        guard lx(j + 1).unit == .year, !lx(j + 1).isPlural, t(j + 1).kind == .word else {
            // "of the following year", "of the same year", "of the previous year"
            if of, key == .the, [K.following, .same, .previous, .next, .preceding].contains(k(j + 1)), lx(j + 2).unit == .year, !lx(j + 2).isPlural {
                let o = [K.following: 1, .same: 0, .previous: -1, .next: 1, .preceding: -1][k(j + 1)]!
                return (o, .last, j + 3)
            }
            return nil
        }
        switch key {
        case .this: return (0, .auto, j + 2)
        case .last: return (-1, .reference, j + 2)
        case .next: return (1, .reference, j + 2)
        case .that: return of ? (0, .last, j + 2) : nil
        default: return nil
        }
    }

    /// A range of years with the era after the second: "from 499 to 493 BC", "(240–238 BC)".
    func eraRange(_ i: Int) -> (Match, Match)? {
        let tk = t(i)
        guard tk.kind == .number, !tk.grouped, tk.digits <= 4, tk.num > 0 else { return nil }
        var j = i + 1
        if p(j, "-") { j += 1 } else if isK(j, .to) || isK(j, .and) || isK(j, .through) || isK(j, .until) { j += 1 } else { return nil }
        guard let v2 = num(j), t(j).digits <= 4, let (bc, e) = era(j + 1) else { return nil }
        // BC years count down, AD years up
        guard bc ? v2 < Int(tk.num) : v2 > Int(tk.num) else { return nil }
        var a = Sem(); a.year = Int(tk.num); a.bc = bc; a.explicit = true
        var b = Sem(); b.year = v2; b.bc = bc; b.explicit = true
        return (Match(start: i, end: i + 1, sem: a), Match(start: j, end: e, sem: b))
    }

    /// A range of days before a month: "22–25 April 1951", "3 and 4 June": the first day and the date that ends it.
    func dayRange(_ i: Int) -> (Match, Match)? {
        let tk = t(i)
        guard tk.kind == .number, !tk.grouped, tk.digits <= 2, tk.num >= 1, tk.num <= 31 else { return nil }
        var j = i + 1
        if adj(j), [K.st, .nd, .rd, .th].contains(k(j)) { j += 1 }
        if p(j, "-") { j += 1; if p(j, "-") { j += 1 } }
        else if isK(j, .to) || isK(j, .and) || isK(j, .through) || isK(j, .until) { j += 1 }
        else { return nil }
        guard let y = parseDayFirst(j), let d2 = y.sem.day, d2 > Int(tk.num), y.start == j else { return nil }
        var x = y.sem
        x.day = Int(tk.num)
        x.explicit = y.sem.explicit
        return (Match(start: i, end: isK(i + 1, .st) || isK(i + 1, .nd) || isK(i + 1, .rd) || isK(i + 1, .th) ? i + 2 : i + 1, sem: x), y)
    }

    /// '98 → 1998; in a history of the 1780s, '89 → 1789.
    func twoDigitYear(_ v: Int) -> Int {
        if narrative, let y = lastYear, !lastWasBC, y >= 100 {
            let c = y / 100 * 100
            return c + v
        }
        return v < 30 ? 2000 + v : 1900 + v
    }

    /// A year written after a month, a day or a season: "1998", "481 BC", "AD 9", "'98".
    func yearAfter(_ y: Int) -> (year: Int, bc: Bool, end: Int)? {
        if let yr = yearNumber(y), !quantityAfter(y + 1, value: yr, afterDate: true) {
            if let (bc, e) = era(y + 1) { return (yr, bc, e) }
            return (yr, false, y + 1)
        }
        if let v = num(y), v > 0, t(y).digits <= 4, !t(y).grouped, let (bc, e) = era(y + 1) { return (v, bc, e) }
        if isK(y, .ad), t(y).isAllCaps || t(y).isCapitalized, let v = num(y + 1), v > 0, t(y + 1).digits <= 4, !t(y + 1).grouped {
            return (v, false, y + 2)
        }
        if p(y, "'"), adj(y + 1), let v = num(y + 1), t(y + 1).digits == 2, !(adj(y + 2) && t(y + 2).kind == .word) {
            return (twoDigitYear(v), false, y + 2)
        }
        // Spoken: "January nineteen ninety-seven", "the winter of nineteen ninety-four"
        if t(y).kind == .word, let m = parseSpokenYear(y), let yr = m.sem.year { return (yr, false, m.end) }
        return nil
    }

    // MARK: Numeric forms

    /// Forms that start with digits or an apostrophe: ISO dates, slashed dates,
    /// years, decades ("1990s", "'80s"), BC years, centuries ("the 1800s").
    func parseNumeric(_ i: Int) -> Match? {
        let tk = t(i)
        // AD 9, A.D. 1066
        if tk.kind == .word {
            if k(i) == .ad, t(i).isAllCaps || t(i).isCapitalized, let v = num(i + 1), t(i + 1).digits <= 4, !t(i + 1).grouped {
                var s = Sem(); s.year = v; s.explicit = true
                return Match(start: i, end: i + 2, sem: s)
            }
            return nil
        }
        // '80s, '98
        if tk.kind == .punct {
            guard tk.ch == 0x27, adj(i + 1), let v = num(i + 1), t(i + 1).digits == 2 else { return nil }
            if adj(i + 2), isK(i + 2, .s) {
                var s = Sem(); s.decade = (v >= 30 ? 190 : 200) + v / 10
                if v % 10 != 0 { return nil }
                s.explicit = true
                return Match(start: i, end: i + 3, sem: s)
            }
            // '98 as a year only after a cue: "in '98", "class of '98"
            if [K.in, .since, .of, .by, .until, .from, .to].contains(k(i - 1)), !(adj(i + 2) && t(i + 2).kind != .punct) {
                var s = Sem(); s.year = twoDigitYear(v); s.explicit = true
                return Match(start: i, end: i + 2, sem: s)
            }
            return nil
        }
        guard tk.kind == .number, !tk.grouped else { return nil }
        let v = Int(tk.num)
        let d = tk.digits
        // ISO 8601: 2018-07-16, 2018-07
        if d == 4, adj(i + 1), p(i + 1, "-"), adj(i + 2), t(i + 2).digits == 2, let mo = num(i + 2), mo >= 1, mo <= 12 {
            if adj(i + 3), p(i + 3, "-"), adj(i + 4), t(i + 4).digits == 2, let dd = num(i + 4), dd >= 1, dd <= DateTime.daysIn(month: mo, year: v) {
                var s = Sem(); s.year = v; s.month = mo; s.day = dd; s.explicit = true
                var e = i + 5
                // 2018-07-16T14:30
                if adj(e), t(e).kind == .word, text[Int(t(e).start)] == UInt8(ascii: "T"), t(e).length == 1,
                   adj(e + 1), let hh = num(e + 1), hh < 24, adj(e + 2), p(e + 2, ":"), adj(e + 3), let mm = num(e + 3), mm < 60 {
                    s.hour = hh; s.minute = mm; s.type = .time; e += 4
                }
                return Match(start: i, end: e, sem: s)
            }
            // Not a range of two years: "in 2007-08", "the 2008-09 season" (the 1914–18 rule reads it)
            if text[Int(t(i + 2).start)] == UInt8(ascii: "0"), !(adj(i + 3) && (p(i + 3, "-") || t(i + 3).kind == .number)),
               mo != (v + 1) % 100 {
                var s = Sem(); s.year = v; s.month = mo; s.explicit = true
                return Match(start: i, end: i + 3, sem: s)
            }
        }
        // Year first with slashes or dots: 2020/01/02, 2020.01.02 (as East Asian and some European texts write them)
        if d == 4, v >= 1000, adj(i + 1), p(i + 1, "/") || p(i + 1, "."), adj(i + 2), t(i + 2).digits == 2, let mo = num(i + 2), mo >= 1, mo <= 12,
           adj(i + 3), t(i + 3).kind == .punct, t(i + 3).ch == t(i + 1).ch, adj(i + 4), t(i + 4).digits == 2, let dd = num(i + 4),
           dd >= 1, dd <= DateTime.daysIn(month: mo, year: v), !(adj(i + 5) && (t(i + 5).kind == .number || p(i + 5, "/"))),
           !nonYearBefore(i - 1) {  // not "version 2020.01.02"
            var s = Sem(); s.year = v; s.month = mo; s.day = dd; s.explicit = true
            return Match(start: i, end: i + 5, sem: s)
        }
        // Slashed and dotted dates: 7/16/2018, 16/07/2018, 16.07.2018, 7/16/18
        if d <= 2, adj(i + 1), p(i + 1, "/") || p(i + 1, "."), adj(i + 2), let b = num(i + 2), t(i + 2).digits <= 2,
           adj(i + 3), t(i + 3).kind == .punct, t(i + 3).ch == t(i + 1).ch, adj(i + 4), let c = num(i + 4),
           t(i + 4).digits == 4 || t(i + 4).digits == 2, !(adj(i + 5) && (t(i + 5).kind == .number || p(i + 5, "/"))) {
            let year = t(i + 4).digits == 4 ? c : twoDigitYear(c)
            var mo = v, dd = b
            if p(i + 1, ".") || v > 12 { mo = b; dd = v }
            guard mo >= 1, mo <= 12, dd >= 1, dd <= DateTime.daysIn(month: mo, year: year) else { return nil }
            var s = Sem(); s.year = year; s.month = mo; s.day = dd; s.explicit = true
            return Match(start: i, end: i + 5, sem: s)
        }
        // Decades and centuries: 1990s, 1990's, 1800s
        if d == 4, v % 10 == 0, v >= 1000, v <= 2990 {
            var e = i + 1
            var isDecade = false
            if adj(e), isK(e, .s) { isDecade = true; e += 1 }
            else if adj(e), p(e, "'"), adj(e + 1), isK(e + 1, .s) { isDecade = true; e += 2 }
            if isDecade {
                var s = Sem(); s.explicit = true
                if v % 100 == 0 && !isK(i - 1, .early) && !isK(i - 1, .late) { s.century = v / 100 } else { s.decade = v / 10 }
                if let (bc, ee) = era(e) { s.bc = bc; e = ee }
                if s.century != nil, v % 100 == 0, isK(i - 2, .the) && (isK(i - 1, .early) || isK(i - 1, .late) || isK(i - 1, .mid)) {
                    s.century = nil; s.decade = v / 10
                }
                return Match(start: i, end: e, sem: s)
            }
        }
        // the 470s BC
        if d == 3, v % 10 == 0, adj(i + 1), isK(i + 1, .s), let (bc, e) = era(i + 2) {
            var s = Sem(); s.decade = v / 10; s.bc = bc; s.explicit = true
            return Match(start: i, end: e, sem: s)
        }
        // the 80s / the 90s
        if d == 2, v % 10 == 0, adj(i + 1), isK(i + 1, .s), isK(i - 1, .the) || isK(i - 1, .early) || isK(i - 1, .late) || isK(i - 1, .mid) || p(i - 1, "-") {
            var s = Sem(); s.decade = (v >= 30 ? 190 : 200) + v / 10; s.explicit = true
            return Match(start: i, end: i + 2, sem: s)
        }
        // Numbers with an era: 490 BC, 1066 AD
        if d <= 4, !(adj(i + 1) && t(i + 1).kind == .word && !isK(i + 1, .bc) && !isK(i + 1, .ad) && !isK(i + 1, .bce)),
           let (bc, e) = era(i + 1), v > 0 {
            var s = Sem(); s.year = v; s.bc = bc; s.explicit = true
            return Match(start: i, end: e, sem: s)
        }
        // Years, and year ranges like 1914–18.
        if let y = yearNumber(i) {
            if nonYearBefore(i - 1, rangeFollows: yearRangeFrom(i, y)) { return nil }
            if quantityAfter(i + 1, value: y) { return nil }
            // A year in a list of numbers ("1999, 2000 and 2001 models")? Keep it.
            // A number after a capitalized name: "Boeing 747", "Windows 2000", "Euro 2016".

            // Numbers among other numbers ("1200 1500 1800") or times of day ("at 1430 hours")
            if isK(i + 1, .hrs) || word(i + 1, "hours") && isK(i - 1, .at) { return nil }
            if y < 1500 && !narrative {
                guard [K.in, .since, .of, .by, .until, .from, .to, .around, .before, .after, .during].contains(k(i - 1))
                        || parseApprox(i - 1).map({ $0.1 == i }) == true || parseApprox(i - 2).map({ $0.1 == i }) == true else { return nil }
            }
            var s = Sem(); s.year = y; s.explicit = true
            return Match(start: i, end: i + 1, sem: s)
        }
        // Small numbers as years in narratives about antiquity: "in 480", "by 264" (BC when the text is BC).
        if narrative, lastWasBC || (lastYear ?? 2000) < 1000, d >= 2, d <= 4, v > 0,
           [K.in, .of, .by, .until, .since, .from, .to, .around, .before, .after, .during, .and].contains(k(i - 1)),
           !quantityAfter(i + 1, value: v), !(t(i + 1).kind == .word && !t(i + 1).isCapitalized && lx(i + 1).key == .none && t(i + 1).gap == 1),
           !(isK(i - 1, .and) && !(t(i - 2).kind == .number)) {
            var s = Sem(); s.year = v; s.bc = lastWasBC; s.explicit = true
            return Match(start: i, end: i + 1, sem: s)
        }
        return nil
    }

    /// "nineteen ninety-four", "the year two thousand" — spoken years (broadcast transcripts).
    func parseSpokenYear(_ i: Int) -> Match? {
        let l = lx(i)
        guard t(i).kind == .word, l.number >= 10, l.number <= 20, l.flags & Lex.teen != 0 || l.number == 20 else {
            // "two thousand", "two thousand and one"
            if l.number == 2, lx(i + 1).number == 1000 {
                var e = i + 2
                var v = 2000
                var j = e
                if isK(j, .and) { j += 1 }
                if let (r, e2) = parseNumberWords(j), r < 100, r > 0 { v += r; e = e2 }
                if word(i - 1, "year") || isK(i - 1, .in) || isK(i - 1, .since) || isK(i - 1, .by) {
                    var s = Sem(); s.year = v; s.explicit = true
                    return Match(start: i, end: e, sem: s)
                }
            }
            return nil
        }
        // "nineteen ninety-four", "nineteen eighty"
        if let (r, e) = parseNumberWords(i + 1), lx(i + 1).flags & Lex.tens != 0, r >= 10, r < 100 {
            var s = Sem(); s.year = Int(l.number) * 100 + r; s.explicit = true
            return Match(start: i, end: e, sem: s)
        }
        return nil
    }

    // MARK: Centuries and quarters

    /// "the 19th century", "the nineteenth century", "eighteenth-century", "the 5th century BC".
    func parseCentury(_ i: Int) -> Match? {
        var j = i
        var ord = 0
        if t(j).kind == .number, t(j).digits <= 2, adj(j + 1), [K.st, .nd, .rd, .th].contains(k(j + 1)) {
            ord = Int(t(j).num); j += 2
        } else if lx(j).ordinal != 0 {
            ord = Int(lx(j).ordinal); j += 1
        } else if lx(j).number == 20 || lx(j).number == 30, p(j + 1, "-"), lx(j + 2).ordinal != 0, lx(j + 2).ordinal < 10 {
            ord = Int(lx(j).number) + Int(lx(j + 2).ordinal); j += 3
        } else {
            return nil
        }
        if p(j, "-"), adj(j), adj(j + 1) { j += 1 }
        // "the 18th and 19th centuries": the first ordinal borrows the noun of the second
        if isK(j, .and) || isK(j, .or) || p(j, "-"), lx(j + 1).ordinal != 0 || t(j + 1).kind == .number, let second = parseCentury(j + 1) {
            var s = second.sem
            s.century = ord - 1
            return Match(start: i, end: j, sem: s)
        }
        guard lx(j).unit == .century, !lx(j).isPlural || isK(i - 1, .and) || isK(i - 1, .or) || p(i - 1, "-"), ord >= 1, ord <= 30 else { return nil }
        var e = j + 1
        var s = Sem(); s.explicit = true
        if let (bc, ee) = era(e) {
            s.bc = bc; e = ee
        }
        s.century = ord - 1
        return Match(start: i, end: e, sem: s)
    }

    /// Quarters and halves: "the third quarter", "third-quarter", "the fourth quarter of 1984", "Q3",
    /// "the first half of 1990", "first-half", "the fiscal first quarter".
    func parseQuarter(_ i: Int) -> Match? {
        var j = i
        var hadThe = false
        if isK(j, .the) { j += 1; hadThe = true }
        var fiscal = false
        if isK(j, .fiscal) || isK(j, .calendar) { j += 1; fiscal = true }
        // "the 1988 fourth quarter", "the 1989 first half"
        var year: Int?
        // also after a possessive: "its 1988 fourth quarter", "their 1990 first half"
        let possessive = j == i && (word(i - 1, "its") || word(i - 1, "their") || word(i - 1, "his") || word(i - 1, "her")
            || word(i - 1, "our") || (word(i - 1, "s") && p(i - 2, "'")))
        if let y = yearNumber(j), hadThe || fiscal || possessive { year = y; j += 1 }
        if isK(j, .fiscal) { j += 1 }
        // "the year-ago third quarter", "the year-earlier fourth quarter"
        var yearAgo = false
        if word(j, "year"), adj(j + 1), p(j + 1, "-"), isK(j + 2, .ago) || isK(j + 2, .earlier) { yearAgo = true; j += 3 }
        var ord = Int(lx(j).ordinal)
        if ord == 0, isK(j, .last) || isK(j, .final) { ord = -1 }
        // "the latter half of 2008"
        if ord == 0, word(j, "latter"), lx(j + 1).unit == .half { ord = -1 }
        guard ord != 0 else { return nil }
        var u = j + 1
        // "the first two quarters of 1990", "the last two quarters of the year": a half
        var twoQuarters = false
        if ord == 1 || ord == -1, lx(u).number == 2, lx(u + 1).unit == .quarter, lx(u + 1).isPlural, isK(u + 2, .of) {
            twoQuarters = true; u += 1
        }
        if p(u, "-"), adj(u), adj(u + 1) { u += 1 }
        let unit = twoQuarters ? TUnit.half : lx(u).unit
        guard (unit == .quarter || unit == .half), !lx(u).isPlural || twoQuarters else { return nil }
        if unit == .quarter { guard ord == -1 || (1...4).contains(ord) else { return nil } }
        if unit == .half { guard ord == -1 || (1...2).contains(ord) else { return nil } }
        if ord == -1 { ord = unit == .quarter ? 4 : 2 }
        // "a quarter of the cases", "half of the staff" are not periods
        var s = Sem()
        if unit == .quarter { s.quarter = ord } else { s.half = ord }
        var e = u + 1
        // "of 1990", "of fiscal 1990", "of the year", "of this year", "of next year", "1990"
        var y = e
        if isK(y, .of) {
            y += 1
            if isK(y, .fiscal) || isK(y, .calendar) { y += 1 }
            if let yr = yearNumber(y) { year = yr; e = y + 1 }
            else if let m = parseDeterminer(y), m.sem.kind == .shift, m.sem.unit == .year {
                s.kind = .shift; s.unit = .year; s.offset = m.sem.offset; s.anchor = m.sem.anchor
                e = m.end
            } else if isK(y, .the), lx(y + 1).unit == .year, !lx(y + 1).isPlural {
                e = y + 2
            } else if unit == .half, !twoQuarters, var m = matchInner(y), m.start == y, m.sem.decade != nil || m.sem.century != nil {
                // "the last half of the '80s", "the first half of the 19th century": TIMEX3 has no half of a
                // decade or century; the decade or century itself, its start or its end
                m.start = i
                m.sem.mod = ord == 1 ? "START" : "END"
                return m
            }
        } else if let yr = yearNumber(y), !hadThe || true {
            year = yr; e = y + 1
        }
        if unit == .half, year == nil, s.kind != .shift {
            // "first half" needs a year or "of the year" to be a period of time ("the first half of the match")
            if !(word(e - 1, "year")) && !hadThe && !(p(j + 1, "-")) { return nil }
        }
        if let year { s.year = year; s.explicit = true }
        if yearAgo, s.year == nil {
            s.kind = .shift; s.unit = .year; s.offset = -1; s.anchor = .last; s.keepAnchorGrain = true
        }
        if s.kind == .shift { s.grain = unit == .quarter ? .quarter : .half }
        return Match(start: i, end: e, sem: s)
    }

    /// How reports write periods: "Q3", "Q3 2023", "3Q 2023", "H1 2024", "FY2024",
    /// "FY 2024", "FY24" (the letters in capitals). Not codes that go on past
    /// the number ("H1N1", "H1B"), quarters past the fourth ("Q7"), nor a
    /// two-digit year after "FY " with a space ("FY 24 units").
    func parseBusinessPeriod(_ i: Int) -> Match? {
        var s = Sem()
        var e: Int
        if t(i).kind == .number {
            // "3Q 2023", "4Q"
            guard t(i).digits == 1, adj(i + 1), isK(i + 1, .q), t(i + 1).isCapitalized, (1...4).contains(Int(t(i).num)) else { return nil }
            s.quarter = Int(t(i).num); e = i + 2
        } else if isK(i, .fy) {
            guard t(i).isAllCaps, t(i + 1).kind == .number else { return nil }
            if let y = yearNumber(i + 1) {
                s.year = y
            } else if t(i + 1).digits == 2, adj(i + 1), !(adj(i + 2) && t(i + 2).kind != .punct) {
                s.year = 2000 + Int(t(i + 1).num)
            } else {
                return nil
            }
            s.explicit = true
            return Match(start: i, end: i + 2, sem: s)
        } else {
            guard adj(i + 1), t(i + 1).kind == .number, t(i + 1).digits == 1 else { return nil }
            let ord = Int(t(i + 1).num)
            if isK(i, .q) { guard (1...4).contains(ord) else { return nil }; s.quarter = ord }
            else { guard (1...2).contains(ord) else { return nil }; s.half = ord }
            e = i + 2
        }
        // Part of a longer code: "H1N1", "H1B"
        if adj(e), t(e).kind == .word || t(e).kind == .number { return nil }
        // Its year: "Q3 2023", "Q3 FY2024", "H1 of 2024"
        if let y = yearNumber(e) {
            s.year = y; s.explicit = true; e += 1
        } else if isK(e, .of), let y = yearNumber(e + 1) {
            s.year = y; s.explicit = true; e += 2
        } else if let m = parseBusinessPeriod(e), m.sem.quarter == nil, m.sem.half == nil, let y = m.sem.year {
            s.year = y; s.explicit = true; e = m.end
        }
        return Match(start: i, end: e, sem: s)
    }

    /// "fiscal 1989", "fiscal year 1990", "calendar 1990", "fiscal 1988's fourth quarter"
    func parseFiscal(_ i: Int) -> Match? {
        var j = i + 1
        if word(j, "year") || word(j, "yr") { j += 1 }
        if let y = yearNumber(j) {
            var s = Sem(); s.year = y; s.explicit = true
            return Match(start: i, end: j + 1, sem: s)
        }
        if p(j, "'"), adj(j + 1), let v = num(j + 1), t(j + 1).digits == 2 {
            var s = Sem(); s.year = twoDigitYear(v); s.explicit = true
            return Match(start: i, end: j + 2, sem: s)
        }
        return parseQuarter(i)
    }

    // MARK: Seasons

    /// "summer 1942", "the summer of 1920", "spring" (in context), "this summer", "the winter".
    func parseSeason(_ i: Int) -> Match? {
        let l = lx(i)
        guard l.season != 0 else { return nil }
        if l.isPlural { return nil }
        if l.isAmbiguous {
            // "fall" is a verb far more often than a season
            guard monthCueBefore(i) || t(i).isCapitalized && !sentenceInitial(i) || isK(i - 1, .the) else { return nil }
            // After "to", "and" or "or" it is the season only when a date stands before them ("from spring
            // to fall", "summer and fall"): "began to fall apart", "the rise and fall of the empire".
            if isK(i - 1, .to) || isK(i - 1, .and) || isK(i - 1, .or),
               !(lx(i - 2).season != 0 || lx(i - 2).month != 0 || yearNumber(i - 2) != nil) { return nil }
            if isK(i - 1, .the), isK(i + 1, .of), yearAfter(i + 2) == nil { return nil }  // "the fall of Rome"
        }
        var s = Sem(); s.season = Int(l.season)
        var e = i + 1
        var y = e
        if isK(y, .of) || p(y, ",") { y += 1 }
        if let (yr, bc, ye) = yearAfter(y) {
            s.year = yr; s.bc = bc; s.explicit = true; e = ye
            // "the winter of 1069–70", "winter 2022/23": one winter, named by the year of its January
            if l.season == 4, !bc, adj(e), p(e, "-") || p(e, "/"), adj(e + 1), t(e + 1).kind == .number, !t(e + 1).grouped,
               t(e + 1).digits == 2 && Int(t(e + 1).num) == (yr + 1) % 100 || t(e + 1).digits == 4 && Int(t(e + 1).num) == yr + 1 {
                s.year = yr + 1
                e += 2
            }
        } else if isK(y - 1, .of), let m = parseDeterminer(y), m.sem.kind == .shift, m.sem.unit == .year {
            s.kind = .shift; s.unit = .year; s.offset = m.sem.offset; s.anchor = m.sem.anchor; s.grain = .none
            e = m.end
        } else if isK(y - 1, .of), isK(y, .that), lx(y + 1).unit == .year {
            s.kind = .shift; s.unit = .year; s.offset = 0; s.anchor = .last; e = y + 2
        }
        // News rarely dates by a bare season ("in summer"): only with a year or a determiner.
        if !narrative, s.year == nil, s.kind == .point { return nil }
        // A bare "spring" as a noun after an adjective ("Arab Spring", "hot springs") is not a date:
        if s.year == nil, s.kind == .point, t(i - 1).kind == .word, t(i - 1).isCapitalized, lx(i - 1).key == .none, !sentenceInitial(i - 1) {
            return nil
        }
        return Match(start: i, end: e, sem: s)
    }

    // MARK: Weekdays and parts of day

    /// "first Monday in October", "last Friday of June 2023" (a day), "second Tuesday of each month" (a set).
    func parseNthWeekday(_ i: Int) -> Match? {
        let n: Int8 = isK(i, .last) ? -1 : Int8(clamping: lx(i).ordinal)
        guard n == -1 || (1...5).contains(n), t(i + 1).kind == .word, t(i + 1).isCapitalized else { return nil }
        let w = lx(i + 1)
        guard w.weekday != 0, !w.isPlural, !w.isAbbrev, isK(i + 2, .of) || isK(i + 2, .in) else { return nil }
        let j = i + 3
        if isK(j, .each) || isK(j, .every), lx(j + 1).unit == .month, !lx(j + 1).isPlural {
            var s = Sem.lit("P1M", .set)
            s.explicit = false
            return Match(start: i, end: j + 2, sem: s)
        }
        let mo = lx(j)
        guard mo.month != 0, t(j).isCapitalized, !mo.isAbbrev || (adj(j + 1) && p(j + 1, ".")) else { return nil }
        var s = Sem()
        s.month = Int(mo.month)
        s.weekday = Int(w.weekday)
        s.nthWeekday = n
        var e = j + 1
        if adj(e), p(e, "."), mo.isAbbrev { e += 1 }
        var y = e
        if p(y, ",") { y += 1 }
        if let (yr, bc, ye) = yearAfter(y) { s.year = yr; s.bc = bc; s.explicit = true; e = ye }
        return Match(start: i, end: e, sem: s)
    }

    /// A weekday in the name of a day: "Super Saturday", "Patch Tuesday", "Black Friday",
    /// "Cyber Monday", "Bloody Sunday". Not a day of the week the text is in.
    func namedDay(_ i: Int) -> Bool {
        let j = i - 1
        guard j >= 0, t(j).kind == .word, t(j).isCapitalized, t(i).gap <= 1 else { return false }
        return word(j, "super") || word(j, "black") || word(j, "cyber") || word(j, "patch") || word(j, "bloody")
            || word(j, "giving") || word(j, "manic") || word(j, "blue")
    }

    /// "Friday", "Friday morning", "Friday night", "Mondays" (a set).
    func parseWeekday(_ i: Int) -> Match? {
        let l = lx(i)
        guard l.weekday != 0, t(i).isCapitalized || t(i).isAllCaps else { return nil }
        if namedDay(i) { return nil }
        if l.isAbbrev {
            // "Sun", "Sat", "Wed", "Mon" alone are words or names; need a period and a date context
            guard adj(i + 1), p(i + 1, ".") else { return nil }
            if l.isAmbiguous { return nil }
        }
        if l.isPlural {
            var s = Sem.lit("XXXX-WXX-\(l.weekday)", .set)
            s.explicit = false
            var e = i + 1
            if let dp = lx(e).dayPart as UInt8?, dp != 0 { s.literal += "T" + Lexicon.dayPartNames[Int(dp)]; e += 1 }
            return Match(start: i, end: e, sem: s)
        }
        var s = Sem(); s.kind = .weekday; s.weekday = Int(l.weekday)
        var e = i + 1
        if adj(e), p(e, "."), l.isAbbrev { e += 1 }
        if lx(e).dayPart != 0, lx(e).isPlural, !l.isAbbrev {
            // "Tuesday nights", "Sunday mornings": every such part of that weekday
            var set = Sem.lit("XXXX-WXX-\(l.weekday)T" + Lexicon.dayPartNames[Int(lx(e).dayPart)], .set)
            set.explicit = false
            return Match(start: i, end: e + 1, sem: set)
        }
        if lx(e).dayPart != 0, !lx(e).isPlural { s.dayPart = Int(lx(e).dayPart); s.type = .time; e += 1 }
        // "Wednesday's ruling", "Friday night's debate": a report names a day whose event is known
        if adj(e), p(e, "'"), adj(e + 1), isK(e + 1, .s) { s.possessive = true }
        // "Friday the 13th" is handled by parseExplicit.
        return Match(start: i, end: e, sem: s)
    }

    /// "morning", "the afternoon" (on the day in context), "mornings" (a set).
    func parseDayPart(_ i: Int) -> Match? {
        let l = lx(i)
        // "the night of 20 June 1791", "the morning of April 19" (history texts mark the part of day)
        if narrative, !l.isPlural, isK(i + 1, .of), let m = parseExplicit(i + 2), m.sem.day != nil {
            var s = m.sem; s.dayPart = Int(l.dayPart); s.type = .time
            return Match(start: isK(i - 1, .the) ? i - 1 : i, end: m.end, sem: s)
        }
        // "at night", "night fell": a night whose date is not known (history texts mark these)
        if narrative, !l.isPlural, l.dayPart == 4 || l.dayPart == 5, !isK(i - 1, .the), !isK(i - 1, .that), !isK(i - 1, .this),
           lx(i - 1).weekday == 0, !isK(i + 1, .of), t(i - 1).kind != .number {
            return Match(start: i, end: i + 1, sem: .lit("XXXX-XX-XXT" + Lexicon.dayPartNames[Int(l.dayPart)]))
        }
        return nil
    }

    // MARK: Deictic words

    /// "yesterday", "today", "tomorrow", "tonight", "yesterday morning", "the day before yesterday".
    func parseDeictic(_ i: Int) -> Match? {
        var s: Sem
        switch k(i) {
        case .yesterday: s = .shift(.day, -1, .reference)
        case .tomorrow: s = .shift(.day, 1, .reference)
        case .today:
            // "USA Today", "VOA Today": a capitalized "Today" after a name is part of the name
            if t(i).isCapitalized, !sentenceInitial(i), t(i).gap == 1, t(i - 1).kind == .word,
               t(i - 1).isAllCaps || (t(i - 1).isCapitalized && !sentenceInitial(i - 1)),
               lx(i - 1).key == .none, lx(i - 1).month == 0, lx(i - 1).weekday == 0 {
                return nil
            }
            if narrative { return Match(start: i, end: i + 1, sem: .lit("PRESENT_REF")) }
            s = .shift(.day, 0, .reference)
            s.todayWord = true
        case .tonight:
            if narrative {
                // A history's "tonight" is in a quotation: a night of the story that the text does not date
                var n = Sem.lit("XXXX-XX-XXTNI"); n.type = .time
                return Match(start: i, end: i + 1, sem: n)
            }
            s = .shift(.day, 0, .reference); s.shiftDayPart = 4; s.type = .time
            return Match(start: i, end: i + 1, sem: s)
        default: return nil
        }
        var e = i + 1
        if lx(e).dayPart != 0, !lx(e).isPlural { s.shiftDayPart = Int(lx(e).dayPart); s.type = .time; e += 1 }
        // "today's", "yesterday's" keep the word only
        return Match(start: i, end: e, sem: s)
    }

    /// Words that are references: now, currently, recently, the future, once.
    func parseRefWord(_ i: Int) -> Match? {
        switch k(i) {
        case .now, .currently, .nowadays, .presently:
            // "now", "by now", "until now", "from now on", "now-isolated"
            return Match(start: i, end: i + 1, sem: .lit("PRESENT_REF"))
        case .recently, .lately:
            return Match(start: i, end: i + 1, sem: .lit("PAST_REF"))
        case .previously, .formerly:
            return nil
        case .former:
            // Not "the former" set against "the latter", nor standing for a noun ("did not consider
            // the former an option")
            guard narrative, !(isK(i - 1, .the) && (latterAhead(i) || !nounAfterFormer(i + 1))) else { return nil }
            return Match(start: i, end: i + 1, sem: .lit("PAST_REF"))
        case .once:
            return nil
        case .soon:
            return nil
        case .future:
            // History texts (TIMEX2 conventions) mark "future" and "recent" as references.
            if isK(i - 1, .the) || isK(i - 1, .near) || !narrative { return nil }
            return Match(start: i, end: i + 1, sem: .lit("FUTURE_REF"))
        case .recent, .current:
            // TimeML marks the adjectives: "the current market conditions" (PRESENT_REF), "a recent
            // filing" (PAST_REF). Not "the most recent", "the then current", nor before a time unit
            // ("recent years", "the current quarter"), which other rules read.
            guard t(i + 1).kind == .word, adj(i + 1) || t(i + 1).gap == 1, lx(i + 1).unit == .none,
                  !isK(i - 1, .most), !word(i - 1, "then"), !isK(i + 1, .past), !isK(i + 1, .and), !isK(i + 1, .or),
                  !(t(i).isCapitalized && !sentenceInitial(i)) else { return nil }
            // Fixed terms: "the current account deficit", "current assets", "alternating current"
            if k(i) == .current, word(i + 1, "account") || word(i + 1, "accounts") || word(i + 1, "assets")
                || word(i + 1, "liabilities") || word(i + 1, "ratio") || word(i + 1, "affairs") { return nil }
            if k(i) == .current, p(i + 1, "-") { return nil }
            // News annotation (TimeBank) marks "recent" in a minority of cases: only narratives take it.
            if k(i) == .recent, !narrative { return nil }
            return Match(start: i, end: i + 1, sem: .lit(k(i) == .current ? "PRESENT_REF" : "PAST_REF"))
        case .at:
            // "at present", "at the moment", "at this time", "at that time"
            if isK(i + 1, .present) { return Match(start: i + 1, end: i + 2, sem: .lit("PRESENT_REF")) }
            return nil
        case .these:
            if lx(i + 1).unit == .day, lx(i + 1).isPlural { return Match(start: i, end: i + 2, sem: .lit("PRESENT_REF")) }
            return nil
        default:
            return nil
        }
    }

    // MARK: Determiners

    /// "the …": "the future", "the past", "the weekend", "the year", "the 1990s",
    /// "the following year", "the past two months", "the third quarter".
    func parseThe(_ i: Int) -> Match? {
        var best: Match?
        func take(_ m: Match?) { if let m, best == nil || m.end > best!.end { best = m } }
        let j = i + 1
        let l1 = lx(j)
        // "the nine months", "the first nine months", "the latest six months", "the four days"
        do {
            var c = j
            if l1.ordinal != 0 || isK(c, .latest) || word(c, "comparable") || word(c, "remaining") || word(c, "initial") { c += 1 }
            if c == j || t(c).kind == .number || lx(c).number >= 0 {
                if var m = parseCountUnit(c), m.sem.kind == .duration, m.start == c, lx(m.end - 1).unit != .none, !p(m.end - 2, "-") {
                    m.start = i
                    take(m)
                }
            }
        }
        if word(j, "short"), word(j + 1, "term") { take(Match(start: i, end: j + 2, sem: .lit("FUTURE_REF"))) }
        // "the day before last Tuesday's hearing", "the day after Christmas": a day next to a day named
        // (TimeML marks it as one expression); "the day after his death" names no day and is left alone.
        if l1.unit == .day, !l1.isPlural, isK(j + 1, .before) || isK(j + 1, .after), let inner = matchCore(j + 2), inner.start == j + 2,
           inner.sem.kind == .weekday || (inner.sem.kind == .point && (inner.sem.day != nil || inner.sem.holiday != nil))
            || (inner.sem.kind == .shift && inner.sem.unit == .day && inner.end == j + 3) {
            var s = inner.sem
            s.dayShift = isK(j + 1, .before) ? -1 : 1
            s.hour = nil; s.minute = nil; s.dayPart = nil
            take(Match(start: i, end: inner.end, sem: s))
        }
        // "the four previous weeks", "the following days", "the three preceding months": a length of time
        // next to the date in view
        do {
            var c = j
            var amount: Double?
            if let (a, ce) = parseCount(j, allowArticle: false), ce > j, a != nil { amount = a; c = ce }
            let u = lx(c + 1).unit
            if isK(c, .previous) || isK(c, .preceding) || isK(c, .following), lx(c + 1).isPlural,
               u == .day || u == .week || u == .month || u == .year || u == .decade || u == .hour {
                take(Match(start: i, end: c + 2, sem: .duration(amount, u)))
            }
        }
        // "The day before, the march had begun", "the year before.": a unit before or after the date
        // in view, when no event follows to anchor it ("the day before the battle" is left alone).
        if l1.unit == .day || l1.unit == .week || l1.unit == .month || l1.unit == .year, !l1.isPlural,
           isK(j + 1, .before) || isK(j + 1, .after), j + 2 >= n || t(j + 2).kind == .punct && !p(j + 2, "'") {
            take(Match(start: i, end: j + 2, sem: .shift(l1.unit, isK(j + 1, .before) ? -1 : 1, .last)))
        }
        switch l1.key {
        case .future:
            var s = Sem.lit("FUTURE_REF")
            s.explicit = false
            take(Match(start: i, end: j + 1, sem: s))
        case .near:
            // "the near future", "the near term"
            if isK(j + 1, .future) || word(j + 1, "term") { take(Match(start: i, end: j + 2, sem: .lit("FUTURE_REF"))) }
        case .past:
            if !(lx(j + 1).unit != .none || parseCount(j + 1) != nil || lx(j + 1).season != 0) {
                take(Match(start: i, end: j + 1, sem: .lit("PAST_REF")))
            }
        case .early, .late, .mid, .middle, .end, .beginning, .start, .close, .turn:
            take(parsePositional(i))
        default: break
        }
        if l1.key != .none, l1.key != .a, l1.key != .an {
            if l1.key == .fiscal || l1.key == .calendar {
                take(parseDeterminer(i))
            } else if var m = parseDeterminer(j) { m.start = i; take(m) }
        }
        if word(j, "full") || word(j, "entire") || word(j, "whole") { take(parseDeterminer(i)) }
        // "the first week of March", "the last week of August", "the third week of October 1917"
        if l1.ordinal != 0 || isK(j, .last) || isK(j, .final), lx(j + 1).unit == .week, !lx(j + 1).isPlural, isK(j + 2, .of),
           let (mo, me) = monthAny(j + 3) {
            var s = Sem(); s.month = mo
            s.weekOfMonth = isK(j, .last) || isK(j, .final) ? -1 : Int(l1.ordinal)
            var e = me
            var y = e
            if p(y, ",") { y += 1 }
            if let (yr, bc, ye) = yearAfter(y) { s.year = yr; s.bc = bc; s.explicit = true; e = ye }
            if s.weekOfMonth! <= 5 { take(Match(start: i, end: e, sem: s)) }
        }
        // "the week of March 6": the week that holds the day
        if word(j, "week"), isK(j + 1, .of), let m = parseMonthFirst(j + 2) ?? parseDayFirst(j + 2), m.start == j + 2, m.sem.day != nil {
            var s = m.sem; s.weekOfDay = true
            take(Match(start: i, end: m.end, sem: s))
        }
        // "the weekend", "the year", "the month", "the quarter", "the day"
        if l1.unit != .none, !(adj(j + 1) && p(j + 1, "-") && (isK(j + 2, .ago) || isK(j + 2, .earlier))) {
            if var m = parseUnitWord(j) { m.start = i; take(m) }
            if !l1.isPlural, var s = theUnit(l1.unit) {
                if l1.unit == .year, word(j + 1, "ended") || word(j + 1, "ending") || word(j + 1, "ends") || word(j + 1, "through") {
                    // "the year ended Aug. 31": a fiscal year, a length of time ending on the date
                    s = Sem.duration(1, l1.unit)
                }
                if l1.unit == .quarter, word(j + 1, "ended") || word(j + 1, "ending"), let m = parseMonthFirst(j + 2) ?? parseDayFirst(j + 2),
                   let mo = m.sem.month, let d = m.sem.day {
                    // "the quarter ended July 31": the three months up to that day, named by the calendar
                    // quarter they mostly fall in (the quarter of the day six weeks before)
                    let mid = mo * 31 + d - 45
                    var q = Sem(); q.quarter = (mid / 31 - 1 + 12) % 12 / 3 + 1
                    q.year = m.sem.year.map { mid < 31 ? $0 - 1 : $0 }
                    q.quarterFromEndDate = true
                    take(Match(start: i, end: j + 1, sem: q))
                } else {
                    take(Match(start: i, end: j + 1, sem: s))
                }
            }
        }
        // "the quarter a year ago", "the period a year earlier": the quarter in view, a year before
        if (l1.unit == .quarter && !l1.isPlural) || isK(j, .period), isK(j + 1, .a), lx(j + 2).unit == .year, !lx(j + 2).isPlural,
           isK(j + 3, .ago) || isK(j + 3, .earlier) {
            var s = Sem.shift(.year, -1, .last); s.grain = .quarter; s.keepAnchorGrain = true
            take(Match(start: i, end: j + 4, sem: s))
        }
        // "the 1990s", "the '80s", "the 4th of July", "the 20th century", "the 1988 period"
        if t(j).kind == .number || p(j, "'") {
            if var m = parseNumeric(j), m.sem.decade != nil || m.sem.century != nil { m.start = i; take(m) }
            take(parseDayFirst(i))
            if var m = parseCentury(j) { m.start = i; take(m) }
            // "the 1988 period", "the 1989 fiscal year", "the 1990 first half"
            if let y = yearNumber(j) {
                var e = j + 1
                if isK(e, .fiscal) || isK(e, .calendar) { e += 1 }
                if isK(e, .period) || lx(e).unit == .year && !lx(e).isPlural || lx(e).unit == .quarter && !lx(e).isPlural {
                    var s = Sem(); s.year = y; s.explicit = true
                    // "the 1988 quarter", "the 1989 period": the quarter under discussion, in that year
                    s.quarterFromContext = isK(e, .period) || lx(e).unit == .quarter
                    take(Match(start: i, end: e + 1, sem: s))
                }
            }
            // "the 20th" (a day of the month in context)
            if let (d, de, ord) = parseDay(j), ord, t(j).kind == .number, !(lx(de).unit != .none || lx(de).key != .none && !isK(de, .and) && !isK(de, .of)),
               !((isK(de, .and) || isK(de, .or)) && parseCentury(de + 1) != nil) {
                // Only where the phrase ends: "on the 20th.", "on the 2nd and the 3rd," (not "the 2nd and 3rd floors")
                let ends = t(de).kind == .punct && !p(de, "-") || isK(de, .and) && isK(de + 1, .the)
                if ends {
                    var s = Sem(); s.day = d
                    take(Match(start: i, end: de, sem: s))
                }
            }
        }
        if l1.ordinal != 0 || isK(j, .last), var m = parseNthWeekday(j) { m.start = i; take(m) }
        if l1.ordinal != 0 || l1.number >= 0 {
            if var m = parseCentury(j) { m.start = i; take(m) }
            take(parseDayFirst(i))
            take(parseQuarter(i))
        }
        if l1.season != 0, !l1.isPlural {
            if var m = parseSeason(j) { m.start = i; take(m) }
            else if narrative || [K.in, .during, .by, .until, .till, .since, .through, .throughout, .over, .for, .after, .before].contains(k(i - 1))
                        || word(i - 1, "into"),
                    !l1.isAmbiguous || isK(j + 1, .of) == false {
                var s = Sem(); s.season = Int(l1.season)
                take(Match(start: i, end: j + 1, sem: s))
            }
        }
        if word(j, "year") {
            // "the year 2000", "the year two thousand"
            if let y = yearNumber(j + 1) {
                var s = Sem(); s.year = y; s.explicit = true
                take(Match(start: i, end: j + 2, sem: s))
            } else if let m = parseSpokenYear(j + 1) {
                take(Match(start: i, end: m.end, sem: m.sem))
            }
            // "the year-ago quarter", "the year-earlier period", "the year-ago period"
            if adj(j + 1), p(j + 1, "-"), adj(j + 2), isK(j + 2, .ago) || isK(j + 2, .earlier) {
                var e = j + 3
                var grain: TUnit = .none
                // "the year-earlier nine months" is a duration; keep the simple ones
                if lx(e).unit == .quarter, !lx(e).isPlural { grain = .quarter; e += 1 }
                else if isK(e, .period) { e += 1 }
                else if lx(e).unit == .month || lx(e).unit == .year { return best }
                else { return best }
                var s = Sem.shift(.year, -1, .last); s.grain = grain; s.keepAnchorGrain = true
                take(Match(start: i, end: e, sem: s))
            }
        }
        // "the nineties", "the early eighties", "the nineteen-sixties"
        do {
            var d = j
            var mod: String?
            if isK(d, .early) { mod = "START"; d += 1 } else if isK(d, .late) { mod = "END"; d += 1 } else if isK(d, .mid) { mod = "MID"; d += 1; if p(d, "-") { d += 1 } }
            var century = 19
            if lx(d).number == 19 || lx(d).number == 18, p(d + 1, "-") || lx(d + 1).decadeWord != 0 {
                century = Int(lx(d).number); d += p(d + 1, "-") ? 2 : 1
            }
            let dw = Int(lx(d).decadeWord)
            if dw != 0 {
                var s = Sem(); s.decade = century * 10 + dw / 10; s.explicit = century != 19 || true; s.mod = mod
                take(Match(start: i, end: d + 1, sem: s))
            }
        }
        // "the latest period" in a quarterly report: the last quarter
        if isK(j, .latest) || isK(j, .current), isK(j + 1, .period) {
            var s = Sem.shift(.quarter, 0, .reference); s.latestQuarter = true
            take(Match(start: i, end: j + 2, sem: s))
        }
        if isK(j, .latest) || isK(j, .current) || isK(j, .recent) || isK(j, .most) {
            // "the latest quarter", "the current quarter", "the latest period"
            if lx(j + 1).unit == .quarter, !lx(j + 1).isPlural {
                var s = Sem.shift(.quarter, isK(j, .current) ? 0 : 0, .reference); s.latestQuarter = !isK(j, .current)
                take(Match(start: i, end: j + 2, sem: s))
            }
        }
        return best
    }

    /// "latter" later in the sentence of token i.
    func latterAhead(_ i: Int) -> Bool {
        var j = i + 1
        while j < n, j < i + 60, !boundaryBefore(j) {
            if word(j, "latter") { return true }
            j += 1
        }
        return false
    }

    /// Token j can be the noun (or an adjective before it) that "former" describes: a word that
    /// is not an article or a form of "be" or "have" ("the former an option", "the former was").
    func nounAfterFormer(_ j: Int) -> Bool {
        guard t(j).kind == .word else { return false }
        return !(isK(j, .a) || isK(j, .an) || isK(j, .the) || word(j, "was") || word(j, "is") || word(j, "were")
                 || word(j, "are") || word(j, "had") || word(j, "has") || word(j, "would") || word(j, "did"))
    }

    /// The meaning of "the year", "the week", "the month", "the quarter", "the weekend" alone.
    func theUnit(_ u: TUnit) -> Sem? {
        switch u {
        case .year, .month, .week, .quarter, .weekend:
            var s = Sem.shift(u, 0, u == .quarter ? .last : .auto)
            s.isBareThe = true
            return s
        default: return nil
        }
    }

    /// What a determiner says about a month or season without a year: "last March" (the one before),
    /// "next spring" (the one after), "this September" (this year's), "that April" (the story's). False for others.
    static func direct(_ s: inout Sem, _ det: K) -> Bool {
        switch det {
        case .last, .past: s.direction = -1
        case .next, .coming, .upcoming: s.direction = 1
        // "the following summer", "the previous April": after or before the date in view, in news too
        case .previous, .preceding, .prior: s.direction = -1; s.anchor = .last
        case .following, .subsequent: s.direction = 1; s.anchor = .last
        case .this, .current: s.direction = 0; s.sameYear = true
        case .that, .same: s.anchor = .last
        default: return false
        }
        return true
    }

    /// "this week", "last year", "next month", "that day", "the following year", "last Friday",
    /// "next March", "last fall", "the past two months", "the next few days", "this morning".
    func parseDeterminer(_ i: Int) -> Match? {
        let key = k(i)
        var j = i + 1
        // A title in the middle of a sentence: "ABC's This Week", "Last Year at Marienbad"
        if t(i).isCapitalized, !sentenceInitial(i), t(i + 1).isCapitalized, lx(i + 1).unit != .none {
            return nil
        }
        // "expected to last six weeks", "it will last a year": the verb "last"
        if key == .last, isK(i - 1, .to) || lx(i - 1).tense > 0 || word(i - 1, "did") || word(i - 1, "does") || word(i - 1, "can") {
            return nil
        }
        // "this past week", "this coming Sunday", "the past few", "that same day"
        var det = key
        var thisPast = false
        if key == .this || key == .that || key == .the, isK(j, .past) || isK(j, .coming) || isK(j, .same) || isK(j, .upcoming) || isK(j, .last) || isK(j, .next) {
            det = k(j); j += 1
            thisPast = key == .this
            if key == .this, det == .past || det == .last { det = .last }
            if key == .this, det == .coming || det == .upcoming || det == .next { det = .next }
            if key == .that, det == .same { det = .same }
        }
        // "the fiscal year", "this fiscal year", "the full year", "the current fiscal quarter"
        if isK(j, .fiscal) || isK(j, .calendar) || word(j, "full") || word(j, "entire") || word(j, "whole"),
           lx(j + 1).unit == .year || lx(j + 1).unit == .quarter, !lx(j + 1).isPlural {
            if key == .the && det == .the {
                if var s = theUnit(lx(j + 1).unit) {
                    if word(j + 2, "ended") || word(j + 2, "ending") || word(j + 2, "ends") { s = Sem.duration(1, lx(j + 1).unit) }
                    return Match(start: i, end: j + 2, sem: s)
                }
            }
            j += 1
        }
        // Count + unit: "the past two months", "the next few days", "last three years", "the first nine months"
        if [K.past, .last, .next, .coming, .previous, .following, .final, .recent, .prior, .preceding, .subsequent, .ensuing, .upcoming, .these].contains(det) || key == .the && lx(j).ordinal != 0 {
            var c = j
            if lx(c).ordinal != 0, key == .the { c += 1 }
            if let (amount, ce) = parseCount(c, allowArticle: false), !(t(c).kind == .number && t(c).digits == 4 && lx(ce).unit == .none) {
                var ue = ce
                if isK(ue, .or), isK(ue + 1, .so) { ue += 0 }
                if isK(ue, .more) || isK(ue, .full) { ue += 1 }
                let u = lx(ue).unit
                if u != .none, u != .half {
                    var e = ue + 1
                    if isK(e, .or), isK(e + 1, .so) { e += 2 }
                    let s = Sem.duration(amount, u)
                    return Match(start: i, end: e, sem: s)
                }
            }
            // "the last decade", "the past year" handled below
        }
        let l = lx(j)
        // Weekday: "last Friday", "next Monday", "this Sunday", "the following Monday", "that Friday"
        if l.weekday != 0, !l.isPlural, t(j).isCapitalized || t(j).isAllCaps, !l.isAbbrev || (adj(j + 1) && p(j + 1, ".")) {
            var s = Sem(); s.kind = .weekday; s.weekday = Int(l.weekday)
            switch det {
            case .last, .past, .previous, .preceding, .prior: s.direction = -1
            case .next, .coming, .upcoming, .following, .subsequent, .forthcoming: s.direction = 1
            case .this, .current: s.direction = 0; s.thisWeek = true
            case .that, .same: s.direction = 0; s.anchor = .last
            default: return nil
            }
            if det == .previous || det == .following || det == .preceding || det == .subsequent { s.anchor = .last }
            var e = j + 1
            if adj(e), p(e, "."), l.isAbbrev { e += 1 }
            if lx(e).dayPart != 0, !lx(e).isPlural { s.dayPart = Int(lx(e).dayPart); s.type = .time; e += 1 }
            // "this coming Sunday, March eighth"
            if p(e, ","), let m = parseMonthFirst(e + 1), m.sem.day != nil {
                return Match(start: i, end: m.end, sem: m.sem)
            }
            return Match(start: i, end: e, sem: s)
        }
        // Month: "last March", "next January", "this September", "that April"
        if l.month != 0, !l.isPlural, t(j).isCapitalized, month(j) != nil {
            var s = Sem(); s.month = Int(l.month)
            guard Self.direct(&s, det) else { return nil }
            if thisPast { s.nearestInDirection = true }
            var (_, e) = month(j)!
            if let (d, de, _) = parseDay(e), d <= DateTime.daysIn(month: s.month!, year: 2000) { s.day = d; e = de }
            return Match(start: i, end: e, sem: s)
        }
        // Season: "last fall", "this summer", "next spring", "that winter"
        if l.season != 0, !l.isPlural {
            var s = Sem(); s.season = Int(l.season)
            guard Self.direct(&s, det) else { return nil }
            var e = j + 1
            if thisPast { s.nearestInDirection = true }
            if isK(e, .of), let (y, bc, ye) = yearAfter(e + 1) { s.year = y; s.bc = bc; s.explicit = true; e = ye }
            return Match(start: i, end: e, sem: s)
        }
        // Part of day: "this morning", "last night", "this afternoon", "that evening", "the next morning"
        if l.dayPart != 0, !l.isPlural {
            var s = Sem.shift(.day, 0, .reference)
            s.type = .time
            s.shiftDayPart = Int(l.dayPart)
            switch det {
            case .this: break
            case .last: if l.dayPart == 4 || l.dayPart == 3 { s.offset = -1 } else { return nil }
            case .next, .following: s.offset = 1; s.anchor = .last
            case .previous, .preceding: s.offset = -1; s.anchor = .last
            case .that, .same: s.anchor = .last
            default: return nil
            }
            if narrative, det == .this { s.anchor = .last }
            return Match(start: i, end: j + 1, sem: s)
        }
        // Unit: "this week", "last year", "the following day", "that month", "the same year", "the past year"
        let u = l.unit
        if u != .none, !l.isPlural {
            var s = Sem.shift(u, 0, .auto)
            switch det {
            case .this, .current: s.offset = 0
            case .last, .past:
                s.offset = -1
                // News: "the past year", "the past month" name the last calendar year or month, as "last year"
                // does (TimeBank; HeidelTime reads "past" as "last"); history keeps the span up to the story's time.
                let pastUnit = !narrative && det == .past && (u == .year || u == .month || u == .week)
                if det == .past || key == .the, !pastUnit {
                    // "the past year", "the last decade": the span up to now, a duration
                    if key == .the || det == .past {
                        if u == .weekend { return nil }
                        return Match(start: i, end: j + 1, sem: .duration(1, u))
                    }
                }
                s.anchor = .reference
            case .next, .coming, .upcoming:
                s.offset = 1
                // "the next day" follows the story; "next week" counts from the date of writing
                if key == .the || isK(i - 1, .the) { s.anchor = .last } else { s.anchor = .reference }
                if key == .the || isK(i - 1, .the), det == .next, u == .year || u == .month || u == .week || u == .decade {
                    // "the next year" is ambiguous: later in the narrative, or a span ahead
                    s.anchor = .last
                    s.theNext = true
                }
            case .previous, .preceding, .prior: s.offset = -1; s.anchor = .last
            case .following, .subsequent, .ensuing: s.offset = 1; s.anchor = .last
            case .that, .same: s.offset = 0; s.anchor = .last
            case .latest, .recent:
                if u == .quarter { var q = Sem.shift(.quarter, 0, .reference); q.latestQuarter = true; return Match(start: i, end: j + 1, sem: q) }
                return nil
            case .final:
                return nil
            default: return nil
            }
            if u == .half { return nil }
            var e = j + 1
            // "this year's third quarter", "last year's quarter": one expression (TimeML), a quarter of that year
            if u == .year, key != .the, adj(e), p(e, "'"), adj(e + 1), isK(e + 1, .s) {
                var q = e + 2
                let ord = Int(lx(q).ordinal)
                if (1...4).contains(ord) { q += 1; if p(q, "-"), adj(q) { q += 1 } }
                if lx(q).unit == .quarter, !lx(q).isPlural {
                    var s2 = s
                    if (1...4).contains(ord) { s2.quarter = ord } else { s2.keepAnchorGrain = true; s2.grain = .quarter }
                    return Match(start: i, end: q + 1, sem: s2)
                }
            }
            // "this week's", fine; "the following day" + "of" nothing
            // "last night"-style handled above. "next year or so"
            if isK(e, .or), isK(e + 1, .so) { e += 2 }
            return Match(start: i, end: e, sem: s)
        }
        // "the past few months", "recent years", "these days"
        if l.unit != .none, l.isPlural {
            if det == .recent || det == .past || det == .coming || det == .next || det == .last || det == .these {
                if det == .these, l.unit == .day { return Match(start: i, end: j + 1, sem: .lit("PRESENT_REF")) }
                let s = Sem.duration(nil, l.unit)
                return Match(start: i, end: j + 1, sem: s)
            }
        }
        // "recent" alone, "the recent past"
        return nil
    }

    // MARK: Positional modifiers

    /// "early November", "late 1915", "mid-1990s", "the end of the year", "the beginning of 2006",
    /// "the middle of the summer", "early this week", "late yesterday", "the first half of 1990".
    func parsePositional(_ i: Int) -> Match? {
        var j = i
        var hadThe = false
        if isK(j, .the) { j += 1; hadThe = true }
        var mod: String
        var inner = j
        switch k(j) {
        case .early:
            mod = "START"; inner = j + 1
            if p(inner, "-"), adj(inner) { inner += 1 }
        case .late:
            mod = "END"; inner = j + 1
            if p(inner, "-"), adj(inner) { inner += 1 }
        case .mid:
            mod = "MID"; inner = j + 1
            if p(inner, "-") { inner += 1 }
        case .middle:
            mod = "MID"; guard isK(j + 1, .of) else { return nil }; inner = j + 2
        case .end, .close:
            mod = "END"; guard isK(j + 1, .of), hadThe || isK(i - 1, .by) || isK(i - 1, .at) || isK(i - 1, .until) else { return nil }; inner = j + 2
        case .beginning, .start, .dawn, .turn:
            mod = "START"; guard isK(j + 1, .of), hadThe else { return nil }; inner = j + 2
        default: return nil
        }
        // "early part of", "late stages of" are not handled; "early in the year"
        if mod != "MID", (k(j) == .early || k(j) == .late), isK(inner, .in) {
            // "early in 1862", "late in the year"
            if var m = matchInner(inner + 1) {
                m.start = i; if m.sem.mod == nil { m.sem.mod = mod }
                return m
            }
            return nil
        }
        // "the end of the century", "the turn of the century", "mid-century": the century (or
        // decade) in view, which bare "the century" alone is not taken for.
        let bareUnit = isK(inner, .the) ? inner + 1 : (mod == "MID" && k(j) == .mid ? inner : -1)
        if matchInner(inner) == nil, bareUnit >= 0, lx(bareUnit).unit == .century || lx(bareUnit).unit == .decade, !lx(bareUnit).isPlural,
           !(adj(bareUnit + 1) && p(bareUnit + 1, "-")) {
            var s = Sem.shift(lx(bareUnit).unit, 0, .auto)
            s.isBareThe = true
            s.mod = mod
            return Match(start: i, end: bareUnit + 1, sem: s)
        }
        guard var m = matchInner(inner) else { return nil }
        // "late in the war": no. The inner thing must be a date.
        if hadThe, k(j) == .early || k(j) == .late {
            // "the early 1990s", "the late 19th century"
            guard m.sem.decade != nil || m.sem.century != nil || m.sem.kind == .point else { return nil }
        }
        m.start = i
        if m.sem.mod == nil { m.sem.mod = mod }
        return m
    }

    /// A date inside a positional phrase.
    func matchInner(_ i: Int) -> Match? {
        var best: Match?
        func take(_ m: Match?) {
            guard let m, m.sem.kind != .duration, m.sem.kind != .set, m.sem.kind != .literal else { return }
            if best == nil || m.end > best!.end { best = m }
        }
        let tk = t(i)
        if tk.kind == .number || tk.kind == .punct {
            take(parseNumeric(i)); take(parseTime(i))
            // "the late 11th century"
            if tk.kind == .number { take(parseCentury(i)) }
            return best
        }
        let l = lx(i)
        if l.month != 0 {
            // lowercase or ambiguous months are fine after a positional word ("early May")
            if let (mo, e) = monthAny(i) {
                var s = Sem(); s.month = mo
                var m = Match(start: i, end: e, sem: s)
                var y = e
                if p(y, ",") || isK(y, .of) { y += 1 }
                if let (yr, bc, ye) = yearAfter(y) { m.sem.year = yr; m.sem.bc = bc; m.sem.explicit = true; m.end = ye }
                take(m)
            }
            take(parseExplicit(i))
        }
        if l.weekday != 0 { take(parseWeekday(i)) }
        if l.season != 0 {
            var s = Sem(); s.season = Int(l.season)
            var m = Match(start: i, end: i + 1, sem: s)
            var y = i + 1
            if isK(y, .of) { y += 1 }
            if let (yr, bc, ye) = yearAfter(y) { m.sem.year = yr; m.sem.bc = bc; m.sem.explicit = true; m.end = ye }
            take(m)
        }
        switch l.key {
        case .the: take(parseThe(i))
        case .this, .last, .next, .that, .following, .previous, .same: take(parseDeterminer(i))
        case .yesterday, .today, .tomorrow, .tonight: take(parseDeictic(i))
        case .fiscal, .calendar: take(parseFiscal(i))
        default: break
        }
        if l.dayPart != 0, !l.isPlural {
            // "early morning", "late afternoon", "mid-afternoon": on the day in context
            var s = Sem.shift(.day, 0, .last); s.type = .time; s.shiftDayPart = Int(l.dayPart)
            var e = i + 1
            // "mid-afternoon yesterday"
            if isK(e, .yesterday) || isK(e, .today) || isK(e, .tomorrow) {
                s.anchor = .reference; s.offset = isK(e, .yesterday) ? -1 : isK(e, .tomorrow) ? 1 : 0; e += 1
            } else if lx(e).weekday != 0, !lx(e).isPlural, t(e).isCapitalized {
                var w = Sem(); w.kind = .weekday; w.weekday = Int(lx(e).weekday); w.dayPart = Int(l.dayPart); w.type = .time
                take(Match(start: i, end: e + 1, sem: w))
            }
            take(Match(start: i, end: e, sem: s))
        }
        if l.ordinal != 0 || l.number >= 0 { take(parseCentury(i)); take(parseQuarter(i)) }
        return best
    }

    /// Any month name, even lowercase or ambiguous (after "early", "mid-", "the end of").
    func monthAny(_ i: Int) -> (Int, Int)? {
        let l = lx(i)
        guard l.month != 0, !l.isPlural, t(i).kind == .word else { return nil }
        if l.isAbbrev && !t(i).isCapitalized { return nil }
        if l.isAmbiguous && !t(i).isCapitalized && !t(i).isAllCaps { return nil }
        var e = i + 1
        if adj(e), p(e, "."), l.isAbbrev { e += 1 }
        return (Int(l.month), e)
    }

    // MARK: Counts of units: durations and shifts

    /// "three years", "two days ago", "a year earlier", "two weeks later", "two-year", "16-hour",
    /// "a year and a half", "half an hour", "several months", "24 hours from now".
    func parseCountUnit(_ i: Int) -> Match? {
        var amount: Double?
        var e: Int
        // "half an hour", "half a year"
        if lx(i).unit == .half, isK(i + 1, .a) || isK(i + 1, .an), lx(i + 2).unit != .none, !lx(i + 2).isPlural {
            amount = 0.5; e = i + 2
        } else {
            guard let (a, ce) = parseCount(i) else { return nil }
            amount = a; e = ce
            // "two and a half years", "four and one-half months"
            if let a, isK(e, .and), isK(e + 1, .a) || word(e + 1, "one") {
                var h = e + 2
                if word(e + 1, "one"), p(h, "-"), adj(h), adj(h + 1) { h += 1 }
                if lx(h).unit == .half, !lx(h).isPlural, lx(h + 1).unit != .none, lx(h + 1).unit != .half { amount = a + 0.5; e = h + 1 }
            }
        }
        // A four-digit number before a unit is a year only in "1990 years" — treat as count anyway.
        if t(i).kind == .number, t(i).grouped, t(i).num > 100000 { return nil }
        // "0800 hours" is a clock time: a count is not written with a leading zero
        if t(i).kind == .number, t(i).digits >= 3, text[Int(t(i).start)] == UInt8(ascii: "0") { return nil }
        var hyphen = false
        if p(e, "-"), adj(e), adj(e + 1) { hyphen = true; e += 1 }
        // "20 more years", "two full days", "two straight years", "three consecutive months"
        if !hyphen, isK(e, .more) || word(e, "full") || word(e, "straight") || word(e, "consecutive") || word(e, "successive") || word(e, "additional")
            || word(e, "trading") || word(e, "business") || word(e, "working") || word(e, "calendar") || word(e, "long") && lx(e + 1).unit != .none {
            if lx(e + 1).unit != .none { e += 1 }
        } else if !hyphen, let a = amount, a >= 2, a <= 100, t(e).kind == .word, !t(e).isCapitalized, t(e).gap == 1,
                  lx(e).key == .none, lx(e).unit == .none, lx(e).month == 0, lx(e).season == 0, lx(e).weekday == 0, lx(e).number < 0,
                  lx(e).dayPart == 0, lx(e + 1).unit != .none, lx(e + 1).unit != .half, lx(e + 1).isPlural, t(e + 1).gap == 1 {
            // "two bloody weeks", "ten brutal months": a count, an adjective, a unit
            e += 1
        }
        var l = lx(e)
        var u = l.unit
        guard u != .none else { return nil }
        // "a year-earlier loss": the adjective "year-earlier", not a year's length
        if adj(e + 1), p(e + 1, "-"), adj(e + 2), isK(e + 2, .ago) || isK(e + 2, .earlier) || isK(e + 2, .end) { return nil }
        if u == .quarter, !l.isPlural, amount == 1, isK(e + 1, .of), isK(e + 2, .a), lx(e + 3).unit == .century, !lx(e + 3).isPlural {
            // "a quarter of a century (later)": 25 years
            amount = 25; u = .year; e += 3; l = lx(e)
        }
        // "a quarter of", "a half" are fractions, not periods; so is a quarter something changed by or
        // is of ("fell by a quarter", "a decrease of about a quarter")
        if u == .quarter, isK(e + 1, .of) { return nil }
        if u == .quarter, !l.isPlural, amount == 1 {
            // Past an approximation before the amount, as `parseApprox` reads one ("about", "more than").
            var b = i - 1
            for s in [i - 2, i - 1] where s >= 0 {
                if let (_, next, _) = parseApprox(s), next == i { b = s - 1; break }
            }
            if isK(b, .by) || isK(b, .of) { return nil }
        }
        if u == .half {
            // "a half", "two halves": no
            return nil
        }
        // "the 1988 quarter", "1990 year": a year before a singular unit, not a count
        if !hyphen, t(i).kind == .number, t(i).digits == 4, !t(i).grouped, !l.isPlural { return nil }
        // Plural agreement: "one years" is fine in bad text; "a days" is not a unit.
        if (isK(i, .a) || isK(i, .an)), l.isPlural, amount == 1 { return nil }  // but "a few days", "a couple of years"
        // "a second" as an ordinal ("a second time"), "a minute" is fine.
        if u == .second, isK(i, .a) || isK(i, .an), !(isK(e + 1, .ago) || isK(e + 1, .later)) { return nil }
        // "the 1,000 days", "the 5 years": fine. "sq. year"? no.
        var end = e + 1
        // "a year and a half", "two and a half years", "an hour and a half"
        if isK(end, .and), isK(end + 1, .a), lx(end + 2).unit == .half, let a = amount {
            amount = a + 0.5; end += 3
        }
        if hyphen {
            // Adjectives: "two-year", "16-hour", "five-year-old" (an age: no)
            if p(end, "-"), adj(end), isK(end + 1, .old) { return nil }
            var s = Sem.duration(amount, u)
            s.explicit = false
            return Match(start: i, end: end, sem: s)
        }
        // "Islam will one day be", "he hopes he one day follows": "one day" between a modal or a subject
        // and its verb is some day ahead, not a length of time
        if u == .day, !l.isPlural, end == i + 2, word(i, "one"), t(end).kind == .word, k(end) == .none || k(end) == .be,
           lx(i - 1).tense > 0 || word(i - 1, "can") || word(i - 1, "could") || word(i - 1, "may")
            || word(i - 1, "he") || word(i - 1, "she") || word(i - 1, "they") || word(i - 1, "we") || word(i - 1, "you") {
            return Match(start: i, end: end, sem: .lit("FUTURE_REF"))
        }
        // "a week or so ago", "ten years or so later": the approximation belongs to the expression
        if isK(end, .or), isK(end + 1, .so), [K.ago, .later, .earlier].contains(k(end + 2)) { end += 2 }
        // Anchored forms ("three years afterwards", "two days thereafter" as "later")
        // and "four years on" where nothing else follows "on" ("Four years on, she ...", "Ten years on
        // from the vote"; not "two years on the job")
        let onLater = isK(end, .on) && amount != nil
            && (p(end + 1, ",") || word(end + 1, "from") || boundaryBefore(end + 1) || word(end + 1, "she") || word(end + 1, "he")
                || word(end + 1, "they") || word(end + 1, "it") || word(end + 1, "we"))
        let after = onLater || k(end) == .none && (word(end, "afterwards") || word(end, "afterward") || word(end, "thereafter")) ? K.later : k(end)
        var s = Sem.duration(amount, u)
        if u == .weekend { s.unit = .weekend }
        switch after {
        case .ago:
            if amount == nil { return Match(start: i, end: end + 1, sem: .lit("PAST_REF")) }
            let (whole, wu) = Self.wholeAmount(amount!, u)
            var sh = Sem.shift(wu, -whole, .reference)
            sh.amountWasCounted = true
            sh.grain = wu == .fortnight ? .week : wu
            if wu == .fortnight { sh.unit = .week; sh.offset *= 2 }
            // "Fifteen years ago today": the day itself, that many years back
            if wu == .year, isK(end + 1, .today) {
                sh.keepDay = true
                return Match(start: i, end: end + 2, sem: sh)
            }
            return Match(start: i, end: end + 1, sem: sh)
        case .later, .earlier, .after, .before, .hence:
            if after == .after || after == .before {
                // "two days after the vote": the timex is "two days" (TimeML leaves the anchor out);
                // "two years before," with nothing after it is a date before the story's date.
                guard t(end + 1).kind == .punct, !p(end + 1, "'"), !p(end + 1, "\""), amount != nil else { break }
            }
            if amount == nil {
                if after == .later || after == .hence { return Match(start: i, end: end + 1, sem: .lit("FUTURE_REF")) }
                return Match(start: i, end: end + 1, sem: .lit("PAST_REF"))
            }
            // "half a century later" is fifty years on, "half a year later" six months: a part of a
            // unit is counted in the next smaller one (it was rounded up to a whole century).
            let (whole, wu) = Self.wholeAmount(amount!, u)
            var sh = Sem.shift(wu, (after == .earlier || after == .before ? -1 : 1) * whole, after == .hence ? .reference : .last)
            sh.amountWasCounted = true
            sh.grain = wu
            if wu == .fortnight { sh.unit = .week; sh.offset *= 2; sh.grain = .week }
            return Match(start: i, end: end + 1, sem: sh)
        case .from:
            if isK(end + 1, .now), let a = amount {
                let (whole, wu) = Self.wholeAmount(a, u)
                var sh = Sem.shift(wu, whole, .reference); sh.grain = wu; sh.amountWasCounted = true
                return Match(start: i, end: end + 2, sem: sh)
            }
        case .back:
            if let a = amount, isK(end - 1 - 0, .back) == false {
                let (whole, wu) = Self.wholeAmount(a, u)
                var sh = Sem.shift(wu, -whole, .reference); sh.grain = wu; sh.amountWasCounted = true
                return Match(start: i, end: end + 1, sem: sh)
            }
        default: break
        }
        // Bare plural units with an unknown amount ("several months") are durations; with no amount word
        // at all they go through parseUnitWord.
        if u == .weekend { return nil }
        // "52 years old": TimeML (news) does not mark a person's age; TIMEX2 history texts do.
        if !narrative, isK(end, .old), !isK(end + 1, .of) { return nil }
        s.explicit = false
        return Match(start: i, end: end, sem: s)
    }

    /// An amount of a unit as a whole number of it or, when it is a part of one ("half a century",
    /// "a year and a half"), of the next smaller unit that counts it whole; rounded up when none does.
    static func wholeAmount(_ amount: Double, _ u: TUnit) -> (Int, TUnit) {
        func smaller(_ u: TUnit) -> (TUnit, Double)? {
            switch u {
            case .millennium: (.century, 10)
            case .century: (.year, 100)
            case .decade: (.year, 10)
            case .year: (.month, 12)
            case .half: (.month, 6)
            case .quarter: (.month, 3)
            case .month: (.day, 30)
            case .fortnight: (.day, 14)
            case .week: (.day, 7)
            case .day: (.hour, 24)
            case .hour: (.minute, 60)
            default: nil
            }
        }
        var a = amount, u = u
        while a != a.rounded(), let (next, factor) = smaller(u) { a *= factor; u = next }
        return (Int(a.rounded(.up)), u)
    }

    /// A unit word alone: "years" (for years), "months", "the decade", "days" — vague durations, and
    /// "years ago", "weeks later".
    func parseUnitWord(_ i: Int) -> Match? {
        let l = lx(i)
        // "decades-long", "day-long", "year-long": a length of time
        if l.unit != .none, l.unit != .half, adj(i + 1), p(i + 1, "-"), adj(i + 2), word(i + 2, "long") {
            return Match(start: i, end: i + 3, sem: .duration(l.isPlural ? nil : 1, l.unit))
        }
        guard l.unit != .none, l.isPlural, l.unit != .weekend, l.unit != .half else { return nil }
        if isK(i + 1, .ago) { return Match(start: i, end: i + 2, sem: .lit("PAST_REF")) }
        if isK(i + 1, .later) { return Match(start: i, end: i + 2, sem: .lit("FUTURE_REF")) }
        // "weeks earlier": some time before, as "weeks ago" is before now
        if isK(i + 1, .earlier) { return Match(start: i, end: i + 2, sem: .lit("PAST_REF")) }
        // "for years", "in recent months", "over the years", "within days", "for decades", "months of talks"
        let prev = k(i - 1)
        if prev == .for || prev == .within || prev == .recent || prev == .coming || prev == .after && l.unit <= .month {
            if prev == .for, isK(i + 1, .of) { return nil }
            return Match(start: i, end: i + 1, sem: .duration(nil, l.unit))
        }
        // "over the years", "through the years": a vague length of time, as after "for"
        if prev == .the, isK(i - 2, .over) || isK(i - 2, .through) || isK(i - 2, .throughout), l.unit >= .day,
           t(i + 1).kind != .number {
            return Match(start: i, end: i + 1, sem: .duration(nil, l.unit))
        }
        // "the first time in years", "the lowest level in months": the phrase ends there
        if prev == .in, l.unit >= .day, i + 1 >= n || (t(i + 1).kind == .punct && !p(i + 1, "-")) {
            return Match(start: i, end: i + 1, sem: .duration(nil, l.unit))
        }
        if isK(i + 1, .of), t(i).isCapitalized == false, prev == .none || prev == .the, l.unit >= .day, !isK(i - 1, .the) {
            // "months of negotiations"
            return nil
        }
        return nil
    }

    // MARK: Sets

    /// "every year", "each Monday", "every two weeks", "every other day", "daily", "weekly",
    /// "twice a week", "per day".
    func parseSet(_ i: Int) -> Match? {
        switch k(i) {
        case .daily: return adverbSet(i, narrative ? "XXXX-XX-XX" : "P1D")
        case .weekly: return adverbSet(i, narrative ? "XXXX-WXX" : "P1W")
        case .monthly: return adverbSet(i, narrative ? "XXXX-XX" : "P1M")
        case .quarterly: return nil
        case .annually, .yearly: return nil
        case .hourly: return adverbSet(i, "PT1H")
        case .nightly: return adverbSet(i, "XXXX-XX-XXTNI")
        case .biweekly: return adverbSet(i, "P2W")
        case .semiannually: return adverbSet(i, "P6M")
        case .per:
            let l = lx(i + 1)
            if l.unit != .none, !l.isPlural {
                return Match(start: i, end: i + 2, sem: .lit(TimexFormat.duration(1, l.unit), .set))
            }
            return nil
        case .twice, .once:
            // "twice a week", "once a year"
            if isK(i + 1, .a) || isK(i + 1, .per), lx(i + 2).unit != .none, !lx(i + 2).isPlural {
                return Match(start: i, end: i + 3, sem: .lit(TimexFormat.duration(1, lx(i + 2).unit), .set))
            }
            return nil
        case .every, .each:
            var j = i + 1
            var amount: Double = 1
            if isK(j, .other) || isK(j, .alternate) { amount = 2; j += 1 }
            else if let (a, e) = parseCount(j, allowArticle: false), let a { amount = a; j = e }
            let l = lx(j)
            if l.unit != .none, l.unit != .half {
                var u = l.unit
                if u == .weekend { return Match(start: i, end: j + 1, sem: .lit("XXXX-WXX-WE", .set)) }
                if u == .fortnight { u = .week; amount *= 2 }
                if narrative, amount == 1, u == .day || u == .week || u == .month || u == .year {
                    // History texts write "every day" as the days of an unknown span (TIMEX2 style)
                    let v = [TUnit.day: "XXXX-XX-XX", .week: "XXXX-WXX", .month: "XXXX-XX", .year: "XXXX"][u]!
                    return Match(start: i, end: j + 1, sem: .lit(v, .set))
                }
                return Match(start: i, end: j + 1, sem: .lit(TimexFormat.duration(amount, u), .set))
            }
            if l.weekday != 0, !l.isAbbrev || adj(j + 1) && p(j + 1, ".") {
                var v = "XXXX-WXX-\(l.weekday)"
                var e = j + 1
                if lx(e).dayPart != 0 { v += "T" + Lexicon.dayPartNames[Int(lx(e).dayPart)]; e += 1 }
                return Match(start: i, end: e, sem: .lit(v, .set))
            }
            if l.month != 0, t(j).isCapitalized {
                let (_, e) = monthAny(j) ?? (0, j + 1)
                // "every May 1" → XXXX-05-01
                if let (d, de, _) = parseDay(e) { return Match(start: i, end: de, sem: .lit("XXXX-\(TimexFormat.pad(Int(l.month), 2))-\(TimexFormat.pad(d, 2))", .set)) }
                return Match(start: i, end: e, sem: .lit("XXXX-\(TimexFormat.pad(Int(l.month), 2))", .set))
            }
            if l.season != 0 {
                return Match(start: i, end: j + 1, sem: .lit("XXXX-" + Lexicon.seasonNames[Int(l.season)], .set))
            }
            if l.dayPart != 0 {
                return Match(start: i, end: j + 1, sem: .lit("XXXX-XX-XXT" + Lexicon.dayPartNames[Int(l.dayPart)], .set))
            }
            return nil
        default: return nil
        }
    }

    func adverbSet(_ i: Int, _ v: String) -> Match? {
        // "the daily Mirror", "Weekly Standard" (names) are not sets.
        if t(i).isCapitalized, !sentenceInitial(i) { return nil }
        return Match(start: i, end: i + 1, sem: .lit(v, .set))
    }

    /// "a year" / "a week" after a rate: "$5 a year", "twice a week", "10% a year", "three times a day".
    func parseSetA(_ i: Int) -> Match? {
        let l = lx(i + 1)
        guard l.unit != .none, !l.isPlural, l.unit != .half else { return nil }
        let pv = t(i - 1)
        let rate = pv.kind == .number || (pv.kind == .punct && pv.ch == 0x25) || isK(i - 1, .times) || isK(i - 1, .twice)
            || isK(i - 1, .once) || word(i - 1, "percent") || word(i - 1, "cents") || word(i - 1, "dollars") || word(i - 1, "miles")
            || word(i - 1, "share") || word(i - 1, "barrels") || word(i - 1, "tons") || word(i - 1, "million") || word(i - 1, "billion")
        guard rate, !isK(i + 2, .ago), !isK(i + 2, .earlier), !isK(i + 2, .later) else { return nil }
        // "3 p.m. a day" no; "for 10 years a week" no
        return Match(start: i, end: i + 2, sem: .lit(TimexFormat.duration(1, l.unit), .set))
    }

    // MARK: Times

    /// "3:30 p.m.", "10 a.m.", "noon", "midnight", "6 o'clock", "14:30", with a day after it
    /// ("10 p.m. Wednesday", "3:30 p.m. yesterday").
    func parseTime(_ i: Int) -> Match? {
        var hour = -1, minute = 0
        var e = i
        var hasMinutes = false
        switch k(i) {
        case .noon, .midday:
            // "high noon" is the idiom (and the film), not a clock time
            if word(i - 1, "high") { return nil }
            hour = 12; e = i + 1
        case .midnight: hour = 24; e = i + 1
        default:
            if let h = num(i), t(i).digits == 4, h % 100 < 60, h / 100 < 24,
               word(i + 1, "hours") || word(i + 1, "hrs") || word(i + 1, "gmt") || word(i + 1, "utc") {
                // 0800 hours, 1430 GMT: a clock time on the day in context, like "2:30 p.m."
                hour = h / 100; minute = h % 100
                e = word(i + 1, "gmt") || word(i + 1, "utc") ? i + 1 : i + 2
                break
            }
            guard let h = num(i), t(i).digits <= 2, h <= 24 else { return nil }
            hour = h; e = i + 1
            if adj(e), p(e, ":") || p(e, "."), adj(e + 1), t(e + 1).digits == 2, let m = num(e + 1), m < 60 {
                // a dot needs am/pm after it ("7.30 pm") to be a time
                if p(e, ".") {
                    guard isAmPm(e + 2) != nil else { return nil }
                }
                minute = m; e += 2; hasMinutes = true
                if adj(e), p(e, ":"), adj(e + 1), t(e + 1).digits == 2 { e += 2 }
                if adj(e), isK(e, .hrs) || word(e, "h") { e += 1 }
            }
            if let (pm, ae) = isAmPm(e) {
                guard hour >= 1, hour <= 12 else { return nil }
                if pm && hour < 12 { hour += 12 }
                if !pm && hour == 12 { hour = 0 }
                e = ae
            } else if isK(e, .o), adj(e + 1), p(e + 1, "'"), adj(e + 2), isK(e + 2, .clock) {
                e += 3
            } else if isK(e, .oclock) {
                e += 1
            } else if !hasMinutes, hour >= 1, hour <= 12, isK(e, .in), isK(e + 1, .the), lx(e + 2).dayPart != 0, !lx(e + 2).isPlural {
                // "4 in the morning", "9 in the evening": the part of day says a.m. or p.m. (below)
            } else if hasMinutes {
                // "14:30", "at 9:15": a 24-hour time; but not scores "3:1" or ratios
                guard t(i).digits == 2 || isK(i - 1, .at) || isK(i - 1, .by) || isK(i - 1, .around) || isK(i - 1, .until) || isK(i - 1, .from) || isK(i - 1, .before) || isK(i - 1, .after) else { return nil }
                if adj(e), word(e, "hrs") || word(e, "h") { e += 1 }
            } else {
                return nil
            }
        }
        // "2 o'clock in the afternoon", "10 at night"
        if isK(e, .in), isK(e + 1, .the), lx(e + 2).dayPart != 0, !lx(e + 2).isPlural {
            let dp = lx(e + 2).dayPart
            if (dp == 2 || dp == 3 || dp == 4) && hour < 12 && hour != 0 { hour += 12 }
            e += 3
        } else if isK(e, .at), lx(e + 1).dayPart == 4, !lx(e + 1).isPlural {
            if hour >= 6 && hour < 12 { hour += 12 }
            e += 2
        }
        // Time zone: "EST", "GMT", "local time"
        let z = k(e)
        if isTimeZone(e) {
            e += 1
        } else if z == .local, isK(e + 1, .time) {
            e += 2
        }
        var s = Sem()
        s.type = .time
        s.hour = hour; s.minute = minute
        // A day after the time: "Wednesday", "yesterday", "today", "on Monday", "Oct. 5", "on 12 May 2001",
        // "this morning"?
        let clockHour = hour, clockMinute = minute  // captured below as constants
        func dayAfter(_ e: Int) -> Match? {
            var d = e
            if isK(d, .on) { d += 1 }
            if let m = parseDeictic(d) {
                var sh = m.sem; sh.shiftHour = clockHour; sh.shiftMinute = clockMinute; sh.type = .time; sh.shiftDayPart = nil
                return Match(start: i, end: m.end, sem: sh)
            }
            // "at 6:15 this morning", "10 p.m. last night": the day of writing or the one before
            if isK(d, .this) || (isK(d, .last) && word(d + 1, "night")), lx(d + 1).dayPart != 0, !lx(d + 1).isPlural {
                var sh = Sem.shift(.day, isK(d, .last) ? -1 : 0, .reference)
                sh.shiftHour = clockHour; sh.shiftMinute = clockMinute; sh.type = .time
                return Match(start: i, end: d + 2, sem: sh)
            }
            // "7am on Wednesday 3 January": the whole date, when the weekday begins one
            if lx(d).weekday != 0, !lx(d).isPlural, t(d).isCapitalized,
               let m = [parseExplicit(d), parseWeekday(d)].compactMap({ $0 }).max(by: { $0.end < $1.end }) {
                var w = m.sem; w.hour = clockHour; w.minute = clockMinute; w.type = .time; w.dayPart = nil
                return Match(start: i, end: m.end, sem: w)
            }
            if p(d, ","), lx(d + 1).month != 0 { d += 1 }
            if lx(d).month != 0, let m = parseExplicit(d), m.sem.day != nil {
                var w = m.sem; w.hour = clockHour; w.minute = clockMinute; w.type = .time
                return Match(start: i, end: m.end, sem: w)
            }
            // The day first ("at noon GMT on 12 May 2001"): the time is on that day, and the date is
            // an expression of its own, as history texts mark it.
            if t(d).kind == .number, t(d).digits <= 2, lx(d + 1).month != 0, let m = parseExplicit(d), m.sem.day != nil, m.sem.month != nil {
                var w = m.sem; w.hour = clockHour; w.minute = clockMinute; w.type = .time
                return Match(start: i, end: e, sem: w)
            }
            return nil
        }
        if let m = dayAfter(e) { return m }
        // A place's clock before the day ("at 5:34 a.m. Baghdad time on March 20, 2003"): likewise
        // the time takes the day, which is marked on its own.
        if t(e).kind == .word, t(e).isCapitalized, lx(e).key == .none, isK(e + 1, .time), let m = dayAfter(e + 2), m.sem.day != nil {
            return Match(start: i, end: e, sem: m.sem)
        }
        // "7 p.m. tonight"
        s.kind = .shift; s.unit = .day; s.offset = 0; s.anchor = .last
        s.shiftHour = hour; s.shiftMinute = minute
        s.isClockOnly = true
        return Match(start: i, end: e, sem: s)
    }

    func isAmPm(_ i: Int) -> (Bool, Int)? {
        let key = k(i)
        if key == .am || key == .pm {
            var e = i + 1
            if adj(e), p(e, ".") && !startsSentenceAfter(e) { e += 1 }
            return (key == .pm, e)
        }
        // a.m. / p.m. / a.m / p.m
        let tk = t(i)
        if tk.kind == .word, tk.length == 1, adj(i + 1), p(i + 1, "."), adj(i + 2), t(i + 2).kind == .word, t(i + 2).length == 1,
           text[Int(t(i + 2).start)] | 0x20 == UInt8(ascii: "m") {
            let c = text[Int(tk.start)] | 0x20
            guard c == UInt8(ascii: "a") || c == UInt8(ascii: "p") else { return nil }
            var e = i + 3
            if adj(e), p(e, ".") {
                // "p.m." at the end of a sentence keeps its period in the expression
                e += 1
            }
            return (c == UInt8(ascii: "p"), e)
        }
        return nil
    }

    // MARK: Holidays

    func parseHoliday(_ i: Int) -> Match? {
        var s = Sem()
        var e = i + 1
        switch k(i) {
        case .election:
            guard word(e, "day"), t(i).isCapitalized else { return nil }
            s.holiday = .election; e += 1
        case .christmas:
            s.month = 12; s.day = 25
            if isK(e, .eve) { s.day = 24; e += 1 } else if word(e, "day") { e += 1 }
        case .halloween: s.month = 10; s.day = 31
        case .thanksgiving: s.holiday = .thanksgiving; if word(e, "day") { e += 1 }
        case .easter: s.holiday = .easter; if word(e, "sunday") { e += 1 }
        case .new:
            // New Year's Day / New Year's Eve / New Year
            guard word(e, "year"), t(i).isCapitalized else { return nil }
            e += 1
            if p(e, "'"), adj(e), isK(e + 1, .s) { e += 2 }
            if word(e, "day") { s.month = 1; s.day = 1; e += 1 }
            else if isK(e, .eve) { s.month = 12; s.day = 31; e += 1 }
            else { s.month = 1; s.day = 1 }
        case .valentine:
            guard p(e, "'"), isK(e + 1, .s), word(e + 2, "day") else { return nil }
            s.month = 2; s.day = 14; e += 3
        case .independence:
            guard word(e, "day"), t(i).isCapitalized else { return nil }
            s.month = 7; s.day = 4; e += 1
        case .memorial:
            guard word(e, "day"), t(i).isCapitalized else { return nil }
            s.holiday = .memorial; e += 1
        case .labor:
            guard word(e, "day"), t(i).isCapitalized else { return nil }
            s.holiday = .labor; e += 1
        case .veterans:
            guard word(e, "day"), t(i).isCapitalized else { return nil }
            s.month = 11; s.day = 11; e += 1
        case .boxing:
            guard word(e, "day"), t(i).isCapitalized else { return nil }
            s.month = 12; s.day = 26; e += 1
        default: return nil
        }
        guard t(i).isCapitalized || t(i).isAllCaps else { return nil }
        // A name with a holiday in it: "White Christmas", "Bloody Sunday" (weekdays are not here), "Operation Easter"
        if t(i - 1).kind == .word, t(i - 1).isCapitalized, !sentenceInitial(i - 1), lx(i - 1).key == .none, lx(i - 1).month == 0 {
            return nil
        }
        // ... or one that goes on after it: "the Easter Parade", "the Easter Rising".
        if t(e).kind == .word, t(e).isCapitalized, t(e).gap <= 1, lx(e).key == .none, lx(e).month == 0 {
            return nil
        }
        // "Easter week", "Christmas week": the week that holds the day
        if word(e, "week") { s.weekOfDay = true; e += 1 }
        var y = e
        if p(y, ",") { y += 1 }
        if let (yr, bc, ye) = yearAfter(y) { s.year = yr; s.bc = bc; s.explicit = true; e = ye }
        return Match(start: i, end: e, sem: s)
    }
}
