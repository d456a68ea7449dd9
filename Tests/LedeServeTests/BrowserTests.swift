import Foundation
import LedeCore
import Testing
@testable import LedeServe

/// End to end, in headless Chromium: a page open in the browser follows the
/// saves of its Markdown, its stylesheet and its errors without anyone reloading it.
@Suite(.serialized) struct BrowserTests {
    @Test(.enabled(if: Chromium.executable != nil, "needs Debian's chromium (bash .ci/deps test installs it)"))
    func theOpenPageFollowsEverySave() async throws {
        let site = try smallSite()
        try site.write("templates/assets/style.css", "body { min-height: 5000px; }\n")
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        let browser = try Chromium(executable: Chromium.executable!)
        defer { browser.quit() }

        let tab = try await browser.open(s.url("/beta/"))
        /// The value of a JavaScript expression, as JSON text.
        @Sendable func js(_ expression: String) async throws -> String { try await browser.evaluate(expression, session: tab) }
        @Sendable func text(_ expression: String) async throws -> String { try await browser.string(expression, session: tab) }
        @Sendable func h1() async throws -> String { try await text("(document.querySelector('h1')||{}).textContent || ''") }
        try await eventually(30, "the page to load") { try await h1() == "Beta" }
        try await eventually(30, "the page to listen for events") { s.server.hub.connections >= 1 }

        // 1. Save the Markdown: the page reloads by itself and shows the change.
        _ = try await js("window.__marker = 42")
        try site.save("content/beta.md", article("Beta, retitled", date: "2024-01-03", body: "Now with *new* text."))
        try await eventually(30, "the page to show the new title") { try await h1() == "Beta, retitled" }
        #expect(try await js("window.__marker === undefined") == "true", "the page was not reloaded")
        #expect(try await js("document.querySelector('main').textContent.includes('Now with new text.')") == "true")

        // 2. Save the stylesheet: swapped in place, no reload, scroll position kept.
        try await eventually(30, "the reloaded page to listen") { s.server.hub.connections >= 1 }
        _ = try await js("(window.scrollTo(0, 800), window.__marker = 7)")
        try await eventually(10, "the scroll") { try await js("window.scrollY") == "800" }
        try site.save("templates/assets/style.css", "body { min-height: 5000px; background-color: rgb(1, 2, 3); }\n")
        try await eventually(30, "the new stylesheet") {
            try await text("getComputedStyle(document.body).backgroundColor") == "rgb(1, 2, 3)"
        }
        #expect(try await js("window.__marker") == "7", "the page reloaded for a stylesheet change")
        #expect(try await js("window.scrollY") == "800")

        // 3. Break the article: an overlay names the place; fix it: the page recovers.
        try site.save("content/beta.md", "---\ntitle: [unclosed\ndate: 2024-01-03\n---\n\nText.\n")
        let overlayText = "(function(){var o=document.getElementById('lede-error-overlay');return o ? (o.shadowRoot||o).textContent : ''})()"
        try await eventually(30, "the error overlay") { try await text(overlayText).contains("content/beta.md:") }
        let shown = try await text(overlayText)
        #expect(shown.contains("did not build"))
        let shot = try await browser.screenshot(session: tab)
        #expect(shot.count > 1000)
        if let dir = ProcessInfo.processInfo.environment["LEDE_SCREENSHOTS"] {
            try shot.write(to: URL(fileURLWithPath: dir + "/serve-error-overlay.png"))
        }
        try site.save("content/beta.md", article("Beta, fixed", date: "2024-01-03", body: "Fixed text."))
        try await eventually(30, "the page to recover") { try await h1() == "Beta, fixed" }
        #expect(try await js("document.getElementById('lede-error-overlay') === null") == "true")
        try await s.stop()
    }

    /// The search index follows a save in the background; the open search
    /// page, whose own HTML did not change, then loads the new index.
    @Test(.enabled(if: Chromium.executable != nil && Search.locate() != nil,
                   "needs Debian's chromium and Pagefind (bash .ci/deps test installs them)"))
    func theSearchPageFollowsTheNewIndex() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        try await eventually(60, "the first search index") { !s.server.searchBusy }
        let browser = try Chromium(executable: Chromium.executable!)
        defer { browser.quit() }

        let tab = try await browser.open(s.url("/search/?q=zanzibar"))
        @Sendable func js(_ expression: String) async throws -> String { try await browser.evaluate(expression, session: tab) }
        @Sendable func status() async throws -> String {
            try await browser.string("(document.getElementById('search-status')||{}).textContent || ''", session: tab)
        }
        try await eventually(30, "the search page to answer") { try await status().hasPrefix("No explainer matches") }
        try await eventually(30, "the page to listen for events") { s.server.hub.connections >= 1 }
        _ = try await js("window.__marker = 42")

        try site.save("content/beta.md", article("Beta", date: "2024-01-03", body: "Beta went to Zanzibar."))
        try await eventually(60, "the search page to find the new word") { try await status().hasPrefix("1 explainer matches") }
        #expect(try await js("window.__marker === undefined") == "true", "the page was not reloaded")
        #expect(try await js("document.querySelector('.search-result h2 a').getAttribute('href')") == "\"\(s.url("/beta/"))\"")
        #expect(s.lines.all.contains { $0.hasPrefix("search: indexed 2 pages in ") })
        try await s.stop()
    }

    /// After the first index, saves are indexed into the overlay only: the
    /// real search page finds an edited article by its new word and no
    /// longer by the word it lost, finds a new article, and no longer finds
    /// a deleted one; and the whole site is not indexed again.
    @Test(.enabled(if: Chromium.executable != nil && Search.locate() != nil,
                   "needs Debian's chromium and Pagefind (bash .ci/deps test installs them)"))
    func theSearchPageFollowsTheOverlay() async throws {
        let site = try smallSite()
        try site.write("content/alpha.md", article("Alpha", date: "2024-01-02", body: "The aardvark digs."))
        try site.write("content/beta.md", article("Beta", date: "2024-01-03", body: "A quokka smiles at the camera."))
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        try await eventually(60, "the first search index") { !s.server.searchBusy }
        let browser = try Chromium(executable: Chromium.executable!)
        defer { browser.quit() }

        @Sendable func overlays() -> [String] { s.lines.all.filter { $0.hasPrefix("search: overlay of ") } }
        /// The links the search page lists for `word`, in a new tab.
        @Sendable func search(_ word: String) async throws -> [String] {
            let tab = try await browser.open(s.url("/search/?q=" + word))
            @Sendable func status() async throws -> String {
                try await browser.string("(document.getElementById('search-status')||{}).textContent || ''", session: tab)
            }
            try await eventually(30, "the search page to answer \(word)") { try await !["", "Searching…"].contains(status()) }
            let said = try await status()
            #expect(said.contains("match"), "\(word): \(said)")
            let json = try await browser.evaluate("[...document.querySelectorAll('.search-result h2 a')].map(a => a.getAttribute('href'))", session: tab)
            // The tab's event stream goes: Chromium opens 6 connections to a server at most.
            _ = try await browser.send("Page.navigate", ["url": "about:blank"], session: tab)
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        }
        @Sendable func expectSearch(_ word: String, _ expected: [String]) async throws {
            let found = try await search(word)
            #expect(found == expected, "\(word): \(found)")
        }
        try await expectSearch("quokka", [s.url("/beta/")])
        try await expectSearch("aardvark", [s.url("/alpha/")])

        // 1. An edit: a new word in, an old one out.
        try site.save("content/beta.md", article("Beta", date: "2024-01-03", body: "A zanzibar smiles at the camera."))
        try await eventually(60, "the overlay") { overlays().count == 1 }
        #expect(overlays()[0].hasPrefix("search: overlay of 1 page in "), "\(overlays())")
        let manifest = try await s.fetch("/_lede/search-overlay/overlay.json")
        #expect(manifest.status == 200 && manifest.header("Cache-Control") == "no-store")
        #expect(manifest.body.contains(#""superseded":["/beta/"]"#), "\(manifest.body)")
        try await expectSearch("zanzibar", [s.url("/beta/")])
        try await expectSearch("quokka", [])
        try await expectSearch("aardvark", [s.url("/alpha/")])  // from the base, not superseded

        // 2. A new article.
        try site.save("content/gamma.md", article("Gamma", date: "2024-01-04", body: "The wombat sleeps."))
        try await eventually(60, "the second overlay") { overlays().count == 2 }
        #expect(overlays()[1].hasPrefix("search: overlay of "), "\(overlays())")
        try await expectSearch("wombat", [s.url("/gamma/")])
        try await expectSearch("zanzibar", [s.url("/beta/")])

        // 3. A deleted article.
        try site.remove("content/alpha.md")
        try await eventually(60, "the third overlay") { overlays().count == 3 }
        #expect(overlays()[2].contains(" (and 1 page gone) in "), "\(overlays())")
        // (Pagefind, finding no word that begins with "aardvark", answers
        // with the pages that have the longest word it begins with: "a";
        // one index over the whole site would too.)
        let aardvark = try await search("aardvark")
        #expect(!aardvark.contains(s.url("/alpha/")), "\(aardvark)")
        try await expectSearch("wombat", [s.url("/gamma/")])
        // The base still answers for what did not change.
        #expect(s.lines.all.filter { $0.hasPrefix("search: indexed ") }.count == 1, "\(s.lines.all)")
        try await s.stop()
    }
}
