import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedeCore

/// lede check: the HTML scanner, the link checker on built sites, the command.
@Suite struct CheckTests {
    // MARK: The scanner

    func tags(_ html: String) -> [(String, [String: String])] {
        var out: [(String, [String: String])] = []
        HTMLScanner.scan(Array(html.utf8)) { token in
            if case .start(let tag) = token {
                var attrs: [String: String] = [:]
                for a in tag.attributes where attrs[a.name] == nil { attrs[a.name] = a.value }
                out.append((tag.name, attrs))
            }
        }
        return out
    }

    @Test func scannerReadsAttributesInEveryQuotingStyle() {
        let found = tags("<A HREF=\"x.html\" Id='top' data-x=bare hidden class = \"a b\"/><img src=y.png alt=\"&lt;&amp;&#39;&#x2F;&quot;&nbsp;\">")
        #expect(found.count == 2)
        #expect(found[0].0 == "a")
        #expect(found[0].1 == ["href": "x.html", "id": "top", "data-x": "bare", "hidden": "", "class": "a b"])
        #expect(found[1].1["src"] == "y.png")
        #expect(found[1].1["alt"] == "<&'/\"\u{A0}")
    }

    @Test func scannerSkipsCommentsScriptsAndStyles() {
        let html = """
            <!-- <a href="in-comment.html"> --><p id=one>x</p>
            <script>if (a < b) { document.write('<a href="in-script.html">') }</script>
            <style>a[href="in-style"] { color: red }</style>
            <title>A <b>title</b> &amp; more</title>
            <![CDATA[ <a href="cdata.html"> ]]>
            <!doctype html><?xml version="1.0"?>
            <a href="real.html">ok</a> 3 < 4 <textarea><a href="in-textarea"></textarea>
            """
        let found = tags(html)
        #expect(found.map(\.0) == ["p", "script", "style", "title", "a", "textarea"])
        #expect(found[4].1["href"] == "real.html")
        var title = ""
        var inTitle = false
        let bytes = Array(html.utf8)
        HTMLScanner.scan(bytes) { token in
            switch token {
            case .start(let t): inTitle = t.name == "title"
            case .end: inTitle = false
            case .text(let r): if inTitle { title += HTMLScanner.decodeReferences(bytes[r]) }
            }
        }
        #expect(title == "A <b>title</b> & more")
    }

    @Test func scannerSurvivesBrokenMarkup() {
        for junk in ["<", "<a", "<a href=\"unclosed", "<a href=", "</", "<!--", "<![CDATA[", "<script>never closed", "a<b>c</b",
                     "<a =x>", "<<<>>>", "<p id=\"\u{0}\">", "&#xFFFFFFFF; &#99999999; &bogus;"] {
            HTMLScanner.scan(Array(junk.utf8)) { _ in }
        }
        #expect(tags("<a =x>").first?.1["=x"] == "")
        #expect(HTMLScanner.decodeReferences(ArraySlice(Array("&#xFFFFFFFF; &bogus; &amp".utf8))) == "&#xFFFFFFFF; &bogus; &amp")
    }

    @Test func urlHelpers() {
        #expect(SiteURL.normalize("a/./b/../c/") == "a/c/")
        #expect(SiteURL.normalize("a/..") == "")
        #expect(SiteURL.normalize("../x") == nil)
        #expect(SiteURL.normalize("a/b/..") == "a/")
        #expect(SiteURL.percentDecode("caf%C3%A9%20x") == "café x")
        #expect(SiteURL.percentDecode("bad%2") == nil)
        #expect(SiteURL.hasScheme("mailto:x@y") && SiteURL.hasScheme("HTTPS://x") && !SiteURL.hasScheme("a/b:c") && !SiteURL.hasScheme("1x:y"))
        #expect(SiteURL.parts("https://User@Example.org:443/news/x?q#f")! == ("https", "example.org", "/news/x?q#f"))
    }

    // MARK: The checker on built sites

    /// A site with one of each problem.
    static let broken: [String: String] = [
        "content/_index.md": "---\ntitle: Desk\ndescription: Background on the news.\nbase_url: https://news.example.org/\nsearch: false\n---\n",
        "content/wall.md": article("The Wall falls", date: "1999-11-09", body: """
            On November 9, 1989 the wall opened. A [good link](../moon/#the-landing), [another](/moon/),
            [this page's timeline](#timeline) and [mail](mailto:desk@example.org).

            A [broken link](../no-such-article/), a [missing anchor](../moon/#no-such-heading), [a local one](#nowhere),
            a ![missing image](/images/gone.png) and an [absolute one](https://news.example.org/missing/).
            An [outside one](https://example.com/page) is not checked by default.
            """),
        "content/moon.md": article("Moon landing", date: "2009-07-20", body: "## The landing\n\nIn July 1969 Apollo 11 landed.\n"),
        "content/empty.md": article("Nothing to say", date: "2001-01-01", body: "## Only a heading"),
    ]

    @Test func reportsBrokenLinksMissingAnchorsAndMissingAssets() throws {
        let site = try TestSite(Self.broken)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        let report = SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!)
        #expect(report.problems.map(\.description) == [
            "empty/index.html → <meta name=\"description\">: the page's description is empty; give the article a `summary:` in its front matter, or start it with a paragraph",
            "wall/index.html → #nowhere: no element on this page has id=\"nowhere\"",
            "wall/index.html → ../moon/#no-such-heading: no element on moon/index.html has id=\"no-such-heading\"",
            "wall/index.html → ../no-such-article/: no such page: the site has no no-such-article/index.html",
            "wall/index.html → /images/gone.png: no such file in the site",
            "wall/index.html → https://news.example.org/missing/: no such page: the site has no missing/index.html",
        ])
        #expect(!report.passed)
        #expect(report.externalLinks == 1)
        #expect(report.pages == 7)  // home, 3 articles, topics, 404, site timeline
    }

    @Test func checksFeedSitemapAndRobotsEntries() throws {
        let site = try TestSite(publishSite)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        #expect(SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!).problems.isEmpty)
        // Entries whose pages are gone.
        try FileManager.default.removeItem(atPath: build.folder + "/moon")
        try FileManager.default.removeItem(atPath: build.folder + "/sitemap.xml")
        let report = SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!)
        #expect(report.problems.map(\.description) == [
            "feed.xml → https://news.example.org/moon/: no such page: the site has no moon/index.html",
            "index.html → ./moon/: no such page: the site has no moon/index.html",
            "robots.txt → https://news.example.org/sitemap.xml: no such file in the site",
            "tags/space/index.html → ../../moon/: no such page: the site has no moon/index.html",
            "tags/space/timeline/index.html → ../../../moon/#intro-1: no such page: the site has no moon/index.html (2 times)",
            "timeline/index.html → ../moon/#intro-1: no such page: the site has no moon/index.html (2 times)",
        ])
    }

    @Test func findsPagesWithoutTitleOrDescriptionAndDuplicateIds() throws {
        let dir = NSTemporaryDirectory() + "lede-check-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pages = [
            "index.html": "<!doctype html><title>Home</title><meta name=description content=\"Hi\"><a href=\"a.html#x\">a</a> <a href=\"b/\">b</a>",
            "a.html": "<title> </title><p id=x>1</p><p id=x>2</p>",
            "b/index.html": "<body class=\"page-home\"><a name=\"anchor\"></a><a href=\"#anchor\">ok</a><a href=\"../a.html\">ok</a><a href=\"../../up.html\">up</a>",
            "c.html": "<title>C</title><meta name=\"description\" content=\"C\"><img srcset=\"a.html 1x, gone.png 2x\" src=\"b\"><a href=\"/elsewhere/\">x</a><a href=\"//news.example.org/sub/c.html\">self</a>",
        ]
        for (path, html) in pages {
            try FileManager.default.createDirectory(atPath: (dir + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try html.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        let report = SiteChecker.check(folder: dir, baseURL: "https://news.example.org/sub/")
        #expect(report.problems.map(\.description) == [
            "a.html → #x: 2 elements have this id, so links to it are ambiguous; give each a different id",
            "a.html → <meta name=\"description\">: the page has no description; the page's template must fill <meta name=\"description\"> (templates/base.html)",
            "a.html → <title>: the page's title is empty; the page's template must fill <title> (templates/base.html)",
            "b/index.html → ../../up.html: climbs above the site's root folder",
            "b/index.html → <meta name=\"description\">: the page has no description; add `description:` to the front matter of content/_index.md",
            "b/index.html → <title>: the page has no title; add `title:` to the front matter of content/_index.md",
            "c.html → /elsewhere/: goes outside the site, which is served at https://news.example.org/sub/; start it with /sub/ or make it relative",
            "c.html → gone.png: no such file in the site",
        ])
    }

    @Test func aPlainThemeAssetNameGetsAHint() throws {
        var files = publishSite
        files["templates/parts/dek.html"] = "<p class=\"dek\"><img src=\"../assets/style.css\" alt=\"\">{{summary}}</p>\n"
        let site = try TestSite(files)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        let problem = try #require(SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!).problems.first)
        #expect(problem.reason.contains("fingerprinted names (here assets/style."))
        #expect(problem.reason.contains("{{root}}assets/style.css"))
    }

    // MARK: The command

    @Test func checkCommandPrintsEachProblemAndExitsOne() throws {
        let site = try TestSite(Self.broken)
        let r = try run(ledeExecutable, ["check", "--source", site.root])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("wall/index.html → ../no-such-article/: no such page: the site has no no-such-article/index.html"))
        #expect(lines.contains("wall/index.html → ../moon/#no-such-heading: no element on moon/index.html has id=\"no-such-heading\""))
        #expect(lines.contains("wall/index.html → /images/gone.png: no such file in the site"))
        #expect(r.stderr.contains("6 problems"))
        #expect(r.stderr.contains("fix them and run lede check again"))
        #expect(!site.exists("public"))
    }

    @Test func checkCommandPassesACleanSite() throws {
        let site = try TestSite(publishSite)
        try site.build()
        let before = try site.snapshot()
        let temp = site.root + "/tmp"
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        let r = try run("/usr/bin/env", ["TMPDIR=" + temp, ledeExecutable, "check", "--source", site.root])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(": no problems in "))
        #expect(try site.snapshot() == before, "lede check changed public/")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp).isEmpty, "the temporary build was left behind")
    }

    @Test func checkCommandOnASiteThatDoesNotBuild() throws {
        let site = try TestSite(["content/_index.md": "---\nbase_url: https://x.test/\n---\n", "content/a.md": "---\ntitle: [oops\n---\n"])
        let r = try run(ledeExecutable, ["check", "--source", site.root])
        #expect(r.status == 1)
        #expect(r.stderr.contains("content/a.md:2:"))
        #expect(r.stderr.contains("check failed: the site does not build"))
        #expect(try run(ledeExecutable, ["check", "--concurrency", "0"]).status == 2)
    }

    // MARK: --external, against a real nginx

    @Test func externalLinksAreCheckedWhenAsked() throws {
        let served = NSTemporaryDirectory() + "lede-ext-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: served) }
        try "ok".write(toFile: served + "/there.html", atomically: true, encoding: .utf8)
        let nginx = try startNginx(serving: served)
        let closed = try freePort()
        var files = publishSite
        files["content/links.md"] = article("Links", body: """
            A [live page](http://127.0.0.1:\(nginx.port)/there.html#part), a [dead page](http://127.0.0.1:\(nginx.port)/gone.html),
            the [same dead page again](http://127.0.0.1:\(nginx.port)/gone.html) and a [closed port](http://127.0.0.1:\(closed)/).
            """)
        let site = try TestSite(files)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        #expect(SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!).problems.isEmpty)
        var options = CheckOptions(external: true)
        options.retries = 1
        options.timeout = 5
        let started = Date()
        let report = SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!, options: options)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(report.externalLinks == 3)
        #expect(Set(report.problems.map(\.description)) == [
            "links/index.html → http://127.0.0.1:\(closed)/: the server refused the connection, after 2 tries",
            "links/index.html → http://127.0.0.1:\(nginx.port)/gone.html: the page is gone (HTTP 404 Not Found) (2 times)",
        ])
    }

    @Test func externalChecksStopAtTheTimeBudget() throws {
        // A server that accepts connections and never answers.
        let port = try freePort()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 16)
        var options = CheckOptions(external: true)
        options.timeout = 1
        options.retries = 5
        options.budget = 3
        options.concurrency = 2
        let urls = (0..<6).map { "http://127.0.0.1:\(port)/slow\($0)" }
        let started = Date()
        let results = ExternalLinkChecker(options: options).check(urls)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 9, "took \(elapsed) s with a 3 s budget")
        #expect(results.count == 6)
        #expect(results.values.contains { if case .doubtful(let m) = $0 { return m.contains("ran out") } else { return false } })
    }
}
