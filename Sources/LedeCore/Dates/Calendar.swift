/// Proleptic Gregorian calendar arithmetic on plain integers, for resolving
/// relative expressions ("two days ago", "last week") without Foundation.
enum Cal {
    /// Days since 1970-01-01.
    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
        DateTime(year: y, month: m, day: d).epochSeconds / 86400
    }

    /// The civil date of a day number.
    static func civil(_ z0: Int) -> (y: Int, m: Int, d: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday, 1 = Monday ... 7 = Sunday.
    static func weekday(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let z = days(y, m, d)
        let w = (z + 3) % 7  // 1970-01-01 was a Thursday (3 from Monday)
        return (w < 0 ? w + 7 : w) + 1
    }

    static func daysIn(_ m: Int, _ y: Int) -> Int { DateTime.daysIn(month: m, year: y) }

    /// ISO 8601 week-numbering year and week of a date.
    static func isoWeek(_ y: Int, _ m: Int, _ d: Int) -> (year: Int, week: Int) {
        let z = days(y, m, d)
        let wd = weekday(y, m, d)
        let thursday = z - wd + 4
        let ty = civil(thursday).y
        let jan1 = days(ty, 1, 1)
        return (ty, (thursday - jan1) / 7 + 1)
    }

    /// Monday of an ISO week.
    static func mondayOf(isoYear: Int, week: Int) -> Int {
        let jan4 = days(isoYear, 1, 4)
        let wd = weekday(isoYear, 1, 4)
        return jan4 - (wd - 1) + (week - 1) * 7
    }

    /// Adds months to a year and month.
    static func addMonths(_ y: Int, _ m: Int, _ n: Int) -> (y: Int, m: Int) {
        let t = y * 12 + (m - 1) + n
        let ny = t >= 0 ? t / 12 : (t - 11) / 12
        return (ny, t - ny * 12 + 1)
    }
}
