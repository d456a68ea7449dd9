import CLedeSys
import Glibc

/// The pages of the site timeline (`/timeline/`) and of each tag's
/// (`/tags/<tag>/timeline/`): events grouped by year, and by decade when the
/// timeline spans a long time, with a year index at the top, links to topic
/// timelines that a small script turns into an in-page filter, and the
/// TimelineJS JSON beside each page.
public enum SiteTimelinePages {
    /// Above this many events a timeline is split into one page per decade,
    /// so that no page (or its JSON) grows without bound on big sites.
    public static let eventsPerPage = 1500
    /// Timelines spanning more years than this group their years by decade.
    static let decadeSpan = 30

    /// What one timeline is: the site's or a tag's.
    public struct Scope: Sendable {
        /// Output path of the page's folder: "timeline/" or "tags/x/timeline/".
        public var path: String
        public var heading: String
        public var description: String
        /// The tag, for a tag's timeline.
        public var tag: String?
    }

    /// An event as one timeline shows it: the merged event `index`, or on a
    /// tag's timeline, when only some of the articles that tell it have the
    /// tag, the copy `restricted` of the scope that names only those.
    struct ScopedEvent: Sendable {
        var index: Int32
        var restricted: Int32 = -1
    }

    /// The events of one timeline, by index into the merged events.
    struct ScopeEvents: Sendable {
        var refs: [ScopedEvent] = []
        /// The restricted copies, as the sources of their merged event each
        /// keeps: copy c keeps `kept[keptStart[c]..<keptStart[c + 1]]`, and
        /// is made when a page needs it. (Made up front, the 218,000 copies
        /// of a 10,000-article site were 75 MB held through the build.)
        var keptStart: [Int32] = [0]
        var kept: [Int32] = []
        /// `SiteTimelinePages.totals` of these events, once worked out.
        var totals: Totals? = nil

        var restrictedCount: Int { keptStart.count - 1 }

        /// Which sources of its merged event a restricted copy keeps; nil for the event itself.
        func keeps(_ r: ScopedEvent) -> ArraySlice<Int32>? {
            r.restricted >= 0 ? kept[Int(keptStart[Int(r.restricted)])..<Int(keptStart[Int(r.restricted) + 1])] : nil
        }

        /// A copy of `e` naming only its sources with the tag (slug) `key`: its number.
        mutating func addRestricted(_ e: SiteEvent, keeping key: String) -> Int32 {
            for (k, source) in e.sources.enumerated() where source.tagKeys.contains(key) { kept.append(Int32(k)) }
            keptStart.append(Int32(kept.count))
            return Int32(keptStart.count - 2)
        }
    }

    /// How a page shows one event: the merged event `merged`, naming the
    /// sources `keeps` lists (all when nil), from its rendering; without a
    /// rendering (see `RenderedEvent.init`), rendered for the page. What a
    /// page needs of the sources it names is read through `keeps`: a
    /// restricted copy is made only to render one (made for every item, the
    /// copies cost a tenth of the pages' time).
    struct ShownEvent: Sendable {
        var merged: SiteEvent
        var rendered: RenderedEvent? = nil
        var keeps: ArraySlice<Int32>?

        var group: SiteTimeline.Group { merged.group }

        /// What its slide shows as its row, up to its id (`TimelineJSON.siteGroup`
        /// and `appendGroupAndIDKey`), from the first source it names.
        func groupAndIDKey(groupByArticle: Bool) -> [UInt8] {
            merged.sources[keeps.map { Int($0.first!) } ?? 0].info.groupAndIDKey(groupByArticle: groupByArticle)
        }

        /// The event as it is shown: the merged event, or a copy naming only the kept sources.
        var event: SiteEvent {
            guard let keeps else { return merged }
            var copy = merged
            copy.sources = keeps.map { merged.sources[Int($0)] }
            return copy
        }

        /// The numbers of the articles it names (`SiteEvent.Source.article`).
        func forEachArticle(_ body: (Int32) -> Void) { merged.forEachArticle(keeping: keeps, body) }

        /// The tag slugs of the sources it names, as its item's `data-tags` shows them (`SiteEvent.tagList`).
        var tagList: [UInt8] { SiteEvent.tagList(merged.sources, keeps: keeps) }

        /// Its slide's id: its first source's, as `TimelineJSON.siteID` makes it.
        var id: String { rendered?.id(keeps: keeps) ?? TimelineJSON.siteID(event) }
    }

    /// One page of a timeline (its HTML and its JSON).
    struct Page: Sendable {
        enum Kind: Sendable { case whole, index, part }
        var kind: Kind
        /// The page's folder: the scope's, or its decade's or year's under it.
        var folder: String
        var label: String
        /// Where its events are in the scope's (all of them for an index).
        var range: Range<Int>
        /// Its two files, made once: every rebuild of a session looks each
        /// page's up (4,400 paths at 10,000 articles, put together again for
        /// every title edit).
        let htmlPath: String, jsonPath: String

        init(kind: Kind, folder: String, label: String, range: Range<Int>) {
            (self.kind, self.folder, self.label, self.range) = (kind, folder, label, range)
            (htmlPath, jsonPath) = (folder + "index.html", folder + "timeline.json")
        }

        /// Its two files in the order they are written (`write`, a session's
        /// splice) and listed (`SiteFeatures.WrittenTimeline.paths`): a long
        /// timeline's index page first, the JSON first on the others.
        var files: [String] { kind == .index ? [htmlPath, jsonPath] : [jsonPath, htmlPath] }
    }

    /// The pages of one timeline: none for a tag without events, one when it
    /// is short, else an index and one page per decade (or per year in a
    /// decade that is itself too long, per month in such a year: see
    /// `yearPages`).
    static func pages(_ events: ScopeEvents, _ all: [SiteEvent], scope: Scope) -> [Page] {
        let refs = events.refs
        // A tag's timeline exists when it has events; the site's always (the header links to it).
        guard !refs.isEmpty || scope.tag == nil else { return [] }
        guard refs.count > eventsPerPage else { return [Page(kind: .whole, folder: scope.path, label: "", range: 0..<refs.count)] }
        // Long: an index of pages, one per decade, or per year (month) in a
        // decade (year) that is itself too long.
        func group(_ k: Int) -> SiteTimeline.Group { all[Int(refs[k].index)].group }
        var decades: [(decade: Int, range: Range<Int>)] = []
        for k in refs.indices {
            let d = group(k).decade
            if decades.last?.decade == d { decades[decades.count - 1].range = decades[decades.count - 1].range.lowerBound..<(k + 1) } else {
                decades.append((d, k..<(k + 1)))
            }
        }
        var out = [Page(kind: .index, folder: scope.path, label: "", range: 0..<refs.count)]
        for (d, range) in decades {
            if range.count <= eventsPerPage {
                out.append(Page(kind: .part, folder: scope.path + decadeFolder(d), label: SiteTimeline.Group.decade(d).label, range: range))
                continue
            }
            var start = range.lowerBound
            while start < range.upperBound {
                let g = group(start)
                var end = start + 1
                while end < range.upperBound, group(end) == g { end += 1 }
                out += yearPages(g, start..<end, slot: { all[Int(refs[$0].index)].date.monthSlot }, folder: scope.path)
                start = end
            }
        }
        return out
    }

    /// The pages of one year's (or decade's, century's) events at `range`:
    /// one, or for a year too long for a page, one for the events no more
    /// precise than the year and one per month (by `slot`, see
    /// `TimexDate.monthSlot`), a month still too long cut into numbered parts.
    /// A year of 2,000 events was a 1.4 MB page with a 1.3 MB JSON, read and
    /// written again whole by every title edit of an article it shows.
    static func yearPages(_ g: SiteTimeline.Group, _ range: Range<Int>, slot: (Int) -> Int, folder: String) -> [Page] {
        let yearFolder = Slug.make(g.label)
        guard range.count > eventsPerPage, case .year = g else {
            return [Page(kind: .part, folder: folder + yearFolder + "/", label: g.label, range: range)]
        }
        var out: [Page] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let m = slot(start)
            var end = start + 1
            while end < range.upperBound, slot(end) == m { end += 1 }
            let name = m == 0 ? yearFolder : yearFolder + (m < 10 ? "-0" : "-") + String(m)
            let label = m == 0 ? g.label : DateTime.monthNames[m - 1] + " " + g.label
            let parts = (end - start + eventsPerPage - 1) / eventsPerPage
            for p in 0..<parts {
                let lower = start + p * eventsPerPage, upper = min(end, lower + eventsPerPage)
                out.append(Page(kind: .part, folder: folder + name + (p == 0 ? "" : "-\(p + 1)") + "/",
                                label: parts == 1 ? label : label + ", part \(p + 1)", range: lower..<upper))
            }
            start = end
        }
        return out
    }

    /// Writes one page of a timeline, its HTML and its JSON, in the order
    /// `page.files` gives. `rendered` holds the items and slides
    /// of the merged events that `pages` shows (see `RenderedEvent`).
    static func write(_ page: Page, of pages: [Page], events: ScopeEvents, all: [SiteEvent], rendered: Slots<RenderedEvent?>,
                      scope: Scope, topics: [(tag: String, count: Int)], renderer: PageRenderer,
                      write: (String, UnsafeRawBufferPointer) throws -> Void) throws {
        func put(_ path: String, _ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write(path, $0) } }
        let groupByArticle = scope.tag != nil
        let refs = events.refs
        func list(_ range: Range<Int>) -> [ShownEvent] {
            var items: [ShownEvent] = []
            items.reserveCapacity(range.count)
            for k in range {
                let r = refs[k]
                items.append(ShownEvent(merged: all[Int(r.index)], rendered: rendered[Int(r.index)], keeps: events.keeps(r)))
            }
            return items
        }
        func jsonBytes(_ items: [ShownEvent], heading: String) -> [UInt8] {
            TimelineJSON.documentBytes(headline: heading, text: "<p>\(HTML.escape(scope.description))</p>", count: items.count, newline: true) { k, out in
                let shown = items[k]
                if let r = shown.rendered {
                    r.appendHead(keeps: shown.keeps, to: &out)
                } else {
                    out.append(contentsOf: TimelineJSON.siteHead(shown.event, config: renderer.config))
                }
                out.append(contentsOf: shown.groupAndIDKey(groupByArticle: groupByArticle))
                return (shown.id, shown.merged.date.year)
            }
        }
        // The page's two files, put in the order `page.files` says.
        let html: [UInt8], json: [UInt8]
        switch page.kind {
        case .whole:
            let items = list(page.range)
            json = jsonBytes(items, heading: scope.heading)
            html = renderer.timelinePage(items, scope: scope, topics: topics, decadePages: nil)
        case .index:
            let parts = pages.filter { $0.kind == .part }
            html = renderer.timelinePage(
                [], totals: totals(events, all), scope: scope, topics: topics,
                decadePages: parts.map { ($0.label, String($0.folder.dropFirst(scope.path.count)), $0.range.count) })
            // The index's JSON, like the page, has one slide per page, not every
            // event again: the events are in the pages' JSON.
            json = TimelineJSON.index(
                parts.map { (label: $0.label, path: $0.folder, first: all[Int(refs[$0.range.first!].index)].date,
                             last: all[Int(refs[$0.range.last!].index)].date, count: $0.range.count) },
                headline: scope.heading, intro: scope.description, config: renderer.config)
        case .part:
            let sub = Scope(path: page.folder, heading: "\(scope.heading): \(page.label)", description: scope.description, tag: scope.tag)
            let items = list(page.range)
            json = jsonBytes(items, heading: sub.heading)
            html = renderer.timelinePage(items, scope: sub, topics: topics, decadePages: nil, parent: scope)
        }
        for path in page.files { try put(path, path == page.jsonPath ? json : html) }
    }

    /// One page of a timeline (kind `.whole` or `.part`) as it was written,
    /// `html` and `json`, with the events at `positions` (in the scope's refs,
    /// in order) changed from `before` (by merged event) to what `all` says
    /// now: each one's item and slide found in the page by its old bytes and
    /// replaced by its new. Nil when some old item or slide is not found
    /// exactly as many times as the page shows it: then the page is written
    /// whole. (After a title edit, a 1,900-event page was rendered again for
    /// the few events that name the article.)
    static func splice(_ page: Page, html: [UInt8], json: [UInt8], positions: [Int], events: ScopeEvents, all: [SiteEvent],
                       before: [Int: SiteEvent], scope: Scope, renderer: PageRenderer) -> (html: [UInt8], json: [UInt8])? {
        let root = PageRenderer.root(for: page.folder)
        let groupByArticle = scope.tag != nil
        var items: [(old: [UInt8], new: [UInt8])] = [], slides: [(old: [UInt8], new: [UInt8])] = []
        for k in positions {
            let r = events.refs[k]
            guard let old = before[Int(r.index)] else { return nil }
            // As shown before and after: the merged event then and now, naming the kept sources.
            let keeps = events.keeps(r)
            let now = ShownEvent(merged: all[Int(r.index)], keeps: keeps).event, then = ShownEvent(merged: old, keeps: keeps).event
            items.append((renderer.siteTimelineItem(then, root: root), renderer.siteTimelineItem(now, root: root)))
            func slide(_ e: SiteEvent) -> [UInt8] {
                var out = TimelineJSON.siteHead(e, config: renderer.config)
                out.append(contentsOf: e.sources[0].info.groupAndIDKey(groupByArticle: groupByArticle))
                return out
            }
            slides.append((slide(then), slide(now)))
        }
        guard let newHTML = replace(items, in: html), let newJSON = replace(slides, in: json) else { return nil }
        return (newHTML, newJSON)
    }

    /// `bytes` with each `old` replaced by its `new`, when each distinct `old`
    /// is found exactly as many times as the list has it, and no two overlap.
    static func replace(_ list: [(old: [UInt8], new: [UInt8])], in bytes: [UInt8]) -> [UInt8]? {
        var wanted: [[UInt8]: (count: Int, new: [UInt8])] = [:]
        for (old, new) in list {
            if let known = wanted[old] {
                guard known.new == new else { return nil }
                wanted[old]!.count += 1
            } else {
                wanted[old] = (1, new)
            }
        }
        var found: [(at: Int, length: Int, new: [UInt8])] = []
        let complete = bytes.withUnsafeBytes { hay -> Bool in
            guard let base = hay.baseAddress else { return false }
            for (old, want) in wanted {
                guard !old.isEmpty else { return false }
                // Looked for by its last 256 bytes (where an item names its
                // sources), which glibc's memmem finds by skipping ahead,
                // while a longer needle is looked for byte by byte; then
                // checked whole.
                let window = min(old.count, 256), lead = old.count - window
                var start = lead, count = 0
                let matched = old.withUnsafeBytes { needle -> Bool in
                    let tail = needle.baseAddress! + lead
                    while start <= hay.count - window {
                        guard let hit = lede_find_bytes(base + start, hay.count - start, tail, window) else { break }
                        let end = base.distance(to: UnsafeRawPointer(hit)) + window
                        start = end - window + 1  // overlapping finds are refused below
                        let at = end - old.count
                        guard at >= 0, lead == 0 || memcmp(base + at, needle.baseAddress!, lead) == 0 else { continue }
                        found.append((at, old.count, want.new))
                        count += 1
                    }
                    return count == want.count
                }
                guard matched else { return false }
            }
            return true
        }
        guard complete else { return nil }
        found.sort { $0.at < $1.at }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + found.reduce(0) { $0 + $1.new.count - $1.length })
        var start = 0
        for f in found {
            guard f.at >= start else { return nil }  // overlapping
            out.append(contentsOf: bytes[start..<f.at])
            out.append(contentsOf: f.new)
            start = f.at + f.length
        }
        out.append(contentsOf: bytes[start...])
        return out
    }

    /// What the index of a long timeline says of all its events.
    struct Totals: Sendable {
        var count: Int
        var articles: Int
        var first: SiteTimeline.Group?
        var last: SiteTimeline.Group?
    }

    static func totals(_ events: ScopeEvents, _ all: [SiteEvent]) -> Totals {
        if let known = events.totals { return known }
        var articles = ArticleSet()
        for r in events.refs { all[Int(r.index)].forEachArticle(keeping: events.keeps(r)) { articles.insert($0) } }
        return Totals(count: events.refs.count, articles: articles.count,
                      first: events.refs.first.map { all[Int($0.index)].group }, last: events.refs.last.map { all[Int($0.index)].group })
    }

    /// Topic links a timeline page shows at most (the tag index lists them all).
    static let maxTopics = 30

    static func decadeFolder(_ d: Int) -> String { d >= 0 ? "\(d)s/" : "\(-d - 9)s-bc/" }
}

extension PageRenderer {
    /// One timeline page. With `decadePages`, the page is an index of them.
    /// `items` are the events it shows, each with its rendered item where it
    /// has one (see `RenderedEvent`); `totals`, for an index, what it says of all events.
    func timelinePage(_ items: [SiteTimelinePages.ShownEvent], totals: SiteTimelinePages.Totals? = nil,
                      scope: SiteTimelinePages.Scope,
                      topics: [(tag: String, count: Int)], decadePages: [(label: String, path: String, count: Int)]?,
                      parent: SiteTimelinePages.Scope? = nil) -> [UInt8] {
        let root = Self.root(for: scope.path)
        // Group by year (or decade, century), in order.
        var groups: [(group: SiteTimeline.Group, items: [SiteTimelinePages.ShownEvent])] = []
        for item in items {
            let group = item.group
            if groups.last?.group == group {
                groups[groups.count - 1].items.append(item)
            } else {
                groups.append((group, [item]))
            }
        }
        let first = (totals?.first ?? groups.first?.group)?.year ?? 0, last = (totals?.last ?? groups.last?.group)?.year ?? 0
        let byDecade = last - first > SiteTimelinePages.decadeSpan

        let index: HTML
        // The groups, written where the page shows them (see `Template.renderBytes(_:into:streaming:_:)`).
        let body: (inout [UInt8]) -> Void
        if let pages = decadePages {
            index = HTML.joined(pages.map { p in
                theme["parts/timeline-index-item.html"].render([
                    "url": .text(p.path), "label": .text(p.label), "count": .text(String(p.count)),
                ])
            }, separator: "\n")
            body = { _ in }
        } else if byDecade {
            var decades: [(decade: Int, groups: [(group: SiteTimeline.Group, items: [SiteTimelinePages.ShownEvent])])] = []
            for g in groups {
                if decades.last?.decade == g.group.decade { decades[decades.count - 1].groups.append(g) } else { decades.append((g.group.decade, [g])) }
            }
            index = HTML.joined(decades.map { d in
                let label = SiteTimeline.Group.decade(d.decade).label
                return theme["parts/timeline-index-item.html"].render([
                    "url": .text("#\(SiteTimeline.Group.decade(d.decade).id)s"), "label": .text(label),
                    "count": .text(String(d.groups.reduce(0) { $0 + $1.items.count })),
                ])
            }, separator: "\n")
            body = { out in
                for (k, d) in decades.enumerated() {
                    if k > 0 { out.append(0x0A) }
                    let group = SiteTimeline.Group.decade(d.decade)
                    theme["parts/timeline-decade.html"].renderBytes([
                        "id": .text(group.id + "s"), "label": .text(group.label),
                        "count": .text(String(d.groups.reduce(0) { $0 + $1.items.count })),
                    ], into: &out, streaming: "years") { out in
                        for (n, g) in d.groups.enumerated() {
                            if n > 0 { out.append(0x0A) }
                            yearGroup(g.group, g.items, level: 3, root: root, into: &out)
                        }
                    }
                }
            }
        } else {
            index = HTML.joined(groups.map { g in
                theme["parts/timeline-index-item.html"].render([
                    "url": .text("#" + g.group.id), "label": .text(g.group.label), "count": .text(String(g.items.count)),
                ])
            }, separator: "\n")
            body = { out in
                for (n, g) in groups.enumerated() {
                    if n > 0 { out.append(0x0A) }
                    yearGroup(g.group, g.items, level: 2, root: root, into: &out)
                }
            }
        }

        // Topic timelines: links without JavaScript, an in-page filter with it.
        let shown = topics.filter { t in scope.tag.map { Slug.make($0) != Slug.make(t.tag) } ?? true }.prefix(SiteTimelinePages.maxTopics)
        let filter = shown.isEmpty || decadePages != nil ? HTML.empty : theme["parts/timeline-filter.html"].render([
            "items": .html(HTML.joined(shown.map { t in
                theme["parts/timeline-filter-item.html"].render([
                    "url": .text(root + Self.tagPath(t.tag) + "timeline/"), "name": .text(t.tag),
                    "tag": .text(Slug.make(t.tag)), "count": .text(String(t.count)),
                ])
            }, separator: "\n")),
        ])
        var kicker = HTML.empty
        if let parent {
            kicker = theme["parts/timeline-kicker.html"].render(["url": .text(root + parent.path), "label": .text(parent.heading)])
        } else if let tag = scope.tag {
            kicker = theme["parts/timeline-kicker.html"].render(["url": .text(root + Self.tagPath(tag)), "label": .text(tag)])
        }
        let span = totals == nil && groups.isEmpty || totals?.count == 0 ? "no dates yet" : first == last ? SiteTimeline.Group.year(first).label
            : "\(SiteTimeline.Group.year(first).label)–\(SiteTimeline.Group.year(last).label)"
        // A page shows up to a few thousand items, put together as bytes (as
        // Strings, each joined part was read again to check its UTF-8), each
        // written once, where the page shows it.
        let values: Template.Values = [
            "root": .text(root), "title": .text(scope.heading), "kicker": .html(kicker),
            "intro": .text(scope.description), "count": .text(String(totals?.count ?? items.count)),
            "articles": .text(String(totals?.articles ?? articleCount(items))), "span": .text(span),
            "index": .html(index), "filter": .html(filter), "json_url": .text("timeline.json"),
        ]
        let capacity = items.reduce(64 * 1024) { $0 + ($1.rendered?.item.count ?? 600) + 80 }
        return layoutBytes(PageInfo(path: scope.path, title: scope.heading, description: scope.description, bodyClass: "page-timeline"),
                           capacity: capacity) { out in
            theme["timeline.html"].renderBytes(values, into: &out, streaming: "groups", body)
        }
    }

    /// How many articles the items name.
    private func articleCount(_ items: [SiteTimelinePages.ShownEvent]) -> Int {
        var articles = ArticleSet()
        for item in items { item.forEachArticle { articles.insert($0) } }
        return articles.count
    }

    /// One year's (decade's, century's) part of a timeline page, appended to `out`.
    func yearGroup(_ group: SiteTimeline.Group, _ shown: [SiteTimelinePages.ShownEvent], level: Int, root: String, into out: inout [UInt8]) {
        let rootBytes = Array(root.utf8)
        theme["parts/timeline-year.html"].renderBytes([
            "id": .text(group.id), "label": .text(group.label), "count": .text(String(shown.count)), "level": .text(String(level)),
        ], into: &out, streaming: "items") { out in
            // The items rendered once, with the page's root and the sources they name put in.
            for (k, item) in shown.enumerated() {
                if k > 0 { out.append(0x0A) }
                if let r = item.rendered {
                    r.appendItem(keeps: item.keeps, tags: item.tagList, root: rootBytes, to: &out)
                } else {
                    out.append(contentsOf: siteTimelineItem(item.event, root: root))
                }
            }
        }
    }

    /// One event's item on a timeline page, as UTF-8 (pages are put together as bytes).
    func siteTimelineItem(_ e: SiteEvent, root: String) -> [UInt8] {
        let sources = e.sources
        // Each link's target, "root/slug/#anchor", escaped piece by piece
        // (escaping is byte by byte, so that is the whole escaped).
        var rootBytes: [UInt8] = []
        HTML.escape(root, into: &rootBytes)
        func target(_ s: SiteEvent.Source) -> [UInt8] {
            var out = rootBytes
            HTML.escape(s.slug, into: &out)
            out.append(0x2F); out.append(0x23)  // "/#"
            HTML.escape(s.anchor, into: &out)
            return out
        }
        let first = target(sources[0])
        var links: [UInt8] = []
        for (k, s) in sources.enumerated() {
            if k > 0 { links.append(0x2C); links.append(0x20) }
            timelineSource.renderBytes([.htmlBytes(k == 0 ? first : target(s)), .text(s.title)], into: &links)
        }
        return siteTimelineItem(e, url: .htmlBytes(first), tags: .htmlBytes(SiteEvent.tagList(e.sources, keeps: nil)), sources: links)
    }

    /// The item with the parts that name its sources given: the first
    /// source's link target, the tag slugs and the source links (HTML, UTF-8).
    func siteTimelineItem(_ e: SiteEvent, url: SlotValue, tags: SlotValue, sources: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        // In the order of `timelineItemSlots`.
        timelineItem.renderBytes([
            .text(e.date.htmlDatetime), .text(e.value), .text(e.display),
            .text(e.endValue.flatMap { TimexDate($0)?.htmlDatetime } ?? ""),
            .html(part("parts/timeline-title.html", e.title != nil, ["title": .text(e.title ?? "")])),
            .text(e.text), url, tags, .htmlBytes(sources),
        ], into: &out)
        return out
    }

    /// The link from the home page or a tag page to its timeline.
    func timelineLink(_ url: String, label: String) -> HTML {
        theme["parts/timeline-link.html"].render(["url": .text(url), "label": .text(label)])
    }
}

/// One merged event rendered once for every timeline page that shows it,
/// naming all its sources or, on a topic's timeline, only those with the
/// topic (a restricted copy). Its item is kept with a mark where the page's
/// root goes (`root`: "../" or "../../../" by the page's depth), put in by a
/// byte pass as the page is put together; for a copy, the item and the
/// slide's head are filled from `Parts`. (Rendered for each page, the
/// 218,000 restricted copies of a 10,000-article site were a third of the
/// timelines' time.) A class: it is handed to every item of every page
/// that shows the event.
final class RenderedEvent: Sendable {
    /// UTF-8, naming all the sources, with `root` marks.
    let item: [UInt8]
    /// The slide's head (`TimelineJSON.writeHead`), UTF-8, naming all the sources.
    let head: [UInt8]
    let id: String
    /// For an event told by more than one article, what a copy naming some is filled from.
    let parts: Parts?

    /// The item and head cut where what names the sources goes.
    struct Parts: Sendable {
        /// UTF-8 with the marks below, which are at `marks`: where the
        /// first source's link target, the tag slugs and the source links go.
        var item: [UInt8]
        var marks: [Int32]
        /// Per source: its link (`parts/timeline-source.html`), UTF-8 with
        /// root marks; and its target after the root ("slug/#anchor"), escaped.
        var links: [[UInt8]]
        var targets: [[UInt8]]
        /// The head is `headStart`, the sources' `headLinks` (JSON-escaped,
        /// without quotes) joined by ", ", then `headEnd`: the links end the
        /// text of the slide.
        var headStart: [UInt8]
        var headLinks: [[UInt8]]
        /// Per source: the slide's id when the source comes first (`TimelineJSON.siteID`).
        var ids: [String]
    }

    static let headEnd = Array("</p>\"}".utf8)
    /// The mark for the links as the head's text holds it, JSON-escaped, and what follows it.
    static let headTail = Array("\\u0004</p>\"}".utf8)
    static let root: UInt8 = 0x01
    static let target: UInt8 = 0x02
    static let tagList: UInt8 = 0x03
    static let sourceList: UInt8 = 0x04

    /// Nil when the event's own text, or a template, holds one of the marks
    /// (bytes 1 to 4), which a fill would take for a mark: such an event is
    /// rendered for each page. Each mark must be found as many times as its
    /// slot is shown, and anything else holding one adds to that count.
    init?(_ e: SiteEvent, renderer: PageRenderer) {
        let sources = e.sources
        let sourceTemplate = renderer.timelineSource, itemTemplate = renderer.timelineItem
        let rootsPerLink = sourceTemplate.uses(0)
        id = TimelineJSON.siteID(e)
        guard sources.count > 1 else {
            // One source: no copy can name fewer, so no parts.
            item = renderer.siteTimelineItem(e, root: "\u{1}")
            var at: [Int32] = []
            guard Self.marks(in: item, at: &at) == [itemTemplate.uses(6) + itemTemplate.uses(8) * rootsPerLink, 0, 0, 0] else { return nil }
            head = TimelineJSON.siteHead(e, config: renderer.config)
            parts = nil
            return
        }
        var links: [[UInt8]] = [], targets: [[UInt8]] = [], headLinks: [[UInt8]] = [], ids: [String] = []
        ids.reserveCapacity(sources.count)
        links.reserveCapacity(sources.count)
        targets.reserveCapacity(sources.count)
        headLinks.reserveCapacity(sources.count)
        for k in sources.indices {
            let slug = sources[k].slug, anchor = sources[k].anchor, title = sources[k].title
            var link: [UInt8] = []
            sourceTemplate.renderBytes([.text("\u{1}" + slug + "/#" + anchor), .text(title)], into: &link)
            var at: [Int32] = []
            guard Self.marks(in: link, at: &at) == [rootsPerLink, 0, 0, 0] else { return nil }
            links.append(link)
            targets.append(Array(HTML.escape(slug + "/#" + anchor).utf8))
            var html: [UInt8] = [], quoted: [UInt8] = []
            TimelineJSON.appendLink(renderer.config, slug: slug, anchor: anchor, title: title, to: &html)
            html.withUnsafeBufferPointer { JSON.quote($0, into: &quoted) }
            headLinks.append(Array(quoted[1..<(quoted.count - 1)]))
            ids.append(k == 0 ? id : TimelineJSON.id(slug, anchor, e.value))
        }
        let cut = renderer.siteTimelineItem(e, url: .text("\u{2}"), tags: .text("\u{3}"), sources: [Self.sourceList])
        var marks: [Int32] = []
        // The slots' places in `PageRenderer.timelineItemSlots`.
        guard Self.marks(in: cut, at: &marks) == [0, itemTemplate.uses(6), itemTemplate.uses(7), itemTemplate.uses(8)] else { return nil }
        // In the slide, a mark in the event's text is only text: the links are put after the head's text.
        let cutHead = TimelineJSON.siteHead(e, links: "\u{4}", config: renderer.config)
        guard cutHead.count >= Self.headTail.count, cutHead[(cutHead.count - Self.headTail.count)...].elementsEqual(Self.headTail) else { return nil }
        let parts = Parts(item: cut, marks: marks, links: links, targets: targets,
                          headStart: Array(cutHead[..<(cutHead.count - Self.headTail.count)]), headLinks: headLinks, ids: ids)
        // The whole item and head, filled from the parts.
        var whole: [UInt8] = []
        whole.reserveCapacity(cut.count + links.reduce(0) { $0 + $1.count + 2 } + 64)
        Self.fill(parts, keeps: nil, tags: SiteEvent.tagList(e.sources, keeps: nil), root: [Self.root], to: &whole)
        item = whole
        var head: [UInt8] = []
        head.reserveCapacity(cutHead.count + headLinks.reduce(0) { $0 + $1.count + 2 })
        Self.fillHead(parts, keeps: nil, to: &head)
        self.head = head
        self.parts = parts
    }

    /// The slide's id when it names the sources `keeps` lists (all when nil).
    func id(keeps: ArraySlice<Int32>?) -> String {
        guard let keeps, let parts else { return id }  // one source: the copy names it too
        return parts.ids[Int(keeps.first!)]
    }

    /// How many of each mark `bytes` holds; their places are appended to `at`.
    static func marks(in bytes: [UInt8], at: inout [Int32]) -> [Int] {
        var counts = [0, 0, 0, 0]
        bytes.withUnsafeBytes { p in
            func look(_ i: Int) {
                let b = p[i]
                if b >= root && b <= sourceList {
                    counts[Int(b - root)] += 1
                    at.append(Int32(i))
                }
            }
            // Eight bytes at a time past those with no byte below 5 (the
            // marks are 1 to 4): an item is a few hundred bytes with a handful.
            var i = 0
            while i + 8 <= p.count {
                let v = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if (v &- 0x0505_0505_0505_0505) & ~v & 0x8080_8080_8080_8080 != 0 {
                    for k in i..<(i + 8) { look(k) }
                }
                i += 8
            }
            while i < p.count { look(i); i += 1 }
        }
        return counts
    }

    /// Appends `bytes` with `root` in place of each root mark (memchr finds them).
    static func appendRooted(_ bytes: [UInt8], root: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var start = 0
            while start < p.count, let found = memchr(base + start, Int32(Self.root), p.count - start) {
                let i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                out.append(contentsOf: root)
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start...]))
        }
    }

    /// Appends the item naming the sources `keeps` lists (all when nil),
    /// with `root` for the page's root; `tags` are those sources' tag slugs,
    /// escaped, when `keeps` is given.
    func appendItem(keeps: ArraySlice<Int32>?, tags: @autoclosure () -> [UInt8], root: [UInt8], to out: inout [UInt8]) {
        if let keeps, let parts {
            Self.fill(parts, keeps: keeps, tags: tags(), root: root, to: &out)
        } else {
            Self.appendRooted(item, root: root, to: &out)
        }
    }

    static func fill(_ parts: Parts, keeps: ArraySlice<Int32>?, tags: [UInt8], root: [UInt8], to out: inout [UInt8]) {
        let first = keeps.map { Int($0.first!) } ?? 0
        var start = 0
        parts.item.withUnsafeBufferPointer { p in
            for mark in parts.marks {
                let i = Int(mark)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                start = i + 1
                switch p[i] {
                case Self.target: out.append(contentsOf: root); out.append(contentsOf: parts.targets[first])
                case Self.tagList: out.append(contentsOf: tags)
                default:
                    if let keeps {
                        for (n, k) in keeps.enumerated() {
                            if n > 0 { out.append(0x2C); out.append(0x20) }
                            appendRooted(parts.links[Int(k)], root: root, to: &out)
                        }
                    } else {
                        for (n, link) in parts.links.enumerated() {
                            if n > 0 { out.append(0x2C); out.append(0x20) }
                            appendRooted(link, root: root, to: &out)
                        }
                    }
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start...]))
        }
    }

    /// Appends the slide's head naming the sources `keeps` lists (all when nil).
    func appendHead(keeps: ArraySlice<Int32>?, to out: inout [UInt8]) {
        if let keeps, let parts { Self.fillHead(parts, keeps: keeps, to: &out) } else { out.append(contentsOf: head) }
    }

    static func fillHead(_ parts: Parts, keeps: ArraySlice<Int32>?, to out: inout [UInt8]) {
        out.append(contentsOf: parts.headStart)
        if let keeps {
            for (n, k) in keeps.enumerated() {
                if n > 0 { out.append(0x2C); out.append(0x20) }
                out.append(contentsOf: parts.headLinks[Int(k)])
            }
        } else {
            for (n, link) in parts.headLinks.enumerated() {
                if n > 0 { out.append(0x2C); out.append(0x20) }
                out.append(contentsOf: link)
            }
        }
        out.append(contentsOf: headEnd)
    }
}
