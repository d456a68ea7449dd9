#if canImport(Glibc)
import Glibc
#endif

/// What the site pages need to know about an article; kept for every article
/// while the rest of it is dropped after its page is written.
public struct ArticleSummary: Sendable {
    public var path: String
    public var slug: String
    public var title: String
    public var summary: String
    public var date: DateTime?
    public var updated: DateTime?
    public var author: String?
    public var tags: [String]
    public var readingMinutes: Int
    public var timeline: [TimelineEvent]
    public var takeaways: [Takeaway]
    /// What the article is about, for related explainers (see `KeyTerms`).
    public var keyTerms: [String]

    public init(_ a: Article) {
        path = a.path; slug = a.slug; title = a.title; summary = a.summary; date = a.date
        updated = a.frontMatter.updated; author = a.frontMatter.author; tags = a.tags
        readingMinutes = a.readingMinutes; timeline = a.timeline; takeaways = a.takeaways; keyTerms = a.keyTerms
    }

    public init(path: String, slug: String, title: String, summary: String, date: DateTime?, updated: DateTime?,
                author: String?, tags: [String], readingMinutes: Int, timeline: [TimelineEvent], takeaways: [Takeaway],
                keyTerms: [String] = []) {
        self.path = path; self.slug = slug; self.title = title; self.summary = summary; self.date = date
        self.updated = updated; self.author = author; self.tags = tags; self.readingMinutes = readingMinutes
        self.timeline = timeline; self.takeaways = takeaways; self.keyTerms = keyTerms
    }

    /// Newest first; undated last; then by title.
    public static func newestFirst(_ a: ArticleSummary, _ b: ArticleSummary) -> Bool {
        switch (a.date, b.date) {
        // By instant: one instant written two ways ("00:00Z", "01:00+01:00")
        // goes by title like any other, so that the order is a total one.
        case let (x?, y?) where x.epochSeconds != y.epochSeconds: return x > y
        case (nil, _?): return false
        case (_?, nil): return true
        default: return (a.title, a.slug) < (b.title, b.slug)
        }
    }
}

/// Fills the theme's templates for each kind of page.
public struct PageRenderer: Sendable {
    public let theme: Theme
    public let config: SiteConfig
    /// The year in the footer: the newest article's, so that a build does not
    /// change with the calendar.
    public var year: Int
    /// Whether the site has search (Pagefind was found): the header gets a search box.
    public var search = false
    /// The templates of a site timeline's items, numbered (`Template.positional`):
    /// a timeline page fills them for every event it shows. So is an
    /// article's timeline item, filled for each event of every article.
    let timelineItem: Template.Positional, timelineSource: Template.Positional, articleTimelineItem: Template.Positional
    /// An article's card and its tag links, filled for every article at three depths.
    let articleCard: Template.Positional, cardTags: Template.Positional, tagLink: Template.Positional

    public init(theme: Theme, config: SiteConfig, year: Int? = nil, search: Bool = false) {
        self.theme = theme
        self.config = config
        self.year = year ?? BuildClock.today.year
        self.search = search
        timelineItem = theme["parts/site-timeline-item.html"].positional(Self.timelineItemSlots)
        timelineSource = theme["parts/timeline-source.html"].positional(["url", "title"])
        articleTimelineItem = theme["parts/timeline-item.html"].positional(Self.articleTimelineItemSlots)
        articleCard = theme["parts/article-card.html"].positional(["root", "url", "title", "summary", "published", "reading_time", "tags"])
        cardTags = theme["parts/card-tags.html"].positional(["tags"])
        tagLink = theme["parts/tag-link.html"].positional(["root", "url", "name", "count"])
    }

    static let articleTimelineItemSlots = ["datetime", "value", "end_datetime", "display", "title", "text", "anchor", "source"]

    static let timelineItemSlots = ["datetime", "value", "display", "end_datetime", "title", "text", "url", "tags", "sources"]

    /// Relative path from a page at `path` ("tags/x/") back to the site root ("../../").
    static func root(for path: String) -> String {
        let depth = path.split(separator: "/").count - (path.hasSuffix("/") || path.isEmpty ? 0 : 1)
        return depth == 0 ? "./" : String(repeating: "../", count: depth)
    }

    static func tagPath(_ tag: String) -> String { "tags/\(Slug.make(tag))/" }

    func tagLinks(_ tags: [String], root: String) -> HTML {
        var out: [UInt8] = []
        appendTagLinks(TagLinkParts(tags), root: root, into: &out)
        return HTML(trusted: String(decoding: out, as: UTF8.self))
    }

    /// An article's tags as its tag links show them whatever the page:
    /// names and paths escaped once, for the links of every page.
    struct TagLinkParts {
        var names: [[UInt8]], paths: [[UInt8]]

        init(_ tags: [String]) {
            names = tags.map { HTML.escapedBytes($0) }
            paths = tags.map { HTML.escapedBytes(PageRenderer.tagPath($0)) }
        }
    }

    /// The tag links for a page at `root`, filled into one buffer: a String
    /// for each link, and their join, cost more than the links (every card
    /// and article page has a few).
    func appendTagLinks(_ tags: TagLinkParts, root: String, into out: inout [UInt8]) {
        let escapedRoot = HTML.escapedBytes(root)
        for (name, path) in zip(tags.names, tags.paths) {
            tagLink.renderBytes([.htmlBytes(escapedRoot), .htmlBytes(escapedRoot + path), .htmlBytes(name), .htmlBytes([])], into: &out)
        }
    }

    // MARK: Layout

    struct PageInfo {
        var path: String             // "slug/" or "" for home
        var title: String            // <title>
        var description: String
        var bodyClass: String
        var head: HTML = .empty      // extra meta
        var rootOverride: String?    // absolute root for pages served at any path (404)
    }

    func layout(_ page: PageInfo, content: HTML) -> HTML {
        theme["base.html"].render(layoutValues(page, content: .html(content)))
    }

    /// `layout` into UTF-8, with `content` writing the page's content (UTF-8) where the layout shows it.
    func layoutBytes(_ page: PageInfo, capacity: Int, content: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        theme["base.html"].renderBytes(layoutValues(page, content: .htmlBytes([])), into: &out, streaming: "content", content)
        return out
    }

    /// The layout's slots.
    private func layoutValues(_ page: PageInfo, content: SlotValue) -> Template.Values {
        let root = page.rootOverride ?? Self.root(for: page.path)
        var head = ""
        let canonical = config.absoluteURL(page.path)
        head += "<link rel=\"canonical\" href=\"\(HTML.escape(canonical))\">\n"
        head += "<meta property=\"og:site_name\" content=\"\(HTML.escape(config.title))\">\n"
        head += "<meta property=\"og:title\" content=\"\(HTML.escape(page.title))\">\n"
        head += "<meta property=\"og:url\" content=\"\(HTML.escape(canonical))\">\n"
        if !page.description.isEmpty {
            head += "<meta property=\"og:description\" content=\"\(HTML.escape(page.description))\">\n"
        }
        head += "<meta property=\"og:locale\" content=\"\(HTML.escape(config.language.replacingAll("-", with: "_")))\">\n"
        head += page.head.raw
        let title = page.title == config.title ? config.title : "\(page.title) · \(config.title)"
        return [
            "root": .text(root), "lang": .text(config.language), "site_title": .text(config.title),
            "site_url": .text(root), "page_title": .text(title), "description": .text(page.description),
            "canonical_url": .text(canonical), "head": .html(HTML(trusted: head)),
            "feed_url": .text(root + "feed.xml"), "stylesheet": .text(root + theme.assetURL("assets/style.css")),
            "favicon": .text(root + theme.assetURL("assets/favicon.svg")),
            "body_class": .text(page.bodyClass), "content": content, "year": .text(String(year)),
            "author": .text(config.author ?? config.title), "search": .html(searchBox(root: root)),
            "generator": .text("lede \(LedeVersion.string)"),
        ]
    }

    // MARK: Article

    /// Renders a part template, or nothing when `present` is false.
    func part(_ name: String, _ present: Bool, _ values: @autoclosure () -> Template.Values) -> HTML {
        present ? theme[name].render(values()) : .empty
    }

    func published(_ date: DateTime?) -> HTML {
        part("parts/published.html", date != nil, ["date": .text(date?.display ?? ""), "date_iso": .text(date?.iso ?? "")])
    }

    public func articlePage(_ a: Article) -> HTML {
        HTML(trusted: String(decoding: articlePageBytes(a), as: UTF8.self))
    }

    /// `articlePage` as UTF-8, which the build writes: the article's
    /// template is filled straight into the layout's buffer, and its
    /// timeline goes in as the bytes it is put together as. (As Strings,
    /// the content was copied into the layout, the page into bytes, and the
    /// timeline's bytes checked again as UTF-8.)
    public func articlePageBytes(_ a: Article) -> [UInt8] {
        let path = "\(a.slug)/"
        let root = Self.root(for: path)
        let url = config.absoluteURL(path)
        let author = a.frontMatter.author ?? config.author
        let updated = a.frontMatter.updated.flatMap { $0 == a.date ? nil : $0 }
        let byline = theme["parts/byline.html"].render([
            "author": .html(part("parts/author.html", author != nil, ["name": .text(author ?? "")])),
            "published": .html(published(a.date)),
            "updated": .html(part("parts/updated.html", updated != nil,
                                  ["date": .text(updated?.display ?? ""), "date_iso": .text(updated?.iso ?? "")])),
            "reading_time": .text("\(a.readingMinutes) min read"), "word_count": .text(String(a.wordCount)),
        ])
        let content: Template.Values = [
            "root": .text(root), "title": .text(a.title), "url": .text(url),
            "kicker": .html(part("parts/kicker.html", !a.tags.isEmpty, ["tags": .html(tagLinks(a.tags, root: root))])),
            "dek": .html(part("parts/dek.html", !a.summary.isEmpty, ["summary": .text(a.summary)])),
            // Related explainers are filled in by the site pass (Related.swift).
            "byline": .html(byline), "body": .htmlBytes(a.bodyBytes), "related": .html(HTML(trusted: RelatedExplainers.placeholder)),
            "toc": .htmlBytes(toc(a.headings)), "timeline": .htmlBytes(timelineBytes(a.timeline, jsonURL: "timeline.json")),
            "takeaways_summary": .htmlBytes(takeawaysSummary(a.takeaways)),
        ]

        var head = "<meta property=\"og:type\" content=\"article\">\n"
        if let d = a.date { head += "<meta property=\"article:published_time\" content=\"\(d.rfc3339)\">\n" }
        if let u = a.frontMatter.updated { head += "<meta property=\"article:modified_time\" content=\"\(u.rfc3339)\">\n" }
        if let author = a.frontMatter.author ?? config.author {
            head += "<meta property=\"article:author\" content=\"\(HTML.escape(author))\">\n"
            head += "<meta name=\"author\" content=\"\(HTML.escape(author))\">\n"
        }
        for tag in a.tags { head += "<meta property=\"article:tag\" content=\"\(HTML.escape(tag))\">\n" }
        head += "<script type=\"application/ld+json\">" + HTML.jsonForScript(jsonLD(a, url: url).serialized()).raw + "</script>\n"
        let page = PageInfo(path: path, title: a.title, description: a.summary, bodyClass: "page-article", head: HTML(trusted: head))
        let article = theme["article.html"]
        return layoutBytes(page, capacity: a.bodyBytes.count + 16_384) { out in
            article.renderBytes(content, into: &out, streaming: nil) { _ in }
        }
    }

    /// schema.org BackgroundNewsArticle: what an explainer is.
    func jsonLD(_ a: Article, url: String) -> JSON {
        var fields: [(String, JSON)] = [
            ("@context", "https://schema.org"), ("@type", "BackgroundNewsArticle"),
            ("headline", .string(a.title)), ("abstract", .string(a.summary)), ("description", .string(a.summary)),
            ("url", .string(url)), ("mainEntityOfPage", .string(url)), ("wordCount", .int(a.wordCount)),
            ("inLanguage", .string(config.language)),
        ]
        if let d = a.date { fields.append(("datePublished", .string(d.iso))) }
        if let u = a.frontMatter.updated ?? a.date { fields.append(("dateModified", .string(u.iso))) }
        if let author = a.frontMatter.author ?? config.author {
            fields.append(("author", .object([("@type", "Person"), ("name", .string(author))])))
        }
        fields.append(("publisher", .object([("@type", "Organization"), ("name", .string(config.title))])))
        if !a.tags.isEmpty { fields.append(("keywords", .string(a.tags.joined(separator: ", ")))) }
        return .object(fields)
    }

    /// The table of contents (`parts/toc.html`), as UTF-8: h2 entries with
    /// their h3s nested; deeper levels are left out. Filled into bytes: as
    /// Strings, each entry was copied into its parent's and the page's.
    func toc(_ headings: [HeadingInfo]) -> [UInt8] {
        let relevant = headings.filter { $0.level == 2 || $0.level == 3 }
        guard relevant.count >= 2 else { return [] }
        let item = theme["parts/toc-item.html"]
        var items: [UInt8] = []
        var children: [UInt8] = []
        var k = 0
        while k < relevant.count {
            let h = relevant[k]
            k += 1
            children.removeAll(keepingCapacity: true)
            if k < relevant.count, relevant[k].level > h.level { children.append(contentsOf: "<ol>".utf8) }
            while k < relevant.count, relevant[k].level > h.level {
                item.renderBytes(["id": .text(relevant[k].id), "text": .text(relevant[k].text), "children": .htmlBytes([])],
                                 into: &children, streaming: nil) { _ in }
                k += 1
            }
            if !children.isEmpty { children.append(contentsOf: "</ol>".utf8) }
            item.renderBytes(["id": .text(h.id), "text": .text(h.text), "children": .htmlBytes(children)],
                             into: &items, streaming: nil) { _ in }
        }
        return theme["parts/toc.html"].renderBytes(["items": .htmlBytes(items)])
    }

    /// An article's own timeline (`parts/timeline.html`), as UTF-8.
    func timelineBytes(_ events: [TimelineEvent], jsonURL: String) -> [UInt8] {
        guard !events.isEmpty else { return [] }
        // The items filled into one buffer, joined by newlines.
        var items: [UInt8] = []
        for (k, e) in events.enumerated() {
            if k > 0 { items.append(0x0A) }
            // In the order of `articleTimelineItemSlots`.
            articleTimelineItem.renderBytes([
                .text(Self.isPlainDate(e.value) ? e.value : TimexDate(e.value)?.htmlDatetime ?? e.value), .text(e.value),
                .text(e.endValue.flatMap { TimexDate($0)?.htmlDatetime } ?? ""), .text(e.display),
                .html(part("parts/timeline-title.html", e.title != nil, ["title": .text(e.title ?? "")])),
                .text(e.text), .text("#" + e.anchor), .text(e.source.rawValue),
            ], into: &items)
        }
        return theme["parts/timeline.html"].renderBytes([
            "items": .htmlBytes(items), "count": .text(String(events.count)), "json_url": .text(jsonURL),
        ])
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: values whose `htmlDatetime` is the
    /// value itself when they are valid dates, as it is when they are not.
    static func isPlainDate(_ value: String) -> Bool {
        let u = value.utf8
        guard u.count == 4 || u.count == 7 || u.count == 10 else { return false }
        var k = 0
        for b in u {
            if k == 4 || k == 7 ? b != 0x2D : !(b >= 0x30 && b <= 0x39) { return false }
            k += 1
        }
        return true
    }

    /// The box that lists an article's takeaways, as UTF-8.
    func takeawaysSummary(_ takeaways: [Takeaway]) -> [UInt8] {
        guard !takeaways.isEmpty else { return [] }
        let item = theme["parts/takeaways-summary-item.html"]
        var items: [UInt8] = []
        for (k, t) in takeaways.enumerated() {
            if k > 0 { items.append(0x0A) }
            item.renderBytes(["anchor": .text("#" + t.anchor), "text": .text(t.text), "number": .text(String(k + 1))],
                             into: &items, streaming: nil) { _ in }
        }
        let auto = takeaways.allSatisfy { $0.source == .auto }
        return theme["parts/takeaways-summary.html"].renderBytes([
            "items": .htmlBytes(items), "count": .text(String(takeaways.count)),
            "label": .text(auto ? "Automatic summary" : "Key takeaways"), "source": .text(auto ? "auto" : "author"),
        ])
    }

    // MARK: Lists

    func cards(_ articles: [ArticleSummary], root: String) -> HTML {
        HTML.joined(articles.map { card($0, root: root) }, separator: "\n")
    }

    /// One article's card in a list, for a page at `root` ("./" on the home page,
    /// "../../" on tag pages).
    func card(_ a: ArticleSummary, root: String) -> HTML { cards(a, roots: [root])[0] }

    /// The article's cards for pages at each of `roots`. What does not
    /// depend on the page (the title, summary and tags escaped, the date,
    /// the reading time) is made once for all of them: a site shows each
    /// card at three depths.
    func cards(_ a: ArticleSummary, roots: [String]) -> [HTML] {
        func escaped(_ s: String) -> SlotValue { .htmlBytes(HTML.escapedBytes(s)) }
        let title = escaped(a.title), summary = escaped(a.summary), readingTime = escaped("\(a.readingMinutes) min read")
        let date = SlotValue.html(published(a.date)), tags = TagLinkParts(a.tags)
        return roots.map { root in
            var url: [UInt8] = []
            HTML.escape(root, into: &url)
            HTML.escape(a.slug, into: &url)
            url.append(0x2F)
            var tagsPart: [UInt8] = []
            if !a.tags.isEmpty {
                var links: [UInt8] = []
                appendTagLinks(tags, root: root, into: &links)
                cardTags.renderBytes([.htmlBytes(links)], into: &tagsPart)
            }
            return articleCard.render([.text(root), .htmlBytes(url), title, summary, date, readingTime, .htmlBytes(tagsPart)])
        }
    }

    public func homePage(_ articles: [ArticleSummary]) -> HTML {
        homePage(articles, cards: cards(articles, root: "./"))
    }

    /// The home page, with the articles' cards already rendered (root "./").
    func homePage(_ articles: [ArticleSummary], cards: HTML) -> HTML {
        homePage(count: articles.count, cards: cards)
    }

    /// One page of the home list around `cards`, built in one buffer (for long lists).
    func homePage(count: Int, cards: [HTML], page: ListPage = .single("")) -> HTML {
        Self.splice(cards, separator: "\n") { homePage(count: count, cards: $0, page: page) }
    }

    /// The home page, or a later page of its list (`page/2/`): those show the
    /// list only, not the introduction.
    func homePage(count: Int, cards: HTML, page: ListPage = .single("")) -> HTML {
        let root = Self.root(for: page.path)
        let first = page.number == 1
        let content = theme["home.html"].render([
            "root": .text(root), "site_title": .text(config.title), "intro": .html(first ? config.intro : .empty),
            "articles": .html(cards), "count": .text(String(count)),
            "timeline_link": .html(first ? timelineLink("./timeline/", label: "Everything that happened, in one timeline") : .empty),
            "pagination": .html(pagination(page, root: root)),
        ])
        var head = "<meta property=\"og:type\" content=\"website\">\n"
        head += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"\(HTML.escape(config.title))\" href=\"\(root == "./" ? "" : root)feed.xml\">\n"
        head += pageLinks(page, root: root)
        return layout(PageInfo(path: page.path, title: first ? config.title : "Page \(page.number) of \(page.count)",
                               description: config.description, bodyClass: "page-home",
                               head: HTML(trusted: head)), content: content)
    }

    public func tagPage(_ tag: String, _ articles: [ArticleSummary]) -> HTML {
        tagPage(tag, count: articles.count, hasTimeline: articles.contains { !$0.timeline.isEmpty },
                cards: cards(articles, root: Self.root(for: Self.tagPath(tag))))
    }

    /// One page of a tag's list around `cards`, built in one buffer (for long lists).
    /// `hasTimeline`: whether any of its articles has a timeline (the page
    /// then links to the tag's timeline).
    func tagPage(_ tag: String, count: Int, hasTimeline: Bool, cards: [HTML], page: ListPage? = nil) -> HTML {
        Self.splice(cards, separator: "\n") { tagPage(tag, count: count, hasTimeline: hasTimeline, cards: $0, page: page) }
    }

    func tagPage(_ tag: String, count: Int, hasTimeline: Bool, cards: HTML, page: ListPage? = nil) -> HTML {
        let page = page ?? .single(Self.tagPath(tag))
        let root = Self.root(for: page.path)
        let content = theme["tag.html"].render([
            "root": .text(root), "tag": .text(tag), "count": .text(String(count)), "articles": .html(cards),
            "timeline_link": .html(hasTimeline ? timelineLink(page.number == 1 ? "timeline/" : root + Self.tagPath(tag) + "timeline/", label: "The timeline of “\(tag)”") : .empty),
            "pagination": .html(pagination(page, root: root)),
        ])
        let description = "\(count) explainer\(count == 1 ? "" : "s") tagged “\(tag)”."
        let title = page.number == 1 ? "Tagged “\(tag)”" : "Tagged “\(tag)”, page \(page.number) of \(page.count)"
        return layout(PageInfo(path: page.path, title: title, description: description, bodyClass: "page-tag",
                               head: HTML(trusted: pageLinks(page, root: root))), content: content)
    }

    // MARK: Pagination

    /// One page of a list that is split into pages of `SiteConfig.paginate`
    /// articles: the first at the list's folder, the others at `page/N/` in it.
    struct ListPage: Sendable, Equatable {
        /// 1-based.
        var number: Int
        /// How many pages the list has.
        var count: Int
        /// The folder of the list's first page: "" (home) or "tags/x/".
        var folder: String

        static func single(_ folder: String) -> ListPage { ListPage(number: 1, count: 1, folder: folder) }

        /// The folder of page `n` of the same list.
        func path(_ n: Int) -> String { n == 1 ? folder : folder + "page/\(n)/" }
        var path: String { path(number) }

        /// How many pages `items` articles make, `perPage` (0: all) to a page.
        static func count(items: Int, perPage: Int) -> Int {
            perPage <= 0 || items == 0 ? 1 : (items + perPage - 1) / perPage
        }
    }

    /// Numbers of the pages the navigation links to: the first, the last and
    /// two either side of the current one; nil marks a gap.
    static func pageNumbers(current: Int, count: Int) -> [Int?] {
        var out: [Int?] = []
        for n in 1...max(count, 1) where n == 1 || n == count || abs(n - current) <= 2 {
            if let last = out.last, let l = last, n > l + 1 { out.append(nil) }
            out.append(n)
        }
        return out
    }

    /// The navigation between the pages of a list; nothing for a list of one page.
    func pagination(_ page: ListPage, root: String) -> HTML {
        guard page.count > 1 else { return .empty }
        func url(_ n: Int) -> String { root + page.path(n) }
        let items = Self.pageNumbers(current: page.number, count: page.count).map { n -> HTML in
            guard let n else { return theme["parts/pagination-gap.html"].render([:]) }
            return theme[n == page.number ? "parts/pagination-current.html" : "parts/pagination-item.html"].render([
                "url": .text(url(n)), "number": .text(String(n)),
            ])
        }
        return theme["parts/pagination.html"].render([
            "page": .text(String(page.number)), "pages": .text(String(page.count)),
            "prev": .html(part("parts/pagination-prev.html", page.number > 1, ["url": .text(url(page.number - 1))])),
            "next": .html(part("parts/pagination-next.html", page.number < page.count, ["url": .text(url(page.number + 1))])),
            "items": .html(HTML.joined(items, separator: "\n")),
        ])
    }

    /// `<link rel=prev/next>` of a page of a list.
    func pageLinks(_ page: ListPage, root: String) -> String {
        var head = ""
        if page.number > 1 { head += "<link rel=\"prev\" href=\"\(HTML.escape(root + page.path(page.number - 1)))\">\n" }
        if page.number < page.count { head += "<link rel=\"next\" href=\"\(HTML.escape(root + page.path(page.number + 1)))\">\n" }
        return head
    }

    /// A token no content can contain (it is made anew in each process).
    static let hole = "\u{0}lede-hole-\(Hash64.hex(UInt64.random(in: 1...UInt64.max)))\u{0}"

    /// `render(items joined)`, without making the joined list and then a copy
    /// of it per template level: the page is rendered around a placeholder,
    /// and the items are copied into its place once.
    static func splice(_ items: [HTML], separator: String, _ render: (HTML) -> HTML) -> HTML {
        var frame = render(HTML(trusted: hole)).raw
        let marker = Array(hole.utf8)
        var found: [Int] = []
        frame.withUTF8 { p in
            var i = 0
            while i + marker.count <= p.count {
                if p[i] == marker[0], p[i + 1] == marker[1], memcmp(p.baseAddress! + i, marker, marker.count) == 0 {
                    found.append(i)
                    i += marker.count
                } else {
                    i += 1
                }
            }
        }
        guard found.count == 1 else { return render(HTML.joined(items, separator: separator)) }
        var size = frame.utf8.count
        for item in items { size += item.raw.utf8.count + separator.utf8.count }
        var out = ""
        out.reserveCapacity(size)
        frame.withUTF8 { p in
            out += String(decoding: UnsafeBufferPointer(rebasing: p[..<found[0]]), as: UTF8.self)
            for (k, item) in items.enumerated() {
                if k > 0 { out += separator }
                out += item.raw
            }
            out += String(decoding: UnsafeBufferPointer(rebasing: p[(found[0] + marker.count)...]), as: UTF8.self)
        }
        return HTML(trusted: out)
    }

    public func tagsPage(_ tags: [(tag: String, count: Int)]) -> HTML {
        let root = "../"
        let links = HTML.joined(tags.map { t in
            theme["parts/tag-link.html"].render([
                "root": .text(root), "url": .text(root + Self.tagPath(t.tag)), "name": .text(t.tag), "count": .text(String(t.count)),
            ])
        }, separator: "\n")
        let content = theme["tags.html"].render(["root": .text(root), "tags": .html(links), "count": .text(String(tags.count))])
        return layout(PageInfo(path: "tags/", title: "Topics", description: "All topics of \(config.title).", bodyClass: "page-tags"),
                      content: content)
    }

    public func notFoundPage() -> HTML {
        let root = config.basePath
        let content = theme["404.html"].render(["root": .text(root), "site_title": .text(config.title)])
        return layout(PageInfo(path: "404.html", title: "Page not found", description: "This page does not exist.",
                               bodyClass: "page-404", rootOverride: root), content: content)
    }

    // MARK: Feeds

    /// Atom feed of the newest articles; `bodies` holds the full HTML of those that have it.
    public func feed(_ articles: [ArticleSummary], bodies: [String: HTML]) -> HTML {
        let feedURL = config.absoluteURL("feed.xml")
        let entries = articles.map { a -> HTML in
            let url = config.absoluteURL(a.slug + "/")
            let published = (a.date ?? BuildClock.epoch).rfc3339
            let categories = a.tags.map { "<category term=\"\(HTML.escape($0))\"/>" }.joined()
            return theme["parts/feed-entry.xml"].render([
                "title": .text(a.title), "url": .text(url), "id": .text(url), "published": .text(published),
                "updated": .text((a.updated ?? a.date ?? BuildClock.epoch).rfc3339), "summary": .text(a.summary),
                "author": .text(a.author ?? config.author ?? config.title),
                "content": .text(bodies[a.slug]?.raw ?? ""), "categories": .html(HTML(trusted: categories)),
            ])
        }
        let updated = articles.compactMap { $0.updated ?? $0.date }.max() ?? BuildClock.epoch
        return theme["feed.xml"].render([
            "site_title": .text(config.title), "site_url": .text(config.absoluteURL("")), "feed_url": .text(feedURL),
            "updated": .text(updated.rfc3339), "author": .text(config.author ?? config.title),
            "entries": .html(HTML.joined(entries, separator: "\n")), "id": .text(config.absoluteURL("")),
            "lang": .text(config.language),
        ])
    }

    public func sitemap(_ entries: [(path: String, lastmod: DateTime?)]) -> HTML {
        sitemap(urls: HTML.joined(entries.map { sitemapURL($0.path, lastmod: $0.lastmod) }, separator: "\n"))
    }

    /// One `<url>` of the sitemap.
    func sitemapURL(_ path: String, lastmod: DateTime?) -> HTML {
        theme["parts/sitemap-url.xml"].render([
            "loc": .text(config.absoluteURL(path)),
            "lastmod": .html(part("parts/sitemap-lastmod.xml", lastmod != nil, ["date": .text(lastmod?.isoDate ?? "")])),
        ])
    }

    /// The sitemap around its `<url>` entries, joined.
    func sitemap(urls: HTML) -> HTML {
        theme["sitemap.xml"].render(["urls": .html(urls)])
    }
}

/// The build's notion of today, fixed once per process so pages agree.
public enum BuildClock {
    public static let today: DateTime = {
        let now = Int(time(nil))
        let days = now / 86400
        // civil from days (Howard Hinnant)
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let secs = now % 86400
        return DateTime(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60, utcOffset: 0, hasTime: true)
    }()

    public static let epoch = DateTime(year: 1970, month: 1, day: 1)
}
