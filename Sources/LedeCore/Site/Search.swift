import CLedeSys
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Search, with Pagefind (https://pagefind.app): after the site is written,
/// `lede build` runs Pagefind over the output, which indexes the article pages
/// (everything inside `data-pagefind-body`: title, summary, takeaways, body
/// and timeline) into a `pagefind/` folder of small index chunks. The search
/// page (`/search/`) and the search box in the header query it in the
/// browser. Without Pagefind, the build says so once and leaves search out.
public enum Search {
    /// How to find Pagefind: `$LEDE_PAGEFIND` (a path, or `off`), then
    /// `pagefind_extended` or `pagefind` on PATH, then the binary that the
    /// `pagefind-bin` Python package ships (`python3 -m pagefind_bin`).
    ///
    /// Asking Python takes a while (much longer behind a version manager's
    /// shims), so a build remembers what it found in `memo` (a file of its
    /// cache), trusted while PATH is the same and the binary is still there.
    public static func locate(memo: String? = nil) -> String? {
        let env = ProcessInfo.processInfo.environment
        if let chosen = env["LEDE_PAGEFIND"] {
            if ["", "off", "none", "no", "false", "0"].contains(chosen.lowercased()) { return nil }
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        return discovered.value(memo: memo)
    }

    /// The note a build without Pagefind prints: why search was left out.
    public static var missingNote: String {
        if let chosen = ProcessInfo.processInfo.environment["LEDE_PAGEFIND"] {
            if ["", "off", "none", "no", "false", "0"].contains(chosen.lowercased()) {
                return "note: search left out: LEDE_PAGEFIND=\(chosen) switches it off"
            }
            return "note: search left out: LEDE_PAGEFIND names \(chosen), which is not an executable file; point it at Pagefind's binary, or unset it"
        }
        return "note: search left out: Pagefind is not installed (pip install pagefind-bin, or set LEDE_PAGEFIND to its path)"
    }

    /// What this process found, once.
    private final class Cache: @unchecked Sendable {
        private let lock = Lock()
        private var found: String??
        func value(memo: String?) -> String? {
            lock.withLock {
                if let found { return found }
                let value = Search.discover(memo: memo)
                found = .some(value)
                return value
            }
        }
    }
    private static let discovered = Cache()

    static func discover(memo: String? = nil) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init)
        for name in ["pagefind_extended", "pagefind"] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
        }
        if let memo, let bytes = try? FileIO.readBytes(memo) {
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count >= 2, lines[0] == path, FileManager.default.isExecutableFile(atPath: lines[1]) { return lines[1] }
        }
        // The pagefind-bin wheel keeps the binary inside the Python package.
        for python in ["python3", "python"] {
            guard let exe = dirs.map({ $0 + "/" + python }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { continue }
            let out = try? runProcess(exe, ["-c", "import pagefind_bin; print(pagefind_bin.get_executable())"])
            if let out, out.status == 0 {
                let found = out.output.trimmingWhitespace
                if FileManager.default.isExecutableFile(atPath: found) {
                    if let memo {
                        try? FileIO.makeDirectories((memo as NSString).deletingLastPathComponent)
                        try? FileIO.write(path + "\n" + found + "\n", to: memo)
                    }
                    return found
                }
            }
        }
        return nil
    }

    /// The index's folder in the site.
    public static let folder = "pagefind"
    /// The index's entry file, relative to the site: its stamp tells whether
    /// the index is the one a build recorded.
    static let entryFile = folder + "/pagefind-entry.json"

    /// Indexes the site in `folder` into `folder/pagefind/` (see `PagefindService`).
    public static func index(_ folder: String, pagefind: String) throws(Diagnostic) {
        _ = try PagefindService(executable: pagefind).index(site: folder, skip: Self.folder, output: folder + "/" + Self.folder)
    }

    /// Indexes the site in `folder` again, into a folder beside it that then
    /// takes the place of `folder/pagefind/` in one exchange (for a site
    /// updated in place, which is only whole once its commit is done).
    /// `background`: Pagefind runs at a low priority (`nice`), so that
    /// builds meanwhile keep the processor. Returns the number of pages indexed.
    @discardableResult
    public static func reindex(_ folder: String, pagefind: String, background: Bool = false,
                               cancel: SearchCancel? = nil) throws(Diagnostic) -> Int {
        let parent = (folder as NSString).deletingLastPathComponent
        let fresh = "\(parent)/.\((folder as NSString).lastPathComponent).search-\(getpid())"
        try? FileIO.removeTree(fresh)
        defer { try? FileIO.removeTree(fresh) }
        let service = PagefindService(executable: pagefind, niceness: background ? 10 : 0, cancel: cancel)
        let pages = try service.index(site: folder, skip: Self.folder, output: fresh)
        let place = folder + "/" + Self.folder
        if FileIO.exists(place), lede_exchange_paths(fresh, place) == 0 { return pages }  // `fresh` now holds the old index
        try? FileIO.removeTree(place)
        guard rename(fresh, place) == 0 else {
            let code = errno
            throw .error(place, 1, 1, "cannot move the new search index into place: \(String(cString: strerror(code)))")
        }
        return pages
    }

    /// A search index of a few pages of the site in `folder`, for `lede
    /// serve`'s overlay (see `SearchOverlay` in LedeServe): of `candidates`
    /// (paths relative to `folder`), those that are there and that Pagefind
    /// indexes (with `data-pagefind-body`) are indexed, as a whole build
    /// would, into `output` (a new folder). Returns them, and those that are
    /// there without the mark (pages that are not articles). No index is
    /// written when no page is to be indexed.
    public static func indexOverlay(_ folder: String, candidates: [String], output: String, pagefind: String,
                                    cancel: SearchCancel? = nil) throws(Diagnostic) -> (indexed: [String], unmarked: [String]) {
        var indexed: [String] = [], unmarked: [String] = []
        for page in candidates.sorted() where page.hasSuffix(".html") {
            guard let bytes = try? FileIO.readBytes(folder + "/" + page) else { continue }  // gone
            if PagefindService.marksBody(bytes) { indexed.append(page) } else { unmarked.append(page) }
        }
        guard !indexed.isEmpty else { return ([], unmarked) }
        let service = PagefindService(executable: pagefind, cancel: cancel)
        _ = try service.index(site: folder, pages: indexed, output: output)
        return (indexed, unmarked)
    }

    /// Of `paths` (relative to the site in `folder`), the pages that
    /// Pagefind indexes (with `data-pagefind-body`) and those that are gone:
    /// the ones that may differ from what an index of the site held.
    public static func indexablePages(_ folder: String, _ paths: [String]) -> [String] {
        paths.filter { path in
            guard path.hasSuffix(".html") else { return false }
            guard let bytes = try? FileIO.readBytes(folder + "/" + path) else { return true }  // gone
            return PagefindService.marksBody(bytes)
        }
    }

    /// The URL Pagefind gives the page at `path` (relative to the site) when
    /// it is handed the file without one: `/` and the path, without a last
    /// `index.html` (`a/index.html` → `/a/`).
    public static func pageURL(_ path: String) -> String {
        var url = "/" + path
        if url.hasSuffix("/index.html") { url.removeLast("index.html".count) }
        return url
    }

    static func runProcess(_ exe: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension PageRenderer {
    /// The search box in the header (the `{{search}}` slot of base.html).
    func searchBox(root: String) -> HTML {
        guard search else { return .empty }
        return theme["parts/search-box.html"].render(["root": .text(root), "action": .text(root + "search/")])
    }

    /// `/search/`: a form that works as a plain GET form, and the script that
    /// asks the Pagefind index and lists the results.
    public func searchPage() -> HTML {
        let root = "../"
        let content = theme["search.html"].render([
            "root": .text(root), "site_title": .text(config.title), "bundle": .text(root + "pagefind/"),
        ])
        return layout(PageInfo(path: "search/", title: "Search", description: "Search the explainers of \(config.title).",
                               bodyClass: "page-search"), content: content)
    }
}
