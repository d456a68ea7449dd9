import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The site pass for what needs every article at once: the site timeline and
/// each tag's, related explainers, and the search page. It runs after the
/// per-article pass (which keeps only `ArticleSummary`s) and works from the
/// summaries alone.
///
/// How it plugs into a build (SiteSession):
/// 1. per article: the page is rendered with `RelatedExplainers.placeholder`
///    where `{{related}}` is and put in the build's `PageSpool` (not yet
///    written), and `articleFiles` gives the article's other outputs (its
///    `timeline.json`);
/// 2. after the list pages: `writeFeatures` chooses every article's related
///    explainers and writes each page with them filled in (emptying the
///    spool), then merges the timelines and writes the timeline pages and
///    JSON, and writes the search page when Pagefind is there;
/// 3. last, before the swap: `Search.index` runs Pagefind over the whole new site.
///
/// Each part is redone only when what it reads changed (hashes kept in the
/// build cache): the timelines when some article's timeline, title or tags
/// did; the choice of related explainers when some article's tags, key terms,
/// timeline years, title or date did; and an article page is written again
/// only when the page itself or its related articles' cards changed.
public enum SiteFeatures {
    /// Outputs of one article besides its page: path and UTF-8.
    public static func articleFiles(_ a: ArticleSummary, config: SiteConfig) -> [(path: String, bytes: [UInt8])] {
        a.timeline.isEmpty ? [] : [("\(a.slug)/timeline.json", TimelineJSON.article(a, config: config))]
    }

    /// One timeline as it was written: its files, and for each page (by
    /// folder) a hash of what it shows.
    struct WrittenTimeline: Sendable {
        var paths: [String]
        var pages: Int
        var pageInputs: [String: UInt64] = [:]
    }

    /// A hash of what a timeline page shows of one event.
    /// With `keeping`, of the restricted copy naming only those sources.
    static func eventHash(_ e: SiteEvent, keeping: ArraySlice<Int32>? = nil) -> UInt64 {
        var w = ByteWriter(capacity: 384 + e.text.utf8.count)
        w.string(e.value); w.optionalString(e.endValue); w.string(e.display); w.string(e.text); w.optionalString(e.title)
        let sources = e.sources
        w.int(keeping?.count ?? sources.count)
        SiteEvent.forEachSource(sources, keeping: keeping) { k in
            w.u64(sources[k].info.hash); w.string(sources[k].anchor)
        }
        return Hash64.hash(w.bytes)
    }

    /// A hash of everything one page of a timeline (its HTML and JSON) shows.
    /// `hashes` are `eventHash` of the merged events, `restrictedHashes` of
    /// the scope's restricted copies.
    static func pageInputs(_ page: SiteTimelinePages.Page, of pages: [SiteTimelinePages.Page], events: SiteTimelinePages.ScopeEvents,
                           all: [SiteEvent], hashes: [UInt64], restrictedHashes: [UInt64], scope: SiteTimelinePages.Scope,
                           topics: [(tag: String, count: Int)], siteKey: UInt64, year: Int) -> UInt64 {
        var w = ByteWriter()
        w.u64(siteKey); w.int(year)
        w.string(scope.path); w.string(scope.heading); w.string(scope.description); w.optionalString(scope.tag)
        for t in topics { w.string(t.tag); w.int(t.count) }
        w.string(page.folder); w.string(page.label)
        switch page.kind {
        case .whole, .part:
            w.u8(page.kind == .whole ? 0 : 1)
            w.int(page.range.count)
            for k in page.range {
                let r = events.refs[k]
                w.u64(r.restricted >= 0 ? restrictedHashes[Int(r.restricted)] : hashes[Int(r.index)])
            }
        case .index:
            w.u8(2)
            let totals = SiteTimelinePages.totals(events, all)
            w.int(totals.count); w.int(totals.articles); w.int(totals.first?.year ?? 0); w.int(totals.last?.year ?? 0)
            for p in pages where p.kind == .part {
                w.string(p.folder); w.string(p.label); w.int(p.range.count)
                w.string(all[Int(events.refs[p.range.first!].index)].value)
                w.string(all[Int(events.refs[p.range.last!].index)].value)
            }
        }
        return Hash64.hash(w.bytes)
    }

    /// Writes the site timeline and the topic timelines through `write`,
    /// but for the pages `known` says were written from the same inputs (and
    /// whose files `isCurrent`, or all of them when `knownCurrent`); returns
    /// the paths and the number of pages of them all, and what each was
    /// written from (all those written, and of them those spliced). Each
    /// event's item and slide are rendered once, for every page that shows it.
    ///
    /// `order` is the order the site lists `articles` in (theirs when nil).
    /// `readCurrent` gives a file as the last build wrote it, or nil: after
    /// an edit of titles only, a page that shows the changed events is made
    /// from it (`spliceTimelinePages`) instead of being rendered.
    static func writeTimelines(_ articles: [ArticleSummary], order: [Int]? = nil, timelineHashes: [UInt64]? = nil, renderer: PageRenderer, workers: Int,
                               siteKey: UInt64 = 0, known: [String: WrittenTimeline] = [:], knownCurrent: Bool = false,
                               merged: inout MergedTimeline?,
                               isCurrent: (String) -> Bool = { _ in false }, readCurrent: (@Sendable (String) -> [UInt8]?)? = nil,
                               clock: PhaseClock? = nil, write: @escaping @Sendable (String, UnsafeRawBufferPointer) throws -> Void)
        throws -> (paths: [String], pages: Int, timelines: [String: WrittenTimeline], written: [String], spliced: [String]) {
        var m = MergedTimeline.update(merged.take(), articles, timelineHashes: timelineHashes, workers: workers)
        clock?.mark("    timelines: merge")
        // How the events are laid out in pages, and what each page shows:
        // after an edit of titles only, the layout of the last build with the
        // pages showing the changed events hashed again; else made anew.
        let layoutKey = TimelineLayout.key(siteKey: siteKey, renderer: renderer)
        var layout: TimelineLayout
        var changedEvents: [Int] = []
        if m.layout?.key == layoutKey, m.layout?.spellingsDiffer == false, let changed = m.changedEvents,
           var kept = m.layout.take() {  // taken: no copy made as it changes
            kept.update(changed, events: m.events, hashes: m.hashes, renderer: renderer, siteKey: siteKey, workers: workers)
            layout = kept
            changedEvents = changed
        } else {
            m.layout = nil
            layout = TimelineLayout(articles, order: order, events: m.events, hashes: m.hashes, renderer: renderer, siteKey: siteKey, workers: workers)
        }
        clock?.mark("    timelines: layout")
        let events = m.events
        let scopes = layout.scopes, pageLists = layout.pageLists, allJobs = layout.jobs, topics = layout.topics
        let pageHashes = layout.pageHashes
        var toWrite: [Int] = []
        let knownInputs = scopes.map { known[$0.scope.path]?.pageInputs }
        // (Fields read one by one: a copy of each page cost a retain of each
        // of its strings, for 4,400 pages a rebuild.)
        for (j, (s, p)) in allJobs.enumerated() {
            if let old = knownInputs[s]?[pageLists[s][p].folder], old == pageHashes[j],
               knownCurrent || isCurrent(pageLists[s][p].htmlPath) && isCurrent(pageLists[s][p].jsonPath) {
                continue
            }
            toWrite.append(j)
        }
        // After a title edit, the pages as they were written, with the items
        // and slides of the changed events replaced.
        var spliced: [Int] = []
        if let readCurrent, !changedEvents.isEmpty {
            (toWrite, spliced) = try spliceTimelinePages(toWrite, changed: changedEvents, before: m.before, events: m.events, layout: layout,
                                              renderer: renderer, workers: workers, read: readCurrent, write: write)
        }
        m.before = [:]

        // The merged events those pages show, each rendered once, in batches
        // of pages in date order: a batch's events are rendered, its pages
        // written, and an event's rendering let go once the last page that
        // shows it is written. So the renderings held at once are those of
        // a stretch of time, not of every event (116 MB at 10,000 articles).
        let plan = toWrite
        // What the batches read of each page, looked up once: the events it
        // shows (empty for an index) and its first.
        var shows: [(refs: [SiteTimelinePages.ScopedEvent], range: Range<Int>)] = Array(repeating: ([], 0..<0), count: allJobs.count)
        for j in plan {
            let (s, p) = allJobs[j]
            if pageLists[s][p].kind != .index { shows[j] = (scopes[s].events.refs, pageLists[s][p].range) }
        }
        func firstEvent(_ j: Int) -> Int32 { shows[j].range.isEmpty ? -1 : shows[j].refs[shows[j].range.lowerBound].index }
        let byDate = plan.map { (firstEvent($0), $0) }.sorted { $0 < $1 }.map(\.1)
        var showing = [Int32](repeating: 0, count: events.count)  // pages still to write that show each event
        func eachEvent(_ j: Int, _ body: (Int) -> Void) {
            let refs = shows[j].refs
            refs.withUnsafeBufferPointer { refs in
                for k in shows[j].range { body(Int(refs[k].index)) }
            }
        }
        for j in plan { eachEvent(j) { showing[$0] += 1 } }
        let rendered = Slots<RenderedEvent?>(Array(repeating: nil, count: events.count))
        var isRendered = [Bool](repeating: false, count: events.count)
        let failures = FailureBox()
        let batch = max(8, 4 * workers)
        var renderSeconds = 0.0
        for start in stride(from: 0, to: byDate.count, by: batch) {
            let pages = Array(byDate[start..<min(start + batch, byDate.count)])
            var toRender: [Int] = []
            for j in pages { eachEvent(j) { k in if !isRendered[k] { isRendered[k] = true; toRender.append(k) } } }
            let began = DispatchTime.now().uptimeNanoseconds, list = toRender
            parallelFor(list.count, workers: workers) { n in
                let k = list[n]
                rendered.set(k, RenderedEvent(events[k], renderer: renderer))
            }
            renderSeconds += Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            // The longest pages first, so that workers end together.
            let ordered = pages.map { (shows[$0].range.count, $0) }.sorted { $0.0 > $1.0 }.map(\.1)
            parallelFor(ordered.count, workers: workers) { n in
                let (s, p) = allJobs[ordered[n]]
                do {
                    try SiteTimelinePages.write(pageLists[s][p], of: pageLists[s], events: scopes[s].events, all: events, rendered: rendered,
                                                scope: scopes[s].scope, topics: topics, renderer: renderer, write: write)
                } catch {
                    failures.set(error)
                }
            }
            if failures.error != nil { break }
            // Renderings no page still to write shows are let go by the
            // workers: on this thread, freeing them was 0.1 s of a
            // 10,000-article build during which the other core waited.
            var done: [Int] = []
            for j in pages { eachEvent(j) { k in showing[k] -= 1; if showing[k] == 0 { done.append(k) } } }
            let unused = done
            parallelFor(unused.count, workers: workers, chunk: 64) { n in rendered.set(unused[n], nil) }
        }
        clock?.note("      of which rendering events", seconds: renderSeconds)
        if let error = failures.error { throw error }
        clock?.mark("    timelines: pages")
        var paths: [String] = []
        var pages = 0
        var timelines: [String: WrittenTimeline] = [:]
        var j = 0
        for (s, list) in pageLists.enumerated() {
            var w = WrittenTimeline(paths: [], pages: list.count)
            w.paths.reserveCapacity(2 * list.count)
            w.pageInputs.reserveCapacity(list.count)
            for page in list {
                w.paths.append(contentsOf: page.files)
                w.pageInputs[page.folder] = pageHashes[j]
                j += 1
            }
            paths += w.paths
            pages += w.pages
            if !list.isEmpty { timelines[scopes[s].scope.path] = w }
        }
        m.layout = layout
        merged = m
        func files(_ jobs: [Int]) -> [String] { jobs.flatMap { pageLists[allJobs[$0].scope][allJobs[$0].page].files } }
        return (paths, pages, timelines, files(plan + spliced), files(spliced))
    }
}

extension SiteFeatures {
    /// Writes, of the timeline pages `jobs` (by index in `layout.jobs`),
    /// those that `SiteTimelinePages.splice` can make from the page as it was
    /// written (`read` gives it, or nil when it is not as the last build
    /// left it) by replacing the items and slides of the merged events at
    /// `changed`, which were `before`; returns the others, and those written.
    static func spliceTimelinePages(_ jobs: [Int], changed: [Int], before: [Int: SiteEvent], events: [SiteEvent], layout: TimelineLayout,
                                    renderer: PageRenderer, workers: Int, read: @Sendable (String) -> [UInt8]?,
                                    write: @Sendable (String, UnsafeRawBufferPointer) throws -> Void) throws -> (others: [Int], spliced: [Int]) {
        // Where each page shows a changed event.
        var positions: [Int: [Int]] = [:]
        for i in changed {
            for at in Int(layout.shownStart[i])..<Int(layout.shownStart[i + 1]) {
                let (s, k) = (Int(layout.shown[at].scope), Int(layout.shown[at].ref))
                if let p = layout.pageLists[s].firstIndex(where: { $0.kind != .index && $0.range.contains(k) }) {
                    positions[layout.firstJob[s] + p, default: []].append(k)
                }
            }
        }
        let candidates = jobs.filter { positions[$0] != nil }, at = positions
        let done = Slots<Bool>(Array(repeating: false, count: candidates.count))
        let failures = FailureBox()
        parallelFor(candidates.count, workers: workers) { n in
            let j = candidates[n]
            let (s, p) = layout.jobs[j]
            let page = layout.pageLists[s][p]
            let htmlPath = page.htmlPath, jsonPath = page.jsonPath
            guard let html = read(htmlPath), let json = read(jsonPath),
                  let made = SiteTimelinePages.splice(page, html: html, json: json, positions: at[j]!.sorted(),
                                                      events: layout.scopes[s].events, all: events, before: before,
                                                      scope: layout.scopes[s].scope, renderer: renderer)
            else { return }
            do {
                for path in page.files { try (path == jsonPath ? made.json : made.html).withUnsafeBytes { try write(path, $0) } }
                done.set(n, true)
            } catch {
                failures.set(error)
            }
        }
        if let error = failures.error { throw error }
        let spliced = candidates.indices.filter { done[$0] }.map { candidates[$0] }, made = Set(spliced)
        return (jobs.filter { !made.contains($0) }, spliced)
    }
}

/// The merged site timeline as a session keeps it: an edit that changes only
/// articles' titles or tags (which merging does not read) updates the
/// sources that name them instead of merging every article's events again.
struct MergedTimeline: Sendable {
    /// The articles, by slug, and a hash of what merging reads of each.
    var slugs: [String]
    /// The slugs of the articles as `update` was given them, and the order
    /// that sorts them (kept: the same articles are not sorted again).
    var givenSlugs: [String]
    var bySlug: [Int]
    var keys: [UInt64]
    /// Their `timelineHash`es when the caller gave them, else empty.
    var infoHashes: [UInt64]
    var titles: [String]
    var tags: [[String]]
    var events: [SiteEvent]
    /// `SiteFeatures.eventHash` of each event.
    var hashes: [UInt64]
    /// Where each article is a source: (event, source) indices.
    var positions: [[(event: Int32, source: Int32)]]
    /// The events the last `update` changed, when it changed only titles of
    /// sources (so the timelines' pages and who shows what stay); nil when
    /// more may have changed.
    var changedEvents: [Int]? = nil
    /// With `changedEvents`, each of them as it was before the update.
    var before: [Int: SiteEvent] = [:]
    /// How the timelines' pages were laid out from these events (kept by `writeTimelines`).
    var layout: TimelineLayout? = nil

    /// What merging reads of an article: its slug and timeline, not its title or tags.
    static func key(_ a: ArticleSummary) -> UInt64 {
        var w = ByteWriter()
        w.string(a.slug)
        w.int(a.timeline.count)
        for e in a.timeline {
            w.string(e.value); w.optionalString(e.endValue); w.string(e.display); w.string(e.text); w.optionalString(e.title)
            w.string(e.anchor); w.u8(e.source == .text ? 0 : 1); w.int(e.order)
        }
        return Hash64.hash(w.bytes)
    }

    /// `timelineHashes`, when given, are the articles' `timelineHash`es:
    /// an article whose hash is the one of the last update keeps its key
    /// (the hash covers everything the key does), so that an edit does not
    /// hash every article's timeline again.
    ///
    /// `known` is consumed: the caller's copy must be the only one, so that
    /// changing a few sources does not copy all the events.
    static func update(_ known: consuming MergedTimeline?, _ articles: [ArticleSummary], timelineHashes: [UInt64]? = nil,
                       workers: Int) -> MergedTimeline {
        // Read through `order`, not copied into it: a summary is a dozen references.
        let given = articles.map(\.slug)
        let kept = known?.givenSlugs == given ? known?.bySlug : nil
        let sameArticles = kept != nil
        let order = kept ?? given.indices.sorted { given[$0] < given[$1] }
        let infoHashes = timelineHashes.map { h in order.map { h[$0] } } ?? []
        let keys = Slots<UInt64>(Array(repeating: 0, count: order.count))
        let priorKeys = known?.keys ?? [], priorHashes = known?.infoHashes ?? []
        parallelFor(order.count, workers: workers) { k in
            if sameArticles, !infoHashes.isEmpty, priorHashes.count == order.count, priorHashes[k] == infoHashes[k] {
                keys.set(k, priorKeys[k])
            } else {
                keys.set(k, key(articles[order[k]]))
            }
        }
        let keyList = (0..<order.count).map { keys[$0] }
        if sameArticles, known?.keys == keyList, var m = known.take() {
            var changed = Set<Int>(), tagsChanged = false
            var before: [Int: SiteEvent] = [:]
            for k in order.indices where m.titles[k] != articles[order[k]].title || m.tags[k] != articles[order[k]].tags {
                let a = articles[order[k]]
                tagsChanged = tagsChanged || m.tags[k] != a.tags
                for (e, _) in m.positions[k] where changed.insert(Int(e)).inserted { before[Int(e)] = m.events[Int(e)] }
                let tagKeys = a.tags.map { Slug.make($0) }.filter { !$0.isEmpty }
                var info: SiteEvent.SourceArticle?
                for (e, s) in m.positions[k] {
                    if info == nil {
                        let old = m.events[Int(e)].sources[Int(s)].info
                        info = SiteEvent.SourceArticle(slug: old.slug, title: a.title, tags: a.tags, tagKeys: tagKeys, article: old.article)
                    }
                    m.events[Int(e)].sources[Int(s)].info = info!
                }
                for (e, _) in m.positions[k] { m.hashes[Int(e)] = SiteFeatures.eventHash(m.events[Int(e)]) }
                m.titles[k] = a.title
                m.tags[k] = a.tags
            }
            m.changedEvents = tagsChanged ? nil : changed.sorted()
            m.before = tagsChanged ? [:] : before
            m.infoHashes = infoHashes
            return m
        }
        let sorted = order.map { articles[$0] }
        let events = SiteTimeline.merge(sorted, workers: workers)
        let hashes = Slots<UInt64>(Array(repeating: 0, count: events.count))
        parallelFor(events.count, workers: workers) { k in hashes.set(k, SiteFeatures.eventHash(events[k])) }
        // A source's article number is its place in `sorted`, which merging
        // also sorts by slug (slugs of a site are unique): no lookup of the
        // slug by its hash, for each of 200,000 sources.
        var positions = Array(repeating: [(event: Int32, source: Int32)](), count: sorted.count)
        for (i, e) in events.enumerated() {
            for (j, s) in e.sources.enumerated() {
                assert(sorted[Int(s.article)].slug == s.slug)
                positions[Int(s.article)].append((Int32(i), Int32(j)))
            }
        }
        return MergedTimeline(slugs: sorted.map(\.slug), givenSlugs: given, bySlug: order, keys: keyList, infoHashes: infoHashes,
                              titles: sorted.map(\.title), tags: sorted.map(\.tags), events: events, hashes: (0..<events.count).map { hashes[$0] }, positions: positions)
    }
}

/// Article pages waiting for their related explainers: kept in memory up to
/// a budget, the rest in files of a spool folder beside the output (so that
/// a full build of a big site does not hold every page at once).
final class PageSpool: @unchecked Sendable {
    let folder: String
    private let budget: Int
    private let lock = Lock()
    private var inMemory: [String: [UInt8]] = [:]
    private var inFiles: [String: String] = [:]
    private var bytes = 0
    private var made = false

    init(folder: String, budget: Int = 64 << 20) {
        self.folder = folder
        self.budget = budget
    }

    func put(_ path: String, _ page: [UInt8]) throws {
        let fileName: String? = lock.withLock {
            if bytes + page.count <= budget {
                inMemory[path] = page
                bytes += page.count
                return nil
            }
            let name = "p\(inFiles.count)"
            inFiles[path] = name
            return name
        }
        guard let fileName else { return }
        // Made under the lock: a second worker must not write before the folder exists.
        try lock.withLock {
            if !made {
                try FileIO.makeDirectories(folder)
                made = true
            }
        }
        try FileIO.write(page, to: folder + "/" + fileName)
    }

    func contains(_ path: String) -> Bool { lock.withLock { inMemory[path] != nil || inFiles[path] != nil } }

    /// The paths of the pages it holds.
    var paths: [String] { lock.withLock { Array(inMemory.keys) + Array(inFiles.keys) } }

    /// The page put under `path`, once.
    func take(_ path: String) throws -> [UInt8]? {
        let (page, file): ([UInt8]?, String?) = lock.withLock {
            if let page = inMemory.removeValue(forKey: path) { bytes -= page.count; return (page, nil) }
            return (nil, inFiles.removeValue(forKey: path))
        }
        if let page { return page }
        guard let file else { return nil }
        let full = folder + "/" + file
        defer { try? FileIO.removeFile(full) }
        return try FileIO.readBytes(full)
    }

    func remove() {
        lock.withLock {
            inMemory = [:]
            inFiles = [:]
            bytes = 0
        }
        if made { try? FileIO.removeTree(folder) }
    }
}

extension RelatedExplainers {
    static let placeholderBytes = Array(placeholder.utf8)

    /// `page` with `html` in place of the `length` bytes at `slot`.
    static func splice(_ page: [UInt8], at slot: Int, length: Int, _ html: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(page.count - length + html.count)
        out.append(contentsOf: page[..<slot])
        out.append(contentsOf: html)
        out.append(contentsOf: page[(slot + length)...])
        return out
    }
}

extension SiteSession {
    /// The site pass of the features (see `SiteFeatures`): timelines, related
    /// explainers (every article page is written here), the search page.
    /// Updates `state.cache.site`'s feature fields; returns the new related
    /// fills, by article path, the summaries and their order when it needed
    /// them, and the articles' columns, for the site pages.
    func writeFeatures(_ published: [(path: String, record: ArticleRecord)], siteKey: UInt64, renderer: PageRenderer,
                       spool: PageSpool, outputs: Manifest, copies: [String: CopyPlan], target: String, workers: Int,
                       clock: PhaseClock, renderPage: @escaping @Sendable (String) throws -> [UInt8],
                       write: @escaping @Sendable (String, UnsafeRawBufferPointer, UInt64) throws -> Void) throws
        -> (fills: [String: RelatedFill], summaries: SiteSummaries?, columns: ArticleColumns) {
        let old = state.cache.site
        func current(_ path: String) -> Bool { copies[path] != nil || outputs.isCurrent(path) }
        // Every file of the last build is in the manifest as written while
        // its page plan is kept (see `SessionState.pagePlan`): a timeline page
        // whose inputs are the last build's is then current without looking
        // its files up (8,800 at 10,000 articles, a thirtieth of a title edit).
        let manifestTrusted = state.pagePlan != nil
        @Sendable func emit(_ path: String, _ text: String) throws {
            try text.withUTF8Bytes { try emitBytes(path, UnsafeRawBufferPointer($0)) }
        }
        @Sendable func emitBytes(_ path: String, _ raw: UnsafeRawBufferPointer) throws {
            guard copies[path] == nil else { return }
            try write(path, raw, Hash64.hash(raw))
        }
        /// The file as the last build wrote it, when the output folder holds it so.
        @Sendable func readCurrent(_ path: String) -> [UInt8]? {
            guard copies[path] == nil, let entry = outputs.entries[path], entry.hash != 0,
                  let bytes = try? FileIO.readBytes(target + "/" + path), Hash64.hash(bytes) == entry.hash else { return nil }
            return bytes
        }
        // Every summary, decoded only when a part must be redone, and the
        // order the site lists them in (newest first), which decides ties.
        var decoded: SiteSummaries?
        func all() throws -> SiteSummaries {
            if let decoded { return decoded }
            decoded = try siteSummaries(published, workers: workers)
            return decoded!
        }
        let columns = ArticleColumns.make(state.columns.take(), published, records: published.map(\.record))
        state.columns = columns
        var site = renderer
        site.year = columns.latestYear ?? BuildClock.today.year

        // Related explainers: which, for every article (chosen again only when
        // something they are chosen by changed) ...
        var profile = ByteWriter()
        profile.u64(siteKey); profile.int(published.count); profile.u64(columns.profileSum)
        let hashes = columns.profileHash
        let relatedInputs = Hash64.hash(profile.bytes)
        /// Whether what the session kept from an earlier build is of these articles.
        func samePaths(_ paths: [String]) -> Bool {
            paths.count == published.count && zip(paths, published).allSatisfy { $0 == $1.path }
        }
        var lists: [[Int]] = []
        // The session's index, when it is of the same articles: chosen
        // again there for the few that changed (the choice is a function of
        // the articles alone, so it is the same as a choice of all).
        var index: RelatedExplainers.Index?
        if var known = state.related, samePaths(known.paths) {
            state.related = nil  // while it changes
            let changed = hashes.indices.filter { hashes[$0] != known.hashes[$0] }
            let summaries = changed.compactMap { published[$0].record.info!.decodedSummary() }
            if changed.isEmpty {
                index = known.index
                state.relatedChosenAgain = []
            } else if summaries.count == changed.count, let again = known.index.update(changed, summaries) {
                index = known.index
                state.relatedChosenAgain = again
            }
        } else if relatedInputs == old.relatedInputs {
            // A new process: the lists as the last build left them.
            var position: [String: Int] = [:]
            position.reserveCapacity(published.count)
            for (k, entry) in published.enumerated() { position[entry.path] = k }
            // Looked up in parallel, then taken in order up to the first
            // article without a whole list.
            let places = position
            let found = Slots<[Int]?>(Array(repeating: nil, count: published.count))
            parallelFor(published.count, workers: workers, chunk: 256) { k in
                guard let kept = outputs.fills[published[k].path]?.related else { return }
                let members = kept.compactMap { places[$0] }
                if members.count == kept.count { found.set(k, members) }
            }
            lists.reserveCapacity(published.count)
            for k in published.indices {
                guard let members = found[k] else { break }
                lists.append(members)
            }
        }
        if index == nil, lists.count != published.count {
            // Chosen again, all of them.
            state.relatedChosenAgain = nil
            var fresh = RelatedExplainers.Index(try all().articles, workers: workers)
            fresh.chooseAll()
            index = fresh
        }
        if let index {
            lists = index.chosen.map { $0.map(\.article) }
            state.related = (published.map(\.path), hashes, index)
        }
        state.cache.site.relatedInputs = relatedInputs
        clock.mark("  features: related chosen")

        // ... and which pages need writing: those rendered by this build, and
        // those whose related articles' cards changed. In a session, an
        // article whose key and related list are as the last build left
        // them, and whose page was not rendered again, is passed over
        // without looking up its fill and output by path (`ArticlePagePlan`).
        var fills: [Int: RelatedFill] = [:]
        var toWrite: [Int] = []
        var cardsNeeded = Set<Int>()
        var plan0 = state.pagePlan.take().flatMap { plan in
            plan.siteKey == siteKey && !outputs.entries.isEmpty && samePaths(plan.paths) ? plan : nil
        }
        // The pages rendered by this build, by index (the articles are in path order).
        var spooled = [Bool](repeating: false, count: published.count)
        if plan0 != nil {
            for path in spool.paths {
                let (at, found) = SessionIndex.position(of: path, in: published)
                if found { spooled[at] = true } else { plan0 = nil }
            }
        }
        // Each page's key and fill are worked out in parallel (one after
        // another, with their lookups by path, they were 22 ms of a build
        // with nothing to do at 10,000 articles), then gathered in order.
        let cardHashes = columns.cardHash, pageHash = columns.pageHash, relatedSlot = columns.relatedSlot
        let kept = plan0, chosenLists = lists, spooledNow = spooled
        let worked = Slots<(key: UInt64, fill: RelatedFill?)>(Array(repeating: (0, nil), count: published.count))
        parallelFor(published.count, workers: workers, chunk: 256) { k in
            let key = ArticlePagePlan.key(pageHash[k], relatedSlot[k], chosenLists[k], cardHashes)
            if let kept, kept.keys[k] == key, kept.lists[k] == chosenLists[k], !spooledNow[k] {
                worked.set(k, (key, nil))
                return
            }
            let (path, info) = (published[k].path, published[k].record.info!)
            var h = ByteWriter()
            h.string(info.slug)
            for m in chosenLists[k] { h.u64(cardHashes[m]) }
            let fill = RelatedFill(pageHash: info.pageHash, relatedHash: Hash64.hash(h.bytes), relatedLength: 0,
                                   related: chosenLists[k].map { published[$0].path }, outputHash: 0)
            if !spool.contains(path), let known = outputs.fills[path], known.pageHash == fill.pageHash,
               known.relatedHash == fill.relatedHash, known.related == fill.related,
               outputs.entries[info.pagePath]?.hash == known.outputHash {
                worked.set(k, (key, nil))
                return
            }
            worked.set(k, (key, fill))
        }
        var keys = [UInt64](repeating: 0, count: published.count)
        for k in published.indices {
            keys[k] = worked[k].key
            guard let fill = worked[k].fill else { continue }
            fills[k] = fill
            toWrite.append(k)
            if relatedSlot[k] >= 0 { cardsNeeded.formUnion(lists[k]) }
        }
        // Each related article's card, rendered once (article pages are all one
        // folder deep, as slugs have no slash, so the card is the same on each).
        let needed = Array(cardsNeeded)
        let cards = Slots<HTML?>(Array(repeating: nil, count: published.count))
        if let summaries = decoded?.articles {
            parallelFor(needed.count, workers: workers) { c in cards.set(needed[c], renderer.card(summaries[needed[c]], root: "../")) }
        } else {
            parallelFor(needed.count, workers: workers) { c in
                if let a = published[needed[c]].record.info!.decodedSummary() { cards.set(needed[c], renderer.card(a, root: "../")) }
            }
        }
        state.nextPagePlan = ArticlePagePlan(siteKey: siteKey, paths: plan0?.paths ?? published.map(\.path), keys: keys, lists: lists)
        let plan = toWrite, planned = fills, chosen = lists
        let written = Slots<RelatedFill?>(Array(repeating: nil, count: published.count))
        let failures = FailureBox()
        parallelFor(plan.count, workers: workers) { j in
            let k = plan[j]
            let (path, record) = published[k]
            let info = record.info!
            var fill = planned[k]!
            do {
                var html: [UInt8] = []
                if info.relatedSlot >= 0, !chosen[k].isEmpty {
                    let items = try chosen[k].map { m -> HTML in
                        guard let card = cards[m] else { throw SiteError.cacheDamaged(published[m].path) }
                        return card
                    }
                    html = Array(renderer.theme["parts/related.html"].render(["items": .html(HTML.joined(items, separator: "\n"))]).raw.utf8)
                }
                var page: [UInt8]
                if let fresh = try spool.take(path) {
                    page = fresh
                    if info.relatedSlot >= 0 {
                        page = RelatedExplainers.splice(page, at: info.relatedSlot, length: RelatedExplainers.placeholderBytes.count, html)
                    }
                } else if let known = outputs.fills[path], known.pageHash == info.pageHash,
                          outputs.entries[info.pagePath]?.hash == known.outputHash,
                          let current = try? FileIO.readBytes(target + "/" + info.pagePath), Hash64.hash(current) == known.outputHash {
                    // The page as it is, with its related explainers replaced.
                    page = info.relatedSlot >= 0 ? RelatedExplainers.splice(current, at: info.relatedSlot, length: known.relatedLength, html) : current
                } else {
                    // Not in the spool and not as the output folder should hold it: render it again.
                    page = try renderPage(path)
                    guard Hash64.hash(page) == info.pageHash else {
                        throw FileIO.Failure(path: "content/" + path, operation: "read (it changed during the build; build again)", code: EAGAIN)
                    }
                    if info.relatedSlot >= 0 {
                        page = RelatedExplainers.splice(page, at: info.relatedSlot, length: RelatedExplainers.placeholderBytes.count, html)
                    }
                }
                fill.relatedLength = info.relatedSlot >= 0 ? html.count : 0
                fill.outputHash = Hash64.hash(page)
                try page.withUnsafeBytes { try write(info.pagePath, $0, fill.outputHash) }
                written.set(k, fill)
            } catch {
                failures.set(error)
            }
        }
        if let error = failures.error { throw error }
        var changed: [String: RelatedFill] = [:]
        for k in plan { changed[published[k].path] = written[k]! }
        clock.mark("  features: article pages")

        // After the article pages, whose spooled copies (up to 64 MB) are
        // then let go: merging and laying out the timelines is where a
        // build's memory peaks.
        // Timelines: the site's and every topic's, with their JSON.
        var inputs = ByteWriter()
        inputs.u64(siteKey); inputs.int(site.year); inputs.int(published.count); inputs.u64(columns.timelineSum)
        let timelineInputs = Hash64.hash(inputs.bytes)
        var paths: [String]
        var pages: Int
        let oldTimelinePaths = old.featurePaths.filter { $0 != "search/index.html" }
        state.timelinePagesWritten = []
        state.timelinePagesSpliced = []
        if timelineInputs == old.timelineInputs, !oldTimelinePaths.isEmpty, oldTimelinePaths.allSatisfy(current) {
            paths = oldTimelinePaths
            pages = old.featurePages - (old.featurePaths.contains("search/index.html") ? 1 : 0)
        } else {
            let summaries = try all()
            let (articles, order) = (summaries.articles, summaries.order)
            clock.mark("    timelines: summaries")
            let known = state.timelines
            var merged = state.merged
            state.merged = nil  // while it changes
            let written = try SiteFeatures.writeTimelines(articles, order: order, timelineHashes: columns.timelineHash,
                                                          renderer: site, workers: workers, siteKey: siteKey,
                                                          known: known, knownCurrent: manifestTrusted, merged: &merged,
                                                          isCurrent: current, readCurrent: readCurrent,
                                                          clock: clock, write: emitBytes)
            state.merged = merged
            (paths, pages) = (written.paths, written.pages)
            state.timelines = written.timelines
            state.timelinePagesWritten = written.written
            state.timelinePagesSpliced = written.spliced
        }
        state.cache.site.timelineInputs = timelineInputs
        clock.mark("  features: timelines")

        // The search page.
        if site.search {
            try emit("search/index.html", site.searchPage().raw)
            paths.append("search/index.html")
            pages += 1
        }
        state.cache.site.featurePaths = paths
        state.cache.site.featurePages = pages

        return (changed, decoded, columns)
    }

    /// The summaries of the published articles (indexed like them) and the
    /// order the site lists them in, newest first (`NewestFirst`).
    struct SiteSummaries {
        var articles: [ArticleSummary]
        var order: [Int]
    }

    /// The summaries of `published` and their order, newest first (in a
    /// session, the last build's order with the changed articles moved).
    func siteSummaries(_ published: [(path: String, record: ArticleRecord)], workers: Int) throws -> SiteSummaries {
        let (articles, changed) = try summaries(published, workers: workers)
        let newest = NewestFirst.make(state.newestFirst.take(), paths: published.map(\.path), articles, candidates: changed)
        state.newestFirst = newest
        return SiteSummaries(articles: articles, order: newest.order)
    }

    /// The summaries of `published`. In a session, the last build's list
    /// with those of new records put in: an article whose record is the one
    /// the last build had has the same summary (a changed article gets a new
    /// record). Copied out of ten thousand records, the summaries were a
    /// tenth of a title edit. Also returns where the records are new, when
    /// the list is the last build's with those put in.
    func summaries(_ published: [(path: String, record: ArticleRecord)], workers: Int) throws -> ([ArticleSummary], changed: [Int]?) {
        let records = published.map(\.record)
        if var kept = state.summaries.take(), let changed = Self.newRecords(records, since: kept.records) {
            let fresh = try Self.decodeSummaries(changed.map { published[$0] }, workers: workers)
            for (n, k) in changed.enumerated() { kept.list[k] = fresh[n] }
            state.summaries = (records, kept.list)
            return (kept.list, changed)
        }
        let list = try Self.decodeSummaries(published, workers: workers)
        state.summaries = (records, list)
        return (list, nil)
    }

    /// Where `records` holds other records than `last` (by identity), when
    /// they are as many and no more than 64 differ; else nil, and what was
    /// kept of `last` is made anew. A changed article gets a new record, so
    /// the same record stands for the same article as the last build read.
    static func newRecords(_ records: [ArticleRecord], since last: [ArticleRecord]) -> [Int]? {
        guard records.count == last.count else { return nil }
        var changed: [Int] = []
        for k in records.indices where records[k] !== last[k] {
            changed.append(k)
            if changed.count > 64 { return nil }
        }
        return changed
    }

    /// The summaries of `published`, decoded where the records hold them
    /// encoded (and kept decoded on the records, for the next rebuild of a session).
    static func decodeSummaries(_ published: [(path: String, record: ArticleRecord)], workers: Int) throws -> [ArticleSummary] {
        let records = published.map(\.record)
        let decoded = Slots<ArticleSummary?>(Array(repeating: nil, count: records.count))
        let missing = records.indices.filter { records[$0].info!.summary == nil }
        parallelFor(missing.count, workers: workers) { m in decoded.set(missing[m], records[missing[m]].info!.decodedSummary()) }
        return try records.indices.map { k in
            if let summary = records[k].info!.summary { return summary }
            guard let summary = decoded[k] else { throw SiteError.cacheDamaged(published[k].path) }
            records[k].info!.summary = summary
            records[k].info!.encodedSummary = nil
            return summary
        }
    }
}

/// How the article pages stood after a build, by index in the published
/// articles: for each, a key of what its page is made from (its own page's
/// hash, where its related explainers go and the cards of those) and the
/// related articles chosen. A build in the same session over the same
/// articles, into an output folder it has kept since, writes again only the
/// pages whose key or list changed or that it rendered anew. Each build takes
/// the plan away while it runs and gets the new one only once it committed.
struct ArticlePagePlan {
    var siteKey: UInt64
    var paths: [String]
    var keys: [UInt64]
    var lists: [[Int]]

    /// Each step is a bijection of what came before and the next input, so
    /// two keys differing in one input always differ.
    static func key(_ pageHash: UInt64, _ relatedSlot: Int, _ related: [Int], _ cardHashes: [UInt64]) -> UInt64 {
        var h = mix(mix(pageHash) ^ UInt64(bitPattern: Int64(relatedSlot)))
        for m in related { h = mix(h ^ cardHashes[m]) }
        return mix(h ^ UInt64(related.count))
    }

    /// SplitMix64's finalizer.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
