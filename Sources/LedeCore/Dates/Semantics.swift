/// What the grammar understood an expression to mean, before it is placed in
/// time: the parts a date states, a shift relative to an anchor, a duration, a
/// set or a reference. `TemporalTagger` turns it into a TIMEX3 value.
///
/// Small integers are stored compactly (a Sem is copied often while the
/// grammar compares candidates) behind `Int` properties.
struct Sem {
    enum Kind: UInt8 {
        /// A calendar date or time, perhaps with parts to fill from context.
        case point
        /// A shift from an anchor: `unit` × `offset` ("two days ago", "next week").
        case shift
        /// A weekday without a date ("Friday", "last Monday").
        case weekday
        case duration
        case set
        /// A fixed value: PRESENT_REF, PAST_REF, FUTURE_REF, or a literal.
        case literal
    }

    enum Anchor: UInt8 {
        /// The reference date (the article's date).
        case reference
        /// The last date mentioned.
        case last
        /// The reference date in news, the last date mentioned in narratives.
        case auto
    }

    var kind: Kind = .point
    var type: TimexType = .date
    var mod: String?

    // Parts of a point in time.
    var year: Int? {
        get { _year == .min ? nil : Int(_year) }
        set { _year = newValue.map { Int32(clamping: $0) } ?? .min }
    }
    private var _year: Int32 = .min
    var bc = false
    var month: Int? {
        get { _month == .min ? nil : Int(_month) }
        set { _month = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _month: Int8 = .min
    var day: Int? {
        get { _day == .min ? nil : Int(_day) }
        set { _day = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _day: Int8 = .min
    var season: Int? {
        get { _season == .min ? nil : Int(_season) }
        set { _season = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _season: Int8 = .min
    var quarter: Int? {
        get { _quarter == .min ? nil : Int(_quarter) }
        set { _quarter = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _quarter: Int8 = .min
    var half: Int? {
        get { _half == .min ? nil : Int(_half) }
        set { _half = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _half: Int8 = .min
    var weekend = false
    /// 199 for the 1990s.
    var decade: Int? {
        get { _decade == .min ? nil : Int(_decade) }
        set { _decade = newValue.map { Int16(clamping: $0) } ?? .min }
    }
    private var _decade: Int16 = .min
    /// 19 for the twentieth century (the 1900s).
    var century: Int? {
        get { _century == .min ? nil : Int(_century) }
        set { _century = newValue.map { Int16(clamping: $0) } ?? .min }
    }
    private var _century: Int16 = .min
    var hour: Int? {
        get { _hour == .min ? nil : Int(_hour) }
        set { _hour = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _hour: Int8 = .min
    var minute: Int? {
        get { _minute == .min ? nil : Int(_minute) }
        set { _minute = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _minute: Int8 = .min
    var dayPart: Int? {
        get { _dayPart == .min ? nil : Int(_dayPart) }
        set { _dayPart = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _dayPart: Int8 = .min
    /// True when the text names the year (or the value needs no context).
    var explicit = false

    // Shifts and weekdays.
    var unit: TUnit = .none
    var offset: Int {
        get { Int(_offset) }
        set { _offset = Int32(clamping: newValue) }
    }
    private var _offset: Int32 = 0
    var anchor: Anchor = .auto
    /// The finest unit the result keeps (a shift of years from a full date: `.year`).
    var grain: TUnit = .none
    var weekday: Int {
        get { Int(_weekday) }
        set { _weekday = Int8(clamping: newValue) }
    }
    private var _weekday: Int8 = 0
    /// For a day named by its place in the month ("the first Monday in October"): 1 to 5, or -1
    /// for the last; `weekday` says which day.
    var nthWeekday: Int8 = 0
    /// For weekdays and months without a year: -1 the last before the anchor,
    /// +1 the next after it, 0 decide by the tense of the sentence.
    var direction: Int {
        get { Int(_direction) }
        set { _direction = Int8(clamping: newValue) }
    }
    private var _direction: Int8 = 0
    /// A part of day attached to a shifted day ("yesterday morning").
    var shiftDayPart: Int? {
        get { _shiftDayPart == .min ? nil : Int(_shiftDayPart) }
        set { _shiftDayPart = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _shiftDayPart: Int8 = .min
    var shiftHour: Int? {
        get { _shiftHour == .min ? nil : Int(_shiftHour) }
        set { _shiftHour = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _shiftHour: Int8 = .min
    var shiftMinute: Int? {
        get { _shiftMinute == .min ? nil : Int(_shiftMinute) }
        set { _shiftMinute = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _shiftMinute: Int8 = .min

    // Durations and sets.
    /// nil: an unknown amount ("several months" → PXM).
    var amount: Double?
    /// A literal value (`PRESENT_REF`, `XXXX-WXX-1`, `P1Y` for sets, ...).
    var literal = ""

    // Finer points the resolver needs.
    /// A shift whose amount was counted ("two days ago"), so approximators apply.
    var amountWasCounted = false
    /// "ten years ago today": the same day, that many years before.
    var keepDay = false
    /// "the year-ago quarter": keep the anchor's grain (a quarter stays a quarter).
    var keepAnchorGrain = false
    /// "the latest quarter": the last complete quarter before the reference date.
    var latestQuarter = false
    /// "the year", "the week" without a determiner that says which.
    var isBareThe = false
    /// "this Friday": the one in the anchor's week.
    var thisWeek = false
    /// "Wednesday's ruling": a weekday in the possessive, which news uses for a day already past.
    var possessive = false
    /// "this March", "this summer": in the anchor's year.
    var sameYear = false
    /// "Saturday 7 November": the weekday the text gives a date of a year it leaves out (0: none).
    var statedWeekday: Int {
        get { Int(_statedWeekday) }
        set { _statedWeekday = Int8(clamping: newValue) }
    }
    private var _statedWeekday: Int8 = 0
    /// "the next year" (month, week, decade): after the story's date, or in news ahead of the date of
    /// writing when the sentence looks ahead.
    var theNext = false
    var holiday: Holiday?
    /// "June last year": the year as a shift from an anchor.
    var relYear: Int? {
        get { _relYear == .min ? nil : Int(_relYear) }
        set { _relYear = newValue.map { Int16(clamping: $0) } ?? .min }
    }
    private var _relYear: Int16 = .min
    var relYearAnchor: Anchor = .auto
    /// "the 1988 period": the quarter of the last date mentioned, in the year named.
    var quarterFromContext = false
    /// "the quarter ended July 31": a calendar quarter worked out from the closing day, which does
    /// not override the fiscal quarter a report has named.
    var quarterFromEndDate = false
    /// A clock time with no day of its own ("at 3 p.m.").
    var isClockOnly = false

    enum Holiday: UInt8 { case thanksgiving, easter, memorial, labor, election }
    /// "the first week of March" (1...5), "the last week" (-1).
    var weekOfMonth: Int? {
        get { _weekOfMonth == .min ? nil : Int(_weekOfMonth) }
        set { _weekOfMonth = newValue.map { Int8(clamping: $0) } ?? .min }
    }
    private var _weekOfMonth: Int8 = .min
    /// "the week of March 6": the (ISO) week that holds the day.
    var weekOfDay = false
    /// "today": the day of writing in a report, the present in a general statement.
    var todayWord = false
    /// "year-end": the last day of the year.
    var yearEndDay = false
    /// "this past spring": the nearest one before, not the one a year before.
    var nearestInDirection = false
    /// "the day before Thanksgiving", "the day after March 3": the day named, then so many days on.
    var dayShift: Int8 = 0

    static func lit(_ v: String, _ type: TimexType = .date) -> Sem {
        var s = Sem(); s.kind = .literal; s.literal = v; s.type = type; s.explicit = false; return s
    }

    static func duration(_ amount: Double?, _ unit: TUnit) -> Sem {
        var s = Sem(); s.kind = .duration; s.type = .duration; s.amount = amount; s.unit = unit; return s
    }

    static func shift(_ unit: TUnit, _ offset: Int, _ anchor: Anchor) -> Sem {
        var s = Sem(); s.kind = .shift; s.unit = unit; s.offset = offset; s.anchor = anchor; return s
    }

}

/// Writes TIMEX3 values.
enum TimexFormat {
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func year(_ y: Int, bc: Bool = false) -> String {
        if bc { return "BC" + pad(y, 4) }
        return pad(y, 4)
    }

    /// `P3Y`, `PT2H`, `PXM`, `P1.5Y`.
    static func duration(_ amount: Double?, _ unit: TUnit) -> String {
        var a: String
        var u: String
        var t = false
        var mult = 1.0
        switch unit {
        case .second: u = "S"; t = true
        case .minute: u = "M"; t = true
        case .hour: u = "H"; t = true
        case .day: u = "D"
        case .week: u = "W"
        case .weekend: u = "WE"
        case .fortnight: u = "W"; mult = 2
        case .month: u = "M"
        case .quarter: u = "Q"
        case .half: u = "M"; mult = 6
        case .year: u = "Y"
        case .decade: u = "DE"
        case .century: u = "CE"
        case .millennium: u = "ML"
        case .none: u = "X"
        }
        if let amount {
            let v = amount * mult
            if v == v.rounded() { a = String(Int(v)) } else {
                // 2.5 years → P2Y6M, 5.5 hours → PT5H30M
                let whole = Int(v), frac = v - Double(whole)
                if whole == 0 {
                    // half an hour → PT30M, half a day → PT12H, half a year → P6M
                    switch unit {
                    case .year: if (frac * 12).rounded() == frac * 12 { return "P\(Int(frac * 12))M" }
                    case .day: if (frac * 24).rounded() == frac * 24 { return "PT\(Int(frac * 24))H" }
                    case .hour: if (frac * 60).rounded() == frac * 60 { return "PT\(Int(frac * 60))M" }
                    case .minute: if (frac * 60).rounded() == frac * 60 { return "PT\(Int(frac * 60))S" }
                    default: break
                    }
                }
                switch unit {
                case .year: if (frac * 12).rounded() == frac * 12 { return "P\(whole)Y\(Int(frac * 12))M" }
                case .month: if (frac * 30).rounded() == frac * 30 { return "P\(whole)M\(Int(frac * 30))D" }
                case .day: if (frac * 24).rounded() == frac * 24 { return "P\(whole)DT\(Int(frac * 24))H" }
                case .hour: if (frac * 60).rounded() == frac * 60 { return "PT\(whole)H\(Int(frac * 60))M" }
                case .minute: if (frac * 60).rounded() == frac * 60 { return "PT\(whole)M\(Int(frac * 60))S" }
                default: break
                }
                a = String(v)
            }
        } else {
            a = "X"
        }
        return (t ? "PT" : "P") + a + u
    }
}
