import Dispatch
/// The site pass for what needs every article at once: the site timeline and
/// each tag's, related explainers, and the search page. It runs after the
/// per-article pass (which keeps only `ArticleSummary`s) and works from the
/// summaries alone.
///
/// How it plugs into the build (SiteBuilder):
/// 1. per article: the page is written with `RelatedExplainers.placeholder`
///    where `{{related}}` is, and `articleFiles` gives the article's other
///    outputs (its `timeline.json`);
/// 2. after the site pages: `write` merges the timelines, writes the timeline
///    pages and JSON, fills every article's related explainers into its staged
///    page, and writes the search page when Pagefind is there;
/// 3. last, before the swap: `Search.index` runs Pagefind over the staging folder.
public enum SiteFeatures {
    /// Outputs of one article besides its page: path and text.
    public static func articleFiles(_ a: ArticleSummary, config: SiteConfig) -> [(path: String, text: String)] {
        a.timeline.isEmpty ? [] : [("\(a.slug)/timeline.json", TimelineJSON.article(a, config: config))]
    }

    /// Writes the site-level pages of the features into `output`; returns how many pages.
    public static func write(_ articles: [ArticleSummary], renderer: PageRenderer, output: OutputFolder,
                             workers: Int) throws -> Int {
        var pages = 0
        let events = SiteTimeline.merge(articles)
        // Tag names as first spelled, and how many events each tag's timeline has.
        var names: [String: String] = [:]
        for a in articles { for t in a.tags { let k = Slug.make(t); if !k.isEmpty, names[k] == nil { names[k] = t } } }
        var eventCounts: [String: Int] = [:]
        for e in events { for k in e.tagSlugs { eventCounts[k, default: 0] += 1 } }
        let topics = eventCounts.compactMap { k, c in names[k].map { (tag: $0, count: c) } }
            .sorted { ($0.count, $1.tag) > ($1.count, $0.tag) }
        let write: (String, String) throws -> Void = { path, text in try output.write(path, text) }

        let site = SiteTimelinePages.Scope(
            path: "timeline/", heading: "Timeline",
            description: "Everything the explainers of \(renderer.config.title) date, in one chronology. Each event links to where it is told.",
            tag: nil)
        pages += try SiteTimelinePages.write(events, scope: site, articleCount: articles.count, topics: topics,
                                             renderer: renderer, write: write)
        // Topic timelines, in parallel.
        let byTag = SiteTimeline.byTag(events)
        let tagPages = ResultSlots<Int>(count: topics.count)
        let failures = FailureBox()
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, topics.count))) { _ in
            while true {
                let k = next.increment()
                guard k < topics.count else { break }
                let t = topics[k]
                let scope = SiteTimelinePages.Scope(
                    path: PageRenderer.tagPath(t.tag) + "timeline/", heading: "Timeline: \(t.tag)",
                    description: "The events of the explainers on “\(t.tag)”, in one chronology.", tag: t.tag)
                do {
                    tagPages.set(k, try SiteTimelinePages.write(byTag[Slug.make(t.tag)] ?? [], scope: scope,
                                                                articleCount: articles.count, topics: topics, renderer: renderer,
                                                                write: { path, text in try output.write(path, text) }))
                } catch {
                    failures.set(error)
                    tagPages.set(k, 0)
                }
            }
        }
        if let error = failures.error { throw error }
        pages += tagPages.all.reduce(0, +)

        let related = RelatedExplainers.choose(articles)
        let staging = output.staging
        try RelatedExplainers.fill(articles, related: related, renderer: renderer, workers: workers,
                                   read: { path in try FileIO.readBytes(staging + "/" + path) },
                                   write: { path, text in try output.write(path, text) })

        if renderer.search {
            try output.write("search/index.html", renderer.searchPage().raw)
            pages += 1
        }
        return pages
    }
}
