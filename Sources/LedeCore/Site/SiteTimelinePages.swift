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

    /// Writes the pages and JSON of one timeline; returns the number of pages.
    static func write(_ events: [SiteEvent], scope: Scope, articleCount: Int, topics: [(tag: String, count: Int)],
                      renderer: PageRenderer, write: (String, String) throws -> Void) throws -> Int {
        // A tag's timeline exists when it has events; the site's always (the header links to it).
        guard !events.isEmpty || scope.tag == nil else { return 0 }
        let groupByArticle = scope.tag != nil
        guard events.count > eventsPerPage else {
            try write(scope.path + "timeline.json", TimelineJSON.site(events, headline: scope.heading, intro: scope.description,
                                                                        config: renderer.config, groupByArticle: groupByArticle))
            try write(scope.path + "index.html", renderer.timelinePage(events, scope: scope, articleCount: articleCount,
                                                                       topics: topics, decadePages: nil).raw)
            return 1
        }
        // Long: an index of pages, one per decade, or per year in a decade
        // that is itself too long.
        var decades: [(decade: Int, events: [SiteEvent])] = []
        for e in events {
            let d = e.group.decade
            if decades.last?.decade == d { decades[decades.count - 1].events.append(e) } else { decades.append((d, [e])) }
        }
        var pages: [(label: String, folder: String, events: [SiteEvent])] = []
        for (d, list) in decades {
            if list.count <= eventsPerPage {
                pages.append((SiteTimeline.Group.decade(d).label, decadeFolder(d), list))
                continue
            }
            for e in list {
                let g = e.group
                if let last = pages.last, last.events.last?.group == g { pages[pages.count - 1].events.append(e) } else {
                    pages.append((g.label, Slug.make(g.label) + "/", [e]))
                }
            }
        }
        try write(scope.path + "index.html", renderer.timelinePage(
            events, scope: scope, articleCount: articleCount, topics: topics,
            decadePages: pages.map { ($0.label, $0.folder, $0.events.count) }).raw)
        // The index's JSON, like the page, has one slide per page, not every
        // event again: the events are in the pages' JSON.
        try write(scope.path + "timeline.json", TimelineJSON.index(
            pages.map { (label: $0.label, path: scope.path + $0.folder, first: $0.events.first!.date, last: $0.events.last!.date,
                         count: $0.events.count) },
            headline: scope.heading, intro: scope.description, config: renderer.config))
        for page in pages {
            let sub = Scope(path: scope.path + page.folder, heading: "\(scope.heading): \(page.label)",
                            description: scope.description, tag: scope.tag)
            try write(sub.path + "timeline.json", TimelineJSON.site(page.events, headline: sub.heading, intro: sub.description,
                                                                      config: renderer.config, groupByArticle: groupByArticle))
            try write(sub.path + "index.html", renderer.timelinePage(page.events, scope: sub, articleCount: articleCount,
                                                                     topics: topics, decadePages: nil, parent: scope).raw)
        }
        return 1 + pages.count
    }

    /// Topic links a timeline page shows at most (the tag index lists them all).
    static let maxTopics = 30

    static func decadeFolder(_ d: Int) -> String { d >= 0 ? "\(d)s/" : "\(-d - 9)s-bc/" }
}

extension PageRenderer {
    /// One timeline page. With `decadePages`, the page is an index of them.
    func timelinePage(_ events: [SiteEvent], scope: SiteTimelinePages.Scope, articleCount: Int,
                      topics: [(tag: String, count: Int)], decadePages: [(label: String, path: String, count: Int)]?,
                      parent: SiteTimelinePages.Scope? = nil) -> HTML {
        let root = Self.root(for: scope.path)
        // Group by year (or decade, century), in order.
        var groups: [(group: SiteTimeline.Group, events: [SiteEvent])] = []
        for e in events {
            if groups.last?.group == e.group { groups[groups.count - 1].events.append(e) } else { groups.append((e.group, [e])) }
        }
        let first = groups.first?.group.year ?? 0, last = groups.last?.group.year ?? 0
        let byDecade = last - first > SiteTimelinePages.decadeSpan

        let index: HTML
        let body: HTML
        if let pages = decadePages {
            index = HTML.joined(pages.map { p in
                theme["parts/timeline-index-item.html"].render([
                    "url": .text(p.path), "label": .text(p.label), "count": .text(String(p.count)),
                ])
            }, separator: "\n")
            body = .empty
        } else if byDecade {
            var decades: [(decade: Int, groups: [(group: SiteTimeline.Group, events: [SiteEvent])])] = []
            for g in groups {
                if decades.last?.decade == g.group.decade { decades[decades.count - 1].groups.append(g) } else { decades.append((g.group.decade, [g])) }
            }
            index = HTML.joined(decades.map { d in
                let label = SiteTimeline.Group.decade(d.decade).label
                return theme["parts/timeline-index-item.html"].render([
                    "url": .text("#\(SiteTimeline.Group.decade(d.decade).id)s"), "label": .text(label),
                    "count": .text(String(d.groups.reduce(0) { $0 + $1.events.count })),
                ])
            }, separator: "\n")
            body = HTML.joined(decades.map { d in
                let group = SiteTimeline.Group.decade(d.decade)
                return theme["parts/timeline-decade.html"].render([
                    "id": .text(group.id + "s"), "label": .text(group.label),
                    "count": .text(String(d.groups.reduce(0) { $0 + $1.events.count })),
                    "years": .html(HTML.joined(d.groups.map { yearGroup($0.group, $0.events, level: 3, root: root) }, separator: "\n")),
                ])
            }, separator: "\n")
        } else {
            index = HTML.joined(groups.map { g in
                theme["parts/timeline-index-item.html"].render([
                    "url": .text("#" + g.group.id), "label": .text(g.group.label), "count": .text(String(g.events.count)),
                ])
            }, separator: "\n")
            body = HTML.joined(groups.map { yearGroup($0.group, $0.events, level: 2, root: root) }, separator: "\n")
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
        let span = groups.isEmpty ? "no dates yet" : first == last ? SiteTimeline.Group.year(first).label
            : "\(SiteTimeline.Group.year(first).label)–\(SiteTimeline.Group.year(last).label)"
        let content = theme["timeline.html"].render([
            "root": .text(root), "title": .text(scope.heading), "kicker": .html(kicker),
            "intro": .text(scope.description), "count": .text(String(events.count)),
            "articles": .text(String(Set(events.flatMap { $0.sources.map(\.slug) }).count)), "span": .text(span),
            "index": .html(index), "filter": .html(filter), "groups": .html(body), "json_url": .text("timeline.json"),
        ])
        return layout(PageInfo(path: scope.path, title: scope.heading, description: scope.description,
                               bodyClass: "page-timeline"), content: content)
    }

    func yearGroup(_ group: SiteTimeline.Group, _ events: [SiteEvent], level: Int, root: String) -> HTML {
        let item = theme["parts/site-timeline-item.html"], source = theme["parts/timeline-source.html"]
        let items = events.map { e in
            let first = e.sources[0]
            return item.render([
                "datetime": .text(e.date.htmlDatetime), "value": .text(e.value), "display": .text(e.display),
                "end_datetime": .text(e.endValue.flatMap { TimexDate($0)?.htmlDatetime } ?? ""),
                "title": .html(part("parts/timeline-title.html", e.title != nil, ["title": .text(e.title ?? "")])),
                "text": .text(e.text), "url": .text(root + first.slug + "/#" + first.anchor),
                "tags": .text(e.tagSlugs.joined(separator: " ")),
                "sources": .html(HTML.joined(e.sources.map { s in
                    source.render([
                        "url": .text(root + s.slug + "/#" + s.anchor), "title": .text(s.title),
                    ])
                }, separator: ", ")),
            ])
        }
        return theme["parts/timeline-year.html"].render([
            "id": .text(group.id), "label": .text(group.label), "count": .text(String(events.count)),
            "level": .text(String(level)), "items": .html(HTML.joined(items, separator: "\n")),
        ])
    }

    /// The link from the home page or a tag page to its timeline.
    func timelineLink(_ url: String, label: String) -> HTML {
        theme["parts/timeline-link.html"].render(["url": .text(url), "label": .text(label)])
    }
}
