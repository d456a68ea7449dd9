import Dispatch
import Foundation

/// What `lede build` is asked to do.
public struct BuildOptions: Sendable {
    /// The site folder, holding content/, templates/ and static/.
    public var siteRoot: String
    /// Where the site goes; `public/` in the site folder by default.
    public var output: String?
    public var drafts = false
    public var future = false
    /// Overrides the base URL of content/_index.md.
    public var baseURL: String?
    /// Parallel workers; all cores by default.
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    /// A production build (`lede publish`, `lede check`): theme assets under
    /// fingerprinted names and a robots.txt; see Publish/Production.swift.
    public var production = false

    public init(siteRoot: String, output: String? = nil, drafts: Bool = false, future: Bool = false, baseURL: String? = nil) {
        self.siteRoot = siteRoot
        self.output = output
        self.drafts = drafts
        self.future = future
        self.baseURL = baseURL
    }

    public var outputPath: String { output ?? (siteRoot + "/public") }
}

/// What a build did.
public struct BuildReport: Sendable {
    public var articles = 0
    public var pages = 0
    public var timelineEvents = 0
    public var takeaways = 0
    public var drafts = 0
    public var futureArticles = 0
    public var seconds = 0.0
    public var warnings: [Diagnostic] = []
    /// Things the build says once that are not about the content ("search left out: ...").
    public var notes: [String] = []
    /// For rebuilds: the source files that changed (relative to the site folder).
    public var changedSources: [String] = []
    /// For rebuilds: the output files written or removed (relative to the output
    /// folder), or nil when the whole output was rewritten.
    public var changedOutputs: [String]?
    /// For rebuilds: true when only stylesheets changed, so pages can swap CSS
    /// without reloading.
    public var stylesOnly = false

    /// One line for the terminal.
    public var summary: String {
        func n(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        var s = "built \(n(pages, "page")) (\(n(articles, "article"))) with \(n(timelineEvents, "timeline event")) and \(n(takeaways, "takeaway"))"
        if drafts > 0 { s += ", \(n(drafts, "draft")) left out" }
        if futureArticles > 0 { s += ", \(futureArticles) future-dated left out" }
        return s + " in \(String(format: "%.2f", seconds)) s"
    }
}

/// The whole pipeline: content/ in, a complete site out, or errors and the
/// previous site untouched.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions) throws(Diagnostics) -> BuildReport {
        let started = DispatchTime.now().uptimeNanoseconds
        let root = URL(fileURLWithPath: options.siteRoot).standardizedFileURL.path
        let log = DiagnosticLog()

        // Inputs: templates, settings, the list of articles.
        let templatesDir = root + "/templates"
        var theme: Theme
        do {
            theme = try Theme.load(siteTemplates: FileIO.isDirectory(templatesDir) ? templatesDir : nil)
        } catch {
            throw error
        }
        let contentDir = root + "/content"
        guard FileIO.isDirectory(contentDir) else {
            throw Diagnostics([.error("content", 1, 1, "there is no content/ folder in \(root); create it and put Markdown articles (*.md) in it, or pass --source DIR")])
        }
        let indexPath = contentDir + "/_index.md"
        var indexSource: SourceFile?
        if FileIO.exists(indexPath) {
            do { indexSource = try SourceFile.read(URL(fileURLWithPath: indexPath), displayPath: "content/_index.md") } catch { log.add(error) }
        }
        var (config, configProblems) = SiteConfig.load(indexSource)
        log.add(contentsOf: configProblems)
        if let override = options.baseURL {
            guard let url = SiteConfig.normalizeBaseURL(override) else {
                throw Diagnostics([.error("--base-url", 1, 1, "\"\(override)\" is not an absolute http(s) URL like https://example.org/")])
            }
            config.baseURL = url
        }
        configProblems = []
        // Production: fingerprinted asset names, mapped into the theme (Publish/Production.swift).
        var assets: AssetFingerprints?
        if options.production { (theme, assets) = try Production.prepare(theme: theme, templatesDir: templatesDir, config: config) }
        let files: [String]
        do { files = try ContentScanner.articles(in: contentDir) } catch { throw Diagnostics([error]) }
        if files.isEmpty {
            throw Diagnostics([.error("content", 1, 1, "content/ has no articles; add a Markdown file such as content/my-first-explainer.md with a title in its front matter")])
        }

        let output: OutputFolder
        do { output = try OutputFolder(target: options.outputPath) } catch {
            throw Diagnostics([.error(options.outputPath, 1, 1, "cannot prepare the output folder: \(error.localizedDescription)")])
        }

        // Articles, in parallel: annotate, render, write; keep summaries only.
        let annotator = Annotator(theme: theme, settings: AnnotationSettings(genre: config.genre, autoTakeaways: config.autoTakeaways))
        // Search (Search.swift): with Pagefind, pages get a search box and the site a search page.
        let pagefind = config.search ? Search.locate() : nil
        let renderer = PageRenderer(theme: theme, config: config, search: pagefind != nil)
        let results = ArticleResults(count: files.count)
        let today = BuildClock.today
        let next = AtomicCounter()
        let workers = max(1, min(options.workers, files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let k = next.increment()
                guard k < files.count else { break }
                let relative = files[k]
                let source: SourceFile
                do throws(Diagnostic) { source = try SourceFile.read(URL(fileURLWithPath: contentDir + "/" + relative), displayPath: "content/" + relative) } catch {
                    log.add(error)
                    continue
                }
                let (article, problems) = annotator.annotate(source, defaultSlug: ContentScanner.defaultSlug(relative))
                log.add(contentsOf: problems)
                guard let article else { continue }
                if article.isDraft && !options.drafts { results.set(k, .draft); continue }
                if let date = article.date, date > today, !options.future { results.set(k, .future); continue }
                let page = renderer.articlePage(article)
                let summary = ArticleSummary(article)
                do {
                    try output.write("\(article.slug)/index.html", page.raw)
                    // The article's timeline.json (SiteFeatures.swift).
                    for file in SiteFeatures.articleFiles(summary, config: renderer.config) { try output.write(file.path, file.text) }
                } catch {
                    log.add(.error("content/" + relative, 1, 1, "cannot write the page: \(error.localizedDescription)"))
                }
                results.set(k, .built(summary))
            }
        }

        // Slugs must be unique.
        var bySlug: [String: String] = [:]
        var articles: [ArticleSummary] = []
        var report = BuildReport()
        for (k, result) in results.all.enumerated() {
            switch result {
            case .built(let a):
                if let other = bySlug[a.slug] {
                    log.add(.error(a.path, 1, 1, "the URL /\(a.slug)/ is also used by \(other); give one of them a different `slug:` in its front matter or rename the file"))
                } else {
                    bySlug[a.slug] = a.path
                    articles.append(a)
                }
                if ["tags", "assets", "feed.xml", "sitemap.xml", "404.html", "index.html", "timeline", "search"].contains(a.slug) {
                    log.add(.error(a.path, 1, 1, "the slug \"\(a.slug)\" is reserved for a site page; choose another `slug:`"))
                }
            case .draft: report.drafts += 1
            case .future: report.futureArticles += 1
            case .none: _ = files[k]
            }
        }
        let problems = log.all
        if problems.contains(where: { $0.severity == .error }) {
            output.discard()
            throw Diagnostics(problems)
        }
        if articles.isEmpty {
            output.discard()
            throw Diagnostics(problems + [.error("content", 1, 1, "every article is a draft or dated in the future, so the site would be empty; pass --drafts or --future to include them")])
        }

        // Site pages.
        articles.sort(by: ArticleSummary.newestFirst)
        var siteRenderer = renderer
        siteRenderer.year = articles.compactMap { $0.date?.year }.max() ?? today.year
        do {
            try writeSitePages(articles, renderer: siteRenderer, annotator: annotator, contentDir: contentDir, output: output, report: &report)
            // Site and tag timelines, related explainers, search page (SiteFeatures.swift).
            report.pages += try SiteFeatures.write(articles, renderer: siteRenderer, output: output, workers: options.workers)
            // Assets of the theme, then static/ (which wins on a clash).
            let assetsDir = templatesDir + "/assets"
            try assets?.write(to: output)  // production: the fingerprinted copies instead of the two below
            if assets == nil, FileIO.isDirectory(assetsDir) { try output.copyTree(from: assetsDir, to: "assets") }
            for (path, bytes) in Theme.builtInAssets where assets == nil && !output.exists("assets/" + path) {
                try output.write("assets/" + path, bytes)
            }
            let staticDir = root + "/static"
            if FileIO.isDirectory(staticDir) { try output.copyTree(from: staticDir) }
            if options.production { try Production.finish(output, config: config) }  // robots.txt
            // The search index, over the finished site (Search.swift).
            if let pagefind { try Search.index(output.staging, pagefind: pagefind) } else if config.search { report.notes.append(Search.missingNote) }
            try output.commit()
        } catch let error as Diagnostics {
            output.discard()
            throw error
        } catch let error as Diagnostic {
            output.discard()
            throw Diagnostics(problems + [error])
        } catch {
            output.discard()
            throw Diagnostics(problems + [.error(options.outputPath, 1, 1, "cannot write the site: \(error.localizedDescription); the previous site is unchanged")])
        }

        report.articles = articles.count
        report.timelineEvents = articles.reduce(0) { $0 + $1.timeline.count }
        report.takeaways = articles.reduce(0) { $0 + $1.takeaways.count }
        report.warnings = problems
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }

    /// Home, tag pages, tag index, feed, sitemap and 404.
    static func writeSitePages(_ articles: [ArticleSummary], renderer: PageRenderer, annotator: Annotator,
                               contentDir: String, output: OutputFolder, report: inout BuildReport) throws {
        var pages = articles.count
        try output.write("index.html", renderer.homePage(articles).raw)
        pages += 1
        var byTag: [String: [ArticleSummary]] = [:]
        var tagNames: [String: String] = [:]  // slug → first spelling seen
        for a in articles {
            for tag in a.tags {
                let key = Slug.make(tag)
                guard !key.isEmpty else { continue }
                let name = tagNames[key] ?? tag
                tagNames[key] = name
                byTag[name, default: []].append(a)
            }
        }
        for (tag, list) in byTag.sorted(by: { $0.key < $1.key }) {
            try output.write(PageRenderer.tagPath(tag) + "index.html", renderer.tagPage(tag, list).raw)
            pages += 1
        }
        let tagCounts = byTag.map { (tag: $0.key, count: $0.value.count) }.sorted { ($0.count, $1.tag) > ($1.count, $0.tag) }
        // Always written, even with no tags: every page's navigation links to it (lede check found the broken link).
        try output.write("tags/index.html", renderer.tagsPage(tagCounts).raw)
        pages += 1
        try output.write("404.html", renderer.notFoundPage().raw)
        pages += 1

        // The feed carries the full text of the 20 newest articles.
        let newest = Array(articles.prefix(20))
        var bodies: [String: HTML] = [:]
        for a in newest {
            if let source = try? SourceFile.read(URL(fileURLWithPath: contentDir + "/" + a.path.dropFirst("content/".count)), displayPath: a.path),
               let article = annotator.annotate(source, defaultSlug: a.slug).0 {
                bodies[a.slug] = article.body
            }
        }
        try output.write("feed.xml", renderer.feed(newest, bodies: bodies).raw)
        var entries: [(path: String, lastmod: DateTime?)] = [("", articles.compactMap { $0.updated ?? $0.date }.max())]
        entries += articles.map { ("\($0.slug)/", $0.updated ?? $0.date) }
        entries += byTag.keys.sorted().map { (PageRenderer.tagPath($0), nil) }
        try output.write("sitemap.xml", renderer.sitemap(entries).raw)
        report.pages = pages
    }
}

/// Per-article results of the parallel phase, in file order.
final class ArticleResults: @unchecked Sendable {
    enum Result { case none, built(ArticleSummary), draft, future }
    private let lock = Lock()
    private var items: [Result]
    init(count: Int) { items = Array(repeating: .none, count: count) }
    func set(_ k: Int, _ r: Result) { lock.withLock { items[k] = r } }
    var all: [Result] { lock.withLock { items } }
}

/// A counter shared by worker threads.
final class AtomicCounter: @unchecked Sendable {
    private let lock = Lock()
    private var value = 0
    /// Returns the value before incrementing.
    func increment() -> Int { lock.withLock { value += 1; return value - 1 } }
}

/// Finds the articles in content/.
public enum ContentScanner {
    /// Paths of the `.md` files below `dir`, relative to it, sorted; `_index.md`
    /// files and hidden files and folders are not articles.
    public static func articles(in dir: String) throws(Diagnostic) -> [String] {
        var out: [String] = []
        var visited = Set<String>()
        func walk(_ relative: String) throws(Diagnostic) {
            let full = relative.isEmpty ? dir : dir + "/" + relative
            let real = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else {
                throw Diagnostic.error("content/" + relative, 1, 1, "this folder is a symbolic link loop; remove the link")
            }
            let names: [String]
            do { names = try FileIO.listDirectory(full) } catch {
                throw Diagnostic.error("content/" + relative, 1, 1, "cannot list the folder: \(error.localizedDescription)")
            }
            for name in names where !name.hasPrefix(".") {
                let rel = relative.isEmpty ? name : relative + "/" + name
                if FileIO.isDirectory(dir + "/" + rel) {
                    try walk(rel)
                } else if name.hasSuffix(".md") || name.hasSuffix(".markdown"), name != "_index.md" {
                    out.append(rel)
                }
            }
        }
        try walk("")
        return out.sorted()
    }

    /// The slug a file gets when its front matter names none: its name.
    public static func defaultSlug(_ relative: String) -> String {
        var name = relative.split(separator: "/").last.map(String.init) ?? relative
        if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
        let slug = Slug.make(name)
        return slug.isEmpty ? "article" : slug
    }
}
