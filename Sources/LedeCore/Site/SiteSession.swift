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
    private var state = SessionState()

    public init(options: BuildOptions) {
        self.options = options
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
        var report = try run(changes: ChangeSet(changed))
        report.changedSources = changed
        return report
    }
}

/// What a rebuild is told changed.
struct ChangeSet {
    var theme = false
    var config = false
    /// Article paths relative to content/.
    var content: [String] = []
    /// Something under content/ that is not an article file (a folder, say):
    /// look at the whole folder again.
    var rescan = false
    /// Only stylesheets changed.
    var stylesOnly = true

    init(_ paths: [String]) {
        for raw in paths {
            var path = raw
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
                if ContentScanner.isArticleName(name) { content.append(relative) } else { rescan = true }
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
    /// Rendered cards of articles for list pages, by source path.
    var cards: [String: (contentHash: UInt64, home: HTML, tag: HTML)] = [:]
}

/// The build pass.
extension SiteSession {
    /// A file changed this close (in ns) before it was read may have changed
    /// again within the same clock tick: it is read again next time.
    static let racyWindow: Int64 = 100_000_000

    static let reservedSlugs: Set<String> = ["tags", "assets", "feed.xml", "sitemap.xml", "404.html", "index.html", "timeline", "search"]

    enum ArticleResult {
        /// Not looked at: the stamp says it is unchanged and its page is current.
        case kept
        /// Read, and the same bytes as before.
        case same(stamp: FileIO.Stamp, readAt: Int64)
        /// Annotated (and rendered, if it is published).
        case fresh(ArticleRecord)
        case unreadable(Diagnostic)
    }

    private func run(changes: ChangeSet?) throws(Diagnostics) -> BuildReport {
        let started = DispatchTime.now().uptimeNanoseconds
        let clock = PhaseClock(enabled: options.measurePhases)
        let root = URL(fileURLWithPath: options.siteRoot).standardizedFileURL.path
        let templatesDir = root + "/templates"
        let contentDir = root + "/content"
        let outputPath = URL(fileURLWithPath: options.outputPath).standardizedFileURL.path
        let workers = max(1, options.workers)

        // 1. Inputs.
        if state.theme == nil || changes == nil || changes!.theme {
            state.theme = nil
            let theme = try Theme.load(siteTemplates: FileIO.isDirectory(templatesDir) ? templatesDir : nil)
            state.theme = theme
            state.themeHash = Self.fingerprint(theme)
        }
        let theme = state.theme!
        guard FileIO.isDirectory(contentDir) else {
            throw Diagnostics([.error("content", 1, 1, "there is no content/ folder in \(root); create it and put Markdown articles (*.md) in it, or pass --source DIR")])
        }
        if !state.configLoaded || changes == nil || changes!.config {
            let indexPath = contentDir + "/_index.md"
            var problems: [Diagnostic] = []
            var indexSource: SourceFile?
            if FileIO.exists(indexPath) {
                do { indexSource = try SourceFile.read(URL(fileURLWithPath: indexPath), displayPath: "content/_index.md") } catch { problems.append(error) }
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
        let files: [(path: String, stamp: FileIO.Stamp)]
        if let changes, !changes.rescan, let known = state.files {
            files = Self.update(known, with: changes.content, in: contentDir)
        } else {
            do { files = try ContentScanner.scan(contentDir) } catch { throw Diagnostics([error]) }
        }
        state.files = files
        if files.isEmpty {
            throw Diagnostics([.error("content", 1, 1, "content/ has no articles; add a Markdown file such as content/my-first-explainer.md with a title in its front matter")])
        }
        let today = BuildClock.today
        var key = ByteWriter()
        key.u32(BuildCache.formatVersion); key.string(LedeVersion.string); key.u64(state.themeHash); key.u64(state.configHash)
        key.optionalString(options.baseURL); key.int(today.year)
        let siteKey = Hash64.hash(key.bytes)
        clock.mark("inputs")

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
            }
        }
        // Records are appended to the log only when there is one to append to.
        batch.enabled = !(state.cacheFile?.isEmpty ?? true)
        defer { state.cacheFile?.unlock() }
        if state.cache.siteKey != siteKey {
            state.cache.articles = [:]
            state.cache.site = SiteRecord()
            state.cache.siteKey = siteKey
            state.cards = [:]
            batch.siteKey(siteKey)
        }
        if !options.useCache || !FileIO.isDirectory(outputPath) || Self.readOwner(ownerPath) != state.cache.owner {
            state.cache.outputs = [:]
        }
        if !state.outputVerified {
            Self.verify(&state.cache.outputs, in: outputPath, workers: workers)
            state.outputVerified = true
        }
        let mode: OutputFolder.Mode = state.cache.outputs.isEmpty ? .replace : .update
        let output: OutputFolder
        do { output = try OutputFolder(target: outputPath, mode: mode) } catch {
            throw Diagnostics([.error(options.outputPath, 1, 1, "cannot prepare the output folder: \(error.localizedDescription)")])
        }
        let written = WrittenFiles()
        let outputs = state.cache.outputs
        @Sendable func writeIfChanged(_ path: String, _ bytes: UnsafeRawBufferPointer, hash: UInt64) throws {
            if let old = outputs[path], old.hash == hash { return }
            let stamp = try output.write(path, bytes)
            written.add(path, OutputEntry(hash: hash, stamp: stamp))
        }
        let copies = Self.copies(root: root, templatesDir: templatesDir)
        clock.mark("cache")

        // 2. Articles.
        let annotator = Annotator(theme: theme, settings: AnnotationSettings(
            genre: config.genre, autoTakeaways: config.autoTakeaways, taggerClock: clock.tagger))
        let renderer = PageRenderer(theme: theme, config: config)
        let drafts = options.drafts, future = options.future
        @Sendable func publishes(_ info: ArticleRecord.Info) -> Bool {
            if info.isDraft && !drafts { return false }
            if let date = info.date, date > today, !future { return false }
            return copies[info.pagePath] == nil
        }
        @Sendable func pageIsCurrent(_ info: ArticleRecord.Info) -> Bool {
            !publishes(info) || (info.pageHash != 0 && outputs[info.pagePath]?.hash == info.pageHash)
        }
        var pending: [Int] = []
        for (k, file) in files.enumerated() {
            if let record = state.cache.articles[file.path], record.stamp == file.stamp,
               file.stamp.mtime + Self.racyWindow < record.readAt, record.info.map(pageIsCurrent) ?? true {
                continue
            }
            pending.append(k)
        }
        let work = pending
        let results = Slots<ArticleResult>(Array(repeating: .kept, count: files.count))
        let feed = FeedCandidates(limit: 20)
        let records = state.cache.articles
        let writeProblems = DiagnosticLog()
        parallelFor(work.count, workers: workers) { w in
            let k = work[w]
            let file = files[k]
            let displayPath = "content/" + file.path
            let readAt = FileIO.now()
            let source: SourceFile
            do throws(Diagnostic) { source = try SourceFile.read(URL(fileURLWithPath: contentDir + "/" + file.path), displayPath: displayPath) } catch {
                results.set(k, .unreadable(error))
                return
            }
            let hash = Hash64.hash(source.bytes, seed: UInt64(source.bomLength))
            if let old = records[file.path], old.contentHash == hash, old.info.map(pageIsCurrent) ?? true {
                results.set(k, .same(stamp: file.stamp, readAt: readAt))
                return
            }
            let (article, diagnostics) = annotator.annotate(source, defaultSlug: ContentScanner.defaultSlug(file.path))
            var record = ArticleRecord(stamp: file.stamp, readAt: readAt, contentHash: hash, diagnostics: diagnostics, info: nil)
            if let article {
                let summary = ArticleSummary(article)
                var info = ArticleRecord.Info(slug: article.slug, isDraft: article.isDraft, date: article.date,
                                              timelineCount: article.timeline.count, takeawayCount: article.takeaways.count,
                                              pageHash: 0, summary: summary, encodedSummary: nil)
                if publishes(info) {
                    var page = renderer.articlePage(article).raw
                    page.withUTF8 { bytes in
                        let raw = UnsafeRawBufferPointer(bytes)
                        info.pageHash = Hash64.hash(raw)
                        do { try writeIfChanged(info.pagePath, raw, hash: info.pageHash) } catch {
                            writeProblems.add(.error(displayPath, 1, 1, "cannot write the page: \(error.localizedDescription)"))
                        }
                    }
                    feed.offer(summary, contentHash: hash, body: article.body.raw)
                }
                record.info = info
            }
            results.set(k, .fresh(record))
        }
        clock.mark("articles")

        // 3. Across articles: what is published, unique slugs.
        var diagnostics = state.configProblems + writeProblems.all
        var published: [(path: String, info: ArticleRecord.Info)] = []
        var report = BuildReport()
        var bySlug: [String: String] = [:]
        var present = Set<String>()
        for (k, file) in files.enumerated() {
            present.insert(file.path)
            switch results[k] {
            case .kept: break
            case .same(let stamp, let readAt):
                state.cache.articles[file.path]!.stamp = stamp
                state.cache.articles[file.path]!.readAt = readAt
                batch.article(file.path, state.cache.articles[file.path]!)
            case .fresh(let record):
                state.cache.articles[file.path] = record
                batch.article(file.path, record)
                report.articlesRebuilt += 1
            case .unreadable(let problem):
                state.cache.articles[file.path] = nil
                batch.articleRemoved(file.path)
                diagnostics.append(problem)
                continue
            }
            let record = state.cache.articles[file.path]!
            diagnostics += record.diagnostics
            guard let info = record.info else { continue }
            if info.isDraft && !drafts { report.drafts += 1; continue }
            if let date = info.date, date > today, !future { report.futureArticles += 1; continue }
            let displayPath = "content/" + file.path
            if let other = bySlug[info.slug] {
                diagnostics.append(.error(displayPath, 1, 1, "the URL /\(info.slug)/ is also used by \(other); give one of them a different `slug:` in its front matter or rename the file"))
            } else {
                bySlug[info.slug] = displayPath
                published.append((file.path, info))
            }
            if Self.reservedSlugs.contains(info.slug) {
                diagnostics.append(.error(displayPath, 1, 1, "the slug \"\(info.slug)\" is reserved for a site page; choose another `slug:`"))
            }
        }
        for path in state.cache.articles.keys where !present.contains(path) {
            state.cache.articles[path] = nil
            state.cards[path] = nil
            batch.articleRemoved(path)
        }
        diagnostics.sort { ($0.path, $0.line, $0.column, $0.message) < ($1.path, $1.line, $1.column, $1.message) }
        func fail(_ all: [Diagnostic]) -> Diagnostics {
            output.discard()
            if let cacheFile = state.cacheFile {
                if cacheFile.isEmpty { cacheFile.rewrite(state.cache) } else { cacheFile.append(batch) { state.cache } }
            }
            return Diagnostics(all)
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw fail(diagnostics) }
        if published.isEmpty {
            throw fail(diagnostics + [.error("content", 1, 1, "every article is a draft or dated in the future, so the site would be empty; pass --drafts or --future to include them")])
        }

        // Site pages, when something they show changed.
        var inputs = ByteWriter()
        inputs.u64(siteKey)
        for (path, info) in published {
            inputs.string(path); inputs.u64(state.cache.articles[path]!.contentHash); inputs.string(info.slug)
        }
        for path in copies.keys.sorted() { inputs.string(path) }
        let siteInputs = Hash64.hash(inputs.bytes)
        let siteCurrent = siteInputs == state.cache.site.inputsHash
            && state.cache.site.pagePaths.allSatisfy { copies[$0] != nil || (outputs[$0].map { $0.hash != 0 } ?? false) }
        do {
            if !siteCurrent {
                try writeSitePages(published, renderer: renderer, annotator: annotator, contentDir: contentDir,
                                   feed: feed, copies: copies, siteInputs: siteInputs, workers: workers, write: writeIfChanged)
                batch.site(state.cache.site)
            }
            clock.mark("site pages")

            // 4. Copies.
            for (path, plan) in copies.sorted(by: { $0.key < $1.key }) {
                switch plan {
                case .builtIn(let bytes):
                    try bytes.withUnsafeBytes { try writeIfChanged(path, $0, hash: Hash64.hash($0)) }
                case .file(let full, let key):
                    guard let stamp = FileIO.stamp(full) else { throw FileIO.Failure(path: full, operation: "read", code: ENOENT) }
                    if let known = state.cache.sources[key], known.stamp == stamp, stamp.mtime + Self.racyWindow < known.readAt,
                       outputs[path]?.hash == known.hash {
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
            for key in state.cache.sources.keys where !copies.values.contains(where: { $0.key == key }) {
                state.cache.sources[key] = nil
                batch.sourceRemoved(key)
            }
            clock.mark("copies")

            // Files of the previous build that this one does not make.
            if mode == .update {
                var wanted = Set<String>(minimumCapacity: published.count + state.cache.site.pagePaths.count + copies.count)
                for (_, info) in published where copies[info.pagePath] == nil { wanted.insert(info.pagePath) }
                for path in state.cache.site.pagePaths { wanted.insert(path) }
                for path in copies.keys { wanted.insert(path) }
                for path in outputs.keys where !wanted.contains(path) { output.remove(path) }
            }

            // 5. Commit.
            try output.commit()
        } catch let error as Diagnostics {
            throw fail(error.all)
        } catch {
            throw fail(diagnostics + [.error(options.outputPath, 1, 1, "cannot write the site: \(error.localizedDescription); the previous site is unchanged")])
        }
        if mode == .replace {
            state.cache.outputs = [:]
            batch.outputsCleared()
        }
        for (path, entry) in written.all {
            state.cache.outputs[path] = entry
            batch.output(path, entry)
        }
        if mode == .update {
            for path in output.removedPaths {
                state.cache.outputs[path] = nil
                batch.outputRemoved(path)
            }
        }
        if options.useCache {
            let owner = UInt64.random(in: 1...UInt64.max)
            state.cache.owner = owner
            batch.owner(owner)
            Self.writeOwner(ownerPath, owner)
        } else {
            try? FileIO.removeFile(ownerPath)
        }
        clock.mark("commit")
        if let cacheFile = state.cacheFile {
            if cacheFile.isEmpty { cacheFile.rewrite(state.cache) } else { cacheFile.append(batch) { state.cache } }
        }
        clock.mark("cache write")

        report.articles = published.count
        report.pages = published.count + state.cache.site.pages
        for (_, info) in published {
            report.timelineEvents += info.timelineCount
            report.takeaways += info.takeawayCount
        }
        report.warnings = diagnostics
        report.changedOutputs = mode == .update ? output.changedPaths : nil
        report.stylesOnly = (changes?.stylesOnly ?? false) && (report.changedOutputs?.allSatisfy { $0.hasSuffix(".css") } ?? false)
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        report.phases = clock.phases
        return report
    }
}

// MARK: - Site pages

extension SiteSession {
    /// Home, tag pages, tag index, feed, sitemap and 404, from the summaries of
    /// the published articles (in file order).
    fileprivate func writeSitePages(_ published: [(path: String, info: ArticleRecord.Info)], renderer: PageRenderer,
                                    annotator: Annotator, contentDir: String, feed: FeedCandidates,
                                    copies: [String: CopyPlan], siteInputs: UInt64, workers: Int,
                                    write: @escaping @Sendable (String, UnsafeRawBufferPointer, UInt64) throws -> Void) throws {
        // Summaries (decoded from the cache where the article was not rebuilt).
        let decoded = Slots<ArticleSummary?>(Array(repeating: nil, count: published.count))
        parallelFor(published.count, workers: workers) { k in decoded.set(k, published[k].info.decodedSummary()) }
        var entries: [(path: String, summary: ArticleSummary)] = []
        entries.reserveCapacity(published.count)
        for (k, (path, _)) in published.enumerated() {
            guard let summary = decoded[k] else { throw SiteError.cacheDamaged(path) }
            entries.append((path, summary))
            if state.cache.articles[path]!.info!.summary == nil {
                state.cache.articles[path]!.info!.summary = summary
                state.cache.articles[path]!.info!.encodedSummary = nil
            }
        }
        entries.sort { ArticleSummary.newestFirst($0.summary, $1.summary) }
        let sorted = entries
        let articles = entries.map(\.summary)
        var site = renderer
        site.year = articles.compactMap { $0.date?.year }.max() ?? BuildClock.today.year

        // Cards, each rendered once per site (and kept by a session).
        let known = state.cards
        let cards = Slots<(contentHash: UInt64, home: HTML, tag: HTML)?>(Array(repeating: nil, count: entries.count))
        let hashes = entries.map { state.cache.articles[$0.path]!.contentHash }
        parallelFor(entries.count, workers: workers) { [site] k in
            if let card = known[sorted[k].path], card.contentHash == hashes[k] { cards.set(k, card); return }
            let a = sorted[k].summary
            cards.set(k, (hashes[k], site.card(a, root: "./"), site.card(a, root: "../../")))
        }
        for (k, entry) in entries.enumerated() { state.cards[entry.path] = cards[k]! }

        // The pages, each written as soon as it is made (so that only one big
        // list page at a time is in memory).
        var paths: [String] = []
        var count = 0
        @Sendable func emit(_ path: String, _ html: HTML) throws {
            guard copies[path] == nil else { return }
            var text = html.raw
            try text.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                try write(path, raw, Hash64.hash(raw))
            }
        }
        func page(_ path: String, _ html: HTML) throws {
            try emit(path, html)
            paths.append(path)
        }
        try page("index.html", site.homePage(articles, cards: HTML.joined((0..<entries.count).map { cards[$0]!.home }, separator: "\n")))
        count += 1
        var byTag: [String: [Int]] = [:]
        var tagNames: [String: String] = [:]  // slug → first spelling seen
        for (k, a) in articles.enumerated() {
            for tag in a.tags {
                let key = Slug.make(tag)
                guard !key.isEmpty else { continue }
                let name = tagNames[key] ?? tag
                tagNames[key] = name
                byTag[name, default: []].append(k)
            }
        }
        let tags = byTag.sorted { $0.key < $1.key }
        let failure = Slots<(any Error)?>(Array(repeating: nil, count: tags.count))
        parallelFor(tags.count, workers: workers) { [site] t in
            let (tag, members) = tags[t]
            let list = members.map { articles[$0] }
            do {
                try emit(PageRenderer.tagPath(tag) + "index.html",
                         site.tagPage(tag, list, cards: HTML.joined(members.map { cards[$0]!.tag }, separator: "\n")))
            } catch {
                failure.set(t, error)
            }
        }
        if let error = failure.items.compactMap({ $0 }).first { throw error }
        for (tag, _) in tags {
            paths.append(PageRenderer.tagPath(tag) + "index.html")
            count += 1
        }
        let tagCounts = byTag.map { (tag: $0.key, count: $0.value.count) }.sorted { ($0.count, $1.tag) > ($1.count, $0.tag) }
        if !tagCounts.isEmpty {
            try page("tags/index.html", site.tagsPage(tagCounts))
            count += 1
        }
        try page("404.html", site.notFoundPage())
        count += 1

        // The feed carries the full text of the 20 newest articles.
        let newest = Array(entries.prefix(20))
        var bodies: [String: HTML] = [:]
        var feedBodies: [String: (contentHash: UInt64, body: String)] = [:]
        for entry in newest {
            let hash = state.cache.articles[entry.path]!.contentHash
            var body = feed.body(entry.path, contentHash: hash)
            if body == nil, let kept = state.cache.site.feedBodies[entry.path], kept.contentHash == hash { body = kept.body }
            if body == nil,
               let source = try? SourceFile.read(URL(fileURLWithPath: contentDir + "/" + entry.path), displayPath: entry.summary.path),
               let article = annotator.annotate(source, defaultSlug: entry.summary.slug).0 {
                body = article.body.raw
            }
            if let body {
                bodies[entry.summary.slug] = HTML(trusted: body)
                feedBodies[entry.path] = (hash, body)
            }
        }
        try page("feed.xml", site.feed(newest.map(\.summary), bodies: bodies))
        var urls: [(path: String, lastmod: DateTime?)] = [("", articles.compactMap { $0.updated ?? $0.date }.max())]
        urls += articles.map { ("\($0.slug)/", $0.updated ?? $0.date) }
        urls += byTag.keys.sorted().map { (PageRenderer.tagPath($0), nil) }
        try page("sitemap.xml", site.sitemap(urls))
        state.cache.site = SiteRecord(inputsHash: siteInputs, pages: count, feedBodies: feedBodies, pagePaths: paths)
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
    /// ones), then `static/`, which wins on a clash: output path → source.
    static func copies(root: String, templatesDir: String) -> [String: CopyPlan] {
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
        if FileIO.isDirectory(templatesDir + "/assets") { walk(templatesDir + "/assets", key: "templates/assets", prefix: "assets") }
        for (path, bytes) in Theme.builtInAssets where out["assets/" + path] == nil {
            out["assets/" + path] = .builtIn(bytes)
        }
        if FileIO.isDirectory(root + "/static") { walk(root + "/static", key: "static", prefix: "") }
        return out
    }

    /// The article list after the files at `changed` (relative to content/)
    /// were added, edited or deleted.
    static func update(_ files: [(path: String, stamp: FileIO.Stamp)], with changed: [String], in contentDir: String) -> [(path: String, stamp: FileIO.Stamp)] {
        guard !changed.isEmpty else { return files }
        var byPath = Dictionary(files.map { ($0.path, $0.stamp) }, uniquingKeysWith: { a, _ in a })
        for path in changed {
            if let stamp = FileIO.stamp(contentDir + "/" + path), !stamp.isDirectory { byPath[path] = stamp } else { byPath[path] = nil }
        }
        return byPath.map { (path: $0.key, stamp: $0.value) }.sorted { $0.path < $1.path }
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
        let found = Slots<FileIO.Stamp?>(Array(repeating: nil, count: entries.count))
        parallelFor((entries.count + 255) / 256, workers: workers) { chunk in
            for k in (chunk * 256)..<min(entries.count, chunk * 256 + 256) {
                found.set(k, FileIO.stamp(target + "/" + entries[k].key))
            }
        }
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
    private var items: [(summary: ArticleSummary, contentHash: UInt64, body: String)] = []

    init(limit: Int) { self.limit = limit }

    func offer(_ summary: ArticleSummary, contentHash: UInt64, body: String) {
        lock.withLock {
            if items.count == limit, let last = items.last, !ArticleSummary.newestFirst(summary, last.summary) { return }
            let at = items.firstIndex { ArticleSummary.newestFirst(summary, $0.summary) } ?? items.count
            items.insert((summary, contentHash, body), at: at)
            if items.count > limit { items.removeLast() }
        }
    }

    /// The body of the article at `path` (relative to content/), if it was rebuilt.
    func body(_ path: String, contentHash: UInt64) -> String? {
        lock.withLock { items.first { $0.summary.path == "content/" + path && $0.contentHash == contentHash }?.body }
    }
}

/// Wall time of the phases of a build, and CPU time in the temporal tagger.
final class PhaseClock: @unchecked Sendable {
    let enabled: Bool
    let tagger: CPUTimeCounter?
    private var last: UInt64
    private(set) var phases: [(name: String, seconds: Double)] = []

    init(enabled: Bool) {
        self.enabled = enabled
        tagger = enabled ? CPUTimeCounter() : nil
        last = DispatchTime.now().uptimeNanoseconds
    }

    func mark(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        phases.append((name, Double(now - last) / 1e9))
        if let statm = try? FileIO.readBytes("/proc/self/statm") {
            let fields = String(decoding: statm, as: UTF8.self).split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) { phases.append(("  rss MB", pages * 4096 / 1e6)) }
        }
        last = now
        if name == "articles", let tagger { phases.append(("tagger (CPU, all threads)", tagger.seconds)) }
    }
}
