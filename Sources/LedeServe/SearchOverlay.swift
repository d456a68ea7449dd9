import LedeCore

/// `lede serve`'s search overlay: after a save, Pagefind indexes only the
/// article pages changed or added since the whole-site index (the *base*,
/// in the site's `pagefind/`) into a small index of its own, outside the
/// site, served at `/_lede/search-overlay/`. Beside it, `overlay.json` names
/// every page changed, added or deleted since the base (`superseded`): the
/// search page (search.js) asks both indexes and drops the base's results
/// for those pages.
///
/// A whole-site index (40 s of Pagefind at 10,000 articles) is made only
/// when the overlay cannot follow (a rebuild of every page, such as a
/// template change) or grows past `ServeOptions.searchOverlayLimit` pages;
/// once it is in place, the changes it holds leave the overlay.
///
/// This part keeps the books: which pages changed since which base, as a
/// sequence of changes, so that a base made while saves go on (it reads
/// the pages for tens of seconds) takes out only what came before it began.
public struct SearchOverlayLog: Sendable, Equatable {
    /// The pages (relative to the site) changed since the base, each with
    /// the number of its last change.
    public private(set) var changes: [String: Int] = [:]
    /// Counts changes.
    public private(set) var sequence = 0
    /// The number of the last change that the log cannot follow page by
    /// page (every page may have changed): only a whole-site index started
    /// after it brings search up to date.
    public private(set) var wholeSince: Int?

    public init() {}

    /// A rebuild changed `outputs` (paths relative to the site; nil when
    /// it does not say, as when it wrote the whole site again). Only pages
    /// (`.html`) count.
    public mutating func note(_ outputs: [String]?) {
        sequence += 1
        guard let outputs else {
            wholeSince = sequence
            return
        }
        for path in outputs where path.hasSuffix(".html") { changes[path] = sequence }
    }

    /// A whole-site index starts: what it holds is at least the pages as of
    /// the returned mark.
    public var mark: Int { sequence }

    /// The whole-site index started at `mark` is in place: the changes up to
    /// it are in it.
    public mutating func based(at mark: Int) {
        changes = changes.filter { $0.value > mark }
        if let whole = wholeSince, whole <= mark { wholeSince = nil }
    }

    /// Pages found not to be indexed (there, without Pagefind's mark: not
    /// articles), as of change `mark`: they need not be in the overlay.
    public mutating func forget(_ paths: [String], upTo mark: Int) {
        for path in paths where (changes[path] ?? .max) <= mark { changes[path] = nil }
    }

    /// Whether the overlay can stand for the changes (no change it cannot follow).
    public var followable: Bool { wholeSince == nil }

    /// Whether search needs a whole-site index: the log cannot follow the
    /// changes, or they are more than `limit` pages.
    public func needsWhole(limit: Int) -> Bool { wholeSince != nil || changes.count > limit }

    /// The changed pages, sorted.
    public var paths: [String] { changes.keys.sorted() }

    /// The URLs Pagefind gives those pages (see `Search.pageURL`), sorted:
    /// the base's results for them are out of date.
    public var superseded: [String] { Self.urls(paths) }

    public static func urls(_ paths: [String]) -> [String] { paths.map(Search.pageURL).sorted() }
}

/// `overlay.json`, and where the overlay is served.
public enum SearchOverlay {
    /// The folder URL of the overlay; search pages find it in the global
    /// `__ledeSearchOverlay` that serve's live-reload script sets.
    public static let path = "/_lede/search-overlay/"
    public static let manifest = path + "overlay.json"

    /// The bundle of the `serial`th overlay made (each in a folder of its
    /// own, so that no browser mixes the files of two).
    public static func bundle(_ serial: Int) -> String { path + "g\(serial)/" }

    /// `{"generation": N, "bundle": "/_lede/search-overlay/gN/" or null, "superseded": [...]}`.
    public static func json(generation: Int, bundle: String?, superseded: [String]) -> String {
        JSON.object([
            ("generation", .int(generation)),
            ("bundle", bundle.map { .string($0) } ?? .null),
            ("superseded", .array(superseded.map { .string($0) })),
        ]).serialized()
    }
}
