import Foundation
import Testing
@testable import LedeCore

/// Search with Pagefind, tested the way a reader uses it: a real headless
/// Chromium opens the built site over HTTP, a query is typed, the results are read.
@Suite(.serialized) struct SearchTests {
    /// Each query word occurs in only one place of one article: its title,
    /// summary, a takeaway, a timeline entry or the body.
    static let files: [String: String] = [
        "content/_index.md": "---\ntitle: Search Test\n---\n",
        "content/airships.md": article(
            "Airships: what you need to know", date: "2024-03-01", tags: ["transport"],
            extra: """
                summary: "Why the Hindenburg burned, and what came after."
                takeaways: ["Hydrogen is dangerously flammable."]
                timeline:
                  - {date: 1937-05-06, text: "The ship burns while landing at Lakehurst."}

                """,
            body: "Rigid craft such as the dirigible carried passengers across the Atlantic.\n\nThey were slow but comfortable."),
        "content/submarines.md": article(
            "Submarines: what you need to know", date: "2024-02-01", tags: ["transport"],
            body: "A periscope lets the crew look above the waves while the boat stays below.\n\nDiesel engines charged the batteries."),
        "content/railways.md": article(
            "Railways: what you need to know", date: "2024-01-01", tags: ["transport"],
            body: "Steam locomotives hauled freight across the continent.\n\nSignals kept the trains apart."),
    ]

    static func chromium() -> String? { which("chromium") ?? which("chromium-browser") ?? which("google-chrome") }

    @Test func typingAQueryFindsTheRightExplainer() throws {
        try #require(Search.locate() != nil, "Pagefind is needed: pip install pagefind-bin (bash .ci/deps installs it)")
        let chromium = try #require(Self.chromium(), "Chromium is needed: apt-get install chromium (bash .ci/deps test installs it)")
        let site = try TestSite(Self.files)
        try site.build()
        #expect(site.exists("public/pagefind/pagefind.js"))
        #expect(site.exists("public/search/index.html"))

        let server = try StaticServer(folder: site.root + "/public")
        let browser = try Browser(executable: chromium)
        defer { browser.close() }
        try browser.open(server.url + "search/")
        // Title, summary, takeaway, timeline entry, body text: each finds its explainer, and only it.
        for (query, slug) in [("airships", "airships"), ("hindenburg", "airships"), ("flammable", "airships"),
                              ("lakehurst", "airships"), ("dirigible", "airships"), ("periscope", "submarines"),
                              ("locomotives", "railways")] {
            try browser.evaluate("""
                (() => { const i = document.getElementById('search-input'); i.value = ''; i.focus();
                         document.getElementById('search-results').textContent = ''; })()
                """)
            try browser.type(query)
            try browser.waitFor("document.querySelectorAll('.search-result h2 a').length > 0")
            let links = try browser.evaluate("[...document.querySelectorAll('.search-result h2 a')].map(a => a.href)") as? [String]
            #expect(links == [server.url + slug + "/"], "query \(query)")
            let title = try browser.evaluate("document.querySelector('.search-result h2 a').textContent") as? String
            #expect(title?.lowercased().hasPrefix(slug) == true, "query \(query): \(title ?? "")")
        }
        // A word no explainer has finds nothing, and says so.
        try browser.evaluate("(() => { const i = document.getElementById('search-input'); i.value = ''; i.focus(); })()")
        try browser.type("xylophone")
        try browser.waitFor("document.getElementById('search-status').textContent.startsWith('No explainer')")
    }

    @Test func theHeaderBoxOpensTheSearchPageWithResults() throws {
        try #require(Search.locate() != nil, "Pagefind is needed: pip install pagefind-bin (bash .ci/deps installs it)")
        let chromium = try #require(Self.chromium(), "Chromium is needed: apt-get install chromium (bash .ci/deps test installs it)")
        let site = try TestSite(Self.files)
        try site.build()
        let server = try StaticServer(folder: site.root + "/public")
        let browser = try Browser(executable: chromium)
        defer { browser.close() }
        // From an article page, deep in the site.
        try browser.open(server.url + "railways/")
        try browser.evaluate("document.getElementById('site-search-input').focus()")
        try browser.type("periscope")
        try browser.pressEnter()
        try browser.waitFor("location.pathname === '/search/' && document.querySelectorAll('.search-result h2 a').length > 0")
        #expect(try browser.evaluate("document.getElementById('search-input').value") as? String == "periscope")
        let links = try browser.evaluate("[...document.querySelectorAll('.search-result h2 a')].map(a => a.href)") as? [String]
        #expect(links == [server.url + "submarines/"])
        let excerpt = try browser.evaluate("document.querySelector('.search-excerpt mark')?.textContent") as? String
        #expect(excerpt?.lowercased() == "periscope")
    }

    @Test func withoutPagefindTheBuildSaysSoOnceAndLeavesSearchOut() throws {
        let site = try TestSite(Self.files)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ledeExecutable)
        process.arguments = ["build", "--source", site.root]
        process.environment = ProcessInfo.processInfo.environment.merging(["LEDE_PAGEFIND": "off"]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stderr.components(separatedBy: "search left out").count == 2, "\(stderr)")
        #expect(stderr.contains("search left out: LEDE_PAGEFIND=off switches it off"), "\(stderr)")
        #expect(!site.exists("public/search/index.html"))
        #expect(!site.exists("public/pagefind"))
        #expect(try !site.read("public/index.html").contains("role=\"search\""))
    }

    @Test func searchCanBeTurnedOffForTheSite() throws {
        var files = Self.files
        files["content/_index.md"] = "---\ntitle: Search Test\nsearch: false\n---\n"
        let site = try TestSite(files)
        let report = try site.build()
        #expect(report.notes.isEmpty)
        #expect(!site.exists("public/search/index.html"))
        #expect(try !site.read("public/airships/index.html").contains("site-search"))
    }
}
