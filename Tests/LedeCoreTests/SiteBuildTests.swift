import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import LedeCore

/// Whole sites built into temporary folders, then asserted on, like Zola's test
/// site and Hugo's integration tests.
@Suite struct SiteBuildTests {
    static let small: [String: String] = [
        "content/_index.md": "---\ntitle: Test Explainers\nbase_url: https://example.org/news\nauthor: Desk\n---\nWelcome to *the* site.\n",
        "content/berlin.md": article("The Wall falls", date: "1999-11-09", tags: ["cold-war", "Germany"],
                                     body: "On November 9, 1989 the wall opened.\n\n## Key takeaways\n\n- It fell.\n- It mattered."),
        "content/moon.md": article("Moon landing", date: "2009-07-20", tags: ["space", "cold-war"],
                                   body: "In July 1969 Apollo 11 landed.\n\n> [!NOTE]\n> A note."),
        "content/draft.md": article("Unfinished", extra: "draft: true\n"),
        "static/images/x.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    ]

    @Test func buildsEveryPageOfTheSite() throws {
        let site = try TestSite(Self.small)
        let report = try site.build()
        #expect(report.articles == 2)
        #expect(report.drafts == 1)
        for path in ["index.html", "berlin/index.html", "moon/index.html", "tags/cold-war/index.html",
                     "tags/germany/index.html", "tags/space/index.html", "tags/index.html", "feed.xml", "sitemap.xml",
                     "404.html", "assets/style.css", "assets/favicon.svg", "images/x.svg"] {
            #expect(site.exists("public/" + path), "public/\(path) is missing")
        }
        #expect(!site.exists("public/unfinished/index.html"))
        // 2 articles, home, 3 tags, tag index, 404, the timeline and the 3 tags' timelines, and search if Pagefind is here.
        #expect(report.pages == 12 + (Search.locate() != nil ? 1 : 0))
    }

    @Test func slugsComeFromFileNamesUnlessFrontMatterSaysSo() throws {
        let site = try TestSite([
            "content/My Story.md": article("A"),
            "content/other.md": article("B", extra: "slug: Custom Path\n"),
        ])
        try site.build()
        #expect(site.exists("public/my-story/index.html"))
        #expect(site.exists("public/custom-path/index.html"))
    }

    @Test func homeListsNewestFirstWithSummaryAndDate() throws {
        let site = try TestSite(Self.small)
        try site.build()
        let home = try site.read("public/index.html")
        let moon = try #require(home.range(of: "Moon landing"))
        let wall = try #require(home.range(of: "The Wall falls"))
        #expect(moon.lowerBound < wall.lowerBound)
        #expect(home.contains("<time class=\"published\" datetime=\"2009-07-20\">July 20, 2009</time>"))
        #expect(home.contains("<p>Welcome to <em>the</em> site.</p>"))
        #expect(home.contains("href=\"./moon/\""))
    }

    @Test func articlePageHasSemanticsAndMetadata() throws {
        let site = try TestSite(Self.small)
        try site.build()
        let page = try site.read("public/berlin/index.html")
        #expect(page.contains("<article class=\"explainer\" id=\"top\" data-pagefind-body>"))
        #expect(page.contains("<ol class=\"timeline\">"))
        #expect(page.contains("<time datetime=\"1989-11-09\" data-timex=\"1989-11-09\">November 9, 1989</time>"))
        #expect(page.contains("<a href=\"#intro-1\">"))
        #expect(page.contains("<p id=\"intro-1\">"))
        #expect(page.contains("<aside class=\"takeaway\" role=\"note\" id=\"takeaway-1\" aria-labelledby=\"takeaway-1-label\""))
        #expect(page.contains("<a href=\"#takeaway-2\">It mattered.</a>"))
        #expect(page.contains("<link rel=\"canonical\" href=\"https://example.org/news/berlin/\">"))
        #expect(page.contains("<meta property=\"og:type\" content=\"article\">"))
        #expect(page.contains("<meta property=\"article:published_time\" content=\"1999-11-09T00:00:00Z\">"))
        #expect(page.contains("\"@type\":\"BackgroundNewsArticle\""))
        #expect(page.contains("\"headline\":\"The Wall falls\""))
        #expect(page.contains("href=\"../assets/style.css\""))
        #expect(page.contains("<nav class=\"takeaways-summary\""))
        // JSON-LD must be parseable.
        let start = try #require(page.range(of: "<script type=\"application/ld+json\">"))
        let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
        let json = try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
        #expect(json?["datePublished"] as? String == "1999-11-09")
        #expect((json?["author"] as? [String: Any])?["name"] as? String == "Desk")
    }

    @Test func feedAndSitemapAreWellFormedAndComplete() throws {
        let site = try TestSite(Self.small)
        try site.build()
        let feedData = try Data(contentsOf: URL(fileURLWithPath: site.root + "/public/feed.xml"))
        let feed = try XMLDocument(data: feedData)
        let entries = try feed.nodes(forXPath: "/*[local-name()='feed']/*[local-name()='entry']")
        #expect(entries.count == 2)
        let ids = try feed.nodes(forXPath: "//*[local-name()='entry']/*[local-name()='id']").compactMap { $0.stringValue }
        #expect(ids == ["https://example.org/news/moon/", "https://example.org/news/berlin/"])
        let sitemap = try XMLDocument(data: Data(contentsOf: URL(fileURLWithPath: site.root + "/public/sitemap.xml")))
        let locs = try sitemap.nodes(forXPath: "//*[local-name()='loc']").compactMap { $0.stringValue }
        #expect(locs.contains("https://example.org/news/"))
        #expect(locs.contains("https://example.org/news/moon/"))
        #expect(locs.contains("https://example.org/news/tags/cold-war/"))
        // Every sitemap URL is a page of the site.
        for loc in locs {
            let path = String(loc.dropFirst("https://example.org/news/".count))
            #expect(site.exists("public/" + path + "index.html"), "sitemap names \(loc), which was not built")
        }
    }

    @Test func draftsAndFutureArticlesOnlyWhenAsked() throws {
        let site = try TestSite([
            "content/a.md": article("Now", date: "2020-01-01"),
            "content/d.md": article("Draft", extra: "draft: true\n"),
            "content/f.md": article("Future", date: "2999-01-01"),
        ])
        let plain = try site.build()
        #expect(plain.articles == 1 && plain.drafts == 1 && plain.futureArticles == 1)
        let all = try site.build(drafts: true, future: true)
        #expect(all.articles == 3)
        #expect(site.exists("public/f/index.html"))
    }

    @Test func siteTemplatesOverrideTheBuiltInOnes() throws {
        var files = Self.small
        files["templates/parts/dek.html"] = "<p class=\"custom-dek\">{{summary}}</p>\n"
        files["templates/assets/style.css"] = "body { color: red; }\n"
        let site = try TestSite(files)
        try site.build()
        #expect(try site.read("public/moon/index.html").contains("<p class=\"custom-dek\">"))
        #expect(try site.read("public/assets/style.css") == "body { color: red; }\n")
    }

    @Test func sameInputGivesTheSameBytes() throws {
        let site = try TestSite(Self.small)
        try site.build()
        let first = try site.snapshot()
        try site.build()
        #expect(try site.snapshot() == first)
    }

    @Test func pagesAreValidHTMLForTidy() throws {
        let tidy = try #require(which("tidy"), "tidy is needed (apt-get install tidy; .ci/run installs it)")
        let site = try TestSite(Self.small)
        try site.build()
        for page in ["index.html", "berlin/index.html", "moon/index.html", "tags/space/index.html", "tags/index.html", "404.html"] {
            let result = try run(tidy, ["-q", "-e", "--drop-empty-elements", "no", site.root + "/public/" + page])
            #expect(result.status == 0, "tidy on \(page): \(result.stderr)")
        }
    }

    // MARK: Bad input leaves public/ exactly as it was

    func expectFailureKeepsOutput(_ files: [String: String], change: (TestSite) throws -> Void,
                                  expect check: ([Diagnostic]) -> Void) throws {
        let site = try TestSite(files)
        try site.build()
        let before = try site.snapshot()
        try change(site)
        let errors = site.buildErrors().filter { $0.severity == .error }
        #expect(!errors.isEmpty)
        check(errors)
        #expect(try site.snapshot() == before, "public/ changed after a failed build")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func invalidYAMLFails() throws {
        try expectFailureKeepsOutput(Self.small, change: { try $0.write("content/moon.md", "---\ntitle: [unclosed\n---\nx\n") }) { errors in
            #expect(errors.contains { $0.path == "content/moon.md" && $0.line == 2 && $0.message.contains("YAML") })
        }
    }

    @Test func allErrorsOfABuildAreReportedTogether() throws {
        try expectFailureKeepsOutput(Self.small, change: {
            try $0.write("content/moon.md", "---\ndate: 2020-01-01\n---\nno title\n")
            try $0.write("content/bad.md", "---\ntitle: ok\ndate: someday\n---\n")
        }) { errors in
            #expect(errors.map(\.path) == ["content/bad.md", "content/moon.md"])
            #expect(errors[0].line == 3)
        }
    }

    @Test func nonUTF8FileFails() throws {
        try expectFailureKeepsOutput(Self.small, change: {
            try $0.write("content/latin1.md", Data([0x2D, 0x2D, 0x2D, 0x0A, 0x74, 0x3A, 0x20, 0xE9, 0x0A]))
        }) { errors in
            #expect(errors.first?.path == "content/latin1.md")
            #expect(errors.first?.message.contains("UTF-8") == true)
        }
    }

    @Test func duplicateSlugFails() throws {
        try expectFailureKeepsOutput(Self.small, change: { try $0.write("content/copy.md", article("Copy", extra: "slug: moon\n")); try $0.write("content/moon2.md", article("Moon", extra: "slug: moon\n")) }) { errors in
            #expect(errors.contains { $0.message.contains("/moon/") && $0.message.contains("also used by") && $0.line == 4 }, "\(errors)")
        }
    }

    @Test func unknownTemplateSlotFails() throws {
        try expectFailureKeepsOutput(Self.small, change: { try $0.write("templates/parts/dek.html", "<p>\n{{summary}} {{subtitle}}</p>") }) { errors in
            #expect(errors.map(\.description) == ["templates/parts/dek.html:2:13: error: unknown slot {{subtitle}}; this template can use {{summary}}"])
        }
    }

    @Test func unreadableTemplateFails() throws {
        // A folder where a file should be cannot be read, even by root.
        try expectFailureKeepsOutput(Self.small, change: { try $0.write("templates/home.html/oops", "x") }) { errors in
            #expect(errors.first?.path == "templates/home.html")
            #expect(errors.first?.message.contains("cannot read") == true)
        }
    }

    @Test func missingIncludeFails() throws {
        try expectFailureKeepsOutput(Self.small, change: { try $0.write("templates/404.html", "ok\n{{> parts/nope.html}}") }) { errors in
            #expect(errors.first?.path == "templates/404.html")
            #expect(errors.first?.line == 2)
        }
    }

    @Test func emptyContentFails() throws {
        try expectFailureKeepsOutput(Self.small, change: { site in
            for f in ["berlin.md", "moon.md", "draft.md", "_index.md"] { try site.remove("content/" + f) }
        }) { errors in
            #expect(errors.first?.message.contains("no articles") == true)
        }
    }

    @Test func missingContentFolderFails() throws {
        try expectFailureKeepsOutput(Self.small, change: { try $0.remove("content") }) { errors in
            #expect(errors.first?.path == "content")
            #expect(errors.first?.message.contains("no content/ folder") == true)
        }
    }

    @Test func warningsDoNotFailTheBuild() throws {
        let site = try TestSite(["content/a.md": article("A", extra: "colour: blue\n")])
        let report = try site.build()
        #expect(report.warnings.map(\.description) == ["content/a.md:4:1: warning: unknown front matter key `colour` is ignored; known keys: author, date, draft, genre, slug, summary, tags, takeaways, timeline, title, updated"])
    }
}
