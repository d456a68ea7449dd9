import Foundation
import Testing
@testable import LedeCore

/// The site-wide timeline (`/timeline/`) and each tag's: order, merging of the
/// same event told by two articles, links back to the paragraphs, grouping,
/// and the in-page topic filter.
@Suite struct SiteTimelineTests {
    static let files: [String: String] = [
        "content/_index.md": "---\ntitle: Timeline Test\n---\n",
        "content/wall.md": article(
            "The Berlin Wall", date: "2020-01-01", tags: ["cold-war", "germany"],
            extra: "timeline:\n  - {date: 1949, end: 1990, text: \"Two German states exist side by side.\"}\n",
            body: "On November 9, 1989 the Berlin Wall opened its gates.\n\nIn 1961 the wall was built overnight by the East German regime."),
        "content/unity.md": article(
            "German unity", date: "2020-02-01", tags: ["germany"],
            body: "The Berlin Wall fell on November 9, 1989 after weeks of protest.\n\nGermany reunified on October 3, 1990."),
        "content/moon.md": article(
            "The Moon landing", date: "2020-03-01", tags: ["space"],
            body: "Apollo 11 landed on July 20, 1969.\n\nIn 1961 President Kennedy promised a lunar landing within the decade."),
    ]

    /// `data-timex` values of the events of a timeline page, in page order.
    func values(_ page: String) -> [String] {
        page.components(separatedBy: "data-timex=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// The `<li>` of each event of a page.
    func items(_ page: String) -> [String] {
        page.components(separatedBy: "<li class=\"timeline-event\"").dropFirst().map { String($0.components(separatedBy: "</li>")[0]) }
    }

    @Test func eventsOfEveryArticleInOneChronology() throws {
        let site = try TestSite(Self.files)
        try site.build()
        let page = try site.read("public/timeline/index.html")
        // Chronological; the two different events of 1961 both stay, in article order (moon before wall).
        #expect(values(page) == ["1949", "1961", "1961", "1969-07-20", "1989-11-09", "1990-10-03"])
        let events = items(page)
        #expect(events[1].contains("Kennedy") && events[1].contains("../moon/#"))
        #expect(events[2].contains("built overnight") && events[2].contains("../wall/#"))
        // The range keeps its end.
        #expect(events[0].contains("1949–1990"))
        #expect(page.contains("6 events from 3 explainers"))
    }

    @Test func theSameEventInTwoArticlesIsListedOnceNamingBoth() throws {
        let site = try TestSite(Self.files)
        try site.build()
        let page = try site.read("public/timeline/index.html")
        let fall = items(page).filter { $0.contains("data-timex=\"1989-11-09\"") }
        #expect(fall.count == 1)
        let sources = try #require(fall.first?.components(separatedBy: "timeline-sources").last)
        #expect(sources.contains(">German unity</a>") && sources.contains(">The Berlin Wall</a>"))
        #expect(sources.contains("href=\"../unity/#") && sources.contains("href=\"../wall/#"))
        // Topics of both articles, for the filter.
        #expect(fall.first?.contains("data-tags=\"germany cold-war\"") == true)
    }

    @Test func everyLinkLeadsToTheParagraphItCameFrom() throws {
        let site = try TestSite(Self.files)
        try site.build()
        for path in ["timeline/index.html", "tags/germany/timeline/index.html", "tags/space/timeline/index.html"] {
            let page = try site.read("public/" + path)
            let links = page.components(separatedBy: "href=\"").dropFirst().map { href in
                var link = Substring(href.prefix { $0 != "\"" })
                while link.hasPrefix("../") { link = link.dropFirst(3) }
                return String(link)
            }
            let anchored = links.filter { $0.contains("/#") }
            #expect(anchored.count >= 4, "\(path)")
            for link in anchored {
                let parts = link.components(separatedBy: "/#")
                let target = try site.read("public/\(parts[0])/index.html")
                #expect(target.contains("id=\"\(parts[1])\""), "\(path): \(link) points to a missing id")
            }
        }
    }

    @Test func longSpansAreGroupedByDecadeWithAnIndex() throws {
        let site = try TestSite(Self.files)
        try site.build()
        let page = try site.read("public/timeline/index.html")
        // 1949–1990 is more than 30 years: decades, then years.
        for decade in ["1940s", "1960s", "1980s", "1990s"] {
            #expect(page.contains("<section class=\"timeline-decade\" id=\"d\(decade)\""))
            #expect(page.contains("<li><a href=\"#d\(decade)\">\(decade)</a>"))
        }
        #expect(page.contains("<h3 class=\"timeline-year-label\" id=\"y1961-label\">1961</h3>"))
        #expect(!page.contains("d1970s"))
    }

    @Test func shortSpansAreGroupedByYear() throws {
        let site = try TestSite([
            "content/a.md": article("A", tags: ["x"], body: "In 1961 the wall went up.\n\nOn August 13, 1961 the border closed."),
            "content/b.md": article("B", tags: ["y"], body: "In 1963 Kennedy visited Berlin."),
        ])
        try site.build()
        let page = try site.read("public/timeline/index.html")
        #expect(page.contains("<li><a href=\"#y1961\">1961</a> <span class=\"count\">2</span></li>"))
        #expect(page.contains("<h2 class=\"timeline-year-label\" id=\"y1963-label\">1963</h2>"))
        #expect(!page.contains("timeline-decade\""))
    }

    @Test func eachTagHasItsOwnTimeline() throws {
        let site = try TestSite(Self.files)
        try site.build()
        let germany = try site.read("public/tags/germany/timeline/index.html")
        #expect(values(germany) == ["1949", "1961", "1989-11-09", "1990-10-03"])
        #expect(!germany.contains("Kennedy"))
        #expect(values(try site.read("public/tags/space/timeline/index.html")) == ["1961", "1969-07-20"])
        // The tag page and the home page link to their timelines; the header links to the site's.
        #expect(try site.read("public/tags/germany/index.html").contains("<a href=\"timeline/\">"))
        let home = try site.read("public/index.html")
        #expect(home.contains("<a href=\"./timeline/\">"))
        #expect(home.contains("<a href=\"./timeline/\">Timeline</a>"))
        // Without JavaScript, the topic filter is a set of links to these pages.
        let all = try site.read("public/timeline/index.html")
        #expect(all.contains("<a class=\"tag\" href=\"../tags/germany/timeline/\" data-tag=\"germany\" data-count=\"4\">germany</a>"))
        #expect(all.contains("assets/timeline-filter.js"))
        #expect(site.exists("public/assets/timeline-filter.js"))
    }

    /// An event told by articles of different topics shows on a topic's
    /// timeline naming only that topic's articles: in the item, its tags and
    /// its first link, and in the JSON's slide, its group and id.
    @Test func aTopicTimelineNamesOnlyItsOwnArticles() throws {
        let site = try TestSite(Self.files)
        try site.build()
        let coldWar = try site.read("public/tags/cold-war/timeline/index.html")
        let fall = try #require(items(coldWar).first { $0.contains("data-timex=\"1989-11-09\"") })
        #expect(fall.contains("data-tags=\"cold-war germany\""))
        #expect(fall.contains("<a href=\"../../../wall/#") && fall.contains(">The Berlin Wall</a>"))
        #expect(!fall.contains("unity") && !fall.contains("German unity"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(try site.read("public/tags/cold-war/timeline/timeline.json").utf8)) as? [String: Any])
        let slides = try #require(json["events"] as? [[String: Any]])
        let slide = try #require(slides.first { (($0["start_date"] as? [String: Any])?["day"] as? Int) == 9 })
        let text = try #require((slide["text"] as? [String: Any])?["text"] as? String)
        #expect(text.contains("/wall/#") && !text.contains("/unity/#"))
        #expect(slide["group"] as? String == "The Berlin Wall")
        #expect((slide["unique_id"] as? String)?.hasPrefix("wall-") == true)
        // The site's timeline names both.
        let all = try #require(items(try site.read("public/timeline/index.html")).first { $0.contains("data-timex=\"1989-11-09\"") })
        #expect(all.contains(">German unity</a>") && all.contains(">The Berlin Wall</a>"))
    }

    /// An event is rendered once and filled in for every page that shows it:
    /// naming all its sources or some (a topic's copy), at any depth, the
    /// fill is what rendering the event for that page gives. An event whose
    /// own text holds a fill mark is rendered for each page instead.
    @Test func anEventRenderedOnceFillsAsRenderingItForThePage() throws {
        let renderer = PageRenderer(theme: try Theme.load(siteTemplates: nil), config: SiteConfig())
        func source(_ slug: String, _ title: String, _ tags: [String]) -> SiteEvent.Source {
            SiteEvent.Source(slug: slug, title: title, anchor: "p-\(slug)", tags: tags, tagKeys: tags.map { Slug.make($0) },
                             article: Int32(["wall", "unity", "bonn"].firstIndex(of: slug)!))
        }
        let sources = [source("wall", "The \"Wall\" & <its> fall", ["Cold War", "germany"]), source("unity", "German unity", ["germany"]),
                       source("bonn", "Bonn’s years", ["germany", "Politics"])]
        let event = SiteEvent(value: "1989-11-09", endValue: "1990", display: "November 9, 1989", text: "The wall “opened” — at last & <b>",
                              title: "The fall", sources: sources, date: try #require(TimexDate("1989-11-09")), order: 0)
        let rendered = try #require(RenderedEvent(event, renderer: renderer))
        for keeps: [Int32]? in [nil, [0], [1], [1, 2], [0, 2]] {
            var copy = event
            if let keeps { copy.sources = keeps.map { sources[Int($0)] } }
            for root in ["./", "../", "../../../"] {
                var bytes: [UInt8] = []
                rendered.appendItem(keeps: keeps?[...], tags: Array(HTML.escape(copy.tagSlugs.joined(separator: " ")).utf8),
                                    root: Array(root.utf8), to: &bytes)
                #expect(bytes == renderer.siteTimelineItem(copy, root: root))
            }
            var head: [UInt8] = []
            rendered.appendHead(keeps: keeps?[...], to: &head)
            #expect(head == TimelineJSON.siteHead(copy, config: renderer.config))
        }
        for mark in ["\u{1}", "\u{2}", "\u{3}", "\u{4}"] {
            var marked = event
            marked.text = "a mark \(mark) in the text"
            #expect(RenderedEvent(marked, renderer: renderer) == nil)
            marked.sources = [sources[1]]
            #expect(RenderedEvent(marked, renderer: renderer) == nil, "told by one article")
        }
    }

    /// What a page after a title edit is made by: each old item replaced
    /// only where it is found exactly as often as the page shows it.
    @Test func aSpliceReplacesOnlyWhatItFindsExactlyAsOftenAsShown() {
        func b(_ s: String) -> [UInt8] { Array(s.utf8) }
        func replace(_ list: [(String, String)], in page: String) -> String? {
            SiteTimelinePages.replace(list.map { (b($0.0), b($0.1)) }, in: b(page)).map { String(decoding: $0, as: UTF8.self) }
        }
        // In the page's order, whatever the list's.
        #expect(replace([("<li>c</li>", "<li>C!</li>"), ("<li>a</li>", "<li>A</li>")], in: "<ol><li>a</li><li>b</li><li>c</li></ol>")
                == "<ol><li>A</li><li>b</li><li>C!</li></ol>")
        // Shown twice, found twice: both.
        #expect(replace([("<li>a</li>", "<li>A</li>"), ("<li>a</li>", "<li>A</li>")], in: "<li>a</li><li>a</li>") == "<li>A</li><li>A</li>")
        // Found more often than shown, or less: the page cannot be told apart.
        #expect(replace([("<li>a</li>", "<li>A</li>")], in: "<li>a</li><li>a</li>") == nil)
        #expect(replace([("<li>x</li>", "<li>X</li>")], in: "<li>a</li>") == nil)
        // One item inside another, or two overlapping.
        #expect(replace([("<li>a</li>", "1"), ("a</li><li>b", "2")], in: "<li>a</li><li>b</li>") == nil)
        #expect(replace([("aa", "b")], in: "aaa") == nil)
        // The same old item with two different new ones.
        #expect(replace([("<li>a</li>", "1"), ("<li>a</li>", "2")], in: "<li>a</li><li>a</li>") == nil)
        #expect(replace([], in: "<li>a</li>") == "<li>a</li>")
        // Longer than the 256 bytes it is looked for by: the same tail after
        // another head is not it; the whole of it is.
        let tail = String(repeating: "t", count: 300), item = "<li>a" + tail + "</li>", other = "<li>b" + tail + "</li>"
        #expect(replace([(item, "<li>A</li>")], in: other + item + other) == other + "<li>A</li>" + other)
        #expect(replace([(item, "<li>A</li>")], in: other + other) == nil)
        #expect(replace([(item, "<li>A</li>")], in: item + item) == nil)
        #expect(replace([(item, "1"), (item, "1")], in: "x" + item + other + item) == "x1" + other + "1")
        #expect(replace([(item, "1")], in: String(item.dropFirst())) == nil)
    }

    @Test func aSiteWithoutDatesStillHasItsTimelinePage() throws {
        let site = try TestSite(["content/a.md": article("A", body: "Nothing dated here.")])
        try site.build()
        #expect(try site.read("public/timeline/index.html").contains("0 events"))
        let json = try JSONSerialization.jsonObject(with: Data(try site.read("public/timeline/timeline.json").utf8)) as? [String: Any]
        #expect((json?["events"] as? [Any])?.isEmpty == true)
        #expect(!site.exists("public/a/timeline.json"))
    }

    @Test func bigTimelinesAreSplitIntoDecadePages() throws {
        // More events than one page holds: an index of decades, a page (and JSON) for each.
        var body = ""
        for y in 1900..<(1900 + SiteTimelinePages.eventsPerPage / 10 + 1) {
            for m in 1...10 { body += "The council met on \(DateTime.monthNames[m - 1]) 3, \(y) to vote on motion \(y)-\(m).\n\n" }
        }
        let site = try TestSite(["content/long.md": article("Long", body: body)])
        try site.build()
        let index = try site.read("public/timeline/index.html")
        #expect(index.contains("<li><a href=\"1900s/\">1900s</a> <span class=\"count\">100</span></li>"))
        let decade = try site.read("public/timeline/1900s/index.html")
        #expect(values(decade).count == 100)
        #expect(decade.contains("<p class=\"list-kicker\"><a href=\"../../timeline/\">Timeline</a></p>"))
        #expect(decade.contains("<h1 id=\"timeline-title\" class=\"list-title\">Timeline: 1900s</h1>"))
        #expect(site.exists("public/timeline/1900s/timeline.json"))
        // The index's JSON has one slide per page, linking to it; the events are in the pages' JSON.
        let indexJSON = try TimelineJSONTests.validate(Data(contentsOf: URL(fileURLWithPath: site.root + "/public/timeline/timeline.json")), "index")
        #expect(indexJSON.events.count == (SiteTimelinePages.eventsPerPage / 10 + 1 + 9) / 10)
        #expect(indexJSON.events.first?.text?.headline == "1900s")
        #expect(indexJSON.events.first?.text?.text?.contains("timeline/1900s/\"") == true)
        let decadeJSON = try TimelineJSONTests.validate(Data(contentsOf: URL(fileURLWithPath: site.root + "/public/timeline/1900s/timeline.json")), "1900s")
        #expect(decadeJSON.events.count == 100)
    }

    /// "N events from M explainers": M counts the articles a page's events
    /// name, each once, and on a topic's timeline only those with the topic
    /// (an event told by an article without it names just the others there),
    /// on an index page for all the timeline's events.
    @Test func aTimelineCountsTheExplainersItsEventsName() throws {
        var body = ""
        for y in 1900..<(1900 + SiteTimelinePages.eventsPerPage / 10 + 1) {
            for m in 1...10 { body += "The council met on \(DateTime.monthNames[m - 1]) 3, \(y) to vote on motion \(y)-\(m).\n\n" }
        }
        let events = (SiteTimelinePages.eventsPerPage / 10 + 1) * 10 + 1
        let site = try TestSite([
            "content/long.md": article("Long", tags: ["council"], body: body),
            "content/mayor.md": article("Mayor", tags: ["council"], body: "The mayor resigned on May 9, 1931 after a scandal."),
            // The same event as the long article's first: one event, naming both.
            "content/press.md": article("Press", tags: ["press"], body: "The council met on January 3, 1900 to vote on motion 1900-1."),
        ])
        try site.build()
        func count(_ path: String) throws -> String? {
            let page = try site.read("public/" + path + "index.html")
            return page.components(separatedBy: "<p class=\"list-count\">").dropFirst().first?.components(separatedBy: " · ").first
        }
        #expect(try count("timeline/") == "\(events) events from 3 explainers")
        #expect(try count("timeline/1900s/") == "100 events from 2 explainers")
        #expect(try count("timeline/1930s/") == "101 events from 2 explainers")
        #expect(try count("timeline/1940s/") == "100 events from 1 explainers")
        let council = PageRenderer.tagPath("council") + "timeline/"
        #expect(try count(council) == "\(events) events from 2 explainers")
        #expect(try count(council + "1900s/") == "100 events from 1 explainers")
        #expect(try count(council + "1930s/") == "101 events from 2 explainers")
        #expect(try count(PageRenderer.tagPath("press") + "timeline/") == "1 events from 1 explainers")
    }

    @Test func aDecadeTooBigForOnePageIsSplitByYear() throws {
        var body = ""
        let perYear = SiteTimelinePages.eventsPerPage / 10 + 1
        for y in 1990..<2000 {
            for k in 0..<perYear {
                body += "On \(DateTime.monthNames[k % 12]) \(k / 12 + 1), \(y) the council voted on motion \(y)-\(k).\n\n"
            }
        }
        body += "In 1985 the council was founded.\n"
        let site = try TestSite(["content/long.md": article("Long", body: body)])
        try site.build()
        let index = try site.read("public/timeline/index.html")
        #expect(index.contains("<li><a href=\"1980s/\">1980s</a> <span class=\"count\">1</span></li>"))
        #expect(index.contains("<li><a href=\"1995/\">1995</a> <span class=\"count\">\(perYear)</span></li>"))
        #expect(values(try site.read("public/timeline/1995/index.html")).count == perYear)
        #expect(site.exists("public/timeline/1995/timeline.json"))
        #expect(!site.exists("public/timeline/1990s/index.html"))
    }

    @Test func aYearTooBigForOnePageIsSplitByMonth() throws {
        // March 1995 has more events than a page holds: 49 articles tell one
        // event on each of its days, in words no other event shares (an
        // article lists one event a day, and events of a day that share a
        // word are one). The events dated only "1995" have the year's own
        // page; the months around March have theirs.
        func word(_ k: Int) -> String { String((0..<3).map { Character(UnicodeScalar(UInt8(97 + (k / [676, 26, 1][$0]) % 26))) }) }
        var files: [String: String] = [:]
        let perDay = SiteTimelinePages.eventsPerPage / 31 + 1
        for a in 0..<perDay {
            var body = a > 0 ? "" : "In 1985 the council was founded.\n\nIn 1995 the assembly moved to a larger hall.\n\n"
                + "On January 9, 1995 the budget passed.\n\nOn February 14, 1995 the mayor resigned.\n\n"
            for day in 1...31 {
                let w = word(a * 31 + day)
                body += "On March \(day), 1995 \(w)ton \(w)ville \(w)ham.\n\n"
            }
            files["content/a\(a < 10 ? "0" : "")\(a).md"] = article("A\(a)", body: body)
        }
        let site = try TestSite(files)
        try site.build()
        let index = try site.read("public/timeline/index.html")
        let listed = index.components(separatedBy: "<li><a href=\"").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(listed == ["1980s/\">1980s", "1995/\">1995", "1995-01/\">January 1995", "1995-02/\">February 1995",
                           "1995-03/\">March 1995, part 1", "1995-03-2/\">March 1995, part 2"])
        #expect(values(try site.read("public/timeline/1995/index.html")) == ["1995"])
        #expect(values(try site.read("public/timeline/1995-02/index.html")) == ["1995-02-14"])
        let march = values(try site.read("public/timeline/1995-03/index.html"))
        #expect(march.count == SiteTimelinePages.eventsPerPage)
        #expect(march.first == "1995-03-01")
        let part = try site.read("public/timeline/1995-03-2/index.html")
        #expect(values(part) == Array(repeating: "1995-03-31", count: 31 * perDay - SiteTimelinePages.eventsPerPage))
        #expect(part.contains("<h1 id=\"timeline-title\" class=\"list-title\">Timeline: March 1995, part 2</h1>"))
        let json = try TimelineJSONTests.validate(Data(contentsOf: URL(fileURLWithPath: site.root + "/public/timeline/1995-03-2/timeline.json")), "part")
        #expect(json.events.count == 31 * perDay - SiteTimelinePages.eventsPerPage)
        #expect(!site.exists("public/timeline/1990s/index.html"))
    }

    @Test func theNewPagesAreValidHTMLForTidy() throws {
        let tidy = try #require(which("tidy"), "tidy is needed (apt-get install tidy; .ci/run installs it)")
        var files = Self.files
        files["content/bridge.md"] = "---\ntitle: Bridge\ntags: [germany]\n---\n\n" + AutoTakeawaysTests.story + "\n"
        let site = try TestSite(files)
        try site.build()
        var pages = ["timeline/index.html", "tags/germany/timeline/index.html", "wall/index.html", "bridge/index.html"]
        if site.exists("public/search/index.html") { pages.append("search/index.html") }
        for page in pages {
            let result = try run(tidy, ["-q", "-e", "--drop-empty-elements", "no", site.root + "/public/" + page])
            #expect(result.status == 0, "tidy on \(page): \(result.stderr)")
        }
    }

    @Test func theTopicFilterWorksInTheBrowser() throws {
        let chromium = try #require(SearchTests.chromium(), "Chromium is needed: apt-get install chromium (bash .ci/deps test installs it)")
        let site = try TestSite(Self.files)
        try site.build()
        let server = try StaticServer(folder: site.root + "/public")
        let browser = try Browser(executable: chromium)
        defer { browser.close() }
        try browser.open(server.url + "timeline/")
        let visible = "[...document.querySelectorAll('.timeline-groups .timeline-event')].filter(e => e.offsetParent !== null).length"
        #expect(try browser.evaluate(visible) as? Int == 6)
        try browser.evaluate("document.querySelector('.timeline-filter a[data-tag=space]').click()")
        #expect(try browser.evaluate(visible) as? Int == 2)
        #expect(try browser.evaluate("document.getElementById('d1980s').hidden") as? Bool == true)
        #expect(try browser.evaluate("location.hash") as? String == "#topic=space")
        #expect(try browser.evaluate("document.querySelector('.timeline-filter-status').textContent") as? String == "2 events on “space”")
        try browser.evaluate("document.querySelector('.timeline-filter-clear').click()")
        #expect(try browser.evaluate(visible) as? Int == 6)
    }
}

extension SiteTimelineTests {
    /// An event's tag slugs: each once, in the order its sources name them,
    /// whether it has few (compared in a list) or many (a set).
    @Test func anEventNamesEachTagSlugOnceInOrder() throws {
        func event(_ tagLists: [[String]]) throws -> SiteEvent {
            let sources = tagLists.enumerated().map { k, keys in
                SiteEvent.Source(slug: "a\(k)", title: "A\(k)", anchor: "p1", tags: keys, tagKeys: keys, article: Int32(k))
            }
            return SiteEvent(value: "1989", endValue: nil, display: "1989", text: "t", title: nil, sources: sources,
                             date: try #require(TimexDate("1989")), order: 0)
        }
        #expect(try event([]).tagSlugs == [])
        #expect(try event([["cold-war", "germany", "cold-war"]]).tagSlugs == ["cold-war", "germany"])
        #expect(try event([["germany"], ["politics", "germany"], [], ["cold-war", "politics"]]).tagSlugs == ["germany", "politics", "cold-war"])
        // Past the list's limit, with repeats across sources and a long slug.
        let long = String(repeating: "x", count: 40)
        let many = (0..<30).map { ["t\($0 % 17)", "u\($0 % 5)", long] }
        var expected: [String] = []
        for list in many { for k in list where !expected.contains(k) { expected.append(k) } }
        #expect(expected.count == 23)
        #expect(try event(many).tagSlugs == expected)
    }
}

extension SiteTimelineTests {
    /// An event's item and slide head are put together as bytes; they must
    /// be what the named templates and the text-built slide give.
    @Test func anEventsItemAndHeadAreWhatTheTemplatesAndSlideGive() throws {
        var config = SiteConfig()
        config.baseURL = "https://example.org/a?b=1&c=<2>/"
        let theme = try Theme.load(siteTemplates: nil)
        let renderer = PageRenderer(theme: theme, config: config)
        func source(_ slug: String, _ title: String, _ tags: [String]) -> SiteEvent.Source {
            SiteEvent.Source(slug: slug, title: title, anchor: "p-\(slug)&x", tags: tags, tagKeys: tags.map { Slug.make($0) },
                             article: Int32(["wall", "unity"].firstIndex(of: slug)!))
        }
        let sources = [source("wall", "The \"Wall\" & <its> fall", ["Cold War", "germany"]), source("unity", "German unity — “1990”", ["germany"])]
        for (count, title, end) in [(1, nil, nil), (2, "The <Helsinki> “Summit”", "1990-10-03")] as [(Int, String?, String?)] {
            let e = SiteEvent(value: "1989-11-09", endValue: end, display: "November 9, 1989", text: "The wall “opened” — at last & <b> \\ \"q\"",
                              title: title, sources: Array(sources.prefix(count)), date: try #require(TimexDate("1989-11-09")), order: 0)
            for root in ["../", "../../../"] {
                let links = HTML.joined(e.sources.map { s in
                    theme["parts/timeline-source.html"].render(["url": .text(root + s.slug + "/#" + s.anchor), "title": .text(s.title)])
                }, separator: ", ")
                let expected = theme["parts/site-timeline-item.html"].render([
                    "datetime": .text(e.date.htmlDatetime), "value": .text(e.value), "display": .text(e.display),
                    "end_datetime": .text(end.flatMap { TimexDate($0)?.htmlDatetime } ?? ""),
                    "title": .html(title.map { theme["parts/timeline-title.html"].render(["title": .text($0)]) } ?? .empty),
                    "text": .text(e.text), "url": .text(root + e.sources[0].slug + "/#" + e.sources[0].anchor),
                    "tags": .text(e.tagSlugs.joined(separator: " ")), "sources": .html(links),
                ])
                #expect(String(decoding: renderer.siteTimelineItem(e, root: root), as: UTF8.self) == expected.raw)
            }
            let linkText = e.sources.map { TimelineJSON.link(config, slug: $0.slug, anchor: $0.anchor, title: $0.title) }.joined(separator: ", ")
            var slide: [UInt8] = []
            TimelineJSON.writeHead(TimelineJSON.Slide(start: e.date, end: end.flatMap { TimexDate($0) }, display: e.display,
                                                      headline: title ?? e.display, text: "<p>\(HTML.escape(e.text))</p><p>From \(linkText)</p>",
                                                      group: nil, id: ""), into: &slide)
            #expect(String(decoding: TimelineJSON.siteHead(e, config: config), as: UTF8.self) == String(decoding: slide, as: UTF8.self))
        }
    }

    @Test func theMarksOfAnItemAreFoundWhereverTheyAre() {
        // Lengths around the eight-byte steps, marks (1-4) at every place, and bytes just above them and NUL.
        var seed: UInt64 = 11
        for _ in 0..<3000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let count = Int(seed >> 58)  // 0-63
            var bytes: [UInt8] = []
            for _ in 0..<count {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let r = Int(seed >> 59)
                bytes.append(r < 6 ? UInt8(r) : r < 8 ? UInt8(0x80 + r) : UInt8(0x20 + r))
            }
            var at: [Int32] = []
            let counts = RenderedEvent.marks(in: bytes, at: &at)
            let expected = bytes.indices.filter { bytes[$0] >= 1 && bytes[$0] <= 4 }
            #expect(at == expected.map(Int32.init), "\(bytes)")
            #expect(counts == (1...4).map { m in bytes.filter { $0 == m }.count }, "\(bytes)")
        }
    }
}

extension SiteTimelineTests {
    /// A source shares its article's fields with the article's other
    /// mentions (`SourceArticle`): two sources are equal by what they say,
    /// not by which box holds it, and an event's hash (what decides whether
    /// a timeline page is written again) sees every field a page shows.
    @Test func aSourceIsItsArticlesFieldsAndAnchor() throws {
        func source(slug: String = "wall", title: String = "The Wall", anchor: String = "p1",
                    tags: [String] = ["Cold War"], article: Int32 = 0) -> SiteEvent.Source {
            SiteEvent.Source(slug: slug, title: title, anchor: anchor, tags: tags, tagKeys: tags.map { Slug.make($0) }, article: article)
        }
        let shared = SiteEvent.SourceArticle(slug: "wall", title: "The Wall", tags: ["Cold War"], tagKeys: ["cold-war"], article: 0)
        #expect(source() == source())
        #expect(SiteEvent.Source(shared, anchor: "p1") == source())
        #expect(SiteEvent.Source(shared, anchor: "p2") != source())
        #expect(source(title: "The Berlin Wall") != source())
        #expect(source(tags: ["Cold War", "Germany"]) != source())
        #expect(source(article: 1) != source())
        #expect(source(slug: "wall-2") != source())

        func hash(_ sources: [SiteEvent.Source]) throws -> UInt64 {
            SiteFeatures.eventHash(SiteEvent(value: "1989", endValue: nil, display: "1989", text: "t", title: nil, sources: sources,
                                             date: try #require(TimexDate("1989")), order: 0))
        }
        let base = try hash([source()])
        #expect(try hash([SiteEvent.Source(shared, anchor: "p1")]) == base)
        #expect(try hash([source(title: "The Berlin Wall")]) != base)
        #expect(try hash([source(tags: ["Cold War", "Germany"])]) != base)
        #expect(try hash([source(tags: [])]) != base)
        #expect(try hash([source(anchor: "p2")]) != base)
        #expect(try hash([source(slug: "wall-2")]) != base)
        #expect(try hash([source(), source(slug: "unity", article: 1)]) != base)
        // Tags are told apart from the title: moving a word between them changes the hash.
        #expect(try hash([source(title: "The Wall", tags: ["Germany"])]) != hash([source(title: "The WallGermany", tags: [])]))
    }
}
