/// The site's timeline: the dated events of every explainer merged into one
/// chronology. An event that two articles both tell (the same date, and words
/// around it that agree) is listed once, naming both.
public struct SiteEvent: Sendable {
    /// One article that tells the event.
    public struct Source: Sendable, Equatable {
        public var slug: String
        public var title: String
        /// The id of the paragraph (or element) the event came from.
        public var anchor: String
        public var tags: [String]
        /// The tags as slugs.
        public var tagKeys: [String]
    }

    public var value: String
    public var endValue: String?
    public var display: String
    public var text: String
    public var title: String?
    public var sources: [Source]
    let date: TimexDate
    let order: Int

    /// Where the event is grouped: its year, or its decade or century when it
    /// is no more precise than that.
    public var group: SiteTimeline.Group {
        switch date.precision {
        case .century: return .century(date.year)
        case .decade: return .decade(date.year)
        default: return .year(date.year)
        }
    }

    /// Slugs of the tags of every article that tells the event.
    public var tagSlugs: [String] {
        var seen = Set<String>(), out: [String] = []
        for s in sources { for k in s.tagKeys where seen.insert(k).inserted { out.append(k) } }
        return out
    }
}

public enum SiteTimeline {
    /// The heading an event is listed under.
    public enum Group: Hashable, Sendable, Comparable {
        case century(Int), decade(Int), year(Int)

        /// First year covered; coarser groups come first when they start together.
        var key: (Int, Int) {
            switch self {
            case .century(let y): return (y, 0)
            case .decade(let y): return (y, 1)
            case .year(let y): return (y, 2)
            }
        }
        public static func < (a: Group, b: Group) -> Bool { a.key < b.key }

        public var year: Int {
            switch self { case .century(let y), .decade(let y), .year(let y): return y }
        }

        /// "1948", "1940s", "20th century", "44 BC".
        public var label: String {
            switch self {
            case .year(let y): return y > 0 ? String(y) : "\(1 - y) BC"
            case .decade(let y): return y >= 0 ? "\(y)s" : "\(-y - 9)s BC"
            case .century(let y):
                let c = y >= 0 ? y / 100 + 1 : (-y) / 100 + 1
                return "\(TimexDate.ordinal(c)) century" + (y < 0 ? " BC" : "")
            }
        }

        /// An id for the page: "y1948", "d1940", "c1900" (BC years with "bc").
        public var id: String {
            switch self {
            case .year(let y): return y > 0 ? "y\(y)" : "y\(1 - y)bc"
            case .decade(let y): return y >= 0 ? "d\(y)" : "d\(-y - 9)bc"
            case .century(let y): return y >= 0 ? "c\(y)" : "c\(-y)bc"
            }
        }

        /// The decade a group belongs to, for long timelines.
        public var decade: Int {
            switch self {
            case .century(let y): return y
            case .decade(let y), .year(let y): return y >= 0 ? y - y % 10 : y - ((y % 10) + 10) % 10
            }
        }
    }

    /// Merges the timelines of `articles` (in any order) into one chronology:
    /// sorted by date, then by article (slug) and place in the article.
    public static func merge(_ articles: [ArticleSummary]) -> [SiteEvent] {
        var events: [SiteEvent] = []
        // Clusters of mentions with the same value and end: index by content word.
        struct Bucket { var members: [Int] = []; var byWord: [String: [Int]] = [:] }
        var buckets: [String: Bucket] = [:]
        var words: [Set<String>] = []
        var order = 0
        var lastArticle: [Int] = []
        for (articleNumber, a) in articles.sorted(by: { $0.slug < $1.slug }).enumerated() {
            let tagKeys = a.tags.map { Slug.make($0) }.filter { !$0.isEmpty }
            for e in a.timeline {
                guard let date = TimexDate(e.value) else { continue }
                let source = SiteEvent.Source(slug: a.slug, title: a.title, anchor: e.anchor, tags: a.tags, tagKeys: tagKeys)
                let key = e.value + "|" + (e.endValue ?? "")
                let w = Set(Timeline.contentWords(e.text + " " + (e.title ?? "")))
                // Taken out while it changes: changed in the dictionary, the
                // bucket's lists would be copied whole for every event.
                var bucket = buckets.removeValue(forKey: key) ?? Bucket()
                var candidates = Set<Int>()
                // Words that many events of one date share ("president") cannot tell
                // events apart; they are not used to find candidates.
                if w.isEmpty { candidates = Set(bucket.members.suffix(maxCandidates)) } else {
                    for t in w { if let l = bucket.byWord[t], l.count <= maxCandidates { candidates.formUnion(l) } }
                }
                // Articles come in slug order, so an event this article already
                // tells has it as its last source.
                let match = candidates.sorted().first { k in
                    lastArticle[k] != articleNumber && sameEvent(words[k], w, precision: date.precision)
                }
                if let k = match {
                    events[k].sources.append(source)
                    lastArticle[k] = articleNumber
                    // A hand-written entry tells it best.
                    if e.source == .frontMatter, !e.text.isEmpty { events[k].text = e.text }
                    if events[k].title == nil { events[k].title = e.title }
                } else {
                    let k = events.count
                    order += 1
                    events.append(SiteEvent(value: e.value, endValue: e.endValue, display: e.display, text: e.text,
                                            title: e.title, sources: [source], date: date, order: order))
                    words.append(w)
                    lastArticle.append(articleNumber)
                    bucket.members.append(k)
                    for t in w { bucket.byWord[t, default: []].append(k) }
                }
                buckets[key] = bucket
            }
        }
        return events.sorted { ($0.date.sortKey, $0.order) < ($1.date.sortKey, $1.order) }
    }

    /// Bounds the comparisons when many articles mention one date.
    static let maxCandidates = 200

    /// Two articles' mentions of one date are one event when the words around
    /// them agree: for an exact day, one shared word is enough; for a month or
    /// a year, at least half of the shorter text's words.
    static func sameEvent(_ a: Set<String>, _ b: Set<String>, precision: TimexDate.Precision) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
        // Counted, not intersected: no set is made for each comparison.
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        var shared = 0
        for word in small where large.contains(word) {
            if precision >= .day { return true }
            shared += 1
        }
        if precision >= .day { return false }
        return Double(shared) / Double(min(a.count, b.count)) >= 0.5
    }

    /// Events of one tag (by tag slug): those some article with the tag tells,
    /// naming only those articles.
    public static func events(_ events: [SiteEvent], tag: String) -> [SiteEvent] {
        let key = Slug.make(tag)
        return events.compactMap { e in restricted(e, to: key) }
    }

    /// The events of every tag at once (by tag slug), in one pass over the events.
    public static func byTag(_ events: [SiteEvent]) -> [String: [SiteEvent]] {
        var out: [String: [SiteEvent]] = [:]
        for e in events {
            for key in e.tagSlugs { if let r = restricted(e, to: key) { out[key, default: []].append(r) } }
        }
        return out
    }

    static func restricted(_ e: SiteEvent, to key: String) -> SiteEvent? {
        guard e.sources.contains(where: { $0.tagKeys.contains(key) }) else { return nil }
        if e.sources.allSatisfy({ $0.tagKeys.contains(key) }) { return e }
        var copy = e
        copy.sources = e.sources.filter { $0.tagKeys.contains(key) }
        return copy
    }
}
