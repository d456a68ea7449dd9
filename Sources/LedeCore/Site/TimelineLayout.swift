/// How the merged events are laid out in timelines and their pages: the
/// site's timeline and each topic's, the events each shows, its pages, and a
/// hash of what each page shows (`SiteFeatures.pageInputs`).
///
/// Making it reads every event (which tags it has, which pages it is on),
/// about a third of a second for the 166,000 events of a 10,000-article site.
/// A session keeps it with the merged events, so that an edit of an
/// article's title, which changes what its events' items say but not which
/// page shows them, hashes again only the pages that show those events.
struct TimelineLayout: Sendable {
    /// What the layout depends on besides the events: `key(siteKey:renderer:)`.
    let key: UInt64
    /// Whether some tag is spelled two ways: then which spelling names its
    /// topic follows the order of the articles, which a title edit can change,
    /// and the layout cannot be kept across one.
    private(set) var spellingsDiffer = false
    /// Topic timelines (tag as first spelled, number of events), most events first.
    var topics: [(tag: String, count: Int)]
    /// The site's timeline first, then one per topic.
    var scopes: [(scope: SiteTimelinePages.Scope, events: SiteTimelinePages.ScopeEvents)]
    /// `eventHash` of each scope's restricted copies.
    var restrictedHashes: [[UInt64]]
    /// The pages of each scope.
    var pageLists: [[SiteTimelinePages.Page]]
    /// Every page of every scope, and what it shows (`SiteFeatures.pageInputs`).
    var jobs: [(scope: Int, page: Int)]
    var pageHashes: [UInt64]
    /// Where each scope's pages start in `jobs`.
    var firstJob: [Int]
    /// Where each merged event is shown, (scope, position in its refs):
    /// event i's are `shown[shownStart[i]..<shownStart[i + 1]]`.
    var shownStart: [Int32]
    var shown: [(scope: Int32, ref: Int32)]

    /// What a layout depends on besides the events: the site key (config,
    /// templates, lede's version), the year (copyright lines) and the site's
    /// title (the site timeline's description).
    static func key(siteKey: UInt64, renderer: PageRenderer) -> UInt64 {
        var w = ByteWriter()
        w.u64(siteKey); w.int(renderer.year); w.string(renderer.config.title)
        return Hash64.hash(w.bytes)
    }

    /// Adds event `i` to a tag's timeline: whole when every source has the
    /// tag, else as a copy naming those that do (`key` is one of the event's
    /// tags, so some source has it).
    private static func add(_ i: Int, _ e: SiteEvent, keeping key: String, to s: inout SiteTimelinePages.ScopeEvents) {
        if e.sources.allSatisfy({ $0.tagKeys.contains(key) }) {
            s.refs.append(.init(index: Int32(i)))
        } else {
            s.refs.append(.init(index: Int32(i), restricted: s.addRestricted(e, keeping: key)))
        }
    }

    /// The tag slugs of the events (`SiteEvent.tagSlugs`) as numbers:
    /// `slugs[n]` is tag n's slug, and event i's tags are
    /// `tags[start[i]..<start[i + 1]]`, in `tagSlugs`'s order. A source's
    /// slugs are looked up once for its article (by its `SourceArticle`),
    /// not once for every event: hashing each slug of each event was a
    /// tenth of the layout.
    struct NumberedTags {
        var slugs: [String] = []
        var tags: [Int32] = []
        var start: [Int32] = [0]

        init(_ events: [SiteEvent]) {
            var number: [String: Int32] = [:]
            // By article number (`SourceArticle.article`): the articles of one
            // merge have one number each, and their sources one tag list.
            var ofArticle: [[Int32]?] = []
            var seen: [Bool] = []
            for e in events {
                let first = tags.count
                for source in e.sources {
                    let info = source.info, article = Int(info.article)
                    if article >= ofArticle.count { ofArticle += Array(repeating: nil, count: article + 1 - ofArticle.count) }
                    let numbers = ofArticle[article] ?? {
                        let list = info.tagKeys.map { key in
                            if let n = number[key] { return n }
                            number[key] = Int32(slugs.count)
                            slugs.append(key)
                            seen.append(false)
                            return Int32(slugs.count - 1)
                        }
                        ofArticle[article] = list
                        return list
                    }()
                    for n in numbers where !seen[Int(n)] {
                        seen[Int(n)] = true
                        tags.append(n)
                    }
                }
                for n in tags[first...] { seen[Int(n)] = false }
                start.append(Int32(tags.count))
            }
        }

        func of(_ i: Int) -> ArraySlice<Int32> { tags[Int(start[i])..<Int(start[i + 1])] }
    }

    /// `order` is the order the site lists `articles` in (theirs when nil).
    init(_ articles: [ArticleSummary], order: [Int]? = nil, events: [SiteEvent], hashes: [UInt64], renderer: PageRenderer,
         siteKey: UInt64, workers: Int) {
        key = Self.key(siteKey: siteKey, renderer: renderer)
        // Tag names as first spelled in the site's order, and how many events each tag's timeline has.
        var names: [String: String] = [:]
        for k in order ?? Array(articles.indices) {
            for t in articles[k].tags {
                let s = Slug.make(t)
                guard !s.isEmpty else { continue }
                if let name = names[s] { spellingsDiffer = spellingsDiffer || name != t } else { names[s] = t }
            }
        }
        let numbered = NumberedTags(events)
        var eventCounts = [Int](repeating: 0, count: numbered.slugs.count)
        for n in numbered.tags { eventCounts[Int(n)] += 1 }
        let topicTags = numbered.slugs.indices.compactMap { n in names[numbered.slugs[n]].map { (tag: $0, count: eventCounts[n], number: n) } }
            .sorted { ($0.count, $1.tag) > ($1.count, $0.tag) }
        topics = topicTags.map { ($0.tag, $0.count) }

        let site = SiteTimelinePages.Scope(
            path: "timeline/", heading: "Timeline",
            description: "Everything the explainers of \(renderer.config.title) date, in one chronology. Each event links to where it is told.",
            tag: nil)
        // The site's timeline and the topic timelines: the events each shows,
        // by index into the merged events (a copy only where a tag's timeline
        // names fewer articles than the event has).
        var byTag = [SiteTimelinePages.ScopeEvents](repeating: SiteTimelinePages.ScopeEvents(), count: numbered.slugs.count)
        for (i, e) in events.enumerated() {
            for n in numbered.of(i) { Self.add(i, e, keeping: numbered.slugs[Int(n)], to: &byTag[Int(n)]) }
        }
        var all = SiteTimelinePages.ScopeEvents()
        all.refs = events.indices.map { .init(index: Int32($0)) }
        scopes = [(site, all)]
        for t in topicTags {
            scopes.append((SiteTimelinePages.Scope(
                path: PageRenderer.tagPath(t.tag) + "timeline/", heading: "Timeline: \(t.tag)",
                description: "The events of the explainers on “\(t.tag)”, in one chronology.", tag: t.tag),
                byTag[t.number]))
        }
        byTag = []
        // What an index page says of all its timeline's events (a set of the
        // slugs of 166,000 events for the site's), worked out once: a title
        // edit changes none of it.
        // With them, the hashes of each scope's restricted copies.
        let totals = Slots<SiteTimelinePages.Totals?>(Array(repeating: nil, count: scopes.count))
        let hashed = Slots<[UInt64]>(Array(repeating: [], count: scopes.count))
        let made = scopes
        parallelFor(made.count, workers: workers) { s in
            let scoped = made[s].events
            totals.set(s, SiteTimelinePages.totals(scoped, events))
            var h = [UInt64](repeating: 0, count: scoped.restrictedCount)
            for r in scoped.refs where r.restricted >= 0 { h[Int(r.restricted)] = SiteFeatures.eventHash(events[Int(r.index)], keeping: scoped.keeps(r)) }
            hashed.set(s, h)
        }
        for s in scopes.indices { scopes[s].events.totals = totals[s] }
        restrictedHashes = hashed.items
        pageLists = scopes.map { SiteTimelinePages.pages($0.events, events, scope: $0.scope) }
        jobs = []
        firstJob = []
        for (s, pages) in pageLists.enumerated() {
            firstJob.append(jobs.count)
            for p in pages.indices { jobs.append((s, p)) }
        }

        // Where each event is shown: counted, then placed.
        var starts = [Int32](repeating: 0, count: events.count + 1)
        for (_, scoped) in scopes { for r in scoped.refs { starts[Int(r.index) + 1] += 1 } }
        for i in 0..<events.count { starts[i + 1] += starts[i] }
        var next = starts
        var shown = [(scope: Int32, ref: Int32)](repeating: (0, 0), count: Int(starts[events.count]))
        for (s, (_, scoped)) in scopes.enumerated() {
            for (k, r) in scoped.refs.enumerated() {
                shown[Int(next[Int(r.index)])] = (Int32(s), Int32(k))
                next[Int(r.index)] += 1
            }
        }
        shownStart = starts
        self.shown = shown
        pageHashes = Array(repeating: 0, count: jobs.count)
        rehash(Array(jobs.indices), events: events, hashes: hashes, renderer: renderer, siteKey: siteKey, workers: workers)
    }

    /// After the merged events at `changed` changed what their sources say
    /// (titles), but not which tags they have: hashes again the restricted
    /// copies made of them (which keep the same sources) and the pages that
    /// show them.
    mutating func update(_ changed: [Int], events: [SiteEvent], hashes: [UInt64], renderer: PageRenderer, siteKey: UInt64, workers: Int) {
        var dirty = Set<Int>()
        for i in changed {
            for at in Int(shownStart[i])..<Int(shownStart[i + 1]) {
                let (s, k) = (Int(shown[at].scope), Int(shown[at].ref))
                let r = scopes[s].events.refs[k]
                if r.restricted >= 0 {
                    restrictedHashes[s][Int(r.restricted)] = SiteFeatures.eventHash(events[i], keeping: scopes[s].events.keeps(r))
                }
                // The page (not the index) whose range holds position k.
                let pages = pageLists[s]
                if let p = pages.firstIndex(where: { $0.kind != .index && $0.range.contains(k) }) { dirty.insert(firstJob[s] + p) }
            }
        }
        rehash(dirty.sorted(), events: events, hashes: hashes, renderer: renderer, siteKey: siteKey, workers: workers)
    }

    private mutating func rehash(_ list: [Int], events: [SiteEvent], hashes: [UInt64], renderer: PageRenderer, siteKey: UInt64, workers: Int) {
        let out = Slots<UInt64>(Array(repeating: 0, count: list.count))
        let me = self
        parallelFor(list.count, workers: workers) { n in
            let (s, p) = me.jobs[list[n]]
            out.set(n, SiteFeatures.pageInputs(me.pageLists[s][p], of: me.pageLists[s], events: me.scopes[s].events, all: events,
                                               hashes: hashes, restrictedHashes: me.restrictedHashes[s], scope: me.scopes[s].scope,
                                               topics: me.topics, siteKey: siteKey, year: renderer.year))
        }
        for (n, j) in list.enumerated() { pageHashes[j] = out[n] }
    }
}
