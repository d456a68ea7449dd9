import Foundation
import Testing
@testable import LedeCore

/// Every timeline's `timeline.json` must load into TimelineJS unchanged: it is
/// checked field by field against TimelineJS's documented JSON format
/// (https://timeline.knightlab.com/docs/json-format.html).
@Suite struct TimelineJSONTests {
    // MARK: The documented shape

    /// Top level: `events` (required, list of slides), `title` (a slide), `eras`, `scale`.
    static let topKeys: Set<String> = ["events", "title", "eras", "scale"]
    /// Slide: `start_date` (required except for the title slide), `end_date`,
    /// `text`, `media`, `group`, `display_date`, `background`, `autolink`, `unique_id`.
    static let slideKeys: Set<String> = ["start_date", "end_date", "text", "media", "group", "display_date", "background",
                                         "autolink", "unique_id"]
    /// Date: `year` (required, a number; BCE negative), `month` 1–12, `day`,
    /// `hour` 0–23, `minute` 0–59, `second` 0–59, `millisecond`, `display_date`, `format`.
    static let dateKeys: Set<String> = ["year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format"]
    /// Text: `headline` and `text`, any text (HTML is allowed).
    static let textKeys: Set<String> = ["headline", "text"]

    /// The typed reading: numbers must be numbers and strings strings.
    struct DateObject: Decodable {
        var year: Int
        var month: Int?, day: Int?, hour: Int?, minute: Int?, second: Int?, millisecond: Int?
        var display_date: String?, format: String?
    }
    struct Text: Decodable { var headline: String?; var text: String? }
    struct Slide: Decodable {
        var start_date: DateObject?
        var end_date: DateObject?
        var text: Text?
        var group: String?
        var display_date: String?
        var autolink: Bool?
        var unique_id: String?
    }
    struct Document: Decodable {
        var events: [Slide]
        var title: Slide?
        var scale: String?
    }

    /// Checks one timeline.json against the documented shape; returns it typed.
    @discardableResult
    static func validate(_ data: Data, _ name: String) throws -> Document {
        let raw = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name): not a JSON object")
        #expect(Set(raw.keys).isSubset(of: topKeys), "\(name): unknown top-level keys \(Set(raw.keys).subtracting(topKeys))")
        let events = try #require(raw["events"] as? [[String: Any]], "\(name): events must be a list of slide objects")
        func checkDate(_ value: Any?, _ at: String) {
            guard let d = value as? [String: Any] else { Issue.record("\(name) \(at): not a date object"); return }
            #expect(Set(d.keys).isSubset(of: dateKeys), "\(name) \(at): unknown date keys \(Set(d.keys).subtracting(dateKeys))")
            #expect(d["year"] != nil, "\(name) \(at): year is required")
        }
        func checkSlide(_ s: [String: Any], _ at: String, isTitle: Bool) {
            #expect(Set(s.keys).isSubset(of: slideKeys), "\(name) \(at): unknown slide keys \(Set(s.keys).subtracting(slideKeys))")
            if !isTitle { #expect(s["start_date"] != nil, "\(name) \(at): start_date is required") }
            if let d = s["start_date"] { checkDate(d, at + ".start_date") }
            if let d = s["end_date"] { checkDate(d, at + ".end_date") }
            if let t = s["text"] {
                let text = t as? [String: Any]
                #expect(text != nil && Set(text!.keys).isSubset(of: textKeys), "\(name) \(at): text must be {headline, text}")
            }
        }
        for (k, e) in events.enumerated() { checkSlide(e, "events[\(k)]", isTitle: false) }
        if let title = raw["title"] {
            let t = try #require(title as? [String: Any], "\(name): title must be a slide object")
            checkSlide(t, "title", isTitle: true)
        }
        let doc = try JSONDecoder().decode(Document.self, from: data)
        if let scale = doc.scale { #expect(["human", "cosmological"].contains(scale)) }
        var ids = Set<String>()
        for (k, e) in doc.events.enumerated() {
            let start = try #require(e.start_date)
            for d in [start] + (e.end_date.map { [$0] } ?? []) {
                if let m = d.month { #expect((1...12).contains(m), "\(name) events[\(k)]: month \(m)") }
                if let day = d.day { #expect((1...31).contains(day), "\(name) events[\(k)]: day \(day)") }
                if let h = d.hour { #expect((0...23).contains(h)) }
                if let m = d.minute { #expect((0...59).contains(m)) }
            }
            if let end = e.end_date { #expect(end.year >= start.year, "\(name) events[\(k)]: ends before it starts") }
            if let id = e.unique_id { #expect(ids.insert(id).inserted, "\(name): unique_id \(id) is not unique") }
        }
        return doc
    }

    // MARK: Tests

    @Test func everyTimelineJSONHasTheDocumentedShape() throws {
        let site = try TestSite(SiteTimelineTests.files)
        try site.build()
        let files = ["timeline/timeline.json", "tags/germany/timeline/timeline.json", "tags/space/timeline/timeline.json",
                     "tags/cold-war/timeline/timeline.json", "wall/timeline.json", "unity/timeline.json", "moon/timeline.json"]
        for f in files {
            let doc = try Self.validate(Data(contentsOf: URL(fileURLWithPath: site.root + "/public/" + f)), f)
            #expect(!doc.events.isEmpty, "\(f) has no events")
            #expect(doc.events.allSatisfy { $0.unique_id != nil && $0.group != nil && $0.text?.headline != nil && $0.text?.text != nil })
        }
    }

    @Test func datesGroupsAndLinksAreRight() throws {
        let site = try TestSite(SiteTimelineTests.files)
        try site.build()
        func load(_ f: String) throws -> Document {
            try Self.validate(Data(contentsOf: URL(fileURLWithPath: site.root + "/public/" + f)), f)
        }
        let all = try load("timeline/timeline.json")
        #expect(all.events.count == 6)
        // A range: 1949 to 1990.
        #expect(all.events[0].start_date?.year == 1949 && all.events[0].start_date?.month == nil)
        #expect(all.events[0].end_date?.year == 1990)
        #expect(all.events[0].display_date == "1949–1990")
        // A day, told by two articles: one slide, linking to both.
        let fall = try #require(all.events.first { $0.start_date?.year == 1989 })
        #expect(fall.start_date?.month == 11 && fall.start_date?.day == 9)
        #expect(fall.start_date?.display_date == "November 9, 1989")
        #expect(fall.text?.text?.contains("/unity/#") == true && fall.text?.text?.contains("/wall/#") == true)
        // On the site timeline the group is the topic; on a tag's, the article.
        #expect(fall.group == "germany")
        let space = try load("tags/space/timeline/timeline.json")
        #expect(Set(space.events.compactMap(\.group)) == ["The Moon landing"])
        // An article's own timeline: its events, grouped under it, titled by it.
        let wall = try load("wall/timeline.json")
        #expect(wall.events.count == 3)
        #expect(wall.title?.text?.headline == "The Berlin Wall")
        #expect(wall.events.allSatisfy { $0.group == "The Berlin Wall" })
        // Links are absolute when the base URL is known.
        try site.write("content/_index.md", "---\ntitle: T\nbase_url: https://example.org/news/\n---\n")
        try site.build()
        #expect(try load("moon/timeline.json").events[0].text?.text?.contains("href=\"https://example.org/news/moon/#") == true)
    }

    @Test func theArticleTimelineLinksToItsJSON() throws {
        let site = try TestSite(SiteTimelineTests.files)
        try site.build()
        let page = try site.read("public/wall/index.html")
        #expect(page.contains("<a href=\"timeline.json\" type=\"application/json\">"))
        #expect(try site.read("public/timeline/index.html").contains("<a href=\"timeline.json\" type=\"application/json\">"))
    }

    @Test func unusualDatesStillFitTheShape() throws {
        // Seasons, decades, times of day and BC years.
        let a = ArticleSummary(testSlug: "odd", title: "Odd dates", timeline: [
            ("1948-SU", nil), ("194", nil), ("2018-07-16T14:30", nil), ("-0043", nil), ("1939", "1945"), ("2001-Q3", nil),
            ("1947-WI", nil),
        ])
        let doc = try Self.validate(Data(TimelineJSON.article(a, config: SiteConfig())), "odd")
        #expect(doc.events.count == 7)
        // A winter is named by the year of its January: 1947-WI starts in December 1946.
        let winter = doc.events.first { $0.start_date?.display_date == "Winter 1947" }?.start_date
        #expect(winter?.year == 1946 && winter?.month == 12)
        let byDisplay = Dictionary(doc.events.map { ($0.start_date?.display_date ?? "", $0.start_date!) }, uniquingKeysWith: { a, _ in a })
        #expect(byDisplay["Summer 1948"]?.month == 6)
        #expect(byDisplay["the 1940s"]?.year == 1940)
        #expect(byDisplay["July 16, 2018, 2:30 p.m."]?.hour == 14)
        #expect(byDisplay["44 BC"]?.year == -43)  // ISO 8601 -0043: astronomical year numbering, as JavaScript dates use
    }
}

extension ArticleSummary {
    /// A summary made directly, for unit tests.
    init(testSlug: String, title: String, tags: [String] = [], keyTerms: [String] = [], timeline: [(String, String?)]) {
        var fm = FrontMatter()
        fm.title = title
        fm.tags = tags
        var article = Article(path: "content/\(testSlug).md", slug: testSlug, frontMatter: fm, title: title, summary: "",
                              headings: [], wordCount: 0, readingMinutes: 1, timeline: [], takeaways: [], calloutCount: 0,
                              keyTerms: keyTerms, bodyBytes: [])
        article.timeline = timeline.enumerated().map { k, v in
            let d = TimexDate(v.0)
            let end = v.1.flatMap { TimexDate($0) }
            return TimelineEvent(value: v.0, endValue: v.1, display: end.map { d!.rangeDisplay(to: $0) } ?? d?.display ?? v.0,
                                 text: "Event \(k + 1)", title: nil, anchor: "p\(k + 1)", source: .text, order: k + 1)
        }
        self.init(article)
    }

}

extension TimelineJSONTests {
    @Test func theWriterWritesEveryFieldAsTimelineJSReadsIt() throws {
        func slide(_ value: String, end: String? = nil, id: String, group: String? = "g") throws -> TimelineJSON.Slide {
            let start = try #require(TimexDate(value))
            return TimelineJSON.Slide(start: start, end: end.flatMap { TimexDate($0) }, display: start.display,
                                      headline: "“\(value)”", text: "<p>A \"quoted\" line\nand\u{2028}more</p>", group: group, id: id)
        }
        let slides = [try slide("1989-11-09", id: "a"), try slide("1939", end: "1945", id: "a"), try slide("2001-SU", id: "a", group: nil),
                      try slide("1969-07-20T20:17", id: "b"), try slide("BC0044-03-15", id: "c")]
        #expect(TimelineJSON.document(headline: "T", text: "", slides: []) == #"{"title":{"text":{"headline":"T","text":""}},"events":[]}"#)
        let json = TimelineJSON.document(headline: "T “x”", text: "<p>i</p>", slides: slides)
        let doc = try Self.validate(Data(json.utf8), "written")
        #expect(doc.title?.text?.headline == "T “x”" && doc.title?.text?.text == "<p>i</p>")
        #expect(doc.events.map(\.unique_id) == ["a", "a-2", "a-3", "b", "c"])  // ids made unique in order
        #expect(doc.events.allSatisfy { $0.text?.text == "<p>A \"quoted\" line\nand\u{2028}more</p>" })
        #expect(doc.events.map(\.group) == ["g", "g", nil, "g", "g"])
        let dates = doc.events.compactMap(\.start_date)
        #expect(dates.map(\.year) == [1989, 1939, 2001, 1969, -43])
        #expect(dates.map(\.month) == [11, nil, 6, 7, 3])  // summer starts in June
        #expect(dates.map(\.day) == [9, nil, nil, 20, 15])
        #expect(dates[3].hour == 20 && dates[3].minute == 17)
        #expect(doc.events[1].end_date?.year == 1945 && doc.events[0].end_date == nil)
        #expect(doc.events.map(\.display_date) == slides.map(\.display))
        #expect(doc.scale == nil)
    }
}

extension TimelineJSONTests {
    /// `TimelineJSON.article` puts each slide's text together as bytes, from
    /// parts escaped apart; the file must be the document of the slides the
    /// text-built way gives, whatever the text holds.
    @Test func anArticleTimelineIsTheDocumentOfItsSlides() throws {
        var fm = FrontMatter()
        fm.title = #"Q&A: <the> "wall", it's \ “over”"#
        var article = Article(path: "content/q-a.md", slug: "q-a", frontMatter: fm, title: fm.title!, summary: "Fish & <chips> \\ \"x\"",
                              headings: [], wordCount: 0, readingMinutes: 1, timeline: [], takeaways: [], calloutCount: 0,
                              keyTerms: [], bodyBytes: [])
        let texts = ["Plain text.", "A <b> & \"quote\" 'apostrophe'", "Back\\slash and line\u{2028}separator\nnewline",
                     "Em dash — and “curly” quotes, café", "Not a date at all", "Tab\there"]
        let values = ["1989-11-09", "1939", "BC0044-03-15", "2001-SU", "not-a-value", "1969-07-20T20:17"]
        article.timeline = values.enumerated().map { k, v in
            let d = TimexDate(v)
            let end = k == 1 ? "1945" : nil
            return TimelineEvent(value: v, endValue: end, display: end.map { d!.rangeDisplay(to: TimexDate($0)!) } ?? d?.display ?? v,
                                 text: texts[k], title: k == 3 ? "The <Helsinki> “Summit”" : nil,
                                 anchor: k == 2 ? "p-3&x" : "p\(k + 1)", source: .text, order: k + 1)
        }
        let a = ArticleSummary(article)
        var config = SiteConfig()
        for base in [nil, "https://example.org/news/?a=1&b=<2>/"] {
            config.baseURL = base
            let slides = a.timeline.compactMap { e -> TimelineJSON.Slide? in
                guard let start = TimexDate(e.value) else { return nil }
                let link = TimelineJSON.link(config, slug: a.slug, anchor: e.anchor, title: "Read in “\(a.title)”")
                return TimelineJSON.Slide(start: start, end: e.endValue.flatMap { TimexDate($0) }, display: e.display,
                                          headline: e.title ?? e.display, text: "<p>\(HTML.escape(e.text))</p><p>\(link)</p>",
                                          group: a.title, id: TimelineJSON.id(a.slug, e.anchor, e.value))
            }
            #expect(slides.count == 5)
            let expected = TimelineJSON.document(headline: a.title, text: "<p>\(HTML.escape(a.summary))</p>", slides: slides) + "\n"
            let written = TimelineJSON.article(a, config: config)
            #expect(String(decoding: written, as: UTF8.self) == expected)
            let doc = try Self.validate(Data(written), "q-a")
            #expect(doc.events.count == 5)
        }
    }

    /// A slide's id from slug, anchor and value is the slug of the three
    /// joined by hyphens, whether they are slugs (joined as they are) or not.
    @Test func aSlidesIDIsTheSlugOfItsPartsJoined() {
        let parts = ["", "wall", "the-wall", "p-3", "1989-11-09", "1989-11-09T15:30", "-x", "x-", "a--b", "Zürich", "ÉTÉ",
                     "Let's go", "1989-W07", "PRESENT_REF", "x9", "–", "中文"]
        for slug in parts {
            for anchor in parts {
                for value in parts {
                    #expect(TimelineJSON.id(slug, anchor, value) == Slug.make([slug, anchor, value].joined(separator: "-")),
                            "\(slug) | \(anchor) | \(value)")
                }
            }
        }
    }
}
