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
    /// Keep a build cache in `.lede-cache/` of the site folder, so that the next
    /// build skips what did not change. Off, every build starts from nothing
    /// (and replaces the whole output folder).
    public var useCache = true
    /// Where the cache goes; `.lede-cache` in the site folder by default.
    public var cacheFolder: String?
    /// Measure the phases of the build (and the temporal tagger's share) into
    /// `BuildReport.phases`.
    public var measurePhases = false
    /// Update the output folder in place (journaled, see `OutputFolder`)
    /// instead of swapping a staged copy in whole: for `lede serve`, whose
    /// folder only its own server reads. A reader of a folder updated in
    /// place may see a new page beside an old one for a moment.
    public var updateInPlace = false
    /// Leave the search index to `SiteSession.indexSearch()`: the build
    /// commits the pages without indexing them, and `BuildReport.searchPending`
    /// says when the index is behind them. For `lede serve`, whose reload must
    /// not wait for Pagefind (about 30 s at 10,000 articles).
    public var searchLater = false
    /// Told, once, when the build waits for another build of the same output folder.
    public var onWait: (@Sendable (String) -> Void)?
    /// Called with each output path before it is written (tests simulate
    /// failures, such as a full disk, with it).
    public var beforeWrite: (@Sendable (String) throws -> Void)?
    /// Called at the named moments of a build: "articles" (every article
    /// read), "staged" (the new site complete beside the output folder),
    /// "swapped" (the new site in place), "journaled" (in place: committed).
    /// Tests stop the process there to kill it.
    public var checkpoint: (@Sendable (String) -> Void)?

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
    /// Files a rebuild was told of that build nothing (an editor's temporary
    /// file under content/), relative to the site folder.
    public var ignoredSources: [String] = []
    /// The output files written or removed (relative to the output folder), or
    /// nil when the whole output folder was replaced.
    public var changedOutputs: [String]?
    /// For rebuilds: true when only stylesheets changed, so pages can swap CSS
    /// without reloading.
    public var stylesOnly = false
    /// Articles annotated and rendered by this build (the others were unchanged).
    public var articlesRebuilt = 0
    /// With `BuildOptions.searchLater`: the search index does not match the
    /// pages yet; `SiteSession.indexSearch()` brings it up to date.
    public var searchPending = false
    /// With `BuildOptions.measurePhases`: wall time of each phase, in order,
    /// the CPU time of all threads in it, and the resident memory at its end
    /// in bytes (0 where not measured: then the CPU time is 0 too); and
    /// `tagger (CPU)`: time spent in the temporal tagger, summed over threads.
    public var phases: [(name: String, seconds: Double, cpu: Double, resident: Int)] = []

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
///
/// A one-shot build is a `SiteSession` used once: it reads the build cache,
/// redoes only what changed since the build that wrote it, and writes only
/// output files whose bytes changed.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions) throws(Diagnostics) -> BuildReport {
        try SiteSession(options: options).build()
    }
}

/// Finds the articles in content/.
public enum ContentScanner {
    /// Paths of the `.md` files below `dir`, relative to it, sorted; `_index.md`
    /// files and hidden files and folders are not articles.
    public static func articles(in dir: String) throws(Diagnostic) -> [String] {
        try scan(dir).map(\.path)
    }

    /// The articles with their stamps, sorted by path.
    static func scan(_ dir: String) throws(Diagnostic) -> [(path: String, stamp: FileIO.Stamp)] {
        var out: [(path: String, stamp: FileIO.Stamp)] = []
        var visited = Set<String>()
        let folder = FileIO.Folder(dir)
        func walk(_ relative: String) throws(Diagnostic) {
            let full = relative.isEmpty ? dir : dir + "/" + relative
            let real = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else {
                throw Diagnostic.error("content/" + relative, 1, 1, "this folder is a symbolic link loop; remove the link")
            }
            let entries: [(name: String, isDirectory: Bool)]
            do { entries = try FileIO.listDirectoryTyped(full) } catch {
                throw Diagnostic.error("content/" + relative, 1, 1, "cannot list the folder: \(error.localizedDescription)")
            }
            for (name, isDirectory) in entries where !name.hasPrefix(".") {
                let rel = relative.isEmpty ? name : relative + "/" + name
                if isDirectory {
                    try walk(rel)
                } else if isArticleName(name) {
                    // A dangling link has no stamp of its own: it is listed, so that reading it reports it.
                    out.append((rel, folder.stamp(rel) ?? FileIO.Stamp.unknown))
                }
            }
        }
        try walk("")
        out.sort { $0.path < $1.path }
        return out
    }

    public static func isArticleName(_ name: String) -> Bool {
        (name.hasSuffix(".md") || name.hasSuffix(".markdown")) && name != "_index.md" && !name.hasPrefix(".")
    }

    /// The slug a file gets when its front matter names none: its name.
    public static func defaultSlug(_ relative: String) -> String {
        var name = relative.split(separator: "/").last.map(String.init) ?? relative
        if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
        let slug = Slug.make(name)
        return slug.isEmpty ? "article" : slug
    }
}

/// A counter shared by worker threads.
final class AtomicCounter: @unchecked Sendable {
    private let lock = Lock()
    private var value = 0
    /// Returns the value before incrementing.
    func increment() -> Int { lock.withLock { value += 1; return value - 1 } }
}

/// Runs `body(k)` for k in 0..<count on all workers, each taking the next
/// index when it is done with one.
func parallelFor(_ count: Int, workers: Int, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(workers, count))
    if workers == 1 {
        for k in 0..<count { body(k) }
        return
    }
    let next = AtomicCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let k = next.increment()
            guard k < count else { break }
            body(k)
        }
    }
}

/// `parallelFor` over `count` indices handed out `chunk` at a time: for
/// steps too small to be worth a handoff each (a lookup, a stat).
func parallelFor(_ count: Int, workers: Int, chunk: Int, _ body: @Sendable (Int) -> Void) {
    parallelFor((count + chunk - 1) / chunk, workers: workers) { c in
        for k in (c * chunk)..<min(count, c * chunk + chunk) { body(k) }
    }
}

/// Work begun on a thread of its own, its result taken when it is needed.
final class Background<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Diagnostic>?

    /// `alone`: do the work here and now instead (a build told to use one thread).
    init(alone: Bool = false, _ work: @escaping @Sendable () throws(Diagnostic) -> T) {
        if alone { run(work) } else { Thread.detachNewThread { [self] in run(work) } }
    }

    private func run(_ work: () throws(Diagnostic) -> T) {
        do throws(Diagnostic) { result = .success(try work()) } catch { result = .failure(error) }
        done.signal()
    }

    /// The work's result, waiting for it if need be.
    func value() throws(Diagnostic) -> T {
        done.wait()
        defer { done.signal() }  // for the next caller
        return try result!.get()
    }
}

/// Results written by parallel workers, one slot each.
final class Slots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T>
    init(_ items: [T]) {
        buffer = .allocate(capacity: items.count)
        _ = buffer.initialize(from: items)
    }
    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
    /// Each index is written by one worker only, so slots need no lock.
    func set(_ k: Int, _ value: T) { buffer[k] = value }
    subscript(k: Int) -> T { buffer[k] }
    var items: [T] { Array(buffer) }
}
