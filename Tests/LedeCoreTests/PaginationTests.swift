import Foundation
import Testing
@testable import LedeCore

/// The home page and each tag's page are split into pages of `paginate`
/// articles (`page/2/`, `tags/x/page/2/`), like Hugo's and Zola's lists.
@Suite struct PaginationTests {
    /// `n` articles, one a day from 2020-01-01 (so the newest is the last);
    /// every article is tagged "all", every third also "third".
    static func site(_ n: Int, paginate: String? = "4") -> [String: String] {
        var files = ["content/_index.md": "---\ntitle: Desk\n" + (paginate.map { "paginate: \($0)\n" } ?? "") + "---\nHello.\n"]
        for i in 0..<n {
            let day = Calendar(identifier: .gregorian).date(byAdding: .day, value: i, to: Date(timeIntervalSince1970: 1_577_836_800))!
            let date = ISO8601DateFormatter().string(from: day).prefix(10)
            files["content/a\(i).md"] = article("Article \(i)", date: String(date), tags: i % 3 == 0 ? ["all", "third"] : ["all"],
                                                 body: "In March 1990 thing \(i) happened.")
        }
        return files
    }

    /// Slugs of the cards of a list page, in order.
    func cardSlugs(_ html: String, root: String) -> [String] {
        html.components(separatedBy: "<h3 class=\"card-title\"><a href=\"" + root).dropFirst().map { String($0.prefix { $0 != "/" }) }
    }

    @Test func listsAreSplitIntoPagesNewestFirst() throws {
        let site = try TestSite(Self.site(10))
        try site.build()
        let home = try site.read("public/index.html")
        #expect(cardSlugs(home, root: "./") == ["a9", "a8", "a7", "a6"])
        #expect(cardSlugs(try site.read("public/page/2/index.html"), root: "../../") == ["a5", "a4", "a3", "a2"])
        #expect(cardSlugs(try site.read("public/page/3/index.html"), root: "../../") == ["a1", "a0"])
        #expect(!site.exists("public/page/4") && !site.exists("public/page/1"))
        // "third": a0, a3, a6, a9; two pages.
        #expect(cardSlugs(try site.read("public/tags/third/index.html"), root: "../../") == ["a9", "a6", "a3", "a0"])
        #expect(!site.exists("public/tags/third/page"))
        #expect(cardSlugs(try site.read("public/tags/all/page/3/index.html"), root: "../../../../") == ["a1", "a0"])

        // Navigation: the current page marked, the others linked, prev/next.
        let page2 = try site.read("public/page/2/index.html")
        #expect(page2.contains("<a href=\"../../page/2/\" aria-current=\"page\">2</a>"))
        #expect(page2.contains("<a href=\"../../\">1</a>"))
        #expect(page2.contains("<link rel=\"prev\" href=\"../../\">"))
        #expect(page2.contains("<link rel=\"next\" href=\"../../page/3/\">"))
        #expect(page2.contains("<title>Page 2 of 3 · Desk</title>"))
        #expect(!page2.contains("Hello."))  // the introduction is the first page's
        #expect(home.contains("Hello.") && home.contains("rel=\"next\" href=\"./page/2/\"") && !home.contains("rel=\"prev\""))
        let last = try site.read("public/tags/all/page/3/index.html")
        #expect(last.contains("<link rel=\"prev\" href=\"../../../../tags/all/page/2/\">") && !last.contains("rel=\"next\""))
        #expect(last.contains("href=\"../../../../tags/all/timeline/\""))

        // Every link of every list page leads to a file of the site.
        for page in ["index.html", "page/2/index.html", "page/3/index.html", "tags/all/page/2/index.html", "tags/all/page/3/index.html"] {
            let html = try site.read("public/" + page)
            let folder = URL(fileURLWithPath: site.root + "/public/" + page).deletingLastPathComponent()
            for part in html.components(separatedBy: "href=\"").dropFirst() {
                let href = String(part.prefix { $0 != "\"" })
                guard !href.hasPrefix("http"), !href.hasPrefix("#") else { continue }
                // Root-relative ("/page/2/": the canonical URL, as no base URL is set) or relative.
                let base = href.hasPrefix("/") ? URL(fileURLWithPath: site.root + "/public/") : folder
                let relative = String(href.prefix { $0 != "#" }.drop { $0 == "/" })
                var target = URL(fileURLWithPath: relative, relativeTo: base).standardizedFileURL.path
                if href.hasSuffix("/") || href.isEmpty { target += "/index.html" }
                #expect(FileManager.default.fileExists(atPath: target), "\(page) links to \(href), which is not in the site")
            }
        }
        // The sitemap lists the later pages too.
        let sitemap = try site.read("public/sitemap.xml")
        for path in ["page/2/", "page/3/", "tags/all/page/2/", "tags/all/page/3/", "tags/third/"] {
            #expect(sitemap.contains("<loc>/\(path)</loc>"), "the sitemap misses \(path)")
        }
        #expect(!sitemap.contains("tags/third/page/"))
    }

    @Test func numbersAroundTheCurrentPageWithGaps() {
        #expect(PageRenderer.pageNumbers(current: 1, count: 1) == [1])
        #expect(PageRenderer.pageNumbers(current: 1, count: 9) == [1, 2, 3, nil, 9])
        #expect(PageRenderer.pageNumbers(current: 5, count: 9) == [1, nil, 3, 4, 5, 6, 7, nil, 9])
        #expect(PageRenderer.pageNumbers(current: 4, count: 9) == [1, 2, 3, 4, 5, 6, nil, 9])
        #expect(PageRenderer.pageNumbers(current: 9, count: 9) == [1, nil, 7, 8, 9])
    }

    @Test func zeroPutsEveryArticleOnOnePage() throws {
        let site = try TestSite(Self.site(30, paginate: "0"))
        try site.build()
        #expect(cardSlugs(try site.read("public/index.html"), root: "./").count == 30)
        #expect(!site.exists("public/page"))
        #expect(!(try site.read("public/index.html")).contains("class=\"pagination\""))
    }

    @Test func defaultIsTwentyAPage() throws {
        let site = try TestSite(Self.site(21, paginate: nil))
        try site.build()
        #expect(cardSlugs(try site.read("public/index.html"), root: "./").count == 20)
        #expect(cardSlugs(try site.read("public/page/2/index.html"), root: "../../") == ["a0"])
    }

    @Test func aBadValueNamesTheFileLineAndColumn() throws {
        let site = try TestSite(Self.site(2, paginate: "ten"))
        let errors = site.buildErrors()
        #expect(errors.contains { $0.path == "content/_index.md" && $0.line == 3 && $0.column == 11 && $0.message.contains("`paginate` must be a whole number") },
                "\(errors)")
        let negative = try TestSite(Self.site(2, paginate: "-3"))
        #expect(negative.buildErrors().contains { $0.message.contains("not \"-3\"") })
    }

    @Test func anArticleCannotTakeTheSlugOfThePages() throws {
        var files = Self.site(2)
        files["content/p.md"] = article("Pages", extra: "slug: page\n")
        let site = try TestSite(files)
        let errors = site.buildErrors()
        // At the `slug:` line of the front matter.
        #expect(errors.contains { $0.path == "content/p.md" && $0.line == 4 && $0.column == 1 && $0.message.contains("reserved") }, "\(errors)")
        // A slug from the file's name: the message says so.
        var named = Self.site(2)
        named["content/page.md"] = article("Pages")
        let fromName = try TestSite(named).buildErrors()
        #expect(fromName.contains { $0.path == "content/page.md" && $0.line == 1 && $0.message.contains("rename the file") }, "\(fromName)")
    }

    /// A running session rewrites only the list pages whose articles changed,
    /// removes pages a shorter list no longer has, and ends with the site a
    /// full build makes.
    @Test func sessionRewritesOnlyThePagesThatChanged() throws {
        let site = try TestSite(Self.site(10))
        var options = BuildOptions(siteRoot: site.root)
        options.workers = 2
        let live = SiteSession(options: options)
        try live.build()

        // a4 is on page 2 of the home list and page 2 of "all"; not tagged "third".
        try site.write("content/a4.md", article("Article four, renamed", date: "2020-01-05", tags: ["all"], body: "In March 1990 thing 4 happened."))
        let edit = try live.rebuild(changed: ["content/a4.md"])
        let written = Set(edit.changedOutputs ?? [])
        #expect(written.contains("page/2/index.html") && written.contains("tags/all/page/2/index.html"))
        for untouched in ["index.html", "page/3/index.html", "tags/all/index.html", "tags/all/page/3/index.html", "tags/third/index.html"] {
            #expect(!written.contains(untouched), "a title edit on page 2 rewrote \(untouched)")
        }
        try expectFullBuild(site)

        // Fewer articles: the third pages go.
        try site.remove("content/a0.md")
        try site.remove("content/a1.md")
        _ = try live.rebuild(changed: ["content/a0.md", "content/a1.md"])
        #expect(!site.exists("public/page/3/index.html") && !site.exists("public/tags/all/page/3/index.html"))
        #expect(cardSlugs(try site.read("public/page/2/index.html"), root: "../../") == ["a5", "a4", "a3", "a2"])
        try expectFullBuild(site)

        // A new setting re-splits every list.
        try site.write("content/_index.md", "---\ntitle: Desk\npaginate: 3\n---\nHello.\n")
        _ = try live.rebuild(changed: ["content/_index.md"])
        #expect(cardSlugs(try site.read("public/page/3/index.html"), root: "../../") == ["a3", "a2"])
        try expectFullBuild(site)
    }

    /// Articles of one day go by title: a title edit moves an article
    /// within each of its lists, and the pages between its old place and
    /// its new one show other articles. Those are rewritten, the others not.
    @Test func aTitleEditThatMovesAnArticleRewritesThePagesBetween() throws {
        var files = ["content/_index.md": "---\ntitle: Desk\npaginate: 2\n---\nHello.\n"]
        for (i, name) in ["b", "c", "d", "e", "f", "g"].enumerated() {
            files["content/\(name).md"] = article("\(name.uppercased()) story", date: "2020-01-01", tags: i % 2 == 0 ? ["all", "Even"] : ["all", "Odd"],
                                                 body: "In March 1990 thing \(i) happened.")
        }
        let site = try TestSite(files)
        var options = BuildOptions(siteRoot: site.root)
        options.workers = 2
        let live = SiteSession(options: options)
        try live.build()
        #expect(cardSlugs(try site.read("public/tags/all/index.html"), root: "../../") == ["b", "c"])

        // "f" (page 3 of "all", page 2 of "even") becomes the first of the day.
        try site.write("content/f.md", article("A story", date: "2020-01-01", tags: ["all", "Even"], body: "In March 1990 thing 4 happened."))
        var written = Set(try live.rebuild(changed: ["content/f.md"]).changedOutputs ?? [])
        for moved in ["index.html", "page/2/index.html", "page/3/index.html", "tags/all/index.html", "tags/all/page/2/index.html",
                      "tags/all/page/3/index.html"] {
            #expect(written.contains(moved), "\(moved) shows other articles now")
        }
        #expect(cardSlugs(try site.read("public/tags/all/index.html"), root: "../../") == ["f", "b"])
        #expect(written.contains("tags/even/index.html") && written.contains("tags/even/page/2/index.html"))
        #expect(!written.contains("tags/odd/index.html") && !written.contains("tags/odd/page/2/index.html"))
        try expectFullBuild(site)

        // "e" moves one place down, after "g": within page 3 of "all", across the pages of "odd".
        try site.write("content/e.md", article("H story", date: "2020-01-01", tags: ["all", "Odd"], body: "In March 1990 thing 3 happened."))
        written = Set(try live.rebuild(changed: ["content/e.md"]).changedOutputs ?? [])
        for moved in ["page/3/index.html", "tags/all/page/3/index.html", "tags/odd/index.html", "tags/odd/page/2/index.html"] {
            #expect(written.contains(moved), "\(moved) shows other articles now")
        }
        for untouched in ["index.html", "page/2/index.html", "tags/all/index.html", "tags/all/page/2/index.html", "tags/even/index.html",
                          "tags/even/page/2/index.html"] {
            #expect(!written.contains(untouched), "\(untouched) shows the same articles")
        }
        try expectFullBuild(site)
    }

    /// A tag is named as its newest article spells it, and the tag pages go
    /// by name: a title edit that reorders a day can move a tag among the
    /// others ("Berlin" sorts before "apple", "berlin" after it), and each
    /// tag page must still show its own articles.
    @Test func aTitleEditThatRespellsATagKeepsEachTagPageItsOwn() throws {
        let site = try TestSite([
            "content/_index.md": "---\ntitle: Desk\n---\nHello.\n",
            "content/b.md": article("B story", date: "2020-01-01", tags: ["Berlin"], body: "In March 1990 a thing happened."),
            "content/c.md": article("C story", date: "2020-01-01", tags: ["berlin"], body: "In May 1990 a thing happened."),
            "content/d.md": article("D story", date: "2020-01-01", tags: ["apple"], body: "In June 1990 a thing happened."),
        ])
        var options = BuildOptions(siteRoot: site.root)
        options.workers = 2
        let live = SiteSession(options: options)
        try live.build()
        #expect(try site.read("public/tags/berlin/index.html").contains("Berlin"))
        try site.write("content/c.md", article("A story", date: "2020-01-01", tags: ["berlin"], body: "In May 1990 a thing happened."))
        _ = try live.rebuild(changed: ["content/c.md"])
        #expect(cardSlugs(try site.read("public/tags/berlin/index.html"), root: "../../") == ["c", "b"])
        #expect(cardSlugs(try site.read("public/tags/apple/index.html"), root: "../../") == ["d"])
        try expectFullBuild(site)
    }

    func expectFullBuild(_ site: TestSite, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var options = BuildOptions(siteRoot: site.root, output: site.root + "/full")
        options.useCache = false
        try? FileManager.default.removeItem(atPath: site.root + "/full")
        _ = try SiteBuilder.build(options)
        let expected = try site.snapshot("full"), got = try site.snapshot()
        #expect(got.keys.sorted() == expected.keys.sorted(), sourceLocation: sourceLocation)
        for (path, data) in expected where got[path] != data {
            Issue.record("public/\(path) differs from a full build", sourceLocation: sourceLocation)
        }
    }
}
