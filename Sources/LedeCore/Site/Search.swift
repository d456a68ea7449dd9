import Foundation

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
    public static func locate() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let chosen = env["LEDE_PAGEFIND"] {
            if ["", "off", "none", "no", "false", "0"].contains(chosen.lowercased()) { return nil }
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        return discovered.value
    }

    /// The note a build without Pagefind prints.
    public static let missingNote = "note: search left out: Pagefind is not installed (pip install pagefind-bin, or set LEDE_PAGEFIND to its path)"

    private final class Cache: @unchecked Sendable {
        lazy var value: String? = Search.discover()
    }
    private static let discovered = Cache()

    static func discover() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init)
        for name in ["pagefind_extended", "pagefind"] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
        }
        // The pagefind-bin wheel keeps the binary inside the Python package.
        for python in ["python3", "python"] {
            guard let exe = dirs.map({ $0 + "/" + python }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { continue }
            let out = try? runProcess(exe, ["-c", "import pagefind_bin; print(pagefind_bin.get_executable())"])
            if let out, out.status == 0 {
                let found = out.output.trimmingWhitespace
                if FileManager.default.isExecutableFile(atPath: found) { return found }
            }
        }
        return nil
    }

    /// Indexes the site in `folder` into `folder/pagefind/`.
    public static func index(_ folder: String, pagefind: String) throws(Diagnostic) {
        let result: (status: Int32, output: String)
        do {
            result = try runProcess(pagefind, ["--site", folder, "--output-subdir", "pagefind", "--silent"])
        } catch {
            throw .error(pagefind, 1, 1, "cannot run Pagefind to build the search index: \(error.localizedDescription); reinstall it (pip install pagefind-bin) or set LEDE_PAGEFIND=off")
        }
        guard result.status == 0 else {
            let detail = result.output.trimmingWhitespace.split(separator: "\n").suffix(5).joined(separator: " / ")
            throw .error(pagefind, 1, 1, "Pagefind failed (exit \(result.status)) building the search index: \(detail); fix it, or build without search: LEDE_PAGEFIND=off")
        }
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
