/// A TIMEX3 date or time value (`2018-07-16`, `2018-07`, `2018`, `201` for the
/// 2010s, `19` for the 20th century, `2018-Q3`, `2018-SU`, `2018-W28`,
/// `2018-07-16T15:30`, `BC0044`) read into parts, so that timelines can sort,
/// compare and display it.
public struct TimexDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Precision: Int, Sendable, Comparable {
        case century, decade, year, season, quarter, month, week, day, time
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
    }

    /// The value as written.
    public let value: String
    /// The first year it covers, counted as ISO 8601 does: 1 BC is 0, 44 BC is -43.
    public let year: Int
    /// 1...12 when known.
    public let month: Int?
    public let day: Int?
    public let hour: Int?
    public let minute: Int?
    public let precision: Precision
    /// `SP`, `SU`, `FA`, `WI` for seasons; `Q1`...`Q4` for quarters; `W01`... for weeks.
    public let part: String?

    /// Parses a TIMEX3 date value. Values with unknown parts (`XXXX-07`) and
    /// references (`PRESENT_REF`) are not points in time and give nil.
    public init?(_ value: String) {
        var bytes = value
        guard let p = bytes.withUTF8({ Self.parse($0) }) else { return nil }
        self.value = value
        year = p.year; month = p.month; day = p.day; hour = p.hour; minute = p.minute; part = p.part; precision = p.precision
    }

    /// The fields of a value, read byte by byte (a timeline parses each of
    /// its hundreds of thousands of values more than once).
    private static func parse(_ p: UnsafeBufferPointer<UInt8>)
        -> (year: Int, month: Int?, day: Int?, hour: Int?, minute: Int?, part: String?, precision: Precision)? {
        let n = p.count
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < n && p[k] >= 0x30 && p[k] <= 0x39 }
        func twoDigits(_ k: Int) -> Int? { isDigit(k) && isDigit(k + 1) ? Int(p[k] - 0x30) * 10 + Int(p[k + 1] - 0x30) : nil }
        func text(_ from: Int, _ to: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: p[from..<to]), as: UTF8.self) }
        func isPair(_ k: Int, _ pairs: [(UInt8, UInt8)]) -> Bool { k + 1 < n && pairs.contains { $0.0 == p[k] && $0.1 == p[k + 1] } }
        // "BC0044" counts years before Christ (44 BC); ISO 8601's "-0043" counts
        // astronomically (year 0 is 1 BC), so it is the same year.
        var bc = false, astronomical = false
        if n >= 2, p[0] == UInt8(ascii: "B"), p[1] == UInt8(ascii: "C") { bc = true; i = 2 } else if n >= 1, p[0] == UInt8(ascii: "-") {
            bc = true; astronomical = true; i = 1
        }
        var lead = 0
        let digitsStart = i
        while isDigit(i), i - digitsStart < 5 { lead = lead * 10 + Int(p[i] - 0x30); i += 1 }
        switch i - digitsStart {
        case 2:
            guard i == n else { return nil }
            return (bc ? 1 - (lead * 100 + 99) : lead * 100, nil, nil, nil, nil, nil, .century)  // BC04: 499–400 BC
        case 3:
            guard i == n else { return nil }
            return (bc ? 1 - (lead * 10 + 9) : lead * 10, nil, nil, nil, nil, nil, .decade)  // BC047: 479–470 BC
        case 4: break
        default: return nil
        }
        let year = bc ? (astronomical ? -lead : 1 - lead) : lead
        var month: Int?, day: Int?, hour: Int?, minute: Int?, part: String?
        var precision = Precision.year
        if i < n, p[i] == UInt8(ascii: "-") {
            i += 1
            let fieldStart = i
            while i < n, p[i] != UInt8(ascii: "-"), p[i] != UInt8(ascii: "T") { i += 1 }
            let count = i - fieldStart, f = fieldStart
            if count == 2, let m = twoDigits(f), (1...12).contains(m) {
                month = m
                precision = .month
                if i < n, p[i] == UInt8(ascii: "-") {
                    i += 1
                    guard let d = twoDigits(i), !isDigit(i + 2), d >= 1, d <= DateTime.daysIn(month: m, year: lead) else { return nil }
                    day = d
                    precision = .day
                    i += 2
                }
            } else if count == 2, isPair(f, [(0x53, 0x50), (0x53, 0x55), (0x46, 0x41), (0x57, 0x49)]) {  // SP SU FA WI
                part = text(f, i); precision = .season
            } else if count == 2, p[f] == UInt8(ascii: "Q"), p[f + 1] >= UInt8(ascii: "1"), p[f + 1] <= UInt8(ascii: "4") {
                part = text(f, i); precision = .quarter
            } else if count == 2, p[f] == UInt8(ascii: "H"), p[f + 1] == UInt8(ascii: "1") || p[f + 1] == UInt8(ascii: "2") {
                part = text(f, i); precision = .quarter
            } else if count == 3, p[f] == UInt8(ascii: "W"), let w = twoDigits(f + 1), (1...53).contains(w) {
                part = text(f, i); precision = .week
            } else {
                return nil
            }
        }
        if i < n, p[i] == UInt8(ascii: "T"), day != nil {
            i += 1
            if let h = twoDigits(i), h < 25 {
                hour = h
                i += 2
                if i < n, p[i] == UInt8(ascii: ":"), let m = twoDigits(i + 1), m < 60 { minute = m }
                precision = .time
            } else if isPair(i, [(0x4D, 0x4F), (0x41, 0x46), (0x45, 0x56), (0x4E, 0x49), (0x44, 0x54)]) {  // MO AF EV NI DT
                part = text(i, i + 2)
                precision = .time
            } else {
                return nil  // an unknown time of day (TXX) is not a point in time
            }
            // Seconds, fractions and zones do not change order at this scale.
            i = n
        }
        guard i == n else { return nil }
        return (year, month, day, hour, minute, part, precision)
    }

    /// Accepts what authors write in front matter (`1945`, `1945-05`,
    /// `1945-05-08`, `1940s`, `2018-07-16T14:30`) and returns the TIMEX3 value, or nil.
    public static func normalizeDateValue(_ text: String) -> String? {
        var t = text
        if t.hasSuffix("s"), t.count == 5, let d = Int(t.prefix(4)), d % 10 == 0 { t = String(t.prefix(3)) }
        if let dt = DateTime(parsing: t), dt.hasTime {
            return dt.isoDate + "T" + (dt.hour < 10 ? "0" : "") + "\(dt.hour):" + (dt.minute < 10 ? "0" : "") + "\(dt.minute)"
        }
        return TimexDate(t) != nil ? t : nil
    }

    /// The month a season, quarter or half starts in; nil for other parts. (A winter starts
    /// in the December of the year before the one it is named by.)
    var partStartMonth: Int? {
        switch part {
        case "SP": return 3
        case "SU": return 6
        case "FA": return 9
        case "WI": return 12
        case "Q1", "H1": return 1
        case "Q2": return 4
        case "Q3", "H2": return 7
        case "Q4": return 10
        default: return nil
        }
    }

    /// A number that orders values by when they start: earlier first, and the
    /// coarser of two values that start together first ("1945" before "1945-05").
    public var sortKey: Int {
        if precision == .week, let p = part, let w = Int(p.dropFirst()) {
            let days = (w - 1) * 7
            return (((year * 13 + monthSlot) * 32 + (days % 31 + 1)) * 25 * 60) * 10 + precision.rawValue
        }
        let dayStart = day ?? 0
        let minutes = (hour ?? 0) * 60 + (minute ?? 0)
        return ((((year * 13 + monthSlot) * 32 + dayStart) * 25 * 60 + minutes) * 10) + precision.rawValue
    }

    /// Where in its year `sortKey` places the value: 0 for a value no more
    /// precise than its year, else the month it starts in (a season's or a
    /// quarter's first month; a week's, counted in 31-day steps). Values of
    /// one year and slot are together in sorted order.
    public var monthSlot: Int {
        if precision == .week, let p = part, let w = Int(p.dropFirst()) { return 1 + (w - 1) * 7 / 31 }
        if month == nil && part == nil { return 0 }
        // A winter is named by the year of its January (the tagger's and TimeML's "1947-WI" is
        // December 1946 to February 1947): it opens its year, before January.
        if part == "WI" { return 0 }
        return partStartMonth ?? month ?? 1
    }

    public static func < (a: TimexDate, b: TimexDate) -> Bool { a.sortKey < b.sortKey }

    /// The year a timeline groups this value under.
    public var groupYear: Int { year }

    /// The year the value starts in: its own, but for a winter, which is named by the year of
    /// its January and starts in the December before (with `partStartMonth` 12).
    var startYear: Int { part == "WI" && month == nil ? year - 1 : year }

    private static let seasons = ["SP": "Spring", "SU": "Summer", "FA": "Autumn", "WI": "Winter"]

    private static func yearText(_ y: Int) -> String { y > 0 ? String(y) : "\(1 - y) BC" }

    /// How a reader sees the value: "July 16, 2018", "July 2018", "2018", "the 1940s".
    public var display: String {
        let months = DateTime.monthNames
        switch precision {
        case .century:
            let c = year > 0 ? year / 100 + 1 : (1 - year) / 100 + 1
            return "the \(Self.ordinal(c)) century" + (year < 0 ? " BC" : "")
        case .decade:
            return year > 0 ? "the \(year)s" : "the \(1 - year - 9)s BC"
        case .year:
            return Self.yearText(year)
        case .season:
            return "\(Self.seasons[part ?? ""] ?? "") \(Self.yearText(year))"
        case .quarter:
            if part == "H1" { return "the first half of \(Self.yearText(year))" }
            if part == "H2" { return "the second half of \(Self.yearText(year))" }
            return "\(part ?? "") \(Self.yearText(year))"
        case .month:
            return "\(months[(month ?? 1) - 1]) \(Self.yearText(year))"
        case .week:
            // "2023-W51": the week of Monday, December 18, 2023
            guard year > 0, let w = Int(part?.dropFirst() ?? ""), (1...53).contains(w) else { return "a week of \(Self.yearText(year))" }
            let (y, m, d) = Cal.civil(Cal.mondayOf(isoYear: year, week: w))
            return "the week of \(months[m - 1]) \(d), \(Self.yearText(y))"
        case .day:
            return "\(months[(month ?? 1) - 1]) \(day ?? 1), \(Self.yearText(year))"
        case .time:
            let date = "\(months[(month ?? 1) - 1]) \(day ?? 1), \(Self.yearText(year))"
            guard let h = hour else {
                let names = ["MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"]
                return "\(date), \(names[part ?? ""] ?? "")"
            }
            let m = minute ?? 0
            let h12 = h % 12 == 0 ? 12 : h % 12
            return "\(date), \(h12):\(m < 10 ? "0" : "")\(m) \(h < 12 || h == 24 ? "a.m." : "p.m.")"
        }
    }

    /// A short form for timeline year headings and ranges: "1945", "1940s".
    public var shortDisplay: String {
        switch precision {
        case .century, .decade: return display.hasPrefix("the ") ? String(display.dropFirst(4)) : display
        default: return display
        }
    }

    public static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 100, n % 10) {
        case (11...13, _): suffix = "th"
        case (_, 1): suffix = "st"
        case (_, 2): suffix = "nd"
        case (_, 3): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }

    /// Display text for a range from this value to `end`: "1939–1945",
    /// "May–July 2002", "July 16–18, 2018".
    public func rangeDisplay(to end: TimexDate) -> String {
        let months = DateTime.monthNames
        if precision == .month, end.precision == .month, year == end.year, let m1 = month, let m2 = end.month {
            return "\(months[m1 - 1])–\(months[m2 - 1]) \(Self.yearText(year))"
        }
        if precision == .day, end.precision == .day, year == end.year, month == end.month, let d1 = day, let d2 = end.day {
            return "\(months[(month ?? 1) - 1]) \(d1)–\(d2), \(Self.yearText(year))"
        }
        if precision == .year, end.precision == .year { return "\(Self.yearText(year))–\(Self.yearText(end.year))" }
        return "\(display) – \(end.display)"
    }

    public var description: String { value }

    /// The value in a form HTML's `<time datetime>` accepts: years, months,
    /// dates, weeks and local times as they are; seasons and quarters as their
    /// year; decades and centuries as their first year.
    public var htmlDatetime: String {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        let y = pad(max(year, 0), 4)
        switch precision {
        case .century, .decade, .year, .season, .quarter: return y
        case .month: return "\(y)-\(pad(month ?? 1, 2))"
        case .week: return "\(y)-\(part ?? "W01")"
        case .day: return "\(y)-\(pad(month ?? 1, 2))-\(pad(day ?? 1, 2))"
        case .time:
            let date = "\(y)-\(pad(month ?? 1, 2))-\(pad(day ?? 1, 2))"
            guard let h = hour else { return date }
            return "\(date)T\(pad(min(h, 23), 2)):\(pad(minute ?? 0, 2))"
        }
    }
}
