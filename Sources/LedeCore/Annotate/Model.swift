/// A heading of an article, with the id it gets in the page.
public struct HeadingInfo: Sendable, Equatable {
    public var level: Int
    public var id: String
    public var text: String
}

/// One dated event of an article's timeline.
public struct TimelineEvent: Sendable, Equatable {
    public enum Source: String, Sendable { case text, frontMatter = "front-matter" }

    /// TIMEX3 value of the date (`2018-07`, `1945-05-08`).
    public var value: String
    /// Where a range ends (`1945` for "from 1939 to 1945").
    public var endValue: String?
    /// The date as a reader sees it ("July 2018", "1939–1945").
    public var display: String
    /// What happened: the clause the date belongs to.
    public var text: String
    /// The heading of the section the event has to itself, if any.
    public var title: String?
    /// The id of the element of the article page the event links back to.
    public var anchor: String
    public var source: Source
    /// Position of the mention in the article (document order breaks ties).
    public var order: Int

    /// Chronological order, then document order.
    public var sortKey: (Int, Int) { (TimexDate(value)?.sortKey ?? Int.max, order) }
}

/// A key takeaway of an article.
public struct Takeaway: Sendable, Equatable {
    public enum Source: String, Sendable {
        /// From a "Key takeaways" (bottom line, TL;DR, ...) section.
        case section
        /// From a `> [!TAKEAWAY]` box.
        case alert
        /// From the front matter's `takeaways` list.
        case frontMatter = "front-matter"
        /// Picked automatically from the article's sentences.
        case auto
    }
    public var text: String
    public var source: Source
    /// The id of the takeaway's box in the article page.
    public var anchor: String
}

/// Everything the annotator found in one article, and its rendered body.
public struct Article: Sendable {
    public var path: String
    public var slug: String
    public var frontMatter: FrontMatter
    public var title: String
    /// The front matter summary, or the start of the first paragraph.
    public var summary: String
    public var headings: [HeadingInfo]
    public var wordCount: Int
    public var readingMinutes: Int
    public var timeline: [TimelineEvent]
    public var takeaways: [Takeaway]
    public var calloutCount: Int
    /// The words that say what the article is about, most telling first (for
    /// related explainers).
    public var keyTerms: [String] = []
    /// The body as cmark renders it after annotation (heading and paragraph
    /// ids, callout and takeaway boxes), as UTF-8: the page takes it as it is.
    /// cmark's output made a String was checked as UTF-8 byte by byte, a
    /// tenth of what parsing the Markdown cost.
    public var bodyBytes: [UInt8]

    /// `bodyBytes` as markup.
    public var body: HTML { HTML(trusted: String(decoding: bodyBytes, as: UTF8.self)) }

    public var date: DateTime? { frontMatter.date }
    public var tags: [String] { frontMatter.tags }
    public var isDraft: Bool { frontMatter.draft }
}
