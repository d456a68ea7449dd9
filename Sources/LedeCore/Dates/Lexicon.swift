/// The word tables of the temporal tagger: every word that can start, end or
/// shape a temporal expression, with what it means. Words are looked up by a
/// packed key of their lowercase ASCII letters (5 bits a letter for the first 12,
/// and the length) in an open-addressing table, so a lookup is a multiply, a mask
/// and one or two compares.

/// Units of time, in the order TIMEX3 durations use them.
enum TUnit: UInt8, Comparable {
    case none = 0, second, minute, hour, day, week, weekend, fortnight, month, quarter, half, year, decade, century, millennium
    static func < (a: TUnit, b: TUnit) -> Bool { a.rawValue < b.rawValue }
}

/// Words the grammar tests by name.
enum K: UInt8 {
    case none = 0
    // determiners and relatives
    case the, a, an, this, that, these, those, last, next, past, previous, following, coming, upcoming
    case current, latest, recent, same, prior, preceding, subsequent, ensuing, final, other, near, most
    // position in a period
    case early, earlier, late, later, mid, middle, end, beginning, start, close, turn, dawn
    // anchors and links
    case ago, before, after, from, to, until, till, through, thru, and, or, between, since, during, `in`, on, at, by, of
    case `for`, within, over, under, around, about, throughout, per, hence, back, be
    // approximations
    case approximately, roughly, nearly, almost, some, more, less, than, least, up, fewer, just, well, barely, full
    // deictic words
    case yesterday, today, tomorrow, tonight, now, currently, recently, lately, nowadays, presently, soon, future
    case once, previously, former, formerly, eve
    // frequency
    case every, each, daily, weekly, monthly, quarterly, annually, yearly, hourly, nightly, biweekly, semiannually
    case twice, times, alternate
    // calendar words
    case fiscal, calendar, bc, ad, bce, ce, am, pm, noon, midday, midnight, oclock, o, clock, hrs
    case gmt, utc, est, edt, cst, cdt, mst, mdt, pst, pdt, bst, cet, local, time, period
    case election, christmas, easter, thanksgiving, halloween, new, valentine, independence, memorial, labor, veterans, boxing
    // vague amounts
    case few, several, many, couple, dozen, dozens, hundreds, thousands, tens, numerous, multiple
    case present, so, old, s, st, nd, rd, th, million, billion, forthcoming
    // "circa 1450", "c. 1450", "ca. 300 BC"; "Q3", "H1", "FY2024"
    case circa, ca, c, q, h, fy
}

struct Lex {
    var key: K = .none
    var month: UInt8 = 0        // 1...12
    var weekday: UInt8 = 0      // 1 Monday ... 7 Sunday
    var season: UInt8 = 0       // 1 spring, 2 summer, 3 fall, 4 winter
    var unit: TUnit = .none
    var dayPart: UInt8 = 0      // 1 MO, 2 AF, 3 EV, 4 NI, 5 DT
    var ordinal: UInt8 = 0      // first = 1 ...
    var number: Int32 = -1      // cardinal value of a number word
    var decadeWord: UInt8 = 0   // "nineties" = 90
    var flags: UInt8 = 0

    static let plural: UInt8 = 1        // weeks, Mondays, summers
    static let abbrev: UInt8 = 2        // Sept, Jan, Mon: wants a period or a capital
    static let ambiguous: UInt8 = 4     // may, march, august, sat, sun, wed: only with a capital and context
    static let tens: UInt8 = 8          // twenty ... ninety: can take a unit number after them
    static let teen: UInt8 = 16         // one ... nineteen
    static let notPast: UInt8 = 32      // ends in -ed but is not a past tense
    static let verbS: UInt8 = 64        // a verb ending in -s ("was", "has", "remains"): not a plural noun

    /// 0: cannot start an expression; 1: can start one alone ("yesterday", "May");
    /// 2: can start one when a known word or a number follows ("the", "last", "about").
    var start: UInt8 = 0
    /// +1 a word that marks the future ("will"), -1 one that marks the past ("was"), 0 neither.
    var tense: Int8 = 0

    var isPlural: Bool { flags & Lex.plural != 0 }
    var isAbbrev: Bool { flags & Lex.abbrev != 0 }
    var isAmbiguous: Bool { flags & Lex.ambiguous != 0 }
}

enum Lexicon {
    static let dayPartNames = ["", "MO", "AF", "EV", "NI", "DT"]
    static let seasonNames = ["", "SP", "SU", "FA", "WI"]

    /// The packed key of a lowercase ASCII word: its first 12 letters, 5 bits
    /// each, and its length (up to 15) in the top 4 bits; 0 when it cannot be packed.
    @inline(__always)
    static func pack(_ word: String) -> UInt64 {
        var k: UInt64 = 0
        var n = 0
        for b in word.utf8 {
            guard b >= 0x61, b <= 0x7A, n < 15 else { return 0 }
            if n < 12 { k = (k << 5) | UInt64(b - 0x60) }
            n += 1
        }
        return k | (UInt64(n) << 60)
    }

    /// Entries; index 0 is "no entry".
    static let entries: [Lex] = table.entries
    static let slots: [UInt64] = table.slots
    static let values: [UInt16] = table.values
    static let mask: Int = table.slots.count - 1

    private struct Table {
        var entries: [Lex] = [Lex()]
        var slots: [UInt64]
        var values: [UInt16]
        init() {
            slots = Array(repeating: 0, count: 2048)
            values = Array(repeating: 0, count: 2048)
        }
        mutating func add(_ word: String, _ f: (inout Lex) -> Void) {
            let key = Lexicon.pack(word)
            precondition(key != 0, "word cannot be packed: \(word)")
            let m = slots.count - 1
            var h = Lexicon.hash(key) & m
            while slots[h] != 0 && slots[h] != key { h = (h + 1) & m }
            if slots[h] == key {
                f(&entries[Int(values[h])])
            } else {
                var lex = Lex()
                f(&lex)
                slots[h] = key
                values[h] = UInt16(entries.count)
                entries.append(lex)
            }
        }
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40)
    }

    /// The entry index of a packed key, 0 when the word is not known.
    @inline(__always)
    static func lookup(_ key: UInt64) -> UInt16 {
        if key == 0 { return 0 }
        var h = hash(key) & mask
        return slots.withUnsafeBufferPointer { s in
            while true {
                let k = s[h]
                if k == key { return values[h] }
                if k == 0 { return 0 }
                h = (h + 1) & mask
            }
        }
    }

    private static let table: Table = {
        var t = Table()
        let months: [(String, Int, UInt8)] = [
            ("january", 1, 0), ("jan", 1, Lex.abbrev), ("february", 2, 0), ("feb", 2, Lex.abbrev), ("febr", 2, Lex.abbrev),
            ("march", 3, Lex.ambiguous), ("mar", 3, Lex.abbrev | Lex.ambiguous), ("april", 4, 0), ("apr", 4, Lex.abbrev),
            ("may", 5, Lex.ambiguous), ("june", 6, 0), ("jun", 6, Lex.abbrev), ("july", 7, 0), ("jul", 7, Lex.abbrev),
            ("august", 8, Lex.ambiguous), ("aug", 8, Lex.abbrev), ("september", 9, 0), ("sep", 9, Lex.abbrev),
            ("sept", 9, Lex.abbrev), ("october", 10, 0), ("oct", 10, Lex.abbrev), ("november", 11, 0),
            ("nov", 11, Lex.abbrev), ("december", 12, 0), ("dec", 12, Lex.abbrev),
        ]
        for (w, m, f) in months { t.add(w) { $0.month = UInt8(m); $0.flags |= f } }
        let weekdays: [(String, Int, UInt8)] = [
            ("monday", 1, 0), ("mon", 1, Lex.abbrev | Lex.ambiguous), ("tuesday", 2, 0), ("tue", 2, Lex.abbrev), ("tues", 2, Lex.abbrev),
            ("wednesday", 3, 0), ("wed", 3, Lex.abbrev | Lex.ambiguous), ("thursday", 4, 0), ("thu", 4, Lex.abbrev),
            ("thur", 4, Lex.abbrev), ("thurs", 4, Lex.abbrev), ("friday", 5, 0), ("fri", 5, Lex.abbrev),
            ("saturday", 6, 0), ("sat", 6, Lex.abbrev | Lex.ambiguous), ("sunday", 7, 0), ("sun", 7, Lex.abbrev | Lex.ambiguous),
        ]
        for (w, d, f) in weekdays { t.add(w) { $0.weekday = UInt8(d); $0.flags |= f } }
        for (w, d) in [("mondays", 1), ("tuesdays", 2), ("wednesdays", 3), ("thursdays", 4), ("fridays", 5), ("saturdays", 6), ("sundays", 7)] {
            t.add(w) { $0.weekday = UInt8(d); $0.flags |= Lex.plural }
        }
        let seasons: [(String, Int, UInt8)] = [
            ("spring", 1, 0), ("springs", 1, Lex.plural), ("springtime", 1, 0), ("summer", 2, 0), ("summers", 2, Lex.plural),
            ("summertime", 2, 0), ("fall", 3, Lex.ambiguous), ("falls", 3, Lex.plural | Lex.ambiguous), ("autumn", 3, 0),
            ("autumns", 3, Lex.plural), ("winter", 4, 0), ("winters", 4, Lex.plural), ("wintertime", 4, 0),
        ]
        for (w, s, f) in seasons { t.add(w) { $0.season = UInt8(s); $0.flags |= f } }
        let units: [(String, TUnit, UInt8)] = [
            ("second", .second, 0), ("seconds", .second, Lex.plural), ("sec", .second, Lex.abbrev), ("secs", .second, Lex.plural),
            ("minute", .minute, 0), ("minutes", .minute, Lex.plural), ("min", .minute, Lex.abbrev), ("mins", .minute, Lex.plural),
            ("hour", .hour, 0), ("hours", .hour, Lex.plural), ("hr", .hour, Lex.abbrev), ("hrs", .hour, Lex.plural),
            ("day", .day, 0), ("days", .day, Lex.plural), ("week", .week, 0), ("weeks", .week, Lex.plural),
            ("wk", .week, Lex.abbrev), ("wks", .week, Lex.plural), ("weekend", .weekend, 0), ("weekends", .weekend, Lex.plural),
            ("fortnight", .fortnight, 0), ("fortnights", .fortnight, Lex.plural),
            ("month", .month, 0), ("months", .month, Lex.plural), ("quarter", .quarter, 0), ("quarters", .quarter, Lex.plural),
            ("year", .year, 0), ("years", .year, Lex.plural), ("yr", .year, Lex.abbrev), ("yrs", .year, Lex.plural),
            ("decade", .decade, 0), ("decades", .decade, Lex.plural), ("century", .century, 0), ("centuries", .century, Lex.plural),
            ("millennium", .millennium, 0), ("millennia", .millennium, Lex.plural), ("millenniums", .millennium, Lex.plural),
            ("half", .half, 0),
        ]
        for (w, u, f) in units { t.add(w) { $0.unit = u; $0.flags |= f } }
        let parts: [(String, Int, UInt8)] = [
            ("morning", 1, 0), ("mornings", 1, Lex.plural), ("afternoon", 2, 0), ("afternoons", 2, Lex.plural),
            ("evening", 3, 0), ("evenings", 3, Lex.plural), ("night", 4, 0), ("nights", 4, Lex.plural),
            ("daytime", 5, 0), ("nighttime", 4, 0), ("dusk", 3, 0), ("sunset", 3, 0), ("sunrise", 1, 0), ("daybreak", 1, 0),
        ]
        for (w, p, f) in parts { t.add(w) { $0.dayPart = UInt8(p); $0.flags |= f } }
        let ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        for (i, w) in ones.enumerated() { t.add(w) { $0.number = Int32(i); $0.flags |= Lex.teen } }
        let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        for i in 2...9 { t.add(tens[i]) { $0.number = Int32(i * 10); $0.flags |= Lex.tens } }
        t.add("fourty") { $0.number = 40; $0.flags |= Lex.tens }
        for (w, v) in [("twenties", 20), ("thirties", 30), ("forties", 40), ("fifties", 50), ("sixties", 60),
                       ("seventies", 70), ("eighties", 80), ("nineties", 90)] {
            t.add(w) { $0.decadeWord = UInt8(v) }
        }
        let ordinals = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                        "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                        "eighteenth", "nineteenth", "twentieth"]
        for i in 1...20 { t.add(ordinals[i]) { $0.ordinal = UInt8(i) } }
        for (w, v) in [("thirtieth", 30), ("fortieth", 40), ("fiftieth", 50), ("sixtieth", 60), ("seventieth", 70),
                       ("eightieth", 80), ("ninetieth", 90), ("hundredth", 100)] {
            t.add(w) { $0.ordinal = UInt8(v) }
        }
        let keys: [(String, K)] = [
            ("the", .the), ("a", .a), ("an", .an), ("this", .this), ("that", .that), ("these", .these),
            ("those", .those), ("last", .last), ("next", .next), ("past", .past), ("previous", .previous),
            ("following", .following), ("coming", .coming), ("upcoming", .upcoming), ("current", .current),
            ("latest", .latest), ("recent", .recent), ("same", .same), ("prior", .prior), ("preceding", .preceding),
            ("subsequent", .subsequent), ("ensuing", .ensuing), ("final", .final), ("other", .other),
            ("early", .early), ("earlier", .earlier), ("late", .late), ("later", .later), ("mid", .mid),
            ("middle", .middle), ("end", .end), ("beginning", .beginning), ("start", .start), ("close", .close),
            ("turn", .turn), ("dawn", .dawn), ("ago", .ago), ("before", .before), ("after", .after), ("from", .from),
            ("to", .to), ("until", .until), ("till", .till), ("through", .through), ("thru", .thru), ("and", .and),
            ("or", .or), ("between", .between), ("since", .since), ("during", .during), ("in", .`in`), ("on", .on),
            ("at", .at), ("by", .by), ("of", .of), ("for", .`for`), ("within", .within), ("over", .over),
            ("under", .under), ("around", .around), ("about", .about), ("throughout", .throughout), ("per", .per),
            ("hence", .hence), ("back", .back), ("approximately", .approximately), ("roughly", .roughly),
            ("nearly", .nearly), ("almost", .almost), ("some", .some), ("more", .more), ("less", .less),
            ("than", .than), ("least", .least), ("up", .up), ("fewer", .fewer), ("just", .just), ("well", .well),
            ("barely", .barely), ("yesterday", .yesterday), ("today", .today), ("tomorrow", .tomorrow),
            ("tonight", .tonight), ("now", .now), ("currently", .currently), ("recently", .recently),
            ("lately", .lately), ("nowadays", .nowadays), ("presently", .presently), ("soon", .soon),
            ("future", .future), ("once", .once), ("previously", .previously), ("former", .former),
            ("formerly", .formerly), ("eve", .eve), ("every", .every), ("each", .each), ("daily", .daily),
            ("weekly", .weekly), ("monthly", .monthly), ("quarterly", .quarterly), ("annually", .annually),
            ("yearly", .yearly), ("hourly", .hourly), ("nightly", .nightly), ("biweekly", .biweekly),
            ("semiannually", .semiannually), ("twice", .twice), ("times", .times), ("alternate", .alternate),
            ("fiscal", .fiscal), ("calendar", .calendar), ("bc", .bc), ("ad", .ad), ("bce", .bce), ("ce", .ce),
            ("am", .am), ("pm", .pm), ("noon", .noon), ("midday", .midday), ("midnight", .midnight),
            ("oclock", .oclock), ("o", .o), ("clock", .clock), ("gmt", .gmt), ("utc", .utc), ("est", .est),
            ("edt", .edt), ("cst", .cst), ("cdt", .cdt), ("mst", .mst), ("mdt", .mdt), ("pst", .pst), ("pdt", .pdt),
            ("bst", .bst), ("cet", .cet), ("local", .local), ("time", .time), ("period", .period),
            ("election", .election), ("christmas", .christmas), ("easter", .easter), ("thanksgiving", .thanksgiving),
            ("halloween", .halloween), ("new", .new), ("valentine", .valentine), ("independence", .independence),
            ("memorial", .memorial), ("labor", .labor), ("veterans", .veterans), ("boxing", .boxing), ("few", .few),
            ("several", .several), ("many", .many), ("couple", .couple), ("dozen", .dozen), ("dozens", .dozens),
            ("hundreds", .hundreds), ("thousands", .thousands), ("tens", .tens), ("numerous", .numerous),
            ("multiple", .multiple), ("present", .present), ("so", .so), ("old", .old), ("s", .s), ("st", .st),
            ("nd", .nd), ("rd", .rd), ("th", .th), ("million", .million), ("billion", .billion),
            ("forthcoming", .forthcoming), ("near", .near), ("most", .most), ("be", .be), ("full", .full),
            ("circa", .circa), ("ca", .ca), ("c", .c), ("q", .q), ("h", .h), ("fy", .fy),
        ]
        for (w, k) in keys { t.add(w) { $0.key = k } }
        t.add("hundred") { $0.number = 100 }
        t.add("thousand") { $0.number = 1000 }
        t.add("dozen") { $0.number = 12 }
        for w in ["will", "shall", "would", "scheduled", "upcoming", "expects", "plans", "planned", "planning", "plan",
                  "might", "should", "hopes", "intends", "postponed", "tomorrow", "next", "coming"] {
            t.add(w) { $0.tense = 1 }
        }
        for w in ["was", "were", "had", "did", "ago", "rose", "fell", "began", "came", "went", "took", "made", "gave", "got",
                  "won", "lost", "sold", "bought", "paid", "held", "met", "left", "saw", "became", "ran", "grew", "fought",
                  "led", "brought", "spent", "built", "sent", "struck", "broke", "wrote", "fled", "found", "earned", "last",
                  "earlier", "yesterday", "since", "ended", "said"] {
            t.add(w) { $0.tense = -1 }
        }
        // More irregular past tenses (only forms that are not also the present: not "cut", "set", "put")
        for w in ["told", "thought", "knew", "kept", "stood", "sought", "drew", "drove", "flew", "threw", "chose", "spoke",
                  "sat", "felt", "heard", "laid", "meant", "wore", "forgot", "understood", "taught", "caught", "withdrew",
                  "arose", "rode", "shook", "swore", "tore", "froze", "stole", "hid", "swung", "hung", "dug", "sank",
                  "sang", "rang", "slept", "swept", "dealt", "lent", "overcame", "forgave", "ate", "drank", "swam", "blew",
                  "undertook", "overtook", "mistook", "sped", "clung", "sprang", "shrank", "strove", "woke"] {
            t.add(w) { $0.tense = -1 }
        }
        for w in ["was", "has", "is", "does", "says", "goes", "remains", "becomes", "means", "seems", "follows", "begins",
                  "ends", "comes", "makes", "takes", "gives", "shows", "brings", "sees", "looks", "lies", "stands", "holds",
                  "tells", "turns", "keeps", "marks", "saw", "brought", "needs", "appears", "proves", "sets", "puts", "gets",
                  "as", "its", "his", "this", "thus", "plus", "versus", "across", "unless", "less", "always", "perhaps"] {
            t.add(w) { $0.flags |= Lex.verbS }
        }
        // Words ending in -ed that are not past tenses (or point ahead).
        for w in ["expected", "proposed", "need", "indeed", "speed", "based", "united", "limited", "related", "red",
                  "hundred", "feed", "seed", "proceed", "succeed", "exceed", "bed", "shed", "weed", "breed", "bleed",
                  "greed", "creed", "embed"] {
            t.add(w) { $0.flags |= Lex.notPast }
        }
        let alone: Set<K> = [.yesterday, .today, .tomorrow, .tonight, .now, .currently, .recently, .lately, .nowadays, .current,
                             .presently, .former, .future, .recent, .daily, .weekly, .monthly, .biweekly, .hourly, .nightly,
                             .semiannually, .noon, .midday, .midnight, .christmas, .easter, .thanksgiving, .halloween,
                             .fiscal, .calendar, .ad, .quarterly, .annually, .yearly]
        for w in ["sometime", "right", "short", "post", "pre"] { t.add(w) { $0.start = 2 } }
        t.add("term") { $0.start = 0 }
        let before: Set<K> = [.near, .earlier, .later, .the, .a, .an, .this, .that, .these, .those, .last, .next, .past, .previous, .following,
                              .coming, .upcoming, .current, .latest, .same, .prior, .preceding, .subsequent, .ensuing,
                              .final, .early, .late, .mid, .middle, .end, .beginning, .start, .every, .each, .per, .twice,
                              .once, .about, .approximately, .roughly, .around, .some, .nearly, .almost, .barely, .more,
                              .less, .fewer, .at, .up, .over, .under, .just, .well, .few, .several, .many, .couple,
                              .dozens, .hundreds, .thousands, .tens, .numerous, .multiple, .dozen, .new, .valentine,
                              .independence, .memorial, .labor, .veterans, .boxing, .election, .alternate, .close, .turn, .dawn,
                              .circa, .ca, .c, .q, .h, .fy]
        for k in t.entries.indices {
            let e = t.entries[k]
            if e.month != 0 || e.weekday != 0 || e.season != 0 || e.unit != .none || e.dayPart != 0 || e.ordinal != 0
                || e.number >= 0 || e.decadeWord != 0 || alone.contains(e.key) {
                t.entries[k].start = 1
            } else if before.contains(e.key) || e.start == 2 {
                t.entries[k].start = 2
            }
        }
        return t
    }()
}
