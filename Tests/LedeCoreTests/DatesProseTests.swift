import Testing
@testable import LedeCore

/// The Markdown prose scanner: only prose is tagged, offsets point into the file.
@Suite("Dates in Markdown prose")
struct DatesProseTests {
    func texts(_ md: String, bom: Bool = false, reference: DateTime? = nil) throws -> [String] {
        var bytes = Array(md.utf8)
        if bom { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        let found = try ProseDates.tagMarkdown(SourceFile(path: "t.md", bytes: bytes), referenceDate: reference)
        return found.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    @Test func frontMatterIsNotProseButGivesTheReferenceDate() throws {
        let md = """
        ---
        title: Talks in July 2017
        date: 2018-07-20
        ---
        The summit took place on Monday, after talks in July 2017.
        """
        let source = SourceFile(path: "t.md", text: md)
        let found = try ProseDates.tagMarkdown(source)
        let bytes = Array(md.utf8)
        #expect(found.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == ["Monday", "July 2017"])
        #expect(found.map(\.value) == ["2018-07-16", "2017-07"])
    }

    @Test func frontMatterGenreForcesNarrative() throws {
        let md = """
        ---
        title: A siege
        date: 2020-01-01
        genre: narrative
        ---
        The siege began on 3 May 1808. The next day the walls fell.
        """
        let found = try ProseDates.tagMarkdown(SourceFile(path: "t.md", text: md))
        #expect(found.map(\.value) == ["1808-05-03", "1808-05-04"])
    }

    @Test func codeHTMLAndURLsAreSkipped() throws {
        let md = """
        Intro in June 2019 with `code from 2018` and <span title="May 2017">raw 2016</span>.

        ```
        log: 2015-01-01
        ```

        <div>
        A block from March 2014.
        </div>

        See [the March 2013 report](https://example.com/2012/05/report "April 2011") and <https://example.com/2010>.

            indented code 2009
        """
        // "raw 2016" sits between two inline HTML tags: it is prose that readers see.
        #expect(try texts(md) == ["June 2019", "2016", "March 2013"])
    }

    @Test func autolinksAfterOtherLinksAreSkipped() throws {
        // cmark 0.30 misplaces the column of an autolink that follows a soft break and a link.
        let md = "It began in May 1961.\nSee the [timeline](https://example.com/1961 \"x\") or <https://example.org/2019/11/09>.\n"
        #expect(try texts(md) == ["May 1961"])
    }

    @Test func tableRowsDoNotSetTheTenseOfTheNextParagraph() throws {
        let md = "---\ndate: 2019-11-09\n---\n\n| Year | Event |\n|------|-------|\n| 1961 | Built |\n\nToday, only fragments remain.\n"
        let found = try ProseDates.tagMarkdown(SourceFile(path: "t.md", text: md))
        #expect(found.map(\.value) == ["1961", "PRESENT_REF"])
    }

    @Test func aDocumentParsedWithSmartPunctuationGivesTheSameOffsets() throws {
        let md = "---\ndate: 2020-01-01\n---\nIt's -- as \"they\" say -- from 1939 to 1945... `1950` and [1960](http://x/1970).\n"
        let source = SourceFile(path: "t.md", text: md)
        let split = try FrontMatterSplitter.split(source)
        let doc = MarkdownDocument(parsing: Array(source.bytes[split.body]), options: [.smart, .unsafe])
        let reused = try ProseDates.tagMarkdown(source, document: doc)
        let own = try ProseDates.tagMarkdown(source)
        #expect(reused == own)
        #expect(own.map(\.value) == ["1939", "1945", "1960"])
    }

    @Test func headingsListsAndQuotesAreProse() throws {
        let md = """
        # The summit of July 2018

        - In 2016, one thing.
        - In 2017, another.

        > On 4 July 1776, a quote.
        """
        #expect(try texts(md) == ["July 2018", "2016", "2017", "4 July 1776"])
    }

    @Test func offsetsCountTheByteOrderMarkAndMultiByteText() throws {
        let md = "Café “déjà vu” — on 9 November 1989, the Wall fell.\n"
        #expect(try texts(md, bom: true) == ["9 November 1989"])
        #expect(try texts(md) == ["9 November 1989"])
    }

    @Test func escapesAndEntitiesKeepOffsets() throws {
        let md = "A \\*starred\\* note &amp; more: in 1848 revolutions spread &mdash; 1849 too.\n"
        #expect(try texts(md) == ["1848", "1849"])
    }

    @Test func proseBytesKeepLineStructure() throws {
        let md = "---\ntitle: x\n---\nOne `two` three\n"
        let source = SourceFile(path: "t.md", text: md)
        let prose = ProseDates.proseBytes(source, split: try FrontMatterSplitter.split(source))
        #expect(prose.count == md.utf8.count)
        #expect(String(decoding: prose, as: UTF8.self) == "   \n        \n   \nOne       three\n")
    }

    @Test func seedArticleDates() throws {
        // The forms of the seed article: only these anchored dates; "today" is the present, the rest durations.
        let text = """
        Let's start with the Helsinki summit in July 2018. Relations were frosty, marked by alleged \
        interference in the 2016 US election. There was the meeting at the G20 summit in Hamburg in \
        July 2017, which lasted for over an hour. The investigations into the 2016 US election went on. \
        It's a period that we'll likely be studying for years to come. The discussions that characterized \
        this period continue to shape global politics today.
        """
        var tagger = TemporalTagger(referenceDate: DateTime(year: 2024, month: 1, day: 10), genre: nil)
        let found = tagger.tag(text)
        let anchored = found.filter { ($0.type == .date || $0.type == .time) && TimexDate($0.value) != nil }
        #expect(anchored.map(\.value) == ["2018-07", "2016", "2017-07", "2016"])
        #expect(found.contains { $0.value == "PRESENT_REF" })
    }
}
