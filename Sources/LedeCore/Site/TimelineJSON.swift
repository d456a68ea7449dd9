/// Timelines in TimelineJS's JSON format (https://timeline.knightlab.com/docs/json-format.html),
/// written as `timeline.json` beside every timeline page, so that a newsroom can
/// load it into TimelineJS unchanged: `{"title": slide, "events": [slide]}`
/// where a slide has `start_date` (and `end_date`) date objects `{year,
/// month, day, hour, minute, display_date}`, `text: {headline, text}` (HTML),
/// `group` and a `unique_id`.
public enum TimelineJSON {
    /// One event as TimelineJS shows it.
    public struct Slide: Sendable {
        public var start: TimexDate
        public var end: TimexDate?
        public var display: String
        public var headline: String
        /// HTML.
        public var text: String
        public var group: String?
        public var id: String
    }

    /// The whole document, compact; `text` of the title slide is HTML. Written
    /// straight into one buffer of UTF-8: site and topic timelines hold many
    /// thousands of slides, and building a `JSON` tree for each cost more
    /// than the rest of their pages (and appending to a `String`, piece by
    /// piece, most of what was left).
    static func document(headline: String, text: String, slides: [Slide]) -> String {
        String(decoding: documentBytes(headline: headline, text: text, slides: slides), as: UTF8.self)
    }

    /// `document` as UTF-8, ended by a newline if `newline`.
    static func documentBytes(headline: String, text: String, slides: [Slide], newline: Bool = false) -> [UInt8] {
        documentBytes(headline: headline, text: text, count: slides.count, newline: newline) { k, out in
            writeHead(slides[k], into: &out)
            appendGroupAndIDKey(slides[k].group, to: &out)
            return (slides[k].id, slides[k].start.year)
        }
    }

    /// The document as UTF-8, ended by a newline if `newline` (what a
    /// timeline page writes as it is, with no `String` made of it), each
    /// slide written by `slide`: its head (`writeHead`) and what follows up
    /// to its id (`appendGroupAndIDKey`) into the buffer, returning its id
    /// and year. Site and topic timelines write heads and groups made once
    /// for all the timelines that show an event (`siteHead`,
    /// `SiteEvent.SourceArticle.groupAndIDKey`).
    static func documentBytes(headline: String, text: String, count: Int, capacity: Int = 400, newline: Bool = false,
                              slide: (Int, inout [UInt8]) -> (id: String, year: Int)) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + count * capacity)
        append("{\"title\":{\"text\":{\"headline\":", to: &out)
        JSON.quote(headline, into: &out)
        append(",\"text\":", to: &out)
        JSON.quote(text, into: &out)
        append("}},\"events\":[", to: &out)
        var usedIDs = StringSet(minimumCapacity: count)
        var cosmological = false
        for k in 0..<count {
            if k > 0 { out.append(0x2C) }
            let (base, year) = slide(k, &out)
            var id = base, n = 1
            while !usedIDs.insert(id) { n += 1; id = "\(base)-\(n)" }
            JSON.quote(id, into: &out)
            out.append(0x7D)
            // Years TimelineJS's human scale cannot place need the cosmological one.
            if year < -271_820 || year > 275_759 { cosmological = true }
        }
        out.append(0x5D)
        if cosmological { append(",\"scale\":\"cosmological\"", to: &out) }
        out.append(0x7D)
        if newline { out.append(0x0A) }
        return out
    }

    /// What follows a slide's head up to its id: its group when it has one,
    /// then the id's key. (A title edit finds a slide by its head and this.)
    static func appendGroupAndIDKey(_ group: String?, to out: inout [UInt8]) {
        if let group {
            append(",\"group\":", to: &out)
            JSON.quote(group, into: &out)
        }
        append(",\"unique_id\":", to: &out)
    }

    @inline(__always)
    static func append(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends `n` in decimal.
    static func append(_ n: Int, to out: inout [UInt8]) {
        if n < 0 { out.append(0x2D) }
        var m = n.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(m % 10) + 0x30
                m /= 10
                count += 1
            } while m > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }

    /// A slide but for its group and id: `{"start_date": …, "text": {…}}`
    /// without the closing brace.
    static func writeHead(_ s: Slide, into out: inout [UInt8]) {
        s.text.withUTF8Bytes { writeHead(start: s.start, end: s.end, display: s.display, headline: s.headline, text: $0, into: &out) }
    }

    /// The head of a slide whose text (HTML) is put together as UTF-8.
    static func writeHead(start: TimexDate, end: TimexDate?, display: String, headline: String, text: UnsafeBufferPointer<UInt8>,
                          into out: inout [UInt8]) {
        append("{\"start_date\":", to: &out)
        writeDate(start, display: display, into: &out)
        if let end {
            append(",\"end_date\":", to: &out)
            writeDate(end, display: nil, into: &out)
        }
        append(",\"display_date\":", to: &out)
        JSON.quote(display, into: &out)
        append(",\"text\":{\"headline\":", to: &out)
        JSON.quote(headline, into: &out)
        append(",\"text\":", to: &out)
        JSON.quote(text, into: &out)
        out.append(0x7D)
    }

    /// A TimelineJS date object. Years are astronomical (1 BC is 0), as
    /// JavaScript dates count them; `display_date` says how to show it.
    static func writeDate(_ d: TimexDate, display: String?, into out: inout [UInt8]) {
        append("{\"year\":", to: &out)
        append(d.startYear, to: &out)
        if let m = d.month ?? d.partStartMonth { append(",\"month\":", to: &out); append(m, to: &out) }
        if let day = d.day { append(",\"day\":", to: &out); append(day, to: &out) }
        if let h = d.hour { append(",\"hour\":", to: &out); append(min(h, 23), to: &out) }
        if let m = d.minute { append(",\"minute\":", to: &out); append(m, to: &out) }
        append(",\"display_date\":", to: &out)
        JSON.quote(display ?? d.display, into: &out)
        out.append(0x7D)
    }

    /// An id TimelineJS can use in a URL hash: letters, digits and hyphens.
    static func id(_ parts: String...) -> String {
        Slug.make(parts.joined(separator: "-"))
    }

    /// `id(slug, anchor, value)`, the id of an event's slide. Three
    /// non-empty slugs joined by hyphens are a slug, and no other join is
    /// (an empty part or one with a hyphen at an end makes a double hyphen,
    /// any other character stays), so the join is made in one buffer and
    /// `Slug.make` returns it as it is nearly always (an article's slug, a
    /// paragraph id, a date such as 1989-11-09). Joining Strings and checking
    /// each part on its own cost five times as much.
    static func id(_ slug: String, _ anchor: String, _ value: String) -> String {
        let (a, b, c) = (slug.utf8.count, anchor.utf8.count, value.utf8.count)
        let joined = String(unsafeUninitializedCapacity: a + b + c + 2) { out in
            slug.withUTF8Bytes { _ = UnsafeMutableBufferPointer(rebasing: out[0..<a]).initialize(fromContentsOf: $0) }
            out[a] = 0x2D
            anchor.withUTF8Bytes { _ = UnsafeMutableBufferPointer(rebasing: out[(a + 1)..<(a + 1 + b)]).initialize(fromContentsOf: $0) }
            out[a + 1 + b] = 0x2D
            value.withUTF8Bytes { _ = UnsafeMutableBufferPointer(rebasing: out[(a + b + 2)...]).initialize(fromContentsOf: $0) }
            return a + b + c + 2
        }
        return Slug.make(joined)
    }

    /// `<a href="URL">title</a>` for the article an event comes from.
    static func link(_ config: SiteConfig, slug: String, anchor: String, title: String) -> String {
        "<a href=\"\(HTML.escape(config.absoluteURL(slug + "/") + "#" + anchor))\">\(HTML.escape(title))</a>"
    }

    /// An article's own timeline, as the file's UTF-8; the group is the
    /// article. Each slide's text ends with a link to the event in the
    /// article (`link`), the same for every slide but for the anchor: its
    /// escaped parts are made once, and the text is put together as bytes
    /// (as Strings, an article's slides cost more than its page).
    public static func article(_ a: ArticleSummary, config: SiteConfig) -> [UInt8] {
        // `link(config, slug:anchor:title:)` around the anchor, which HTML.escape
        // escapes byte by byte, so that the parts escaped apart are the whole escaped.
        var before: [UInt8] = Array("</p><p><a href=\"".utf8)
        HTML.escape(config.absoluteURL(a.slug + "/") + "#", into: &before)
        var after: [UInt8] = Array("\">".utf8)
        HTML.escape("Read in “\(a.title)”", into: &after)
        after.append(contentsOf: "</a></p>".utf8)
        // The events with a date, by index (a copy of each was six strings' retains and releases).
        let timeline = a.timeline
        let events = timeline.indices.compactMap { k in TimexDate(timeline[k].value).map { (event: k, start: $0) } }
        var text: [UInt8] = []
        return documentBytes(headline: a.title, text: "<p>\(HTML.escape(a.summary))</p>", count: events.count, capacity: 800,
                             newline: true) { k, out in
            let (i, start) = events[k]
            text.removeAll(keepingCapacity: true)
            append("<p>", to: &text)
            HTML.escape(timeline[i].text, into: &text)
            text.append(contentsOf: before)
            HTML.escape(timeline[i].anchor, into: &text)
            text.append(contentsOf: after)
            text.withUnsafeBufferPointer {
                writeHead(start: start, end: timeline[i].endValue.flatMap { TimexDate($0) }, display: timeline[i].display,
                          headline: timeline[i].title ?? timeline[i].display, text: $0, into: &out)
            }
            appendGroupAndIDKey(a.title, to: &out)
            return (id(a.slug, timeline[i].anchor, timeline[i].value), start.year)
        }
    }

    /// The head of an event's slide on the site's and topic timelines (see `writeHead`).
    static func siteHead(_ e: SiteEvent, config: SiteConfig) -> [UInt8] {
        siteHead(e, config: config) { text in
            for (k, s) in e.sources.enumerated() {
                if k > 0 { append(", ", to: &text) }
                appendLink(config, slug: s.slug, anchor: s.anchor, title: s.title, to: &text)
            }
        }
    }

    /// The head with `links` (HTML) for the links to the sources.
    static func siteHead(_ e: SiteEvent, links: String, config: SiteConfig) -> [UInt8] {
        siteHead(e, config: config) { $0.append(contentsOf: links.utf8) }
    }

    /// The head, its text put together as UTF-8 with `links` appending the links.
    private static func siteHead(_ e: SiteEvent, config: SiteConfig, links: (inout [UInt8]) -> Void) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(e.text.utf8.count + 64 + 160 * e.sources.count)
        append("<p>", to: &text)
        HTML.escape(e.text, into: &text)
        append("</p><p>From ", to: &text)
        links(&text)
        append("</p>", to: &text)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 8 + 256)
        text.withUnsafeBufferPointer {
            writeHead(start: e.date, end: e.endValue.flatMap { TimexDate($0) }, display: e.display, headline: e.title ?? e.display,
                      text: $0, into: &out)
        }
        return out
    }

    /// `link`, appended as UTF-8.
    static func appendLink(_ config: SiteConfig, slug: String, anchor: String, title: String, to out: inout [UInt8]) {
        append("<a href=\"", to: &out)
        // `absoluteURL(slug + "/") + "#" + anchor`, escaped piece by piece
        // (escaping is byte by byte): joined, it made three Strings a link.
        HTML.escape(config.urlPrefix, into: &out)
        HTML.escape(slug, into: &out)
        append("/#", to: &out)
        HTML.escape(anchor, into: &out)
        append("\">", to: &out)
        HTML.escape(title, into: &out)
        append("</a>", to: &out)
    }

    /// The row of an event: the first tag of the first article that tells it
    /// on the site timeline, the article on a tag's. That article's
    /// `SiteEvent.SourceArticle` keeps it written (`groupAndIDKey`).
    static func siteGroup(title: String, tags: [String], groupByArticle: Bool) -> String {
        groupByArticle ? title : (tags.first ?? title)
    }

    static func siteID(_ e: SiteEvent) -> String { id(e.sources[0].slug, e.sources[0].anchor, e.value) }

    /// The index of a timeline split into pages: one slide per page (a decade
    /// or a year), spanning its events, linking to the page and its JSON.
    public static func index(_ pages: [(label: String, path: String, first: TimexDate, last: TimexDate, count: Int)],
                             headline: String, intro: String, config: SiteConfig) -> [UInt8] {
        let slides = pages.map { p -> Slide in
            let url = config.absoluteURL(p.path)
            return Slide(start: p.first, end: p.last == p.first ? nil : p.last, display: p.label, headline: p.label,
                         text: "<p>\(p.count) \(p.count == 1 ? "event" : "events")</p><p><a href=\"\(HTML.escape(url))\">"
                             + "The timeline of \(HTML.escape(p.label))</a> (<a href=\"\(HTML.escape(url + "timeline.json"))\">JSON</a>)</p>",
                         group: nil, id: id(p.label))
        }
        return documentBytes(headline: headline, text: "<p>\(HTML.escape(intro))</p>", slides: slides, newline: true)
    }
}
