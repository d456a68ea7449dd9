/// The site's timeline: the dated events of every explainer merged into one
/// chronology. An event that two articles both tell (the same date, and words
/// around it that agree) is listed once, naming both.
public struct SiteEvent: Sendable {
    /// What an event's source says of its article, shared by all the
    /// article's mentions: made once per article by the merge, so that a
    /// source is two references (this and its anchor), and a hash of an
    /// event hashes the article's fields once, not once per mention.
    public final class SourceArticle: Sendable {
        public let slug: String
        public let title: String
        public let tags: [String]
        /// The tags as slugs.
        public let tagKeys: [String]
        /// The article's number in the merge that made the event (its place
        /// among the site's articles in slug order): what a count of the
        /// articles a timeline names counts, without hashing slugs.
        public let article: Int32
        /// A hash of the slug, title and tags (`SiteFeatures.eventHash` reads it).
        let hash: UInt64
        /// What follows the head of a slide whose first source this is, up
        /// to its id (`TimelineJSON.appendGroupAndIDKey`): grouped by the
        /// article (on a tag's timeline) and by its first tag (on the site's).
        /// Made once: every timeline that shows an event wrote its group again.
        let groupByArticle: [UInt8], groupByTag: [UInt8]

        public init(slug: String, title: String, tags: [String], tagKeys: [String], article: Int32) {
            self.slug = slug; self.title = title; self.tags = tags; self.tagKeys = tagKeys; self.article = article
            var w = ByteWriter(capacity: 64 + slug.utf8.count + title.utf8.count)
            w.string(slug); w.string(title)
            for t in tags { w.string(t) }
            w.int(tags.count)
            hash = Hash64.hash(w.bytes)
            var byArticle: [UInt8] = []
            TimelineJSON.appendGroupAndIDKey(TimelineJSON.siteGroup(title: title, tags: tags, groupByArticle: true), to: &byArticle)
            groupByArticle = byArticle
            if tags.isEmpty { groupByTag = byArticle } else {
                var byTag: [UInt8] = []
                TimelineJSON.appendGroupAndIDKey(TimelineJSON.siteGroup(title: title, tags: tags, groupByArticle: false), to: &byTag)
                groupByTag = byTag
            }
        }

        /// `groupByArticle` or `groupByTag`.
        func groupAndIDKey(groupByArticle byArticle: Bool) -> [UInt8] { byArticle ? groupByArticle : groupByTag }
    }

    /// One article that tells the event.
    public struct Source: Sendable, Equatable {
        public var info: SourceArticle
        /// The id of the paragraph (or element) the event came from.
        public var anchor: String

        public init(_ info: SourceArticle, anchor: String) { self.info = info; self.anchor = anchor }

        public init(slug: String, title: String, anchor: String, tags: [String], tagKeys: [String], article: Int32) {
            self.init(SourceArticle(slug: slug, title: title, tags: tags, tagKeys: tagKeys, article: article), anchor: anchor)
        }

        public var slug: String { info.slug }
        public var title: String { info.title }
        public var tags: [String] { info.tags }
        public var tagKeys: [String] { info.tagKeys }
        public var article: Int32 { info.article }

        public static func == (a: Source, b: Source) -> Bool {
            a.anchor == b.anchor && (a.info === b.info || (a.info.hash == b.info.hash && a.slug == b.slug && a.title == b.title
                && a.tags == b.tags && a.tagKeys == b.tagKeys && a.article == b.article))
        }
    }

    /// The fields live in one shared box, copied only when a copy is changed:
    /// an event is copied into every page and topic that shows it (hundreds
    /// of thousands of times at 10,000 articles), and a copy of seven
    /// references cost seven retains and releases where the box costs one.
    private final class Storage: @unchecked Sendable {
        var value: String
        var endValue: String?
        var display: String
        var text: String
        var title: String?
        var sources: [Source]
        let date: TimexDate
        let order: Int

        init(value: String, endValue: String?, display: String, text: String, title: String?, sources: [Source], date: TimexDate, order: Int) {
            self.value = value; self.endValue = endValue; self.display = display; self.text = text
            self.title = title; self.sources = sources; self.date = date; self.order = order
        }

        func copy() -> Storage {
            Storage(value: value, endValue: endValue, display: display, text: text, title: title, sources: sources, date: date, order: order)
        }
    }

    // Changed only through `unique()`, so no two events ever see one change.
    private var storage: Storage

    init(value: String, endValue: String?, display: String, text: String, title: String?, sources: [Source], date: TimexDate, order: Int) {
        storage = Storage(value: value, endValue: endValue, display: display, text: text, title: title, sources: sources, date: date, order: order)
    }

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public var value: String {
        get { storage.value }
        set { unique(); storage.value = newValue }
    }
    public var endValue: String? {
        get { storage.endValue }
        set { unique(); storage.endValue = newValue }
    }
    public var display: String {
        get { storage.display }
        set { unique(); storage.display = newValue }
    }
    public var text: String {
        get { storage.text }
        set { unique(); storage.text = newValue }
    }
    public var title: String? {
        get { storage.title }
        set { unique(); storage.title = newValue }
    }
    public var sources: [Source] {
        get { storage.sources }
        _modify { unique(); yield &storage.sources }
    }
    var date: TimexDate { storage.date }
    var order: Int { storage.order }

    /// Where the event is grouped: its year, or its decade or century when it
    /// is no more precise than that.
    public var group: SiteTimeline.Group {
        switch date.precision {
        case .century: return .century(date.year)
        case .decade: return .decade(date.year)
        default: return .year(date.year)
        }
    }

    /// Slugs of the tags of every article that tells the event, each once.
    public var tagSlugs: [String] { Self.tagSlugs(sources, keeps: nil) }

    /// The tag slugs of the sources `keeps` lists (all when nil), each once.
    /// An event has a handful: they are compared with those found so far
    /// (a Set cost more than the rest of the item it is asked for).
    static func tagSlugs(_ sources: [Source], keeps: ArraySlice<Int32>?) -> [String] {
        var count = 0
        forEachSource(sources, keeping: keeps) { count += sources[$0].tagKeys.count }
        var out: [String] = []
        out.reserveCapacity(count)
        var seen = count <= 32 ? nil : Set<String>(minimumCapacity: count)
        forEachSource(sources, keeping: keeps) { k in
            for key in sources[k].tagKeys {
                if seen == nil ? !out.contains(key) : seen!.insert(key).inserted { out.append(key) }
            }
        }
        return out
    }

    /// `tagSlugs` as an item's `data-tags` shows them: escaped, joined by
    /// spaces, as UTF-8 (made for every item of every timeline page, where
    /// a joined String, its escaped copy and their bytes were three more).
    static func tagList(_ sources: [Source], keeps: ArraySlice<Int32>?) -> [UInt8] {
        var out: [UInt8] = []
        for (n, key) in tagSlugs(sources, keeps: keeps).enumerated() {
            if n > 0 { out.append(0x20) }
            HTML.escape(key, into: &out)
        }
        return out
    }

    /// Gives `body` the article number (`Source.article`) of each source
    /// `keeps` lists, or of every source when nil.
    func forEachArticle(keeping keeps: ArraySlice<Int32>?, _ body: (Int32) -> Void) {
        let sources = self.sources
        Self.forEachSource(sources, keeping: keeps) { body(sources[$0].article) }
    }

    /// Gives `body` the index of each source `keeps` lists (a restricted
    /// copy's, see `SiteTimelinePages.ScopeEvents`), or of every source when
    /// nil, in order. By index: a Source handed on whole is copied (five
    /// retains and releases).
    @inline(__always)
    static func forEachSource(_ sources: [Source], keeping keeps: ArraySlice<Int32>?, _ body: (Int) -> Void) {
        if let keeps { for k in keeps { body(Int(k)) } } else { for k in sources.indices { body(k) } }
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
    ///
    /// Only mentions of the same value and end can be one event, so the
    /// mentions are grouped by value and each group merged on its own, in
    /// parallel over `workers`; a group sees its mentions in the order of the
    /// articles (by slug) and of their events, as a single pass would.
    public static func merge(_ articles: [ArticleSummary], workers: Int = 1) -> [SiteEvent] {
        let sorted = articles.sorted { $0.slug < $1.slug }
        // What merging reads of each mention, worked out article by article.
        struct Mention {
            var key: UInt64
            var event: Int32
            var date: TimexDate
            /// Hashes of the content words of its text and title, sorted, each once.
            var words: [UInt64]
        }
        let mentions = Slots<[Mention]>(Array(repeating: [], count: sorted.count))
        let infos = Slots<SiteEvent.SourceArticle?>(Array(repeating: nil, count: sorted.count))
        parallelFor(sorted.count, workers: workers) { k in
            let a = sorted[k]
            infos.set(k, SiteEvent.SourceArticle(slug: a.slug, title: a.title, tags: a.tags,
                                                 tagKeys: a.tags.map { Slug.make($0) }.filter { !$0.isEmpty }, article: Int32(k)))
            var list: [Mention] = []
            list.reserveCapacity(a.timeline.count)
            for (n, e) in a.timeline.enumerated() {
                guard let date = TimexDate(e.value) else { continue }
                // A space ends a word: without a title, the text's words are all.
                var words = Timeline.contentWordHashes(e.title.map { e.text + " " + $0 } ?? e.text)
                words.sort()
                var unique = 0
                for w in words where unique == 0 || words[unique - 1] != w { words[unique] = w; unique += 1 }
                words.removeLast(words.count - unique)
                list.append(Mention(key: Hash64.hash(e.value + "|" + (e.endValue ?? "")), event: Int32(n), date: date, words: words))
            }
            mentions.set(k, list)
        }
        // Every mention in reading order (its place there is its `order`),
        // then grouped by key, each group still in reading order.
        var reading: [(key: UInt64, article: Int32, mention: Int32)] = []
        for k in 0..<sorted.count {
            for m in mentions[k].indices { reading.append((mentions[k][m].key, Int32(k), Int32(m))) }
        }
        let all = reading
        let grouped = all.indices.sorted { all[$0].key != all[$1].key ? all[$0].key < all[$1].key : $0 < $1 }
        var ranges: [Range<Int>] = []
        var g = 0
        while g < grouped.count {
            var end = g + 1
            while end < grouped.count, all[grouped[end]].key == all[grouped[g]].key { end += 1 }
            ranges.append(g..<end)
            g = end
        }
        let groups = ranges
        let merged = Slots<[SiteEvent]>(Array(repeating: [], count: groups.count))
        parallelFor(groups.count, workers: workers) { n in
            // One bucket per value and end (a hash shared by two would be told apart here).
            struct Bucket { var value: String; var endValue: String?; var members: [Int] = []; var byWord: [UInt64: [Int]] = [:] }
            var buckets: [Bucket] = []
            var events: [SiteEvent] = [], words: [[UInt64]] = [], lastArticle: [Int32] = []
            for i in groups[n] {
                let place = grouped[i], (_, articleNumber, m) = all[place]
                let mention = mentions[Int(articleNumber)][Int(m)]
                let w = mention.words
                // The article's and the event's fields are read where they are:
                // a copy of each for every mention cost a retain and a release
                // of their dozen and six references.
                let an = Int(articleNumber), ev = Int(mention.event)
                let value = sorted[an].timeline[ev].value, endValue = sorted[an].timeline[ev].endValue
                let b: Int
                if let found = buckets.firstIndex(where: { $0.value == value && $0.endValue == endValue }) { b = found } else {
                    buckets.append(Bucket(value: value, endValue: endValue))
                    b = buckets.count - 1
                }
                // Words that many events of one date share ("president") cannot tell
                // events apart; they are not used to find candidates.
                var candidates: [Int]
                if w.isEmpty { candidates = Array(buckets[b].members.suffix(maxCandidates)) } else {
                    candidates = []
                    for t in w { if let l = buckets[b].byWord[t], l.count <= maxCandidates { candidates += l } }
                    candidates.sort()
                }
                // Articles come in slug order, so an event this article already
                // tells has it as its last source.
                let match = candidates.first { k in
                    lastArticle[k] != articleNumber && sameEvent(words[k], w, precision: mention.date.precision)
                }
                let source = SiteEvent.Source(infos[an]!, anchor: sorted[an].timeline[ev].anchor)
                if let k = match {
                    events[k].sources.append(source)
                    lastArticle[k] = articleNumber
                    // A hand-written entry tells it best.
                    if sorted[an].timeline[ev].source == .frontMatter, !sorted[an].timeline[ev].text.isEmpty { events[k].text = sorted[an].timeline[ev].text }
                    if events[k].title == nil { events[k].title = sorted[an].timeline[ev].title }
                } else {
                    let k = events.count
                    events.append(SiteEvent(value: value, endValue: endValue, display: sorted[an].timeline[ev].display,
                                            text: sorted[an].timeline[ev].text, title: sorted[an].timeline[ev].title,
                                            sources: [source], date: mention.date, order: place))
                    words.append(w)
                    lastArticle.append(articleNumber)
                    buckets[b].members.append(k)
                    for t in w { buckets[b].byWord[t, default: []].append(k) }
                }
            }
            merged.set(n, events)
        }
        // By date, then reading order; the sort keys worked out once.
        var order: [(sortKey: Int, order: Int, group: Int32, event: Int32)] = []
        for n in groups.indices {
            for (k, e) in merged[n].enumerated() { order.append((e.date.sortKey, e.order, Int32(n), Int32(k))) }
        }
        order.sort { ($0.sortKey, $0.order) < ($1.sortKey, $1.order) }
        return order.map { merged[Int($0.group)][Int($0.event)] }
    }

    /// Bounds the comparisons when many articles mention one date.
    static let maxCandidates = 200

    /// Two articles' mentions of one date are one event when the words around
    /// them agree: for an exact day, one shared word is enough; for a month or
    /// a year, at least half of the shorter text's words.
    static func sameEvent(_ a: [UInt64], _ b: [UInt64], precision: TimexDate.Precision) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
        // Both sorted: counted in one walk, no set made for each comparison.
        var i = 0, j = 0, shared = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else {
                if precision >= .day { return true }
                shared += 1; i += 1; j += 1
            }
        }
        if precision >= .day { return false }
        return Double(shared) / Double(min(a.count, b.count)) >= 0.5
    }
}

/// Articles by their number in the merge (`SiteEvent.Source.article`), one
/// bit each: counting the articles of a timeline's 166,000 events (10,000
/// articles) hashed each event's slugs into a set.
struct ArticleSet {
    private var words: [UInt64] = []
    private(set) var count = 0

    mutating func insert(_ article: Int32) {
        precondition(article >= 0, "an article number is never negative")
        let w = Int(article) >> 6, bit = UInt64(1) << UInt64(article & 63)
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: w + 1 - words.count)) }
        if words[w] & bit == 0 {
            words[w] |= bit
            count += 1
        }
    }
}
