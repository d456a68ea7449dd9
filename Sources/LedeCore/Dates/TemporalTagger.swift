/// A hand-written, rule-based English temporal expression tagger (TIMEX3).
///
/// Text goes through three stages: a tokenizer over UTF-8 bytes with word
/// tables (`Tokenizer`, `Lexicon`), a grammar that finds the longest expression
/// at each token and says what it means (`Grammar`, `Sem`), and a resolver
/// that places each meaning in time against the reference date (news) or the
/// last date mentioned (narratives) and writes its TIMEX3 value.
///
/// Tag an article block by block, in order: what was said last carries over.
public struct TemporalTagger: Sendable {
    /// A calendar point of some precision, used as the anchor of relative expressions.
    struct Point: Equatable, Sendable {
        var year: Int
        var bc = false
        var month: Int?
        var day: Int?
        var quarter: Int?
        var half: Int?
        var season: Int?

        var hasDay: Bool { day != nil && month != nil }
    }

    let reference: Point?
    let forcedGenre: DocumentGenre?
    /// The last date mentioned, once there is one.
    var last: Point?
    /// The last date mentioned with a month or a day: the story's calendar, which an aside
    /// about a distant year ("a report declassified in 2005") does not move.
    var lastFine: Point?
    /// Whether the last date opened its sentence ("In 1898 the couple ...", "Three years later
    /// Pierre was killed"): then it is the story's time, not an aside, and the months after it
    /// are in its year.
    var lastOpened = false
    /// Where `last` ended (block, token after it): for a shift set after a date by a comma, which
    /// restates that date ("lost support in April 2014, 12 and a half years later").
    var lastEnd: (block: Int, token: Int) = (0, -1)
    /// In a report, the first quarter it names: the period reported on. Comparisons ("a year ago",
    /// "the year-earlier period", "the 1988 period") refer to it, not to a quarter named in passing
    /// ("after a flat second quarter") or to the closing day of the quarter ("ended Sept. 30").
    var reportQuarter: Point?
    /// The last year the text being tagged named as the frame of its sentence ("In 2005, ...",
    /// "the 2005 series"), and the token it starts at.
    var statedYear: (year: Int, bc: Bool, token: Int)?
    /// In news, the date of a story told from a past year ("Katrina made landfall on August 29,
    /// 2005"): a stated date with a month, or one dated by it since. `block` counts calls to `tag`;
    /// `sentence` is the sentence it is in, counted from the start of its block.
    var storyDate: (point: Point, block: Int, sentence: Int)?
    var block = 0
    /// Where sentences were last counted to (see `sentence(at:_:)`), and the sentence of the
    /// expression being resolved, counted only in news that states dates or has a story.
    var sentenceCursor = (block: 0, token: 0, count: 0)
    var here = 0
    /// Whether the expression just resolved was dated by the story's date.
    var resolvedFromStory = false
    /// The sentence of the last stated date that set the story's date.
    var storySetAt: (block: Int, sentence: Int) = (0, -1)
    /// How many sentences the story's date had after it in its block, once that block is tagged.
    var storySentencesLeft = 0
    /// Counts that decide news or narrative when the genre is not forced.
    var oldYears = 0
    var recentYears = 0
    var deicticCues = 0
    /// Reused token storage.
    var tokens: [Tok] = []

    public init(referenceDate: DateTime?, genre: DocumentGenre?) {
        reference = referenceDate.map { Point(year: $0.year, month: $0.month, day: $0.day) }
        forcedGenre = genre
    }

    /// The genre used for the text tagged so far.
    public var genre: DocumentGenre { isNarrative ? .narrative : .news }

    var isNarrative: Bool {
        if let forcedGenre { return forcedGenre == .narrative }
        guard reference != nil else { return true }
        // Like HeidelTime's choice of domain: news is told from its date of writing (deictic words,
        // weekdays, recent years); history is told in years long before the reference date.
        let years = oldYears + recentYears
        if oldYears >= 5 && oldYears > 4 * (recentYears + deicticCues) { return true }
        if years >= 12 && deicticCues * 4 < years && oldYears * 3 >= years { return true }
        return false
    }

    public mutating func tag(_ text: String) -> [TemporalExpression] {
        return text.withUTF8Bytes { tag($0) }
    }

    /// Tags one piece of prose; offsets are UTF-8 byte offsets into it.
    public mutating func tag(_ text: UnsafeBufferPointer<UInt8>) -> [TemporalExpression] {
        Tokenizer.tokenize(text, into: &tokens)
        block += 1
        if tokens.isEmpty { return [] }
        countGenreCues(text)
        let narrative = isNarrative
        var out: [TemporalExpression] = []
        let tokenCopy = tokens
        tokenCopy.withUnsafeBufferPointer { toks in
            Lexicon.entries.withUnsafeBufferPointer { lex in
                var g = Grammar(toks: toks, text: text, lexicon: lex, narrative: narrative)
                run(&g, &out)
                if let st = storyDate, st.block == block {
                    storySentencesLeft = sentence(at: g.n, g) - st.sentence
                }
            }
        }
        return out
    }

    /// Counts explicit years and news cues, for the news/narrative decision.
    mutating func countGenreCues(_ text: UnsafeBufferPointer<UInt8>) {
        guard forcedGenre == nil, let ref = reference else { return }
        Lexicon.entries.withUnsafeBufferPointer { lex in
            let n = tokens.count
            for i in 0..<n {
                let tk = tokens[i]
                if tk.kind == .number {
                    if tk.digits == 4, !tk.grouped, tk.num >= 1000, tk.num <= 2999 {
                        if Int(tk.num) < ref.year - 2 { oldYears += 1 } else { recentYears += 1 }
                    } else if i + 1 < n, lex[Int(tokens[i + 1].lex)].key == .bc {
                        oldYears += 1
                    }
                } else if tk.kind == .word, tk.lex != 0 {
                    let l = lex[Int(tk.lex)]
                    switch l.key {
                    case .yesterday, .today, .tomorrow, .tonight, .ago: deicticCues += 1
                    case .this, .last, .next:
                        // "this week", "last month", "next year", "last Tuesday": told from the date of writing
                        if i + 1 < n {
                            let nx = lex[Int(tokens[i + 1].lex)]
                            if nx.unit == .week || nx.unit == .month || nx.unit == .year || nx.unit == .weekend || nx.weekday != 0 { deicticCues += 1 }
                        }
                    default:
                        if l.weekday != 0, !l.isAbbrev, tk.shape & 1 != 0 { deicticCues += 1 }
                    }
                }
            }
        }
    }

    private mutating func run(_ g: inout Grammar, _ out: inout [TemporalExpression]) {
        let n = g.n
        var i = 0
        statedYear = nil
        while i < n {
            if !g.canStart(i) { i += 1; continue }
            g.lastWasBC = last?.bc ?? false
            g.lastYear = last?.year
            if g.toks[i].kind == .number, let (x, y) = g.dayRange(i) ?? g.eraRange(i) {
                appendRange(x, y, g, &out)
                i = y.end
                continue
            }
            guard var m = g.match(at: i) else { i += 1; continue }
            // A range: "from 1939 to 1945", "1914–18", "between May and July 2002", "July 16–18, 2018".
            if let (second, connectorOK) = rangeTail(g, m), connectorOK {
                var y = second
                // The first end takes what it lacks from the second ("May and July 2002", "May 3–5, 1999"),
                // the year before it when its month comes later ("October and January 2003").
                if m.sem.kind == .point, m.sem.year == nil, y.sem.kind == .point, let yy = y.sem.year, m.sem.decade == nil, m.sem.century == nil {
                    m.sem.year = yy; m.sem.bc = y.sem.bc
                    if let m1 = m.sem.month, let m2 = y.sem.month, m1 > m2, !y.sem.bc { m.sem.year = yy - 1 }
                }
                if m.sem.kind == .point, y.sem.kind == .point, y.sem.year == nil, let yy = m.sem.year, m.sem.bc, y.sem.month == nil, y.sem.day == nil {
                    y.sem.bc = true; y.sem.year = y.sem.year ?? yy
                }
                if m.sem.kind == .point, y.sem.kind == .point, y.sem.bc, !m.sem.bc, m.sem.year != nil, m.sem.month == nil {
                    m.sem.bc = true
                }
                appendRange(m, y, g, &out)
                i = y.end
                continue
            }
            if let e = resolve(m, g) { out.append(e) }
            i = m.end
        }
    }

    /// Resolves the two ends of a range and links the first to the second.
    private mutating func appendRange(_ x: Match, _ y: Match, _ g: Grammar, _ out: inout [TemporalExpression]) {
        let firstIndex = out.count
        // A span over several years ("between 1969 and 1972") is background: it does
        // not move the story's time, so "on July 21" after it keeps the year before.
        let story = (last, lastFine, lastOpened)
        defer {
            if out.count == firstIndex + 2, out[firstIndex].value.prefix(4) != out[firstIndex + 1].value.prefix(4) {
                (last, lastFine, lastOpened) = story
            }
        }
        guard var e1 = resolve(x, g) else {
            if let e2 = resolve(y, g) { out.append(e2) }
            return
        }
        out.append(e1)
        if let e2 = resolve(y, g) {
            e1.rangeEnd = out.count
            out[firstIndex] = e1
            out.append(e2)
        }
    }

    /// The second expression of a range after `m`, if one follows a range connector.
    private func rangeTail(_ g: Grammar, _ m: Match) -> (Match, Bool)? {
        let e = m.end
        guard m.sem.kind == .point || m.sem.kind == .weekday else { return nil }
        let dash = g.p(e, "-")
        let opener = g.k(m.start - 1)
        var j = e
        if dash {
            j = e + 1
            if g.p(j, "-") { j += 1 }  // "--"
        } else if g.isK(e, .to) || g.isK(e, .through) || g.isK(e, .until) || g.isK(e, .till) || g.isK(e, .thru) {
            guard opener == .from || g.isK(m.start - 2, .from) || m.sem.day != nil else { return nil }
            j = e + 1
        } else if g.isK(e, .and) {
            // "between May and July"; "on April 24 and 25" (two days of one month, both marked)
            let dayPair = m.sem.day != nil && m.sem.month != nil && g.t(e + 1).kind == .number
            // "in August and September 1914": the first month shares the second's year
            let monthPair = m.sem.month != nil && m.sem.day == nil && m.sem.year == nil && g.lx(e + 1).month != 0
            // "the spring and early summer of 1943": so does a season
            let seasonPair = m.sem.season != nil && m.sem.year == nil && m.sem.month == nil
                && (g.lx(e + 1).season != 0 || g.lx(e + 2).season != 0)
            guard opener == .between || g.isK(m.start - 2, .between) || dayPair || monthPair || seasonPair else { return nil }
            j = e + 1
        } else {
            return nil
        }
        // 1914–18, 1939-45
        if dash, let y1 = m.sem.year, m.sem.month == nil, m.sem.decade == nil, g.adj(j), let v = g.num(j), g.t(j).digits == 2,
           !(g.adj(j + 1) && g.t(j + 1).kind != .punct) {
            let y2 = (y1 / 100) * 100 + v
            if y2 > y1 {
                var s = Sem(); s.year = y2; s.explicit = true; s.bc = m.sem.bc
                return (Match(start: j, end: j + 1, sem: s), true)
            }
            return nil
        }
        // "July 16–18, 2018", "May 3 to 5"
        if let d1 = m.sem.day, let mo = m.sem.month, let (d2, de, _) = g.parseDay(j), d2 > d1, g.monthAny(de) == nil {
            var s = Sem(); s.month = mo; s.day = d2
            var end = de
            var y = de
            if g.p(y, ",") { y += 1 }
            if let yr = g.yearNumber(y) { s.year = yr; s.explicit = true; end = y + 1 }
            else if let yr = m.sem.year { s.year = yr; s.explicit = false }
            // Not "May 3-5 percent"
            if g.t(end).kind == .word, g.word(end, "percent") { return nil }
            // "April 24 and 25 people": after "and" the day must end the phrase
            if !dash, g.isK(e, .and), !(g.t(end).kind == .punct || end >= g.n || g.isK(end, .in) || g.isK(end, .at) || g.isK(end, .to)) { return nil }
            return (Match(start: j, end: end, sem: s), true)
        }
        if !dash, g.isK(e, .and), !(opener == .between || g.isK(m.start - 2, .between)) {
            // only "May and July 2002": a month with its year, or a season with its year
            guard let y = g.match(at: j), y.start == j, y.sem.kind == .point, y.sem.day == nil, y.sem.year != nil, y.sem.explicit
            else { return nil }
            if m.sem.month != nil, m.sem.day == nil, y.sem.month != nil { return (y, true) }
            if m.sem.season != nil, m.sem.month == nil, y.sem.season != nil, y.sem.month == nil { return (y, true) }
            return nil
        }
        guard let y = g.match(at: j), y.sem.kind == .point || y.sem.kind == .weekday else { return nil }
        // Both ends the same kind of thing
        if m.sem.decade != nil || m.sem.century != nil { return (y, y.sem.decade != nil || y.sem.century != nil || y.sem.year != nil) }
        return (y, true)
    }

    // MARK: Resolution

    /// The tense around token i: +1 future, -1 past, 0 not known. The tense
    /// marker nearest to the expression in its sentence decides; reporting
    /// verbs ("said") say nothing about when the reported thing happens.
    func tense(_ g: Grammar, _ i: Int, present: Bool = false, skipping own: Range<Int>? = nil) -> Int {
        var best = 0
        var bestDistance = Int.max
        func consider(_ j: Int) {
            let d = abs(j - i)
            guard d < bestDistance, !(own?.contains(j) ?? false) else { return }
            var v = marker(g, j, i)
            if v == 0, present, g.t(j).kind == .word {
                // General statements in the present: "continue to shape politics today"
                if g.word(j, "continue") || g.word(j, "continues") || g.word(j, "remain") || g.word(j, "remains")
                    || g.word(j, "still") || g.word(j, "even") || g.word(j, "exist") || g.word(j, "exists") {
                    // "will continue", "would remain" look ahead
                    v = g.lx(j - 1).tense > 0 ? 1 : 2
                }
            }
            if v != 0 { best = v; bestDistance = d }
        }
        var j = i - 1
        var steps = 0
        while j >= 0, steps < 40, !g.boundaryBefore(j + 1) {
            consider(j)
            j -= 1; steps += 1
        }
        j = i + 1
        steps = 0
        while j < g.n, steps < 40, !g.boundaryBefore(j) {
            consider(j)
            j += 1; steps += 1
        }
        return best
    }

    /// The sentence token i is in, counted from 0 at the start of its block. Counted on from the
    /// last token asked about, as expressions come in text order.
    mutating func sentence(at i: Int, _ g: Grammar) -> Int {
        if sentenceCursor.block != block || i < sentenceCursor.token { sentenceCursor = (block, 0, 0) }
        var (j, count) = (sentenceCursor.token + 1, sentenceCursor.count)
        let last = min(i, g.n - 1)
        while j <= last {
            if g.boundaryBefore(j) { count += 1 }
            j += 1
        }
        sentenceCursor = (block, max(last, sentenceCursor.token), count)
        return count
    }

    /// How many sentences lie between the story's date and the expression being resolved,
    /// which is in sentence `here` (0: the same sentence).
    func sentencesSince(_ st: (point: Point, block: Int, sentence: Int)) -> Int {
        if st.block == block { return here - st.sentence }
        if st.block == block - 1 { return storySentencesLeft + 1 + here }
        return Int.max
    }

    /// "began on", "arrived only on": a verb in the past tense that token i, after "on", dates.
    func pastVerbOn(_ g: Grammar, _ i: Int) -> Bool {
        guard g.isK(i - 1, .on), !g.boundaryBefore(i - 1) else { return false }
        var j = i - 2
        // one adverb between them: "arrived only on", "finally ended on"
        if g.t(j).kind == .word, g.k(j) == .none, g.word(j, "only") || g.word(j, "finally") || g.word(j, "eventually") {
            j -= 1
        }
        guard j >= 0, !g.boundaryBefore(j + 1) else { return false }
        return marker(g, j, i) < 0
    }

    /// An infinitive ("to admit", "to purchase") between token i and the nearest tense marker before it
    /// in its clause: what token i dates is the infinitive's event.
    func infinitiveBefore(_ g: Grammar, _ i: Int) -> Bool {
        var j = i - 1
        var steps = 0
        while j >= 0, steps < 20, !g.boundaryBefore(j + 1) {
            if marker(g, j, i) != 0 { return false }
            if g.isK(j, .to), g.t(j + 1).kind == .word, !g.t(j + 1).isCapitalized, g.k(j + 1) == .none, !determiner(g, j + 1) {
                return true
            }
            j -= 1; steps += 1
        }
        return false
    }

    /// "until" or "till" a few words before token i in its clause ("lasted until the fall of
    /// Budapest in February 1945"), with no other date between them. Not "until" as a
    /// conjunction that opens the next event ("relations deteriorated until in March 1980,
    /// Iran downgraded its ties"): followed by a preposition.
    func untilBefore(_ g: Grammar, _ i: Int) -> Bool {
        var j = i - 1
        var steps = 0
        while j >= 0, steps < 8, !g.boundaryBefore(j + 1), !g.p(j, ",") {
            if g.isK(j, .until) || g.isK(j, .till) {
                return !(g.isK(j + 1, .in) || g.isK(j + 1, .on) || g.isK(j + 1, .at) || g.isK(j + 1, .by))
            }
            if g.t(j).kind == .number { return false }
            j -= 1; steps += 1
        }
        return false
    }

    /// A date in a clause in the past perfect ("forces that had invaded Burma in late 1943") looks back
    /// from the story's time: "had" a few words before it in the same clause.
    func pastPerfect(_ g: Grammar, _ i: Int) -> Bool {
        wordInClauseBefore(g, i) { g.word($0, "had") }
    }

    /// Whether one of the eight words before token i in its clause (up to a comma) passes `test`.
    func wordInClauseBefore(_ g: Grammar, _ i: Int, _ test: (Int) -> Bool) -> Bool {
        var j = i - 1
        var steps = 0
        while j >= 0, steps < 8, !g.boundaryBefore(j + 1), !g.p(j, ",") {
            if test(j) { return true }
            j -= 1; steps += 1
        }
        return false
    }

    /// Token i is "later", "earlier", "after" or "before", closing a shift ("two years later").
    func isLaterOrEarlier(_ g: Grammar, _ i: Int) -> Bool {
        g.isK(i, .later) || g.isK(i, .earlier) || g.isK(i, .after) || g.isK(i, .before)
    }

    /// "has held", "have risen": "has" or "have" a few words before token i in its clause.
    func presentPerfect(_ g: Grammar, _ i: Int) -> Bool {
        wordInClauseBefore(g, i) { g.word($0, "has") || g.word($0, "have") }
    }

    /// +1 for a word that marks the future, -1 for one that marks the past.
    func marker(_ g: Grammar, _ j: Int, _ i: Int) -> Int {
        let tk = g.t(j)
        guard tk.kind == .word else { return 0 }
        let l = g.lx(j)
        if l.tense != 0 {
            if l.tense > 0, l.key == .next || l.key == .coming, j == i - 1 { return 0 }  // part of the expression
            // part of another expression: "the next day the Fed rescues AIG" says nothing of the tense
            if l.tense > 0, l.key == .next, g.isK(j - 1, .the), g.lx(j + 1).unit != .none || g.lx(j + 1).dayPart != 0 { return 0 }
            if l.key == .next, g.isK(j + 1, .to) { return 0 }  // a place: "next to the embassy"
            // The past perfect of a plan looks back: "it had been scheduled to expire Friday"
            if l.tense > 0, g.word(j - 1, "had") || (g.word(j - 1, "been") && g.word(j - 2, "had")) { return -1 }
            // "the plan", "its plans": the noun
            if l.tense > 0, g.word(j, "plan") || g.word(j, "plans"), determiner(g, j - 1) { return 0 }
            // "planned" as a verb is a past tense: "the government planned to pay the claims on Friday" was
            // written after the plan, which would otherwise read "plans to pay". Not a participle after "be"
            // ("is planned for May") or before a noun ("the planned merger"), nor "planned for".
            if l.tense > 0, g.word(j, "planned"), g.isK(j + 1, .to), !determiner(g, j - 1), !formOfBe(g, j - 1) {
                return -1
            }
            // A participle after "be" is a passive, not a tense: "will be held", "will be paid"
            if l.tense < 0, formOfBe(g, j - 1) { return 0 }
            return Int(l.tense)
        }
        if l.month == 5, !tk.isCapitalized { return 1 }  // the modal "may"
        switch l.key {
        case .early, .soon: return g.word(j - 1, "as") && g.word(j + 1, "as") ? 1 : 0
        default: break
        }
        if tk.length == 2, g.word(j, "ll"), g.p(j - 1, "'") { return 1 }
        // "Elections are due on Sunday", "the report is due Friday": scheduled, ahead
        if g.word(j, "due"), g.word(j - 1, "is") || g.word(j - 1, "are"), !g.isK(j + 1, .to) { return 1 }
        if g.isK(j + 1, .to), !g.isK(j + 2, .the),
           g.word(j, "going") || g.word(j, "is") || g.word(j, "are") || g.word(j, "due") || g.word(j, "set") {
            if g.word(j - 1, "had") || (g.word(j - 1, "been") && g.word(j - 2, "had")) { return -1 }
            return 1
        }
        // Regular past tenses and participles: "reported", "closed".
        let len = tk.length
        if len > 4, !tk.isCapitalized, g.text[Int(tk.end) - 1] == UInt8(ascii: "d"), g.text[Int(tk.end) - 2] == UInt8(ascii: "e"),
           l.flags & Lex.notPast == 0 {
            // "-ed" after "be" is a passive, not a tense: "will be held"
            if g.word(j - 1, "be") || g.word(j - 1, "been") { return 0 }
            // after a determiner it is an adjective: "the reduced dividend", "a revised offer"
            if determiner(g, j - 1) { return 0 }
            // "unspecified", "undisclosed", "unexpected": adjectives, there is no verb to be past
            if g.text[Int(tk.start)] == UInt8(ascii: "u"), g.text[Int(tk.start) + 1] == UInt8(ascii: "n") { return 0 }
            return -1
        }
        return 0
    }

    /// "be", "been", "being", "is" or "are": a participle after it is a passive, not a tense.
    func formOfBe(_ g: Grammar, _ j: Int) -> Bool {
        g.word(j, "be") || g.word(j, "been") || g.word(j, "being") || g.word(j, "is") || g.word(j, "are")
    }

    /// A determiner or possessive pronoun: what follows it is a noun phrase, not a verb.
    func determiner(_ g: Grammar, _ j: Int) -> Bool {
        g.isK(j, .the) || g.isK(j, .a) || g.isK(j, .an) || g.word(j, "its") || g.word(j, "his") || g.word(j, "her")
            || g.word(j, "their") || g.word(j, "our") || g.word(j, "your") || g.word(j, "my")
    }

    /// A point's TIMEX3 value at its own precision.
    static func value(of p: Point) -> String {
        var v = TimexFormat.year(p.year, bc: p.bc)
        if let m = p.month {
            v += "-" + TimexFormat.pad(m, 2)
            if let d = p.day { v += "-" + TimexFormat.pad(d, 2) }
        } else if let q = p.quarter {
            v += "-Q\(q)"
        } else if let h = p.half {
            v += "-H\(h)"
        } else if let s = p.season {
            v += "-" + Lexicon.seasonNames[s]
        }
        return v
    }

    /// The anchor for a relative expression.
    func anchor(_ a: Sem.Anchor, narrative: Bool) -> Point? {
        switch a {
        case .reference: return reference ?? last
        case .last: return last ?? reference
        case .auto: return narrative ? (last ?? reference) : (reference ?? last)
        }
    }

    static func shiftDay(_ p: Point, _ days: Int) -> Point {
        let z = Cal.days(p.year, p.month!, p.day!) + days
        let c = Cal.civil(z)
        return Point(year: c.y, month: c.m, day: c.d)
    }

    private mutating func resolve(_ m: Match, _ g: Grammar) -> TemporalExpression? {
        if !g.narrative, storyDate != nil || m.sem.explicit { here = sentence(at: m.start, g) }
        resolvedFromStory = false
        var first = m.start
        // "the third-quarter loss", "the late-November vote": the hyphenated date modifies the noun
        // after it, and "the" belongs to that noun (TimeML leaves it out of the expression)
        if g.isK(first, .the), m.end - first >= 4, g.p(m.end - 2, "-"), g.adj(m.end - 2), g.adj(m.end - 1), g.t(m.end - 1).kind != .number,
           g.t(m.end).kind == .word, g.t(m.end).gap == 1, !g.boundaryBefore(m.end), g.k(m.end) == .none {
            first += 1
        }
        let start = Int(g.t(first).start)
        let end = Int(g.t(m.end - 1).end)
        let s = m.sem
        var value: String
        var explicit = s.explicit
        var anchored: Point?
        var type = s.type
        switch s.kind {
        case .literal:
            value = s.literal
            explicit = type == .set || type == .duration
        case .duration:
            value = durationValue(s, narrative: g.narrative)
            explicit = true
        case .set:
            value = s.literal
            explicit = true
        case .point:
            guard let (v, p) = resolvePoint(s, m, g) else { return nil }
            value = v; anchored = p
        case .shift:
            guard let (v, p) = resolveShift(s, m, g) else { return nil }
            value = v; anchored = p
            explicit = false
        case .weekday:
            guard let (v, p) = resolveWeekday(s, m, g) else { return nil }
            value = v; anchored = p
            explicit = false
        }
        if s.dayShift != 0, let p = anchored, p.hasDay {
            // "the day before last Tuesday's hearing": a day, not a time of it
            let q = Self.shiftDay(p, Int(s.dayShift))
            value = Self.value(of: q); anchored = q; type = .date
        }
        if type == .time, !value.contains("T") { type = .date }
        // A comparison with a year before ("a year earlier", "the year-ago quarter") looks back
        // without moving the story's time.
        // So does a history's "the previous year": a look back from the story, which then goes on.
        let comparison = s.kind == .shift && s.offset < 0 && (s.amountWasCounted || s.keepAnchorGrain || (g.narrative && s.unit == .year))
            && (s.unit == .year || g.narrative)
        // "since 513 BC" dates the start of a state of affairs, not the story's present; in a
        // narrative, "an assault that lasted until the fall of Budapest in February 1945" looks ahead
        // to where a state of affairs ends, and the story goes on from before it.
        // (Only once the story has a time to keep: the first date it names sets one.)
        let until = g.narrative && s.explicit && last != nil && untilBefore(g, m.start)
        // A history's deictic "next summer", "next year" (not "the next spring") is said by someone in
        // the story and looks ahead from it.
        let background = g.isK(m.start - 1, .since) || until
            || (g.narrative && s.explicit && (tense(g, m.start) > 0 || pastPerfect(g, m.start)))
            || (g.narrative && g.isK(m.start, .next))
        let opens = g.boundaryBefore(m.start) || (g.boundaryBefore(m.start - 1) && g.t(m.start - 1).kind == .word)
        if let p = anchored, !comparison, !background {
            lastEnd = (block, m.end)
            last = p
            lastOpened = opens
            if p.month != nil { lastFine = p }
        }
        var inStory = false
        if !g.narrative, let p = anchored, !p.bc {
            inStory = resolvedFromStory || !explicit && storyDate.map { $0.point.year == p.year && sentencesSince($0) <= 3 } ?? false
            // Not a date that names a thing ("the Dec. 21, 1988, bombing", "the August 1988 cease-fire")
            // nor one told in the past perfect ("had fled to Florida in June 1998"): asides.
            // The first stated date of its sentence: "launched its invasion on 24 February 2022, eight
            // years after it seized Crimea in March 2014" tells of 2022.
            let storysSentence = storySetAt.block == block && storySetAt.sentence == here
            if s.explicit, s.year != nil, p.month != nil, reference.map({ p.year < $0.year }) ?? false,
               !determiner(g, m.start - 1), !pastPerfect(g, m.start), !storysSentence {
                storyDate = (p, block, here)
                storySetAt = (block, here)
            } else if s.explicit, storysSentence {
                // another date of the sentence that set the story: an aside in it
            } else if resolvedFromStory || storyDate.map({ p.year == $0.point.year }) ?? false, s.kind == .point || s.kind == .weekday,
                      !s.explicit, p.month != nil {
                storyDate = (p, block, here)
            } else if let st = storyDate, p.year != st.point.year {
                storyDate = nil
            }
        }
        if s.explicit, s.year != nil, let p = anchored {
            // A frame: a year that opens its sentence ("In 2005, ..."), or one that names a thing
            // ("the 2005 series"); not a year in a clause about something else ("who were invited
            // to join NATO in July 1997, will join on March 12").
            let names = g.isK(m.start - 1, .the) && m.end == m.start + 1 && g.t(m.end).kind == .word && !g.t(m.end).isCapitalized
            statedYear = opens || names ? (p.year, p.bc, m.start) : nil
        }
        if !g.narrative, s.kind == .point, s.quarter != nil, !s.quarterFromContext, let p = anchored, let q = p.quarter,
           p.month == nil, !p.bc, let ref = reference, let rm = ref.month {
            // A report is about a quarter that is over, and not long ago; a later one named after it starts
            // another report ("Separately, America West reported third-quarter profit"), an earlier one
            // is an aside ("after a flat second quarter").
            let t = p.year * 4 + q - 1
            let now = ref.year * 4 + (rm - 1) / 3
            let completed = t < now && t >= now - 4
                && (reportQuarter.map({ !s.quarterFromEndDate && t >= $0.year * 4 + ($0.quarter ?? 1) - 1 }) ?? true)
            // A fiscal quarter may bear the name of the calendar quarter still under way ("reported a decline
            // in fourth-quarter earnings" on 2 November): only as the first one named, and not in the future tense.
            let fiscal = t == now && reportQuarter == nil && tense(g, m.start) <= 0
            if completed || fiscal {
                reportQuarter = Point(year: p.year, quarter: q)
            }
        }
        var e = TemporalExpression(start: start, end: end, type: type, value: value, mod: s.mod, isExplicit: explicit)
        e.inStory = inStory
        return e
    }

    func durationValue(_ s: Sem, narrative: Bool) -> String {
        var amount = s.amount
        var unit = s.unit
        if !narrative {
            // TimeBank writes decades and centuries in years.
            switch unit {
            case .decade: unit = .year; amount = amount.map { $0 * 10 }
            case .century: unit = .year; amount = amount.map { $0 * 100 }
            case .millennium: unit = .year; amount = amount.map { $0 * 1000 }
            default: break
            }
            if amount == nil, s.unit == .decade || s.unit == .century { unit = .year }
        }
        // "the next three quarters" → P9M
        if unit == .quarter, let a = amount { unit = .month; amount = a * 3 }
        return TimexFormat.duration(amount, unit)
    }

    /// Time-of-day suffix: `T15:30`, `TMO`.
    static func timeSuffix(hour: Int?, minute: Int?, dayPart: Int?) -> String {
        if let h = hour { return "T" + TimexFormat.pad(h, 2) + ":" + TimexFormat.pad(minute ?? 0, 2) }
        if let d = dayPart { return "T" + Lexicon.dayPartNames[d] }
        return ""
    }

    mutating func resolvePoint(_ s0: Sem, _ m: Match, _ g: Grammar) -> (String, Point?)? {
        var s = s0
        if let c = s.century {
            if s.bc { return ("BC" + TimexFormat.pad(c, 2), nil) }
            return (TimexFormat.pad(c, 2), nil)
        }
        if let d = s.decade {
            if s.bc { return ("BC" + TimexFormat.pad(d, 3), nil) }
            return (TimexFormat.pad(d, 3), nil)
        }
        let narrative = g.narrative
        // "January this year", "June last year", "July 25 of that year"
        if let off = s.relYear, s.year == nil {
            let base = s.relYearAnchor == .last ? (last ?? reference) : (narrative ? (last ?? reference) : (reference ?? last))
            if let base {
                s.year = base.year + (base.bc ? -off : off)
                s.bc = base.bc
            }
        }
        // Fill in the year (and month) from context.
        var winterAfterAutumn = false
        if s.year == nil {
            var base = s.anchor == .last ? (last ?? reference) : (narrative ? (last ?? reference) : (reference ?? last))
            if narrative, s.month != nil || s.day != nil, let l = last, l.month == nil, !lastOpened, let f = lastFine, f.bc == l.bc, abs(f.year - l.year) > 5 {
                base = f
            }
            // News that names a year and then a month or day in the same sentence ("In the 2005
            // series, England won on the morning of 7 August") dates it in that year, not in the
            // year of writing.
            if !narrative, s.anchor != .last, s.direction == 0, !s.sameYear, s.relYear == nil, s.month != nil,
               let st = statedYear, st.token < m.start, st.year != reference?.year,
               !((st.token + 1)...m.start).contains(where: { g.boundaryBefore($0) }) {
                base = Point(year: st.year, bc: st.bc)
            }
            // News that tells a story from a past year goes on in that year: "The storm had formed
            // over the Bahamas on August 23", a sentence or two after "made landfall on August 29, 2005",
            // in an article written twenty years on. Only in the past tense, and only while the
            // story's date is close behind.
            var inStory = false
            if !narrative, s.anchor != .last, s.direction == 0, !s.sameYear, s.relYear == nil, s.month != nil,
               base == reference, let st = storyDate, let ref = reference, !st.point.bc, st.point.year < ref.year,
               sentencesSince(st) <= 3,
               // in the past tense, or a timeline's label ("September 15: Lehman files for bankruptcy")
               tense(g, m.start) < 0 || g.boundaryBefore(m.start) && g.p(m.end, ":") && tense(g, m.start) == 0,
               // not a state of affairs that goes on now: "has held the rate since September"
               !g.isK(m.start - 1, .since), !presentPerfect(g, m.start),
               // nor the end of a period, which need not be in the story: "the deadline was extended
               // first to 12 April, then to 31 October", after "triggered on 29 March 2017"
               !(g.isK(m.start - 1, .to) || g.isK(m.start - 1, .until) || g.isK(m.start - 1, .till)
                 || g.word(m.start - 1, "from") || g.isK(m.start - 1, .through)) {
                // A story goes forward: the month (day) as it falls from a season before the story's
                // date on ("Hamas attacked on 7 October 2023. Iran launched drones on 13–14 April" is
                // the April after; "in late August", before a launch on 16 November, the same year),
                // but not past the date of writing.
                let day = min(s.day ?? 15, 28)
                let from = Cal.days(st.point.year, st.point.month ?? 1, st.point.day ?? 1) - 120
                var y = st.point.year
                if Cal.days(y, s.month!, day) < from, Cal.days(y + 1, s.month!, day) <= Cal.days(ref.year, ref.month ?? 12, ref.day ?? 28) {
                    y += 1
                }
                base = Point(year: y)
                inStory = true
                resolvedFromStory = true
            }
            guard let base else {
                // No context at all: unknown year.
                return (unknownValue(s), nil)
            }
            if s.month == nil, s.day != nil {
                // "the 20th": the month in context
                guard let bm = base.month else { return (unknownValue(s), nil) }
                s.month = bm
            }
            var y = base.year
            s.bc = base.bc
            let news = !narrative && s.anchor != .last && base == reference && !inStory
            if news, s.direction == 0, s.day != nil, g.word(m.start - 1, "ended") || g.isK(m.start - 1, .since) {
                // "the fiscal year ended Jan. 31", "since Oct. 2": a day that is over, whatever the sentence's tense
                s.direction = -1
            }
            if news || (s.direction != 0 && base.month != nil && !base.bc) {
                let ref = base
                // News: the nearest such month (or season or quarter) to the date of writing,
                // in the direction the sentence looks.
                if s.season != nil, s.direction != 0, !s.nearestInDirection {
                    // "last fall", "next spring": the season of the year before or after
                    y += s.direction
                } else if s.sameYear {
                    // "this September", "this summer": in the year of writing
                } else if let t = Self.monthPosition(s) {
                    let refPos = Double(ref.year * 12 + (ref.month ?? 6) - 1) + Double((ref.day ?? 15) - 1) / 31
                    var dir = s.direction
                    if dir == 0 && !s.sameYear { dir = tense(g, m.start) }
                    // A deadline in a sentence that says nothing of the past ("markets price in a first
                    // cut by June", written in November) lies ahead, though the nearest June is the one gone.
                    // So does the end of a period "until" a day or month ("a transition then runs until 31 December").
                    let deadline = dir == 0 && news && s.direction == 0 && s.month != nil
                        && (s.day == nil && g.isK(m.start - 1, .by) || g.isK(m.start - 1, .until) || g.isK(m.start - 1, .till))
                    if deadline { dir = 1 }
                    if s.sameYear { dir = 0 }
                    var bestYear = y
                    var bestDist = Double.infinity
                    // How far a "last"/"next" month must lie from now: a different month,
                    // a different day, a season that is over.
                    let margin = s.day != nil ? 0.0 : (s.month != nil ? 0.5 : 1.5)
                    // "since January", "since the spring": a time that has begun, whatever the tense
                    let since = news && s.direction == 0 && s.day == nil && g.isK(m.start - 1, .since)
                    for cy in (y - 1)...(y + 1) {
                        let d = Double(cy * 12) + t - refPos
                        if since, d > margin { continue }
                        if deadline, d < -0.5 { continue }  // a month that is over is no deadline ahead
                        if s.direction < 0, d > -margin { continue }
                        // "last February" is not the month just over, which is "last month" (said on 1 March,
                        // the February a year before); "this past February" is.
                        if s.direction < 0, s.day == nil, let mo = s.month, !s.nearestInDirection, let rm = ref.month,
                           ref.year * 12 + rm - (cy * 12 + mo) < 2 { continue }
                        if s.direction > 0, d < margin { continue }
                        var cost = abs(d)
                        if s.quarter != nil, s.direction == 0, dir <= 0, d > -1.5 + 0.0, Double(cy * 12) + t - 1.5 > refPos {
                            // A quarter is reported on once it has begun.
                            cost += 12
                        }
                        if s.direction == 0 {
                            // The tense of the sentence: a month in the wrong direction costs more.
                            // A month that an event happened "in" takes the tense of the verb: "KKR bought RJR
                            // in February", "a mission in December" that will be flown. Not a deadline ("by February",
                            // "through January"), which looks ahead whatever the tense of the verb that sets it, nor
                            // the month of an infinitive's event ("agreed to purchase the line in February").
                            let inMonth = s.month != nil && s.day == nil && g.isK(m.start - 1, .in) && !infinitiveBefore(g, m.start - 1)
                            // So does a day that a verb in the past tense says something happened "on"
                            // ("a second lockdown began on 5 November", written in July).
                            let onDay = s.day != nil && dir < 0 && pastVerbOn(g, m.start)
                            let penalty: Double = inMonth || onDay || deadline ? 12 : 4
                            if dir > 0, d < -1 { cost += penalty }
                            if dir < 0, d > 1 { cost += penalty }
                        }
                        if cost < bestDist { bestDist = cost; bestYear = cy }
                    }
                    y = bestYear
                }
            } else if s.direction != 0 {
                y += s.direction
            } else if narrative, s.anchor != .last, let bm = base.month ?? lastFine.flatMap({ $0.year == base.year && $0.bc == base.bc ? $0.month : nil }),
                      let mo = s.month, !base.bc, mo < bm, mo + 12 - bm <= 1 {
                // A story that reaches December and goes on "in January" has crossed into the next year,
                // also when the year was named again after December ("on December 8 ... in 1941").
                y += 1
            } else if narrative, s.season == 4, s.month == nil, (base.month ?? 0) >= 8 || base.season == 3 {
                // (From August on, the winter ahead is nearer than the one named by the year: "the
                // monarchy fell on 10 August 1792 ... tried that winter" is the winter of 1792–93.)
                // A winter runs from December into the next year and is named by the year of its
                // January and February: a story in the autumn of 1777 that goes on "over the winter"
                // has reached the winter of 1778 (the winter of 481/480 BC is 480 BC). The story's
                // calendar stays in the autumn: "over the winter" is often a look ahead from it.
                winterAfterAutumn = true
            }
            // "in 2020, the result was called on Saturday 7 November", in an article of 2024: the
            // weekday says which year, when the year the text last named (or the year of writing)
            // fits it and this one does not.
            if s.statedWeekday != 0, let mo = s.month, let d = s.day, !s.bc, d <= Cal.daysIn(mo, y), Cal.weekday(y, mo, d) != s.statedWeekday,
               let fit = [last, reference].compactMap({ $0 }).first(where: {
                   !$0.bc && $0.year != y && d <= Cal.daysIn(mo, $0.year) && Cal.weekday($0.year, mo, d) == s.statedWeekday }) {
                y = fit.year
            }
            s.year = y
        }
        if let h = s.holiday, let y = s.year {
            let (mo, d) = Self.holidayDate(h, y)
            s.month = mo; s.day = d
        }
        if s.nthWeekday != 0, let y = s.year, let mo = s.month, !s.bc {
            // "the first Monday in October": the day it falls on that year
            let first = (s.weekday - Cal.weekday(y, mo, 1) + 7) % 7 + 1
            if s.nthWeekday > 0 {
                let d = first + 7 * (Int(s.nthWeekday) - 1)
                if d > Cal.daysIn(mo, y) { return nil }
                s.day = d
            } else {
                s.day = first + 7 * ((Cal.daysIn(mo, y) - first) / 7)
            }
        }
        if s.quarterFromContext, let q = quarterInView?.quarter, !comparesLongerPeriod(g, m.start) { s.quarter = q }
        var p = Point(year: s.year!, bc: s.bc)
        p.month = s.month
        p.day = s.month != nil ? s.day : nil
        if p.month == nil {
            p.quarter = s.quarter; p.half = s.half; p.season = s.season
        }
        if let d = p.day, let mo = p.month, d > Cal.daysIn(mo, p.year) { return nil }
        if s.weekOfDay, let mo = p.month, let d = p.day, !p.bc {
            let iw = Cal.isoWeek(p.year, mo, d)
            return (TimexFormat.year(iw.year) + "-W" + TimexFormat.pad(iw.week, 2), p)
        }
        if let w = s.weekOfMonth, let mo = p.month, !p.bc {
            // The ISO week holding the first (or last) days of the month
            let day = w < 0 ? Cal.daysIn(mo, p.year) : min(1 + (w - 1) * 7, Cal.daysIn(mo, p.year))
            let iw = Cal.isoWeek(p.year, mo, day)
            return (TimexFormat.year(iw.year) + "-W" + TimexFormat.pad(iw.week, 2), p)
        }
        var v = Self.value(of: p)
        if winterAfterAutumn {
            var next = p
            next.year += p.bc ? -1 : 1
            v = Self.value(of: next)
        }
        if p.hasDay {
            v += Self.timeSuffix(hour: s.hour, minute: s.minute, dayPart: s.dayPart)
        }
        return (v, p)
    }

    /// Where in its year a partial date lies, in months from January 1 (for choosing the nearest year).
    static func monthPosition(_ s: Sem) -> Double? {
        if let mo = s.month {
            if let d = s.day { return Double(mo - 1) + Double(d - 1) / 31 }
            return Double(mo - 1) + 0.5
        }
        if let se = s.season { return [0, 3.5, 6.5, 9.5, 12.5][se] }
        if let h = s.holiday {
            switch h {
            case .thanksgiving: return 10.8
            case .easter: return 3.3
            case .memorial: return 4.9
            case .labor: return 8.1
            case .election: return 10.1
            }
        }
        if let q = s.quarter { return Double((q - 1) * 3) + 1.5 }
        if let h = s.half { return h == 1 ? 3 : 9 }
        return nil
    }

    func unknownValue(_ s: Sem) -> String {
        var v = "XXXX"
        if let mo = s.month {
            v += "-" + TimexFormat.pad(mo, 2)
            if let d = s.day { v += "-" + TimexFormat.pad(d, 2) }
        } else if let d = s.day {
            v += "-XX-" + TimexFormat.pad(d, 2)
        } else if let q = s.quarter { v += "-Q\(q)" }
        else if let h = s.half { v += "-H\(h)" }
        else if let se = s.season { v += "-" + Lexicon.seasonNames[se] }
        return v
    }

    static func holidayDate(_ h: Sem.Holiday, _ y: Int) -> (Int, Int) {
        switch h {
        case .thanksgiving:
            // Fourth Thursday of November
            let wd = Cal.weekday(y, 11, 1)
            let first = 1 + (4 - wd + 7) % 7
            return (11, first + 21)
        case .memorial:
            let wd = Cal.weekday(y, 5, 31)
            return (5, 31 - (wd - 1 + 7) % 7)
        case .labor:
            let wd = Cal.weekday(y, 9, 1)
            return (9, 1 + (1 - wd + 7) % 7)
        case .election:
            // The Tuesday after the first Monday of November
            let wd = Cal.weekday(y, 11, 1)
            return (11, 1 + (1 - wd + 7) % 7 + 1)
        case .easter:
            // Anonymous Gregorian algorithm
            let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4
            let f = (b + 8) / 25, gg = (b - f + 1) / 3, h2 = (19 * a + b - d - gg + 15) % 30
            let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h2 - k) % 7
            let m = (a + 11 * h2 + 22 * l) / 451
            let month = (h2 + l - 7 * m + 114) / 31
            let day = (h2 + l - 7 * m + 114) % 31 + 1
            return (month, day)
        }
    }

    func resolveShift(_ s: Sem, _ m: Match, _ g: Grammar) -> (String, Point?)? {
        let narrative = g.narrative
        var anchorKind = s.anchor
        if s.isClockOnly {
            // A clock time: on the last day mentioned, else the reference day.
            if let l = last, l.hasDay { anchorKind = .last } else { anchorKind = .reference }
        }
        guard var a = anchor(anchorKind, narrative: narrative) else {
            return (unresolvedShift(s), nil)
        }
        // "released in 2001, lost support in April 2014, 12 and a half years later", "leaked on
        // May 2, almost two months earlier": a count of units later (earlier) set after a date by a
        // comma says how far that date lies from another one; it is that date again, to the unit
        // it counts in, not a date as far beyond it.
        if s.amountWasCounted, s.offset != 0, a == last, lastEnd == (block, m.start - 1),
           g.p(m.start - 1, ","), isLaterOrEarlier(g, m.end - 1) {
            var p = Point(year: a.year, bc: a.bc)
            switch s.unit {
            case .day, .week, .weekend, .fortnight: if a.hasDay { p = a } else { p.month = a.month }
            case .month, .quarter, .half: p.month = a.month
            default: break
            }
            return (Self.value(of: p), p)
        }
        // In news, "the next morning" after a mention of a year is still a day: count from the date of writing.
        // But "that same day" points back at the day of the event just mentioned, whatever its precision.
        if !narrative, s.unit == .day || s.unit == .week, !a.hasDay, let ref = reference, ref.hasDay,
           !(s.anchor == .last && s.offset == 0 && last != nil && !s.isClockOnly) { a = ref }
        // In news, a sentence that looks ahead counts "the next month" (year, decade) from the date of
        // writing, not from a date the article mentioned before ("It will stay for the next month",
        // after "for the past year", was a month of that past year).
        if !narrative, s.theNext, let ref = reference, tense(g, m.start, skipping: m.start..<m.end) > 0 { a = ref }
        if s.todayWord, s.shiftDayPart == nil, tense(g, m.start, present: true) == 2 {
            // "global politics today", "today's world": the present, not the date of writing
            return ("PRESENT_REF", nil)
        }
        if s.isBareThe, s.unit == .quarter {
            // "the quarter": the quarter being discussed, else the last one reported on.
            if let l = quarterInView, let q = l.quarter {
                let p = Point(year: l.year, quarter: q)
                return (Self.value(of: p), p)
            }
        }
        if s.latestQuarter, let r = reportQuarter {
            // "the latest quarter", "the latest period": the one the report is about
            return (Self.value(of: r), r)
        }
        if s.latestQuarter || (s.isBareThe && s.unit == .quarter) {
            let a = reference ?? a
            guard let mo = a.month ?? (a.quarter.map { ($0 - 1) * 3 + 1 }) else { return ("\(TimexFormat.year(a.year))-QX", nil) }
            var q = (mo - 1) / 3 + 1
            var y = a.year
            if a.quarter == nil { q -= 1; if q == 0 { q = 4; y -= 1 } }
            let p = Point(year: y, quarter: q)
            return (Self.value(of: p), p)
        }
        var p: Point
        switch s.unit {
        case .day:
            if a.hasDay {
                p = Self.shiftDay(a, s.offset)
            } else {
                // The anchor is coarser than a day: still a day, with the parts that are not known written
                // X (TIMEX3): "that day" in October 1998 is 1998-10-XX, "four days later" 1998-XX-XX.
                if s.isClockOnly { return ("XXXX-XX-XX" + Self.timeSuffix(hour: s.shiftHour, minute: s.shiftMinute, dayPart: nil), nil) }
                if a.bc { return (Self.value(of: a), nil) }
                let y = TimexFormat.year(a.year)
                if let mo = a.month, s.offset == 0 { return (y + "-" + TimexFormat.pad(mo, 2) + "-XX", nil) }
                return (y + "-XX-XX", nil)
            }
            var v = Self.value(of: p)
            v += Self.timeSuffix(hour: s.shiftHour, minute: s.shiftMinute, dayPart: s.shiftDayPart)
            return (v, p)
        case .week, .weekend, .fortnight:
            let weeks = s.unit == .fortnight ? s.offset * 2 : s.offset
            // "the week" with nothing to say which: a week of the year in context
            guard a.hasDay, !(s.isBareThe && s.unit == .week) else {
                return ("\(TimexFormat.year(a.year, bc: a.bc))-WXX", nil)
            }
            var shift = weeks * 7
            if s.unit == .weekend {
                // The weekend just past in a report, the coming one when the sentence looks ahead.
                let wd = Cal.weekday(a.year, a.month!, a.day!)
                if s.offset == 0, wd <= 5 {
                    let future = tense(g, m.start) > 0 || (!s.isBareThe && tense(g, m.start) == 0)
                    if !future { shift -= 7 }
                } else if s.offset < 0, wd >= 6 {
                    shift = -7
                }
            }
            let d = Self.shiftDay(a, shift)
            if s.amountWasCounted, s.grain == .week || s.grain == .none, s.anchor == .last {
                // "two weeks later": a day
                return (Self.value(of: d), d)
            }
            let w = Cal.isoWeek(d.year, d.month!, d.day!)
            var v = TimexFormat.year(w.year) + "-W" + TimexFormat.pad(w.week, 2)
            if s.unit == .weekend { v += "-WE" }
            return (v, nil)
        case .month:
            guard let mo = a.month else {
                if s.offset == 0 { return (Self.value(of: Point(year: a.year, bc: a.bc)), nil) }
                if abs(s.offset) >= 12, !a.bc {
                    // "12 and a half years later" (150 months) after a year: a year, the nearest one
                    let years = (s.offset + (s.offset > 0 ? 6 : -6)) / 12
                    let p = Point(year: a.year + years)
                    return (Self.value(of: p), p)
                }
                return (TimexFormat.year(a.year, bc: a.bc) + "-XX", nil)
            }
            let r = Cal.addMonths(a.year, mo, s.offset)
            p = Point(year: r.y, month: r.m)
            return (Self.value(of: p), p)
        case .quarter:
            var q: Int
            if let aq = a.quarter { q = aq } else if let mo = a.month { q = (mo - 1) / 3 + 1 } else {
                return (TimexFormat.year(a.year, bc: a.bc) + "-QX", nil)
            }
            let t = a.year * 4 + (q - 1) + s.offset
            let y = t >= 0 ? t / 4 : (t - 3) / 4
            q = t - y * 4 + 1
            p = Point(year: y, quarter: q)
            return (Self.value(of: p), p)
        case .half:
            guard let mo = a.month else { return (TimexFormat.year(a.year) + "-HX", nil) }
            p = Point(year: a.year, half: mo <= 6 ? 1 : 2)
            return (Self.value(of: p), p)
        case .year:
            // "a year ago", "a year earlier" in a report on a quarter: the same quarter a year before.
            // ("a year from now" counts from the date of writing, whatever quarter the report is about.)
            if s.amountWasCounted || s.keepAnchorGrain, abs(s.offset) == 1, s.offset < 0 || s.anchor != .reference,
               let l = quarterInView, let q = l.quarter,
               !(s.grain != .quarter && comparesLongerPeriod(g, m.start)) {
                let p = Point(year: l.year + s.offset, quarter: q)
                return (Self.value(of: p), p)
            }
            // "compared with $33 million last year", "up from last year's $1.55 billion": in a report on a
            // quarter, "last year" set against an amount is that quarter a year before, as "a year ago" is.
            if s.offset == -1, s.anchor == .reference, !s.amountWasCounted, !s.keepAnchorGrain, !narrative,
               m.end == m.start + 2, g.isK(m.start, .last), let l = quarterInView, let q = l.quarter,
               !comparesLongerPeriod(g, m.start), comparesAmounts(g, m) {
                let p = Point(year: l.year - 1, quarter: q)
                return (Self.value(of: p), p)
            }
            if s.keepAnchorGrain, s.grain == .quarter, quarterInView == nil, let ref = reference, let rm = ref.month {
                // "the year-ago quarter" with no quarter in view: the last full quarter, a year before
                var q = (rm - 1) / 3, y = ref.year - 1
                if q == 0 { q = 4; y -= 1 }
                let p = Point(year: y, quarter: q)
                return (Self.value(of: p), p)
            }
            if s.keepAnchorGrain, s.quarter == nil, !g.narrative, let ref = reference, quarterInView == nil || comparesLongerPeriod(g, m.start) {
                // "year-earlier results" in news: the year before the date of writing
                let p = Point(year: ref.year - 1)
                return (Self.value(of: p), p)
            }
            if s.quarter != nil, s.keepAnchorGrain {
                // "the year-ago third quarter"
                let base = last ?? a
                let p = Point(year: base.year + s.offset, quarter: s.quarter)
                return (Self.value(of: p), p)
            }
            var y = a.bc ? -a.year : a.year
            y += s.offset
            var yp = Point(year: abs(y), bc: y < 0 || (a.bc && y == 0))
            if s.yearEndDay, !yp.bc { yp.month = 12; yp.day = 31; return (Self.value(of: yp), nil) }
            if s.keepDay, !yp.bc, let mo = a.month, let d = a.day, d <= Cal.daysIn(mo, yp.year) {
                yp.month = mo; yp.day = d
                return (Self.value(of: yp), yp)
            }
            if s.keepAnchorGrain, let q = a.quarter { yp.quarter = q }
            if s.keepAnchorGrain, a.quarter == nil, let mo = a.month { yp.quarter = (mo - 1) / 3 + 1 }
            if s.grain == .quarter, yp.quarter == nil, let mo = a.month { yp.quarter = (mo - 1) / 3 + 1 }
            if let q = s.quarter { yp.quarter = q }
            if let se = s.season { yp.season = se; yp.quarter = nil }
            if let h = s.half { yp.half = h; yp.quarter = nil }
            return (Self.value(of: yp), yp)
        case .decade, .century:
            let size = s.unit == .decade ? 10 : 100
            if s.amountWasCounted {
                // "a decade earlier", "two centuries later": a year
                let y = (a.bc ? -a.year : a.year) + s.offset * size
                let p = Point(year: abs(y), bc: y < 0)
                return (Self.value(of: p), p)
            }
            // BC decades and centuries count down: the decade after the 490s BC is the 480s BC.
            let d = a.bc ? a.year / size - s.offset : a.year / size + s.offset
            return ((a.bc ? "BC" : "") + TimexFormat.pad(d, s.unit == .decade ? 3 : 2), nil)
        case .hour, .minute, .second:
            // "two hours later", "an hour ago": the day in context
            guard a.hasDay else { return (Self.value(of: a), nil) }
            return (Self.value(of: a) + "TXX", nil)
        default:
            return nil
        }
    }

    /// The quarter a comparison refers to: the quarter the report is about, else the last one named.
    var quarterInView: Point? {
        if let r = reportQuarter { return r }
        if let l = last, l.quarter != nil, !l.bc { return l }
        return nil
    }

    /// True when the sentence before token i is about a period longer than a quarter ("For the nine
    /// months, net fell ... from $5 million a year earlier", "in the fiscal year"): a comparison with
    /// a year before is then a year, not the quarter in view. The nearest period named decides.
    func comparesLongerPeriod(_ g: Grammar, _ i: Int) -> Bool {
        var j = i - 1
        var steps = 0
        // (a point inside a number, "$18.9 million", does not end the sentence)
        while j >= 0, steps < 80, !g.boundaryBefore(j + 1) || (g.t(j + 1).kind == .number && g.t(j + 1).gap == 0) {
            let l = g.lx(j)
            if l.unit == .quarter { return false }
            if l.unit == .month, l.isPlural, g.t(j - 1).kind == .number || g.lx(j - 1).number >= 2 { return true }
            if l.unit == .year, !l.isPlural, g.isK(j - 1, .the) || g.isK(j - 1, .fiscal) || g.word(j - 1, "full") { return true }
            j -= 1; steps += 1
        }
        return false
    }

    /// True when the expression is the second term of a comparison of amounts: an amount before it
    /// after "from", "with" or "against" in its clause ("down from $21.4 million last year"), an amount
    /// right after it ("from last year's $2.34 billion"), or "the same period" before it.
    func comparesAmounts(_ g: Grammar, _ m: Match) -> Bool {
        var e = m.end
        if g.p(e, "'"), g.adj(e + 1), g.isK(e + 1, .s) {
            e += 2
            return g.t(e).kind == .number || (g.p(e, "$") && g.t(e + 1).kind == .number)
        }
        let before = m.start - 1
        if g.word(before, "period") || g.lx(before).unit == .quarter { return true }
        var j = before
        var steps = 0
        var amount = false
        while j >= 0, steps < 12, !g.boundaryBefore(j + 1) || (g.t(j + 1).kind == .number && g.t(j + 1).gap == 0) {
            if g.t(j).kind == .number { amount = true }
            else if amount, g.isK(j, .from) || g.word(j, "with") || g.word(j, "against") { return true }
            j -= 1; steps += 1
        }
        return false
    }

    func unresolvedShift(_ s: Sem) -> String {
        switch s.unit {
        case .day: return "XXXX-XX-XX"
        case .week, .weekend: return "XXXX-WXX"
        case .month: return "XXXX-XX"
        case .quarter: return "XXXX-QX"
        default: return "XXXX"
        }
    }

    mutating func resolveWeekday(_ s: Sem, _ m: Match, _ g: Grammar) -> (String, Point?)? {
        let narrative = g.narrative
        let a: Point?
        switch s.anchor {
        case .last: a = last ?? reference
        default:
            if narrative { a = (last?.hasDay ?? false) ? last : nil } else { a = reference ?? last }
        }
        // News that tells a story from a past year names a day of it as a narrative does:
        // "the mayor ordered the evacuation on the Sunday", after "made landfall on August 29, 2005".
        if !narrative, s.anchor != .last, s.direction == 0, !s.thisWeek, g.isK(m.start - 1, .the),
           let st = storyDate, st.point.hasDay, sentencesSince(st) <= 3 {
            let wd = Cal.weekday(st.point.year, st.point.month!, st.point.day!)
            let p = Self.shiftDay(st.point, (s.weekday - wd + 7) % 7)
            resolvedFromStory = true
            return (Self.value(of: p) + Self.timeSuffix(hour: s.hour, minute: s.minute, dayPart: s.dayPart), p)
        }
        let part = Self.timeSuffix(hour: s.hour, minute: s.minute, dayPart: s.dayPart)
        guard let a, a.hasDay else { return ("XXXX-WXX-\(s.weekday)" + part, nil) }
        let wd = Cal.weekday(a.year, a.month!, a.day!)
        var delta: Int
        if s.thisWeek {
            delta = s.weekday - wd
        } else {
            var dir = s.direction
            // "since Friday": a day that is over, whatever the tense
            let since = s.direction == 0 && !narrative && g.isK(m.start - 1, .since)
            if dir == 0 {
                // News names a day by its event once the event has happened: "Wednesday's ruling".
                dir = narrative && s.anchor != .last ? 1 : (s.possessive || since ? -1 : tense(g, m.start))
            }
            if dir <= 0, s.direction == 0, !narrative, !s.possessive, !since, (wd - s.weekday + 7) % 7 == 6 {
                // Tomorrow's weekday names tomorrow: news says "last Tuesday" for a day six days back,
                // and is written the day before it is read ("Albright headed Tuesday to East Africa").
                delta = 1
            } else if dir <= 0 {
                // News reports what happened: a weekday is the last one, unless the sentence looks ahead.
                delta = -((wd - s.weekday + 7) % 7)
                if s.direction < 0 && delta == 0 { delta = -7 }
            } else {
                delta = (s.weekday - wd + 7) % 7
                if s.direction > 0 && delta == 0 { delta = 7 }
            }
        }
        let p = Self.shiftDay(a, delta)
        return (Self.value(of: p) + part, p)
    }
}
