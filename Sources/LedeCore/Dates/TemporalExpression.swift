/// The TIMEX3 type of a temporal expression.
public enum TimexType: String, Sendable, Codable {
    case date = "DATE"
    case time = "TIME"
    case duration = "DURATION"
    case set = "SET"
}

/// One temporal expression found in a text.
public struct TemporalExpression: Sendable, Equatable {
    /// UTF-8 byte offsets into the text given to the tagger; `end` is exclusive.
    public var start: Int
    public var end: Int
    public var type: TimexType
    /// The TIMEX3 value: `1998-10`, `P3Y`, `PRESENT_REF`, `XXXX-07`, `XXXX-WXX-1`, ...
    public var value: String
    /// The TIMEX3 `mod` (`START`, `MID`, `END`, `APPROX`, `BEFORE`, `AFTER`, ...), if any.
    public var mod: String?
    /// True when the text itself names the year (or a full date), false when the
    /// value was worked out from the reference date or the last date mentioned.
    public var isExplicit: Bool
    /// For the first expression of a range ("from 1939 to 1945"), the index of the
    /// expression that ends it in the same result array.
    public var rangeEnd: Int?
    /// True when, in news, the value was worked out from the date of a story the text
    /// tells from a past year, stated a few sentences before ("made landfall on August 29,
    /// 2005. ... The storm had formed on August 23").
    public var inStory = false

    public init(start: Int, end: Int, type: TimexType, value: String, mod: String? = nil,
                isExplicit: Bool = true, rangeEnd: Int? = nil) {
        self.start = start; self.end = end; self.type = type; self.value = value
        self.mod = mod; self.isExplicit = isExplicit; self.rangeEnd = rangeEnd
    }
}
