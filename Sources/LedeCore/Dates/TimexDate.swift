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
        self.value = value
        var s = Substring(value)
        var bc = false
        // "BC0044" counts years before Christ (44 BC); ISO 8601's "-0043" counts
        // astronomically (year 0 is 1 BC), so it is the same year.
        var astronomical = false
        if s.hasPrefix("BC") { bc = true; s = s.dropFirst(2) } else if s.hasPrefix("-") { bc = true; astronomical = true; s = s.dropFirst() }
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 4, let lead = Int(digits) else { return nil }
        var rest = s.dropFirst(digits.count)
        switch digits.count {
        case 2:
            guard rest.isEmpty else { return nil }
            precision = .century
            year = bc ? 1 - (lead * 100 + 99) : lead * 100  // BC04: 499–400 BC
            month = nil; day = nil; hour = nil; minute = nil; part = nil
            return
        case 3:
            guard rest.isEmpty else { return nil }
            precision = .decade
            year = bc ? 1 - (lead * 10 + 9) : lead * 10  // BC047: 479–470 BC
            month = nil; day = nil; hour = nil; minute = nil; part = nil
            return
        case 4: break
        default: return nil
        }
        year = bc ? (astronomical ? -lead : 1 - lead) : lead
        var month: Int?, day: Int?, hour: Int?, minute: Int?, part: String?
        var precision = Precision.year
        if rest.hasPrefix("-") {
            rest = rest.dropFirst()
            let field = rest.prefix { $0 != "-" && $0 != "T" }
            rest = rest.dropFirst(field.count)
            if let m = Int(field), field.count == 2, (1...12).contains(m) {
                month = m
                precision = .month
                if rest.hasPrefix("-") {
                    rest = rest.dropFirst()
                    let d = rest.prefix { $0.isASCII && $0.isNumber }
                    guard d.count == 2, let dv = Int(d), dv >= 1, dv <= DateTime.daysIn(month: m, year: lead) else { return nil }
                    day = dv
                    precision = .day
                    rest = rest.dropFirst(2)
                }
            } else if ["SP", "SU", "FA", "WI"].contains(field) {
                part = String(field); precision = .season
            } else if field.count == 2, field.first == "Q", let q = Int(field.dropFirst()), (1...4).contains(q) {
                part = String(field); precision = .quarter
            } else if field.count == 2, field == "H1" || field == "H2" {
                part = String(field); precision = .quarter
            } else if field.count == 3, field.first == "W", let w = Int(field.dropFirst()), (1...53).contains(w) {
                part = String(field); precision = .week
            } else {
                return nil
            }
        }
        if rest.hasPrefix("T"), day != nil {
            rest = rest.dropFirst()
            let hh = rest.prefix(2)
            if let h = Int(hh), hh.count == 2, h < 25 {
                hour = h
                rest = rest.dropFirst(2)
                if rest.hasPrefix(":") {
                    let mm = rest.dropFirst().prefix(2)
                    if let m = Int(mm), mm.count == 2, m < 60 { minute = m; rest = rest.dropFirst(3) }
                }
                precision = .time
            } else if ["MO", "AF", "EV", "NI", "DT"].contains(String(rest.prefix(2))) {
                part = String(rest.prefix(2)); rest = rest.dropFirst(2)
                precision = .time
            } else {
                return nil  // an unknown time of day (TXX) is not a point in time
            }
            // Seconds, fractions and zones do not change order at this scale.
            rest = ""
        }
        guard rest.isEmpty else { return nil }
        self.month = month; self.day = day; self.hour = hour; self.minute = minute
        self.part = part; self.precision = precision
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

    /// A number that orders values by when they start: earlier first, and the
    /// coarser of two values that start together first ("1945" before "1945-05").
    public var sortKey: Int {
        let monthStart: Int
        switch part {
        case "SP": monthStart = 3
        case "SU": monthStart = 6
        case "FA": monthStart = 9
        case "WI": monthStart = 12
        case "Q1", "H1": monthStart = 1
        case "Q2": monthStart = 4
        case "Q3", "H2": monthStart = 7
        case "Q4": monthStart = 10
        default: monthStart = month ?? 1
        }
        var dayStart = day ?? 1
        if precision == .week, let p = part, let w = Int(p.dropFirst()) {
            let days = (w - 1) * 7
            return (((year * 13 + 1 + days / 31) * 32 + (days % 31 + 1)) * 25 * 60) * 10 + precision.rawValue
        }
        if day == nil { dayStart = 0 }
        let minutes = (hour ?? 0) * 60 + (minute ?? 0)
        return ((((year * 13 + (month == nil && part == nil ? 0 : monthStart)) * 32 + dayStart) * 25 * 60 + minutes) * 10) + precision.rawValue
    }

    public static func < (a: TimexDate, b: TimexDate) -> Bool { a.sortKey < b.sortKey }

    /// The year a timeline groups this value under.
    public var groupYear: Int { year }

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
            return "week \(Int(part?.dropFirst() ?? "") ?? 0) of \(Self.yearText(year))"
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
