/// `TimexDate(value)` for values met again and again across a site's
/// articles ("2019", "1998-10"): parsing one takes thousands of instructions,
/// finding it again a hash lookup. Shared by every worker of a build.
enum TimexCache {
    /// Above this many values the cache starts again (a bound on memory, not
    /// a policy: any value is parsed the same way again).
    static let limit = 65_536

    private final class Storage: @unchecked Sendable {
        let lock = Lock()
        var dates: [String: TimexDate?] = [:]
    }

    private static let storage = Storage()

    static func date(_ value: String) -> TimexDate? {
        let s = storage
        if let known = s.lock.withLock({ s.dates[value] }) { return known }
        let date = TimexDate(value)
        s.lock.withLock {
            if s.dates.count >= limit { s.dates.removeAll(keepingCapacity: true) }
            s.dates[value] = date
        }
        return date
    }
}
