import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A site that stays loaded between builds, for `lede serve`: the first
/// `build()` brings the output folder up to date; `rebuild(changed:)` does the
/// same after some source files changed, redoing only what depends on them,
/// with the same result as a full build.
///
/// The pipeline of one build:
///
/// 1. Inputs: the theme, `content/_index.md`, the list of articles with their
///    stamps. Together with lede's version they make the *site key*: when it
///    changes, every article is annotated again.
/// 2. Articles, in parallel on all cores: an article whose stamp (or, failing
///    that, content hash) is what the cache remembers is not read again; any
///    other is annotated and its page rendered, and the page is written only
///    when its bytes differ from what the output folder holds. Only a small
///    `ArticleSummary` of each article is kept, so memory does not grow with
///    the articles' text.
/// 3. Checks across articles (unique slugs), then the site pages (home, tags,
///    feed, sitemap, 404) from the summaries alone — skipped when nothing they
///    depend on changed. This is where site-wide pages (a timeline of all
///    articles, a search index) and per-article links between articles
///    ("related explainers") belong: everything they need is in the summaries.
/// 4. Copies of theme assets and `static/`, by stamp and hash.
/// 5. Commit: the output folder changes all at once, or not at all (see
///    `OutputFolder`), and the build cache records what it now holds.
public final class SiteSession: @unchecked Sendable {
    public let options: BuildOptions
    private let lock = NSLock()
    var state = SessionState()  // changed only while `lock` is held

    /// The output folder, as an absolute path without `.` or `..`.
    var outputPath: String { URL(fileURLWithPath: options.outputPath).standardizedFileURL.path }

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Pagefind, as the last build found it; nil when search is off or missing.
    public var pagefind: String? {
        lock.lock()
        defer { lock.unlock() }
        return state.pagefind
    }

    /// Builds everything that is not up to date.
    public func build() throws(Diagnostics) -> BuildReport {
        lock.lock()
        defer { lock.unlock() }
        return try run(changes: nil)
    }

    /// Rebuilds after the files at `changed` (paths relative to the site folder:
    /// `content/x.md`, `templates/article.html`, `static/images/y.png`) were
    /// added, edited or deleted. Files not named are taken to be as they were.
    public func rebuild(changed: [String]) throws(Diagnostics) -> BuildReport {
        lock.lock()
        defer { lock.unlock() }
        let root = URL(fileURLWithPath: options.siteRoot).standardizedFileURL.path
        var report = try run(changes: ChangeSet(changed, root: root))
        let ignored = Set(report.ignoredSources)
        report.changedSources = changed.filter { path in
            !ignored.contains(path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path)
        }
        return report
    }

    /// With `BuildOptions.searchLater`: makes the search index over the site
    /// as the last build left it, beside it, and swaps it in. Builds go on
    /// meanwhile (Pagefind reads the pages for about 30 s at 10,000
    /// articles); one that changes pages makes the result `.behind` (in
    /// place, but older than the pages) or `.superseded` (not made). Without search, an index left from
    /// before search was switched off goes.
    public func indexSearch(cancel: SearchCancel? = nil) throws(Diagnostic) -> SearchIndexing {
        let outputPath = self.outputPath
        let place = outputPath + "/" + Search.folder, entry = outputPath + "/" + Search.entryFile
        lock.lock()
        let pagefind = state.pagefind, generation = state.searchGeneration
        let pending = state.index != nil && state.cache.site.searchStamp == nil
        if pagefind == nil, options.searchLater, FileIO.exists(entry) { try? FileIO.removeTree(place) }
        lock.unlock()
        guard let pagefind, pending else { return .current }

        let pages: Int
        do { pages = try Search.reindex(outputPath, pagefind: pagefind, background: true, cancel: cancel) } catch {
            lock.lock()
            defer { lock.unlock() }
            if state.searchGeneration != generation { return .superseded }  // a page it read went meanwhile
            throw error
        }
        lock.lock()
        defer { lock.unlock() }
        guard state.searchGeneration == generation else { return .behind(pages: pages) }
        state.cache.site.searchStamp = FileIO.stamp(entry)
        if let cacheFile = state.cacheFile {
            cacheFile.lock()
            defer { cacheFile.unlock() }
            if !cacheFile.changedOnDisk {  // else the next build loads what is there
                var batch = BuildCache.Batch()
                batch.site(state.cache.site)
                cacheFile.append(batch) { state.cache }
            }
        }
        return .indexed(pages: pages)
    }
}

/// What `SiteSession.indexSearch()` did.
public enum SearchIndexing: Equatable, Sendable {
    /// Nothing: the index matches the pages, or the site has no search.
    case current
    /// The index was made anew, over `pages` pages.
    case indexed(pages: Int)
    /// Made and in place, but a build changed pages meanwhile: the index
    /// holds the pages as they were when it started, or newer.
    case behind(pages: Int)
    /// Not made, because a build changed pages meanwhile (one that Pagefind
    /// was to read went): index again.
    case superseded
}

/// What a rebuild is told changed.
struct ChangeSet {
    var theme = false
    var config = false
    /// Article paths relative to content/.
    var content: [String] = []
    /// Look at the whole content folder again (a folder came or went).
    var rescan = false
    /// Paths under content/ (relative to it) whose names are not articles':
    /// a folder, which may hold articles, or a file that builds nothing (an
    /// editor's temporary file); `SiteSession.run` tells them apart.
    var others: [String] = []
    /// Only stylesheets changed.
    var stylesOnly = true

    /// `paths` are relative to the site folder `root`; absolute paths inside
    /// it are taken too.
    init(_ paths: [String], root: String = "") {
        for raw in paths {
            var path = raw
            if !root.isEmpty, path.hasPrefix(root + "/") { path.removeFirst(root.count + 1) }
            while path.hasPrefix("./") { path.removeFirst(2) }
            if !path.hasSuffix(".css") { stylesOnly = false }
            if path.hasPrefix("templates/") {
                if !path.hasPrefix("templates/assets/") { theme = true }
            } else if path == "content/_index.md" {
                config = true
            } else if path.hasPrefix("content/") {
                let relative = String(path.dropFirst("content/".count))
                let name = relative.split(separator: "/").last.map(String.init) ?? relative
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if ContentScanner.isArticleName(name) { content.append(relative) } else { others.append(relative) }
            } else if path == "content" || path == "templates" {
                rescan = true
                theme = true
            }
        }
        if paths.isEmpty { stylesOnly = false }
    }
}

/// What a session keeps between builds.
struct SessionState {
    var theme: Theme?
    var themeHash: UInt64 = 0
    var configLoaded = false
    var config = SiteConfig()
    var configProblems: [Diagnostic] = []
    var configHash: UInt64 = 0
    var files: [(path: String, stamp: FileIO.Stamp)]?
    var cacheFile: BuildCache?
    var cacheLoaded = false
    var cache = CacheState()
    /// The output manifest has been checked against the disk by this session.
    var outputVerified = false
    /// What the last successful build found across articles; lets a rebuild
    /// told what changed look at those files only.
    var index: SessionIndex?
    /// What each timeline (the site's, each topic's) was last written from,
    /// by its folder: a rebuild rewrites only the timelines whose events changed.
    var timelines: [String: SiteFeatures.WrittenTimeline] = [:]
    /// The timeline files the last build wrote (rendered again or spliced), for tests.
    var timelinePagesWritten: [String] = []
    /// Of those, the ones made from the page as it was (`SiteTimelinePages.splice`).
    var timelinePagesSpliced: [String] = []
    /// The order the last build listed its published articles in.
    var newestFirst: NewestFirst?
    /// The summaries of the articles the last build published, and their records.
    var summaries: (records: [ArticleRecord], list: [ArticleSummary])?
    /// The list pages' cards of those articles, and their records.
    var cards: (records: [ArticleRecord], list: [ArticleCards])?
    /// Each tag's articles as the list pages last showed them, and what that
    /// was made from: the articles' order and their tags.
    var tagLists: TagLists?
    /// What related explainers were last chosen from: the published articles
    /// (by path) and their `profileHash`es, and the index (see `RelatedExplainers.Index`).
    var related: (paths: [String], hashes: [UInt64], index: RelatedExplainers.Index)?
    /// The site timeline as last merged.
    var merged: MergedTimeline?
    /// Every list page as the last build's site pages saw it (see
    /// `writeSitePages`), and what that was made from.
    var listPages: KeptListPages?
    /// The feature pages (`SiteSession.featurePages`) of the last feature
    /// paths, and a hash of them.
    var featurePages: (paths: [String], pages: [String], hash: UInt64)?
    /// What the site pass reads of each published article's record (see `ArticleColumns`).
    var columns: ArticleColumns?
    /// The articles whose related explainers the last choice chose again; nil when all.
    var relatedChosenAgain: [Int]?
    /// How the article pages stood after the last build that committed (see
    /// `ArticlePagePlan`), and what the build in progress makes of them.
    /// Dropped wherever the manifest is read again, reset or checked against
    /// the disk: while there is one, every file of the last build is in the
    /// manifest as that build wrote it (`writeFeatures` relies on it).
    var pagePlan: ArticlePagePlan?
    var nextPagePlan: ArticlePagePlan?
    /// Pagefind as the last build found it (nil: search is off or missing).
    var pagefind: String?
    /// Counts the builds that changed what the search index should hold, so
    /// that an index made meanwhile (`indexSearch`) is not taken as current.
    var searchGeneration = 0
}

/// The published articles and what else a build finds across articles, kept
/// by a session so that a rebuild of a few changed files need not go over all.
struct SessionIndex {
    var siteKey: UInt64
    var copyPaths: Set<String>
    /// In file order (sorted by path).
    var published: [(path: String, record: ArticleRecord)] = []
    var slugOwner: [String: String] = [:]
    var drafts = 0
    var future = 0
    /// Articles left out because they are dated in the future, with their date.
    var futureDates: [String: DateTime] = [:]
    /// Diagnostics of articles that have any, by path.
    var diagnostics: [String: [Diagnostic]] = [:]

    func publishedIndex(_ path: String) -> (index: Int, found: Bool) { Self.position(of: path, in: published) }

    /// Where `path` is, or would go, in `published` (in path order).
    static func position(of path: String, in published: [(path: String, record: ArticleRecord)]) -> (index: Int, found: Bool) {
        var lo = 0, hi = published.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if published[mid].path < path { lo = mid + 1 } else { hi = mid }
        }
        return (lo, lo < published.count && published[lo].path == path)
    }
}

/// The build pass.
extension SiteSession {
    /// A file changed this close (in ns) before it was read may have changed
    /// again within the same clock tick: it is read again next time.
    static let racyWindow: Int64 = 100_000_000

    static let reservedSlugs: Set<String> = ["tags", "assets", "feed.xml", "sitemap.xml", "404.html", "index.html", "timeline", "search", "page"]

    enum ArticleResult {
        /// Not looked at: the stamp says it is unchanged and its page is current.
        case kept
        /// Read, and the same bytes as before.
        case same(stamp: FileIO.Stamp, readAt: Int64)
        /// Annotated (and rendered, if it is published).
        case fresh(ArticleRecord)
        case unreadable(Diagnostic)
    }

    private func run(changes given: ChangeSet?) throws(Diagnostics) -> BuildReport {
        let started = DispatchTime.now().uptimeNanoseconds
        let clock = PhaseClock(enabled: options.measurePhases)
        let root = URL(fileURLWithPath: options.siteRoot).standardizedFileURL.path
        let templatesDir = root + "/templates"
        let contentDir = root + "/content"
        // A path under content/ that is not an article's matters when it is
        // a folder now, or was one that held articles; else (a temporary
        // file an editor saved through) it changes nothing, and the content
        // folder is not scanned again for it.
        var changes = given
        var ignoredSources: [String] = []
        if var c = changes, !c.rescan, !c.others.isEmpty {
            for other in c.others {
                let prefix = other + "/"
                if FileIO.isDirectory(contentDir + "/" + other) || (state.files?.contains { $0.path.hasPrefix(prefix) } ?? true) {
                    c.rescan = true
                } else {
                    ignoredSources.append("content/" + other)
                }
            }
            changes = c
        }
        let outputPath = self.outputPath, searchEntry = outputPath + "/" + Search.entryFile
        let workers = max(1, options.workers)

        // 1. Inputs.
        if state.theme == nil || changes == nil || changes!.theme {
            state.theme = nil
            let theme = try Theme.load(siteTemplates: FileIO.isDirectory(templatesDir) ? templatesDir : nil)
            state.theme = theme
            state.themeHash = Self.fingerprint(theme)
        }
        var theme = state.theme!
        guard FileIO.isDirectory(contentDir) else {
            throw Diagnostics([.error("content", 1, 1, "there is no content/ folder in \(root); create it and put Markdown articles (*.md) in it, or pass --source DIR")])
        }
        // The content folder, scanned whole on a thread of its own while the
        // settings and the cache load on this one: at 10,000 articles the
        // scan took 32 ms of a 250 ms build with nothing to do, and loading
        // the cache 74 ms. (A session told what changed updates its list.)
        let scan: Background<[(path: String, stamp: FileIO.Stamp)]>?
        if let changes, !changes.rescan, state.files != nil {
            Self.update(&state.files!, with: changes.content, in: contentDir)
            scan = nil
        } else {
            scan = Background(alone: workers == 1) { () throws(Diagnostic) in try ContentScanner.scan(contentDir) }
        }
        if !state.configLoaded || changes == nil || changes!.config {
            let indexPath = contentDir + "/_index.md"
            var problems: [Diagnostic] = []
            var indexSource: SourceFile?
            if FileIO.exists(indexPath) {
                do { indexSource = try SourceFile.read(path: indexPath, displayPath: "content/_index.md") } catch { problems.append(error) }
            }
            let (config, configProblems) = SiteConfig.load(indexSource)
            state.config = config
            state.configProblems = problems + configProblems
            state.configHash = Hash64.hash(indexSource?.bytes ?? [], seed: UInt64(indexSource?.bomLength ?? 0))
            state.configLoaded = true
        }
        var config = state.config
        if let override = options.baseURL {
            guard let url = SiteConfig.normalizeBaseURL(override) else {
                throw Diagnostics([.error("--base-url", 1, 1, "\"\(override)\" is not an absolute http(s) URL like https://example.org/")])
            }
            config.baseURL = url
        }
        // Production (Publish/Production.swift): the theme's assets under
        // fingerprinted names, and the theme's references to them mapped.
        var assets: AssetFingerprints?
        if options.production { (theme, assets) = try Production.prepare(theme: theme, templatesDir: templatesDir, config: config) }
        // Search (Search.swift): with Pagefind, pages get a search box and the site a search page.
        let pagefind = config.search ? Search.locate(memo: options.useCache ? (options.cacheFolder ?? root + "/.lede-cache") + "/pagefind" : nil) : nil
        state.pagefind = pagefind
        let today = BuildClock.today
        var key = ByteWriter()
        key.u32(BuildCache.formatVersion); key.string(LedeVersion.string); key.u64(LedeVersion.executableStamp); key.u64(state.themeHash); key.u64(state.configHash)
        key.optionalString(options.baseURL); key.int(today.year)
        key.bool(options.production); key.optionalString(pagefind)
        for (path, url) in theme.assetURLs.sorted(by: { $0.key < $1.key }) { key.string(path); key.string(url) }
        let siteKey = Hash64.hash(key.bytes)
        clock.mark("inputs")

        // One build of an output folder at a time: a second one waits.
        let outputLock: OutputLock
        do { outputLock = try OutputLock.take(for: outputPath, waiting: options.onWait) } catch {
            throw Diagnostics([.error(options.outputPath, 1, 1, "cannot lock the output folder: \(error.localizedDescription); check that you may write in its parent folder")])
        }
        defer { outputLock.release() }

        // The cache, and what the output folder holds.
        var batch = BuildCache.Batch()
        let ownerPath = (options.cacheFolder ?? root + "/.lede-cache") + "/owner-" + Hash64.hex(Hash64.hash(outputPath))
        if options.useCache {
            if state.cacheFile == nil {
                let id = "\(outputPath)\u{0}\(options.drafts)\u{0}\(options.future)\u{0}\(options.baseURL ?? "")"
                state.cacheFile = BuildCache(folder: options.cacheFolder ?? root + "/.lede-cache", key: Hash64.hex(Hash64.hash(id)))
            }
            state.cacheFile!.lock()
            if !state.cacheLoaded || state.cacheFile!.changedOnDisk {
                state.cache = state.cacheFile!.load()
                state.cacheLoaded = true
                state.outputVerified = false
                state.pagePlan = nil
            }
        }
        defer { state.cacheFile?.unlock() }
        // Records are appended to the log only when there is one to append to.
        batch.enabled = !(state.cacheFile?.isEmpty ?? true)
        if state.cache.siteKey != siteKey {
            state.cache.articles = [:]
            state.cache.site = SiteRecord()
            state.cache.fills = [:]
            state.cache.siteKey = siteKey
            batch.siteKey(siteKey)
        }
        if !options.useCache || !FileIO.isDirectory(outputPath) || Self.readOwner(ownerPath) != state.cache.owner {
            state.cache.outputs = [:]
            state.pagePlan = nil
        }
        if !state.outputVerified {
            state.pagePlan = nil
            Self.verify(&state.cache.outputs, in: outputPath, workers: workers)
            state.outputVerified = true
        }
        if let scan {
            do { state.files = try scan.value() } catch { throw Diagnostics([error]) }
        }
        let files = state.files!
        if files.isEmpty {
            throw Diagnostics([.error("content", 1, 1, "content/ has no articles; add a Markdown file such as content/my-first-explainer.md with a title in its front matter")])
        }
        // The manifest moves into a box for the build (which reads it from many
        // threads) and back after it, so that updating it never copies it.
        let outputs = Manifest()
        swap(&outputs.entries, &state.cache.outputs)
        swap(&outputs.fills, &state.cache.fills)
        defer {
            swap(&outputs.entries, &state.cache.outputs)
            swap(&outputs.fills, &state.cache.fills)
        }
        // Without a record of what the folder holds, the whole site is written
        // anew; with one, only what changed: swapped in whole (`lede build`),
        // or in place (`lede serve`'s own folder).
        let mode: OutputFolder.Mode = outputs.entries.isEmpty ? .replace : options.updateInPlace ? .update : .stage
        let output: OutputFolder
        do { output = try OutputFolder(target: outputPath, mode: mode, keepsPrevious: options.useCache, workers: workers) } catch {
            throw Diagnostics([.error(options.outputPath, 1, 1, "cannot prepare the output folder (the new site is assembled beside it): \(error.localizedDescription); check that you may write in \((outputPath as NSString).deletingLastPathComponent); the previous site is unchanged")])
        }
        output.beforeWrite = options.beforeWrite
        output.checkpoint = options.checkpoint
        output.workers = workers
        let written = WrittenFiles()
        @Sendable func writeIfChanged(_ path: String, _ bytes: UnsafeRawBufferPointer, hash: UInt64) throws {
            if let old = outputs.entries[path], old.hash == hash { return }
            let stamp = try output.write(path, bytes)
            written.add(path, OutputEntry(hash: hash, stamp: stamp))
        }
        let copies = Self.copies(root: root, templatesDir: templatesDir, assets: assets,
                                 robots: options.production ? Production.robots(config) : nil)
        let spool = PageSpool(folder: (outputPath as NSString).deletingLastPathComponent
                                  + "/.\((outputPath as NSString).lastPathComponent).spool-\(getpid())")
        defer { spool.remove() }
        clock.mark("cache")

        // 2. Articles.
        let annotator = Annotator(theme: theme, settings: AnnotationSettings(
            genre: config.genre, autoTakeaways: config.autoTakeaways, taggerClock: clock.tagger))
        let renderer = PageRenderer(theme: theme, config: config, search: pagefind != nil)
        let drafts = options.drafts, future = options.future
        @Sendable func publishes(_ info: ArticleRecord.Info) -> Bool {
            if info.isDraft && !drafts { return false }
            if let date = info.date, date > today, !future { return false }
            return copies[info.pagePath] == nil
        }
        /// Whether the output folder holds the article's page (with its
        /// related explainers filled in) and timeline.json as they were made
        /// from `info`.
        @Sendable func pageIsCurrent(_ path: String, _ info: ArticleRecord.Info) -> Bool {
            guard publishes(info) else { return true }
            guard info.pageHash != 0, let fill = outputs.fills[path], fill.pageHash == info.pageHash,
                  outputs.entries[info.pagePath]?.hash == fill.outputHash else { return false }
            return info.timelineCount == 0 || copies[info.timelinePath] != nil || outputs.isCurrent(info.timelinePath)
        }
        // A rebuild told what changed, after a successful build with the same
        // templates, settings and copies, looks at the changed files only.
        var index: SessionIndex? = nil
        if let changes, mode != .replace, !changes.rescan, !changes.theme, !changes.config, let known = state.index, known.siteKey == siteKey,
           known.copyPaths == Set(copies.keys), known.futureDates.values.allSatisfy({ $0 > today }) {
            index = known
        }
        state.index = nil  // until this build has succeeded
        var pending: [Int] = []
        var previous: [ArticleRecord?] = []
        var changedPaths: [String] = []
        if let changes, index != nil {
            changedPaths = Array(Set(changes.content)).sorted()
            for path in changedPaths {
                let (k, found) = Self.position(of: path, in: files)
                guard found else { continue }
                pending.append(k)
                previous.append(state.cache.articles[path])
            }
        } else {
            // Looked at in parallel: one after another, the lookups by path
            // of 10,000 articles and their outputs were 28 ms of a build with
            // nothing to do.
            let articles = state.cache.articles
            let found = Slots<(record: ArticleRecord?, current: Bool)>(Array(repeating: (nil, false), count: files.count))
            parallelFor(files.count, workers: workers, chunk: 256) { k in
                let file = files[k]
                guard let record = articles[file.path] else { return }
                let current = record.stamp == file.stamp && file.stamp.mtime + Self.racyWindow < record.readAt
                    && (record.info.map { pageIsCurrent(file.path, $0) } ?? true)
                found.set(k, (record, current))
            }
            for k in files.indices where !found[k].current {
                pending.append(k)
                previous.append(found[k].record)
            }
        }
        let work = pending, before = previous
        // Each fresh record is encoded for the log by its worker, in parallel,
        // when the log will be appended to. A log written whole (the first
        // build) encodes the records as it streams them out instead: held
        // from here to the end, the encoded records of 10,000 articles were
        // 33 MB of the build's peak memory.
        //
        // A build that reads most articles again (after an upgrade or a
        // template change) writes the log whole too. Appended, its records
        // were held twice, by the workers and in the batch (79 MB at 10,000
        // articles: a peak of 335–338 MB, against 272–274 MB written whole),
        // and the log was left twice its size for every later build to load.
        let rewritesLog = state.cacheFile.map { $0.isEmpty || 2 * work.count >= files.count } ?? false
        if rewritesLog { batch.enabled = false }
        let logs = state.cacheFile != nil && !rewritesLog
        let results = Slots<ArticleResult>(Array(repeating: .kept, count: files.count))
        let feed = FeedCandidates(limit: 20)
        let writeProblems = DiagnosticLog()
        parallelFor(work.count, workers: workers) { w in
            let k = work[w]
            let file = files[k]
            let displayPath = "content/" + file.path
            let readAt = FileIO.now()
            let source: SourceFile
            do throws(Diagnostic) { source = try SourceFile.read(path: contentDir + "/" + file.path, displayPath: displayPath) } catch {
                results.set(k, .unreadable(error))
                return
            }
            let hash = Hash64.hash(source.bytes, seed: UInt64(source.bomLength))
            if let old = before[w], old.contentHash == hash, old.info.map({ pageIsCurrent(file.path, $0) }) ?? true {
                results.set(k, .same(stamp: file.stamp, readAt: readAt))
                return
            }
            let (article, diagnostics) = annotator.annotate(source, defaultSlug: ContentScanner.defaultSlug(file.path))
            let record = ArticleRecord(stamp: file.stamp, readAt: readAt, contentHash: hash, diagnostics: diagnostics, info: nil)
            if let article {
                let summary = ArticleSummary(article)
                var info = ArticleRecord.Info(slug: article.slug, slugLine: article.frontMatter.slug == nil ? 0 : article.frontMatter.lines["slug"] ?? 0,
                                              isDraft: article.isDraft, date: article.date,
                                              timelineCount: article.timeline.count, takeawayCount: article.takeaways.count,
                                              pageHash: 0, cardHash: summary.cardHash, profileHash: summary.relatedProfileHash,
                                              timelineHash: summary.timelineHash, relatedSlot: -1, summary: summary, encodedSummary: nil)
                if publishes(info) {
                    // The page waits in the spool for its related explainers,
                    // which the site pass chooses once every article is known.
                    let page = renderer.articlePageBytes(article)
                    info.pageHash = Hash64.hash(page)
                    info.relatedSlot = lastIndex(of: RelatedExplainers.placeholderBytes, in: page) ?? -1
                    do {
                        try spool.put(file.path, page)
                        // The article's timeline.json (SiteFeatures.swift).
                        for (path, bytes) in SiteFeatures.articleFiles(summary, config: renderer.config) where copies[path] == nil {
                            try bytes.withUnsafeBytes { try writeIfChanged(path, $0, hash: Hash64.hash($0)) }
                        }
                    } catch {
                        writeProblems.add(.error(displayPath, 1, 1, "cannot write the page: \(error.localizedDescription); the previous site is unchanged"))
                    }
                    feed.offer(summary, contentHash: hash, body: article.bodyBytes)
                }
                record.info = info
            }
            if logs { record.logged = (file.path, BuildCache.Batch.logged(file.path, record)) }
            results.set(k, .fresh(record))
        }
        clock.mark("articles")

        // 3. Across articles: what is published, unique slugs.
        var diagnostics = state.configProblems + writeProblems.all
        var report = BuildReport()
        report.ignoredSources = ignoredSources
        var oldPagePaths: [String] = []  // pages of changed articles that may be gone now
        var fastPath = false
        // Whether list pages can be told unchanged without looking (the changed
        // articles were published before and after, with the same cards).
        var listsUnchanged = true
        if index != nil {
            // Only the changed files, applied to what the last build found
            // (taken out of `index` so that changing it copies nothing).
            var known = index!
            index = nil
            var resolved = true
            for path in changedPaths {
                var stays = false  // listed before and after, with the same card
                defer { if !stays { listsUnchanged = false } }
                let old = state.cache.articles[path]
                if let info = old?.info, known.publishedIndex(path).found { oldPagePaths += [info.pagePath, info.timelinePath] }
                let (k, found) = Self.position(of: path, in: files)
                var record: ArticleRecord?
                if found {
                    switch results[k] {
                    case .kept: record = old
                    case .same(let stamp, let readAt):
                        record = old
                        old?.stamp = stamp
                        old?.readAt = readAt
                        old?.logged = nil
                        if let old { batch.article(path, old) }
                    case .fresh(let fresh):
                        record = fresh
                        state.cache.articles[path] = fresh
                        batch.article(path, fresh)
                        report.articlesRebuilt += 1
                    case .unreadable(let problem):
                        if state.cache.articles.removeValue(forKey: path) != nil { batch.articleRemoved(path) }
                        known.diagnostics[path] = nil
                        diagnostics.append(problem)
                    }
                } else if state.cache.articles.removeValue(forKey: path) != nil {
                        batch.articleRemoved(path)
                }
                // Out with the old state of the article...
                let (at, listed) = known.publishedIndex(path)
                if listed {
                    if let slug = known.published[at].record.info?.slug, known.slugOwner[slug] == path { known.slugOwner[slug] = nil }
                    known.published.remove(at: at)
                } else if let date = known.futureDates.removeValue(forKey: path) {
                    _ = date
                    known.future -= 1
                } else if let info = old?.info, info.isDraft && !drafts {
                    known.drafts -= 1
                }
                if found, case .unreadable = results[k] { continue }
                known.diagnostics[path] = nil
                // ... and in with the new.
                guard let record else { continue }
                if !record.diagnostics.isEmpty { known.diagnostics[path] = record.diagnostics }
                guard let info = record.info else { continue }
                if info.isDraft && !drafts { known.drafts += 1; continue }
                if let date = info.date, date > today, !future { known.future += 1; known.futureDates[path] = date; continue }
                if known.slugOwner[info.slug] != nil || Self.reservedSlugs.contains(info.slug) {
                    resolved = false  // the full pass words these errors
                    break
                }
                known.slugOwner[info.slug] = path
                known.published.insert((path, record), at: known.publishedIndex(path).index)
                stays = listed && old?.info?.cardHash == info.cardHash && (old?.info?.timelineCount == 0) == (info.timelineCount == 0)
            }
            if resolved {
                for (_, list) in known.diagnostics { diagnostics += list }
                report.drafts = known.drafts
                report.futureArticles = known.future
                index = known
                fastPath = true
            } else {
                index = nil
            }
        }
        if index == nil {
            index = SessionIndex(siteKey: siteKey, copyPaths: Set(copies.keys))
            diagnostics = state.configProblems + writeProblems.all
            var unreadable = 0
            for (k, file) in files.enumerated() {
                let record: ArticleRecord
                switch results[k] {
                case .kept:
                    record = state.cache.articles[file.path]!
                case .same(let stamp, let readAt):
                    record = state.cache.articles[file.path]!
                    if record.stamp != stamp || record.readAt != readAt {
                        record.stamp = stamp
                        record.readAt = readAt
                        record.logged = nil
                        batch.article(file.path, record)
                    }
                case .fresh(let fresh):
                    record = fresh
                    if state.cache.articles[file.path] !== fresh {
                        state.cache.articles[file.path] = fresh
                        batch.article(file.path, fresh)
                        report.articlesRebuilt += 1
                    }
                case .unreadable(let problem):
                    if state.cache.articles.removeValue(forKey: file.path) != nil { batch.articleRemoved(file.path) }
                    diagnostics.append(problem)
                    unreadable += 1
                    continue
                }
                if !record.diagnostics.isEmpty {
                    diagnostics += record.diagnostics
                    index!.diagnostics[file.path] = record.diagnostics
                }
                guard let info = record.info else { continue }
                if info.isDraft && !drafts { index!.drafts += 1; continue }
                if let date = info.date, date > today, !future { index!.future += 1; index!.futureDates[file.path] = date; continue }
                let displayPath = "content/" + file.path
                if let other = index!.slugOwner[info.slug] {
                    diagnostics.append(.error(displayPath, max(1, info.slugLine), 1, "the URL /\(info.slug)/ is also used by content/\(other); give one of them a different `slug:` in its front matter or rename the file"))
                } else {
                    index!.slugOwner[info.slug] = file.path
                    index!.published.append((file.path, record))
                }
                if Self.reservedSlugs.contains(info.slug) {
                    diagnostics.append(.error(displayPath, max(1, info.slugLine), 1, info.slugLine > 0
                        ? "the slug \"\(info.slug)\" is reserved for a site page; choose another `slug:`"
                        : "the file name gives the slug \"\(info.slug)\", which is reserved for a site page; rename the file or set a `slug:` in its front matter"))
                }
            }
            report.drafts = index!.drafts
            report.futureArticles = index!.future
            if state.cache.articles.count > files.count - unreadable {
                // Articles whose file is gone.
                let present = Set(files.map(\.path))
                for path in Array(state.cache.articles.keys) where !present.contains(path) {
                    state.cache.articles[path] = nil
                        batch.articleRemoved(path)
                }
            }
        }
        let published = index!.published
        diagnostics.sort { ($0.path, $0.line, $0.column, $0.message) < ($1.path, $1.line, $1.column, $1.message) }
        /// Writes what the cache learnt (the state is written whole when the
        /// log is new or most articles were read again).
        func saveCache() {
            guard let cacheFile = state.cacheFile else { return }
            swap(&outputs.entries, &state.cache.outputs)
            swap(&outputs.fills, &state.cache.fills)
            if rewritesLog { cacheFile.rewrite(state.cache) } else { cacheFile.append(batch) { state.cache } }
            swap(&outputs.entries, &state.cache.outputs)
            swap(&outputs.fills, &state.cache.fills)
        }
        // What the site pages were made from, as the output folder holds them
        // until this build commits.
        let siteBefore = state.cache.site, timelinesBefore = state.timelines
        func fail(_ all: [Diagnostic]) -> Diagnostics {
            output.discard()
            state.nextPagePlan = nil
            state.cache.site = siteBefore
            state.timelines = timelinesBefore  // what they describe was not committed
            saveCache()  // the articles read are not read again
            return Diagnostics(all)
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw fail(diagnostics) }
        if published.isEmpty {
            throw fail(diagnostics + [.error("content", 1, 1, "every article is a draft or dated in the future, so the site would be empty; pass --drafts or --future to include them")])
        }
        clock.mark("checks")

        if pagefind == nil && config.search { report.notes.append(Search.missingNote) }
        options.checkpoint?("articles")
        let oldSitePaths = siteBefore.pagePaths + siteBefore.featurePaths
        var newFills: [String: RelatedFill] = [:]
        var searchIndexed = false, searchLater = false, searchSeconds = 0.0
        func indexSearch(_ body: () throws(Diagnostic) -> Void) throws(Diagnostic) {
            let began = DispatchTime.now().uptimeNanoseconds
            try body()
            searchSeconds += Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            searchIndexed = true
        }
        do {
            // Timelines, related explainers and with them the article pages,
            // the search page (SiteFeatures.swift).
            @Sendable func renderPage(_ path: String) throws -> [UInt8] {
                let source = try SourceFile.read(path: contentDir + "/" + path, displayPath: "content/" + path)
                guard let article = annotator.annotate(source, defaultSlug: ContentScanner.defaultSlug(path)).0 else {
                    throw FileIO.Failure(path: "content/" + path, operation: "read (it changed during the build; build again)", code: EAGAIN)
                }
                return renderer.articlePageBytes(article)
            }
            let features = try writeFeatures(published, siteKey: siteKey, renderer: renderer, spool: spool, outputs: outputs,
                                             copies: copies, target: outputPath, workers: workers, clock: clock,
                                             renderPage: renderPage, write: writeIfChanged)
            newFills = features.fills
            clock.mark("features")
            // Site pages, as far as what they show changed (the sitemap lists
            // the feature pages too, so they come second).
            // Sorted from the 4,400 timeline files of a 10,000-article site,
            // twice, they were a twentieth of a title edit: made once for each
            // list of paths.
            let featurePaths = state.cache.site.featurePaths
            let featurePages: [String], featurePagesHash: UInt64
            if let known = state.featurePages, known.paths == featurePaths {
                (featurePages, featurePagesHash) = (known.pages, known.hash)
            } else {
                featurePages = Self.featurePages(featurePaths)
                var w = ByteWriter()
                for path in featurePages { w.string(path) }
                featurePagesHash = Hash64.hash(w.bytes)
                state.featurePages = (featurePaths, featurePages, featurePagesHash)
            }
            let samePages = featurePaths == siteBefore.featurePaths || featurePages == Self.featurePages(siteBefore.featurePaths)
            try writeSitePages(published, siteKey: siteKey, renderer: renderer, annotator: annotator, contentDir: contentDir,
                               feed: feed, copies: copies, outputs: outputs, workers: workers, clock: clock,
                               listsUnchanged: fastPath && listsUnchanged && samePages,
                               featurePages: featurePages, featurePagesHash: featurePagesHash, summaries: features.summaries,
                               columns: features.columns, write: writeIfChanged)
            clock.mark("site pages")


            // 4. Copies.
            for (path, plan) in copies.sorted(by: { $0.key < $1.key }) {
                switch plan {
                case .builtIn(let bytes):
                    try bytes.withUnsafeBytes { try writeIfChanged(path, $0, hash: Hash64.hash($0)) }
                case .file(let full, let key):
                    guard let stamp = FileIO.stamp(full) else { throw FileIO.Failure(path: full, operation: "read", code: ENOENT) }
                    if let known = state.cache.sources[key], known.stamp == stamp, stamp.mtime + Self.racyWindow < known.readAt,
                       outputs.entries[path]?.hash == known.hash {
                        continue
                    }
                    let readAt = FileIO.now()
                    let bytes = try FileIO.readBytes(full)
                    let hash = Hash64.hash(bytes)
                    let source = CopiedSource(stamp: stamp, readAt: readAt, hash: hash)
                    if state.cache.sources[key] != source {
                        state.cache.sources[key] = source
                        batch.source(key, source)
                    }
                    try bytes.withUnsafeBytes { try writeIfChanged(path, $0, hash: hash) }
                }
            }
            let sourceKeys = Set(copies.values.compactMap(\.key))
            for key in Array(state.cache.sources.keys) where !sourceKeys.contains(key) {
                state.cache.sources[key] = nil
                batch.sourceRemoved(key)
            }
            clock.mark("copies")

            // Files of the previous build that this one does not make.
            func articleOutput(_ path: String) -> Bool {
                for suffix in ["/index.html", "/timeline.json"] where path.hasSuffix(suffix) {
                    guard let owner = index!.slugOwner[String(path.dropLast(suffix.count))] else { return false }
                    let (at, found) = index!.publishedIndex(owner)
                    return found && (suffix == "/index.html" || index!.published[at].record.info!.timelineCount > 0)
                }
                return false
            }
            let site = state.cache.site
            if mode != .replace, fastPath, site.pagePaths == siteBefore.pagePaths, site.featurePaths == siteBefore.featurePaths {
                // Only pages of the changed articles can have gone. (The site's
                // 5,000 paths made into sets were a tenth of a title edit.)
                func wanted(_ path: String) -> Bool {
                    copies[path] != nil || site.pagePaths.contains(path) || site.featurePaths.contains(path) || articleOutput(path)
                }
                for path in Set(oldPagePaths) where outputs.entries[path] != nil && !wanted(path) { output.remove(path) }
            } else if mode != .replace, fastPath {
                // Only pages of the changed articles and site pages can have gone.
                let sitePaths = Set(site.pagePaths + site.featurePaths)
                func wanted(_ path: String) -> Bool { copies[path] != nil || sitePaths.contains(path) || articleOutput(path) }
                for path in Set(oldPagePaths + oldSitePaths) where outputs.entries[path] != nil && !wanted(path) { output.remove(path) }
            } else if mode != .replace {
                let sitePaths = Set(site.pagePaths + site.featurePaths)
                var wanted = Set<String>(minimumCapacity: 2 * published.count + sitePaths.count + copies.count)
                for (_, record) in published {
                    let info = record.info!
                    if copies[info.pagePath] == nil { wanted.insert(info.pagePath) }
                    if info.timelineCount > 0 { wanted.insert(info.timelinePath) }
                }
                wanted.formUnion(sitePaths)
                for path in copies.keys { wanted.insert(path) }
                for path in outputs.entries.keys where !wanted.contains(path) { output.remove(path) }
            }

            // 5. The search index, over the whole new site, when a page
            // changed (Pagefind indexes the site anew each time); then the commit.
            let pagesChanged = mode == .replace || output.changedPaths.contains { $0.hasSuffix(".html") }
            let searchCurrent = mode != .replace && pagefind != nil && siteBefore.searchStamp != nil
                && FileIO.stamp(searchEntry).map { $0.sameFile(as: siteBefore.searchStamp!) } == true
                && !pagesChanged
            // With `searchLater`, the index behind the pages is made by `indexSearch()`.
            searchLater = options.searchLater && pagefind != nil && !searchCurrent
            switch mode {
            case .replace:
                if let pagefind, !searchLater { try indexSearch { () throws(Diagnostic) in try Search.index(output.staging, pagefind: pagefind) } }
                options.checkpoint?("staged")
            case .stage:
                if output.hasChanges || (pagefind != nil && !searchCurrent && !searchLater) {
                    if searchCurrent || searchLater {
                        output.carryTree(Search.folder)  // behind, but it works
                    } else {
                        output.leaveOutTree(Search.folder)
                    }
                    try output.complete(carrying: Array(outputs.entries.keys))
                    options.checkpoint?("staged")
                    if let pagefind, !searchCurrent, !searchLater { try indexSearch { () throws(Diagnostic) in try Search.index(output.staging, pagefind: pagefind) } }
                }
            case .update:
                break
            }
            try output.commit()
            if searchLater && (siteBefore.searchStamp != nil || pagesChanged) || options.searchLater && pagefind == nil {
                state.searchGeneration &+= 1  // an index being made now is behind
            }
            if mode == .update {
                // Here the new site is whole only now; its index is made beside
                // it and swapped in (or removed with search).
                if let pagefind, !searchCurrent, !searchLater {
                    try indexSearch { () throws(Diagnostic) in try Search.reindex(outputPath, pagefind: pagefind) }
                } else if pagefind == nil, siteBefore.searchStamp != nil || options.searchLater && FileIO.exists(searchEntry) {
                    try? FileIO.removeTree(outputPath + "/" + Search.folder)
                }
            }
        } catch let error as Diagnostics {
            throw fail(error.all)
        } catch let error as Diagnostic {
            throw fail(diagnostics + [error])
        } catch {
            throw fail(diagnostics + [.error(options.outputPath, 1, 1, "cannot write the site: \(error.localizedDescription); the previous site is unchanged")])
        }
        if mode == .replace {
            outputs.entries = [:]
            batch.outputsCleared()
        }
        for (path, entry) in written.all {
            outputs.entries[path] = entry
            batch.output(path, entry)
        }
        if mode != .replace {
            for path in output.removedPaths {
                outputs.entries[path] = nil
                batch.outputRemoved(path)
            }
        }
        for (path, fill) in newFills {
            outputs.fills[path] = fill
            batch.fill(path, fill)
        }
        if outputs.fills.count > published.count {
            // Articles no longer published.
            for path in Array(outputs.fills.keys) where !index!.publishedIndex(path).found {
                outputs.fills[path] = nil
                batch.fillRemoved(path)
            }
        }
        if pagefind == nil || searchLater {
            state.cache.site.searchStamp = nil
            report.searchPending = searchLater
        } else if searchIndexed || siteBefore.searchStamp == nil || mode == .stage {
            state.cache.site.searchStamp = FileIO.stamp(searchEntry)
        }
        // The log replays to `siteBefore` (a new site key reset both).
        if state.cache.site != siteBefore { batch.site(state.cache.site) }
        if options.useCache {
            let owner = UInt64.random(in: 1...UInt64.max)
            state.cache.owner = owner
            batch.owner(owner)
            Self.writeOwner(ownerPath, owner)
        } else {
            try? FileIO.removeFile(ownerPath)
        }
        state.index = index
        state.pagePlan = state.nextPagePlan.take()
        if searchIndexed { clock.note("  of which search (Pagefind)", seconds: searchSeconds) }
        clock.mark("commit")
        saveCache()
        if state.cacheFile != nil {
            for k in work.indices { if case .fresh(let record) = results[work[k]] { record.logged = nil } }
        }
        clock.mark("cache write")

        report.articles = published.count
        report.pages = published.count + state.cache.site.pages + state.cache.site.featurePages
        for (_, record) in published {
            report.timelineEvents += record.info!.timelineCount
            report.takeaways += record.info!.takeawayCount
        }
        report.warnings = diagnostics
        report.changedOutputs = mode == .replace ? nil : output.changedPaths
        report.stylesOnly = (changes?.stylesOnly ?? false) && (report.changedOutputs?.allSatisfy { $0.hasSuffix(".css") } ?? false)
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        report.phases = clock.phases
        return report
    }
}

// MARK: - Site pages

/// The output manifest while a build reads it.
final class Manifest: @unchecked Sendable {
    var entries: [String: OutputEntry] = [:]
    /// How each article page's related explainers were filled in, by article path.
    var fills: [String: RelatedFill] = [:]

    /// Whether the output folder holds the file as a build wrote it.
    func isCurrent(_ path: String) -> Bool { entries[path].map { $0.hash != 0 } ?? false }
}

/// The list pages (home, each tag's) of the last build of a session, in
/// the order it wrote them, with what they were made from. Kept with the
/// `TagLists` they show: pages of the same lists, whose articles may have
/// moved.
struct KeptListPages {
    /// The lists' tags (nil for the home list), in the order `Page.list` counts them.
    var names: [String?]
    struct Page {
        var list: Int
        var page: PageRenderer.ListPage
        /// Its articles, by index in the published articles.
        var members: ArraySlice<Int>
        /// Whether an article of the whole list has a timeline.
        var hasTimeline: Bool
        var path: String
        /// Of its inputs (`writeSitePages`).
        var hash: UInt64
    }
    var year: Int
    var perPage: Int
    var hasTimeline: [Bool]
    var pages: [Page]
}

/// Each tag's articles, newest first, as a session's list pages last
/// showed them, and what that was made from. A title edit that moves an
/// article among those of its day changes the order but no article's tags:
/// the lists are then made again from each article's tags as numbers,
/// instead of looking up 30,000 tag slugs again at 10,000 articles, which
/// was half of the list pages' own time in such an edit.
struct TagLists {
    /// The articles the lists were made from (in file order), their tags and their order.
    var records: [ArticleRecord]
    var tags: [[String]]
    var order: [Int]
    /// Each tag's first spelling in `order` and its articles in that order
    /// (an article as often as it has the tag's slug).
    var list: [(name: String, members: [Int])] = []
    /// Article k's tags as places in `list`, in the order of its tags, -1
    /// for one without a slug: `places[start[k]..<start[k + 1]]`.
    var start: [Int32]
    var places: [Int32]

    /// The lists of `all` (in file order, indexed like `records`), whose tags'
    /// slugs are `keys`, in `order`.
    init(records: [ArticleRecord], _ all: [ArticleSummary], keys: [[String]], order: [Int]) {
        (self.records, self.order) = (records, order)
        tags = all.map(\.tags)
        var start: [Int32] = [0]
        start.reserveCapacity(all.count + 1)
        for k in all.indices { start.append(start[k] + Int32(all[k].tags.count)) }
        var places = [Int32](repeating: -1, count: Int(start[all.count]))
        var index: [String: Int] = [:]  // slug → place in `list`
        for k in order {
            for (i, key) in keys[k].enumerated() where !key.isEmpty {
                let t: Int
                if let known = index[key] {
                    t = known
                    list[t].members.append(k)
                } else {
                    t = list.count
                    index[key] = t
                    list.append((all[k].tags[i], [k]))
                }
                places[Int(start[k]) + i] = Int32(t)
            }
        }
        (self.start, self.places) = (start, places)
    }

    /// Whether the articles `records` (with summaries `all`) have the tags
    /// these lists were made from: only new records are looked at when there
    /// are few.
    func sameTags(_ records: [ArticleRecord], _ all: [ArticleSummary]) -> Bool {
        guard tags.count == all.count else { return false }
        let looked = SiteSession.newRecords(records, since: self.records) ?? Array(all.indices)
        return looked.allSatisfy { tags[$0] == all[$0].tags }
    }

    /// The same lists in `order`, made again from the places.
    mutating func reorder(_ order: [Int], _ all: [ArticleSummary]) {
        var members = list.map { entry -> [Int] in
            var m: [Int] = []
            m.reserveCapacity(entry.members.count)
            return m
        }
        places.withUnsafeBufferPointer { places in
            for k in order {
                for i in Int(start[k])..<Int(start[k + 1]) where places[i] >= 0 { members[Int(places[i])].append(k) }
            }
        }
        for t in list.indices {
            // The spelling of the newest article with the tag.
            let first = members[t][0], from = Int(start[first])
            let i = (from..<Int(start[first + 1])).first { places[$0] == Int32(t) }!
            list[t] = (all[first].tags[i - from], members[t])
        }
        self.order = order
    }
}

/// Rendered pieces of one article for list pages, kept by a session.
struct ArticleCards {
    var cardHash: UInt64
    /// For a page at the site's root (the home page), two folders down (a
    /// tag's page, or a later page of the home list: `page/2/`) and four
    /// down (a later page of a tag's list: `tags/x/page/2/`).
    var home: HTML
    var tag: HTML
    var deep: HTML
    var sitemap: HTML
    var sitemapHash: UInt64
    /// The slugs of the article's tags.
    var tagKeys: [String]
}

extension SiteSession {
    /// Home, tag pages, tag index, feed, sitemap and 404, from the summaries of
    /// the published articles (in file order). Nothing is rendered that cannot
    /// have changed: when no article's card changed, only the feed is looked
    /// at; otherwise each tag page is rendered only if its articles or their
    /// cards changed. `columns` are those the features pass made of `published`.
    fileprivate func writeSitePages(_ published: [(path: String, record: ArticleRecord)], siteKey: UInt64,
                                    renderer: PageRenderer, annotator: Annotator, contentDir: String,
                                    feed: FeedCandidates, copies: [String: CopyPlan], outputs: Manifest, workers: Int,
                                    clock: PhaseClock, listsUnchanged: Bool, featurePages: [String], featurePagesHash: UInt64,
                                    summaries known: SiteSummaries?, columns: ArticleColumns,
                                    write: @escaping @Sendable (String, UnsafeRawBufferPointer, UInt64) throws -> Void) throws {
        var old = state.cache.site
        let records = columns.records
        let listInputs: UInt64
        if listsUnchanged {
            listInputs = old.inputsHash  // a rebuild that knows no card changed
        } else {
            var lists = ByteWriter()
            lists.u64(siteKey)
            lists.int(published.count)
            lists.u64(columns.listSum)
            for path in copies.keys.sorted() { lists.string(path) }
            lists.u64(featurePagesHash)
            listInputs = Hash64.hash(lists.bytes)
        }
        func current(_ path: String) -> Bool { copies[path] != nil || outputs.isCurrent(path) }
        let listsCurrent = listInputs == old.inputsHash && !old.pagePaths.isEmpty && old.pagePaths.allSatisfy(current)

        @Sendable func emit(_ path: String, _ html: HTML) throws {
            guard copies[path] == nil else { return }
            try html.raw.withUTF8Bytes { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                try write(path, raw, Hash64.hash(raw))
            }
        }
        func record(_ path: String) -> ArticleRecord? {
            let at = published.partitionPoint { $0.path < path }
            return at < published.count && published[at].path == path ? published[at].record : nil
        }

        /// The feed: the full text of the 20 newest articles.
        func writeFeed(_ newest: [(path: String, summary: ArticleSummary)]) throws {
            var inputs = ByteWriter()
            inputs.u64(siteKey)
            for entry in newest { inputs.string(entry.path); inputs.u64(record(entry.path)!.contentHash) }
            let feedInputs = Hash64.hash(inputs.bytes)
            if feedInputs == old.feedInputs && current("feed.xml") {
                state.cache.site.feedInputs = feedInputs
                state.cache.site.feedPaths = newest.map(\.path)
                return
            }
            var bodies: [String: HTML] = [:]
            var feedBodies: [String: FeedBody] = [:]
            for entry in newest {
                let hash = record(entry.path)!.contentHash
                var body = feed.body(entry.path, contentHash: hash)
                if body == nil, let kept = old.feedBodies[entry.path], kept.contentHash == hash { body = kept.body }
                if body == nil,
                   let source = try? SourceFile.read(path: contentDir + "/" + entry.path, displayPath: entry.summary.path),
                   let article = annotator.annotate(source, defaultSlug: entry.summary.slug).0 {
                    body = article.body.raw
                }
                if let body {
                    bodies[entry.summary.slug] = HTML(trusted: body)
                    feedBodies[entry.path] = FeedBody(contentHash: hash, body: body)
                }
            }
            try emit("feed.xml", renderer.feed(newest.map(\.summary), bodies: bodies))
            state.cache.site.feedBodies = feedBodies
            state.cache.site.feedInputs = feedInputs
            state.cache.site.feedPaths = newest.map(\.path)
        }

        if listsCurrent, old.feedPaths.allSatisfy({ record($0) != nil }) {
            // The same articles in the same order with the same cards: only
            // the bodies in the feed can have changed.
            let newest = try zip(old.feedPaths, Self.decodeSummaries(old.feedPaths.map { ($0, record($0)!) }, workers: workers)).map { ($0, $1) }
            try writeFeed(newest)
            return
        }

        // Everything the list pages show, newest first (as the features
        // pass found them, when it needed them).
        let summaries = try known ?? siteSummaries(published, workers: workers)
        let (all, order) = (summaries.articles, summaries.order)
        var site = renderer
        site.year = columns.latestYear ?? BuildClock.today.year
        clock.mark("  site: summaries, sort")

        // Cards (and tag slugs and sitemap entries), rendered once per article
        // and kept on its record. Indexed like `published`. In a session, the
        // last build's list with the cards of new records put in (see `summaries`).
        var kept: [ArticleCards]?
        var looked = Array(records.indices)  // the records whose cards are looked at
        if let last = state.cards.take(), let changed = Self.newRecords(records, since: last.records) {
            (kept, looked) = (last.list, changed)
        }
        let toRender = looked.filter { k in records[k].cards.map { $0.cardHash != records[k].info!.cardHash } ?? true }
        let rendered = Slots<ArticleCards?>(Array(repeating: nil, count: toRender.count))
        parallelFor(toRender.count, workers: workers) { [site] s in
            let a = all[toRender[s]]
            let sitemap = site.sitemapURL("\(a.slug)/", lastmod: a.updated ?? a.date)
            let cards = site.cards(a, roots: ["./", "../../", "../../../../"])
            rendered.set(s, ArticleCards(cardHash: a.cardHash, home: cards[0], tag: cards[1], deep: cards[2],
                                         sitemap: sitemap, sitemapHash: Hash64.hash(sitemap.raw),
                                         tagKeys: a.tags.map { Slug.make($0) }))
        }
        for (s, k) in toRender.enumerated() { records[k].cards = rendered[s]! }
        let reused = kept != nil
        var cardList = kept.take() ?? records.map { $0.cards! }  // taken: changed in place, not copied
        if reused { for k in looked { cardList[k] = records[k].cards! } }
        let card = cardList
        state.cards = (records, card)
        clock.mark("  site: cards")

        var pagePaths: [String] = []
        var count = 0
        func page(_ path: String, _ html: @autoclosure () -> HTML) throws {
            try emit(path, html())
            pagePaths.append(path)
            count += 1
        }
        // The home page and each tag's page, split into pages of
        // `paginate` articles; a page is rendered when what it shows changed.
        // `tagInputs` keeps a hash of each list page's inputs, by path.
        let perPage = site.config.paginate
        var lists: [(tag: String?, members: [Int])] = [(nil, order)]

        // Each tag's articles, newest first: in a session, made again from
        // tag numbers when only the order changed, anew when some article's
        // tags did.
        var tagLists: TagLists
        if let kept = state.tagLists.take(), kept.sameTags(records, all) {
            tagLists = kept
        } else {
            tagLists = TagLists(records: records, all, keys: card.map(\.tagKeys), order: order)
            state.listPages = nil  // pages of other lists
        }
        let sameOrder = tagLists.order == order
        if !sameOrder { tagLists.reorder(order, all) }
        tagLists.records = records
        state.tagLists = tagLists
        let tagList = tagLists.list
        // Distinct spellings with one slug share a page only when they are the same string.
        var byName: [String: [Int]] = [:]
        for entry in tagList { byName[entry.name, default: []].append(contentsOf: entry.members) }
        let tags = byName.sorted { $0.key < $1.key }
        lists += tags.map { (tag: $0.key, members: $0.value) }

        var tagInputs: [String: UInt64] = [:]
        let hasTimeline = columns.hasTimeline
        /// What a list page is made from.
        func inputsHash(_ list: Int, _ page: PageRenderer.ListPage, _ members: ArraySlice<Int>, _ listHasTimeline: Bool) -> UInt64 {
            let tag = lists[list].tag
            var w = ByteWriter(capacity: 64 + (tag?.utf8.count ?? 0) + members.count * 8)
            w.optionalString(tag); w.int(site.year); w.int(page.number); w.int(page.count); w.int(lists[list].members.count)
            w.bool(listHasTimeline)
            // A card hash covers the slug: it names the article.
            for k in members { w.u64(card[k].cardHash) }
            return Hash64.hash(w.bytes)
        }
        /// The articles on page `n` (from 1) of a list.
        func onPage(_ n: Int, of members: [Int]) -> ArraySlice<Int> {
            perPage <= 0 ? members[...] : members[((n - 1) * perPage)..<min(n * perPage, members.count)]
        }
        // Each page of each list: its articles, and whether any article of the whole list has a timeline.
        var listPages: [KeptListPages.Page] = []
        // Taken here, after the cards and before anything that can fail, and
        // put back below: a rebuild that only looked at the feed keeps it.
        if let kept = state.listPages.take(), kept.names.elementsEqual(lists.lazy.map(\.tag)), kept.year == site.year,
           kept.perPage == perPage, kept.hasTimeline == hasTimeline {
            // Lists of the same articles, with the same tags, named and in
            // order as before (a tag is named as its newest article spells
            // it, and the lists go by name): the same pages.
            // A page's inputs changed only where one of its articles' cards
            // did (the cards rendered again above) or, when the order
            // changed, where its articles did. Made anew, the 2,500 pages'
            // paths and hashes were a tenth of a title edit at 10,000 articles.
            var cardChanged = [Bool](repeating: false, count: all.count)
            for k in toRender { cardChanged[k] = true }
            listPages = kept.pages
            // (Fields read one by one: a copy of each page retains its strings.)
            for n in listPages.indices {
                var moved = false
                if !sameOrder {
                    let members = onPage(listPages[n].page.number, of: lists[listPages[n].list].members)
                    moved = !members.elementsEqual(listPages[n].members)
                    listPages[n].members = members
                }
                if moved || listPages[n].members.contains(where: { cardChanged[$0] }) {
                    let p = listPages[n]
                    listPages[n].hash = inputsHash(p.list, p.page, p.members, p.hasTimeline)
                }
            }
        } else {
            for (l, list) in lists.enumerated() {
                let folder = list.tag.map(PageRenderer.tagPath) ?? ""
                let pages = PageRenderer.ListPage.count(items: list.members.count, perPage: perPage)
                let listHasTimeline = list.members.contains { hasTimeline[$0] }
                for n in 1...pages {
                    let page = PageRenderer.ListPage(number: n, count: pages, folder: folder)
                    let members = onPage(n, of: list.members)
                    listPages.append(.init(list: l, page: page, members: members, hasTimeline: listHasTimeline, path: page.path + "index.html",
                                           hash: inputsHash(l, page, members, listHasTimeline)))
                }
            }
        }
        state.listPages = KeptListPages(names: lists.map(\.tag), year: site.year, perPage: perPage, hasTimeline: hasTimeline, pages: listPages)
        var listsToRender: [Int] = []  // into `listPages`
        tagInputs.reserveCapacity(listPages.count)
        pagePaths.reserveCapacity(listPages.count + 8)
        for n in listPages.indices {
            let (path, hash) = (listPages[n].path, listPages[n].hash)
            tagInputs[path] = hash
            pagePaths.append(path)
            count += 1
            if old.tagInputs[path] != hash || !current(path) { listsToRender.append(n) }
        }
        clock.mark("  site: tag inputs")
        // The list pages that changed, in parallel (the home page and a tag
        // every article has are the two longest lists).
        let failures = Slots<(any Error)?>(Array(repeating: nil, count: listsToRender.count))
        let plan = listsToRender, pagesToRender = listPages, allLists = lists
        parallelFor(plan.count, workers: workers) { [site] r in
            let p = pagesToRender[plan[r]]
            let (l, page, members, listHasTimeline) = (p.list, p.page, p.members, p.hasTimeline)
            let first = page.number == 1
            do {
                guard let tag = allLists[l].tag else {
                    try emit(page.path + "index.html", site.homePage(
                        count: allLists[l].members.count, cards: members.map { first ? card[$0].home : card[$0].tag }, page: page))
                    return
                }
                try emit(page.path + "index.html", site.tagPage(
                    tag, count: allLists[l].members.count, hasTimeline: listHasTimeline,
                    cards: members.map { first ? card[$0].tag : card[$0].deep }, page: page))
            } catch {
                failures.set(r, error)
            }
        }
        if let error = failures.items.compactMap({ $0 }).first { throw error }
        clock.mark("  site: home and tag pages")
        let tagCounts = tags.map { (tag: $0.key, count: $0.value.count) }.sorted { ($0.count, $1.tag) > ($1.count, $0.tag) }
        // Always written, even with no tags: every page's navigation links to it.
        try page("tags/index.html", site.tagsPage(tagCounts))
        try page("404.html", site.notFoundPage())
        old.feedInputs = current("feed.xml") ? old.feedInputs : 0
        try writeFeed(order.prefix(20).map { (published[$0].path, all[$0]) })
        pagePaths.append("feed.xml")
        clock.mark("  site: feed, index, 404")

        // The sitemap, when an entry or the list of pages changed. Its
        // articles are in the order of their files, not newest first: that
        // order breaks ties by title, so that 16 of 40 title edits at 10,000
        // articles (most share their day with others) wrote the sitemap's
        // 14,022 entries again. Crawlers read no order into it.
        var sitemapInputs = ByteWriter()
        sitemapInputs.u64(siteKey)
        for k in card.indices { sitemapInputs.u64(card[k].sitemapHash) }
        for n in listPages.indices { sitemapInputs.string(listPages[n].page.path) }
        sitemapInputs.u64(featurePagesHash)
        let lastmod = all.compactMap { $0.updated ?? $0.date }.max()
        sitemapInputs.dateTime(lastmod)
        let sitemapHash = Hash64.hash(sitemapInputs.bytes)
        if sitemapHash != old.sitemapInputs || !current("sitemap.xml") {
            // The home page and its later pages, the articles, the tag index,
            // then each tag's pages.
            var urls = [site.sitemapURL("", lastmod: lastmod)]
            urls += listPages.filter { $0.list == 0 && $0.page.number > 1 }.map { site.sitemapURL($0.page.path, lastmod: nil) }
            urls += card.map(\.sitemap)
            urls.append(site.sitemapURL("tags/", lastmod: nil))
            urls += listPages.filter { $0.list > 0 }.map { site.sitemapURL($0.page.path, lastmod: nil) }
            urls += featurePages.map { site.sitemapURL($0, lastmod: nil) }
            try emit("sitemap.xml", site.sitemap(urls: HTML.joined(urls, separator: "\n")))
        }
        pagePaths.append("sitemap.xml")

        state.cache.site.inputsHash = listInputs
        state.cache.site.pages = count
        state.cache.site.pagePaths = pagePaths
        state.cache.site.tagInputs = tagInputs
        state.cache.site.sitemapInputs = sitemapHash
    }
}

extension SiteSession {
    /// The pages of the site pass of the features (timelines, search) as the
    /// sitemap lists them: folders, sorted.
    static func featurePages(_ featurePaths: [String]) -> [String] {
        featurePaths.filter { $0.hasSuffix("/index.html") }.map { String($0.dropLast("index.html".count)) }.sorted()
    }
}

enum SiteError: Error, LocalizedError {
    case cacheDamaged(String)
    var errorDescription: String? {
        switch self {
        case .cacheDamaged(let path): "the build cache entry of content/\(path) cannot be read; delete .lede-cache/ and build again"
        }
    }
}

// MARK: - Helpers of the build pass

/// Where a copied file of the site comes from.
enum CopyPlan {
    /// A file of the site folder; `key` is its path relative to the site folder.
    case file(String, key: String)
    /// A file of the built-in theme.
    case builtIn([UInt8])

    var key: String? { if case .file(_, let key) = self { key } else { nil } }
}

extension SiteSession {
    /// The theme's assets (the site's `templates/assets/`, else the built-in
    /// ones; in a production build their fingerprinted copies, `assets`),
    /// then `static/`, which wins on a clash: output path → source. A
    /// production build adds `robots` as robots.txt unless static/ has one.
    static func copies(root: String, templatesDir: String, assets: AssetFingerprints? = nil, robots: String? = nil) -> [String: CopyPlan] {
        var out: [String: CopyPlan] = [:]
        func walk(_ dir: String, key: String, prefix: String) {
            guard let entries = try? FileIO.listDirectoryTyped(dir) else { return }
            for (name, isDirectory) in entries where !name.hasPrefix(".") {
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                if isDirectory {
                    walk(dir + "/" + name, key: key + "/" + name, prefix: relative)
                } else {
                    out[relative] = .file(dir + "/" + name, key: key + "/" + name)
                }
            }
        }
        if let assets {
            for file in assets.files { out[file.path] = .builtIn(file.bytes) }
        } else {
            if FileIO.isDirectory(templatesDir + "/assets") { walk(templatesDir + "/assets", key: "templates/assets", prefix: "assets") }
            for (path, bytes) in Theme.builtInAssets where out["assets/" + path] == nil {
                out["assets/" + path] = .builtIn(bytes)
            }
        }
        if FileIO.isDirectory(root + "/static") { walk(root + "/static", key: "static", prefix: "") }
        if let robots, out["robots.txt"] == nil { out["robots.txt"] = .builtIn(Array(robots.utf8)) }
        return out
    }

    /// Where `path` is or would go in the sorted article list.
    static func position(of path: String, in files: [(path: String, stamp: FileIO.Stamp)]) -> (index: Int, found: Bool) {
        var lo = 0, hi = files.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if files[mid].path < path { lo = mid + 1 } else { hi = mid }
        }
        return (lo, lo < files.count && files[lo].path == path)
    }

    /// Updates the sorted article list after the files at `changed` (relative
    /// to content/) were added, edited or deleted.
    static func update(_ files: inout [(path: String, stamp: FileIO.Stamp)], with changed: [String], in contentDir: String) {
        for path in changed {
            var lo = 0, hi = files.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if files[mid].path < path { lo = mid + 1 } else { hi = mid }
            }
            let found = lo < files.count && files[lo].path == path
            let stamp = FileIO.stamp(contentDir + "/" + path) ?? (FileIO.exists(contentDir + "/" + path) ? FileIO.Stamp.unknown : nil)
            if let stamp, !stamp.isDirectory {
                if found { files[lo].stamp = stamp } else { files.insert((path, stamp), at: lo) }
            } else if found {
                files.remove(at: lo)
            }
        }
    }

    /// A fingerprint of everything the templates render.
    static func fingerprint(_ theme: Theme) -> UInt64 {
        var w = ByteWriter()
        for (name, template) in theme.templates.sorted(by: { $0.key < $1.key }) {
            w.string(name)
            for segment in template.segments {
                switch segment {
                case .literal(let s): w.u8(0); w.string(s)
                case .slot(let s): w.u8(1); w.string(s)
                }
            }
        }
        return Hash64.hash(w.bytes)
    }

    /// Checks the output manifest against the disk: entries whose file is gone
    /// are dropped; entries whose file was changed by something else lose
    /// their hash (0), so the file is written again if the site has it, and
    /// removed if not.
    static func verify(_ outputs: inout [String: OutputEntry], in target: String, workers: Int) {
        guard !outputs.isEmpty else { return }
        let entries = Array(outputs)
        let found = FileIO.Folder(target).stamps(entries.count, workers: workers) { entries[$0].key }
        for (k, (path, entry)) in entries.enumerated() {
            guard let stamp = found[k] else { outputs[path] = nil; continue }
            // Renaming a file changes its ctime, not its content: compare the rest.
            if stamp.size != entry.stamp.size || stamp.mtime != entry.stamp.mtime || stamp.inode != entry.stamp.inode || stamp.isDirectory {
                outputs[path]!.hash = 0
            }
        }
    }

    /// The token of the build that last wrote the output folder, kept in the
    /// cache folder: a cache whose token it is not (another set of options
    /// built the folder since) does not trust its record of the folder.
    static func readOwner(_ path: String) -> UInt64 {
        guard let bytes = try? FileIO.readBytes(path) else { return 0 }
        return UInt64(String(decoding: bytes, as: UTF8.self), radix: 16) ?? 0
    }

    static func writeOwner(_ path: String, _ owner: UInt64) {
        try? FileIO.makeDirectories((path as NSString).deletingLastPathComponent)
        try? FileIO.write(Hash64.hex(owner), to: path + ".tmp")
        try? FileIO.rename(path + ".tmp", to: path)
    }
}

/// Output files written by a build, with their hashes and stamps.
final class WrittenFiles: @unchecked Sendable {
    private let lock = Lock()
    private var items: [(String, OutputEntry)] = []
    func add(_ path: String, _ entry: OutputEntry) { lock.withLock { items.append((path, entry)) } }
    var all: [(String, OutputEntry)] { lock.withLock { items } }
}

/// The rendered bodies of the newest articles rebuilt so far, for the feed:
/// whatever the newest 20 articles of the site turn out to be, those of them
/// that were rebuilt are among the newest 20 rebuilt.
final class FeedCandidates: @unchecked Sendable {
    private let lock = Lock()
    private let limit: Int
    /// Bodies as UTF-8: made Strings only for the few the feed takes.
    private var items: [(summary: ArticleSummary, contentHash: UInt64, body: [UInt8])] = []

    init(limit: Int) { self.limit = limit }

    func offer(_ summary: ArticleSummary, contentHash: UInt64, body: [UInt8]) {
        lock.withLock {
            if items.count == limit, let last = items.last, !ArticleSummary.newestFirst(summary, last.summary) { return }
            let at = items.firstIndex { ArticleSummary.newestFirst(summary, $0.summary) } ?? items.count
            items.insert((summary, contentHash, body), at: at)
            if items.count > limit { items.removeLast() }
        }
    }

    /// The body of the article at `path` (relative to content/), if it was rebuilt.
    func body(_ path: String, contentHash: UInt64) -> String? {
        let bytes = lock.withLock { items.first { $0.summary.path == "content/" + path && $0.contentHash == contentHash }?.body }
        return bytes.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Wall and CPU time of the phases of a build and resident memory at their
/// end, and CPU time in the temporal tagger.
final class PhaseClock: @unchecked Sendable {
    let enabled: Bool
    let tagger: CPUTimeCounter?
    private var last: UInt64
    private var lastCPU: Int64
    /// Each phase's wall time, the CPU time all threads spent in it (0 for
    /// a note), and resident memory at its end: CPU over wall says how many
    /// cores the phase kept busy (near 1.0 on a 2-core machine: it runs on
    /// one).
    private(set) var phases: [(name: String, seconds: Double, cpu: Double, resident: Int)] = []

    init(enabled: Bool) {
        self.enabled = enabled
        tagger = enabled ? CPUTimeCounter() : nil
        last = DispatchTime.now().uptimeNanoseconds
        lastCPU = enabled ? CPUTimeCounter.processTime() : 0
    }

    func mark(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds, cpu = CPUTimeCounter.processTime()
        phases.append((name, Double(now - last) / 1e9, Double(cpu - lastCPU) / 1e9, Self.residentBytes()))
        last = now
        lastCPU = cpu
        if name == "articles", let tagger { phases.append(("tagger (CPU, all threads)", tagger.seconds, 0, 0)) }
    }

    /// A share of the phase under way, measured by the caller; listed before it.
    func note(_ name: String, seconds: Double) {
        guard enabled else { return }
        phases.append((name, seconds, 0, 0))
    }

    /// A process's resident memory now (VmRSS, from /proc; 0 when unknown):
    /// this one's, or the one `pid` names.
    static func residentBytes(pid: Int32? = nil) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
