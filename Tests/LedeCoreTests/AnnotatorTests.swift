import Testing
@testable import LedeCore

@Suite struct AnnotatorTests {
    static let theme = try! Theme.load(siteTemplates: nil)

    func annotate(_ text: String, path: String = "content/a.md") -> (Article?, [Diagnostic]) {
        Annotator(theme: Self.theme).annotate(SourceFile(path: path, text: text), defaultSlug: "a")
    }

    func article(_ text: String) throws -> Article {
        let (a, problems) = annotate(text)
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
        return try #require(a)
    }

    // MARK: The seed article: the project's acceptance test.

    @Test func seedArticleTimelineAndTakeaways() throws {
        let source = try SourceFile.read(path: repositoryRoot + "/content/trump-putin-meetings.md",
                                         displayPath: "content/trump-putin-meetings.md")
        let (a, problems) = Annotator(theme: Self.theme).annotate(source, defaultSlug: "trump-putin-meetings")
        #expect(problems.isEmpty)
        let article = try #require(a)
        #expect(article.timeline.map(\.value) == ["2016", "2017-07", "2018-07"])
        #expect(article.timeline[0].text.contains("2016 US election"))
        #expect(article.timeline[1].text.contains("G20 summit in Hamburg"))
        #expect(article.timeline[2].text.contains("Helsinki summit"))
        let takeaways = article.takeaways.map(\.text)
        #expect(takeaways.count == 4)
        #expect(takeaways[0].hasPrefix("The power of personal diplomacy"))
        #expect(takeaways[1].hasPrefix("The Helsinki summit highlighted the deep divisions"))
        #expect(takeaways[2].contains("Russia as a global player"))
        #expect(takeaways[3].hasPrefix("The lack of transparency"))
        #expect(article.takeaways.allSatisfy { $0.source == .section })
        // Every anchor is an id in the rendered body.
        for anchor in article.timeline.map(\.anchor) + article.takeaways.map(\.anchor) {
            #expect(article.body.raw.contains("id=\"\(anchor)\""), "missing id \(anchor)")
        }
    }

    // MARK: Headings, contents, reading time

    @Test func headingsGetStableUniqueIDs() throws {
        let a = try article("---\ntitle: T\n---\n## Background\n\ntext\n\n## Background\n\n### Why it *matters*\n\n## 1989: the year\n")
        #expect(a.headings.map(\.id) == ["background", "background-1", "why-it-matters", "1989-the-year"])
        #expect(a.body.raw.contains("<h2 id=\"background-1\">"))
        #expect(a.body.raw.contains("<h3 id=\"why-it-matters\">"))
    }

    @Test func headingIDsAvoidThePageTemplateIDs() throws {
        let a = try article("---\ntitle: T\n---\n## Timeline\n\n## Main\n")
        #expect(a.headings.map(\.id) == ["timeline-1", "main-1"])
    }

    @Test func wordCountAndReadingTime() throws {
        let words = Array(repeating: "word", count: 460).joined(separator: " ")
        let a = try article("---\ntitle: T\n---\n\(words)\n\n```\nnot counted code\n```\n")
        #expect(a.wordCount == 460)
        #expect(a.readingMinutes == 2)
    }

    // MARK: Timeline

    @Test func datesInCodeLinksAndHTMLAreNotEvents() throws {
        let a = try article("""
            ---
            title: T
            ---
            The treaty was signed in 1990 in Paris.

            The dossier `in 1991` and [a link](https://example.org/in-1992) and <span data-x="in 1993">x</span>.

            ```
            in 1994
            ```
            """)
        #expect(a.timeline.map(\.value) == ["1990"])
    }

    @Test func sameEventMentionedTwiceAppearsOnce() throws {
        let a = try article("""
            ---
            title: T
            ---
            Russian interference in the 2016 US election shaped relations.

            Investigations into the 2016 US election continued for years.

            In 2016 the Olympic Games took place in Rio.
            """)
        #expect(a.timeline.map(\.value) == ["2016", "2016"])
        #expect(a.timeline[1].text.contains("Olympic"))
    }

    @Test func eventsAreChronologicalWithDocumentOrderOnTies() throws {
        let a = try article("---\ntitle: T\n---\nIn 1990 one thing happened.\n\nIn 1961 another.\n\nIn 1990 a different thing took place far away.\n")
        #expect(a.timeline.map(\.value) == ["1961", "1990", "1990"])
        #expect(a.timeline[1].text.contains("one thing"))
    }

    @Test func frontMatterTimelineEntriesMerge() throws {
        let a = try article("""
            ---
            title: T
            timeline:
              - {date: 1945-05-08, text: Germany surrenders}
              - {date: 1990, text: The treaty is signed, title: Treaty}
              - {date: 2000, remove: true}
            ---
            The treaty was signed in 1990 in Paris. Talks failed in 2000 in Geneva.
            """)
        #expect(a.timeline.map(\.value) == ["1945-05-08", "1990"])
        #expect(a.timeline[0].source == .frontMatter)
        #expect(a.timeline[1].text == "The treaty is signed")
        #expect(a.timeline[1].title == "Treaty")
        #expect(a.timeline[1].anchor == "intro-1")
    }

    @Test func clausesAreTrimmedToTheDatedPart() throws {
        let a = try article("---\ntitle: T\n---\nThere was the meeting at the G20 summit in Hamburg in July 2017, where the two leaders talked for over an hour, much longer than planned.\n")
        #expect(a.timeline.first?.text == "There was the meeting at the G20 summit in Hamburg in July 2017.")
    }

    @Test func aSentenceWithTwoDatedEventsIsCutBetweenThem() throws {
        let a = try article("---\ntitle: T\n---\nA republic was proclaimed in Berlin on 9 November 1918, and the pogrom began on the night of 9 November 1938.\n")
        #expect(a.timeline.map(\.text) == ["A republic was proclaimed in Berlin on 9 November 1918.",
                                          "The pogrom began on the night of 9 November 1938."])
        // A clause that ", after" joins tells its own event: the date before it
        // belongs to the main clause; the one after it needs the main clause too.
        let b = try article("---\ntitle: T\n---\nThe union called a strike on 12 May 1926, after talks with the owners broke down on 30 April 1926.\n")
        #expect(b.timeline.map(\.text) == ["The union called a strike on 12 May 1926, after talks with the owners broke down on 30 April 1926.",
                                          "The union called a strike on 12 May 1926."])
        // A date with only its preposition before the comma is no clause of its own.
        let c = try article("---\ntitle: T\n---\nOn November 20, 1962, after Khrushchev agreed to withdraw his bombers, Kennedy lifted the quarantine.\n")
        #expect(c.timeline.map(\.text) == ["On November 20, 1962, after Khrushchev agreed to withdraw his bombers, Kennedy lifted the quarantine."])
    }

    /// A date in a relative clause after another dated event: the clause
    /// reads from the noun it is about, not from the other event; a relative
    /// clause in a sentence without another date keeps its main clause.
    @Test func aRelativeClauseAfterAnotherEventReadsFromItsNoun() throws {
        let a = try article("""
            ---
            title: T
            ---
            On June 20, 1963, the two countries signed an agreement to set up a direct link between Washington and Moscow, the “hotline”, which went into operation on August 30, 1963.

            The two countries set up a direct link, the hotline, which went into operation on August 30, 1963.
            """)
        #expect(a.timeline.map(\.text) == [
            "On June 20, 1963, the two countries signed an agreement to set up a direct link between Washington and Moscow, the “hotline”",
            "The “hotline”, which went into operation on August 30, 1963.",
        ])
        let b = try article("---\ntitle: T\n---\nThe two countries set up a direct link, the hotline, which went into operation on August 30, 1963.\n")
        #expect(b.timeline.map(\.text) == ["The two countries set up a direct link, the hotline, which went into operation on August 30, 1963."])
    }

    /// ", and" followed by a date and a verb without a subject does not cut:
    /// "three days later were cheered" needs the subject of the clause before.
    @Test func aPredicateWithoutItsSubjectKeepsTheClauseBefore() throws {
        let a = try article("""
            ---
            title: T
            genre: narrative
            ---
            They were released on August 10, 1969, and three days later were cheered through the streets of New York.
            """)
        #expect(a.timeline.map(\.text) == [
            "They were released on August 10, 1969.",
            "They were released on August 10, 1969, and three days later were cheered through the streets of New York.",
        ])
    }

    @Test func aShortDateSentenceReadsWithTheNextOne() throws {
        let a = try article("---\ntitle: T\n---\n1. **Launch, July 16, 1969.** A Saturn V rocket lifted off from Florida.\n")
        #expect(a.timeline.first?.text == "Launch, July 16, 1969. A Saturn V rocket lifted off from Florida.")
    }

    @Test func sourcesAndTakeawaySectionsDoNotAddEvents() throws {
        let a = try article("""
            ---
            title: T
            ---
            The wall fell in 1989 after weeks of protest.

            ## Key takeaways

            - Germany was united again in 1990.

            ## Further reading

            - The Fall of the Wall, 1989–1990 (a book)
            """)
        #expect(a.timeline.map(\.value) == ["1989"])
    }

    @Test func datesFromContextNeedTheirYearStatedNearby() throws {
        let a = try article("""
            ---
            title: T
            genre: narrative
            ---
            On 2 July 1947 Molotov walked out. Ten days later, a conference opened in Paris.

            Five days later, something else happened.

            1. **October 14, 1962.** Planes photograph the sites.
            2. **October 16.** Analysts identify the missiles.

            He joined the party in 1943 and founded its youth wing the following year.

            The war ended. The following year, peace came.
            """)
        // A date worked out from one its own sentence states is anchored by it; from
        // one in another sentence, only when the paragraph states its year.
        #expect(a.timeline.map(\.value) == ["1943", "1944", "1947-07-02", "1947-07-12", "1962-10-14", "1962-10-16"])
    }

    /// News that tells a story from a past year: the days it names a few sentences after the
    /// story's date, in the past tense, are the story's, and events; not once the story is far behind.
    @Test func newsToldFromAPastYearDatesItsDaysInThatYear() throws {
        let a = try article("""
            ---
            title: T
            date: 2025-08-25
            genre: news
            ---
            Katrina made landfall at 6:10 a.m. on Monday, August 29, 2005.

            The storm had formed over the Bahamas on August 23. The mayor ordered an evacuation on the Sunday.

            Help arrived only on September 2, four days after the storm.

            The city has since rebuilt. Its levees were raised. Its schools reopened. Tourists came back. A new museum opened on August 20.
            """)
        #expect(a.timeline.map(\.value) == ["2005-08-23", "2005-08-28", "2005-08-29T06:10", "2005-09-02", "2025-08-20"])
    }

    /// A winter across two years is one event, shown as written, before the events of its
    /// January's year ("1947-WI" runs from December 1946).
    @Test func aWinterAcrossTwoYearsIsOneEventShownAsWritten() throws {
        let a = try article("""
            ---
            title: T
            genre: narrative
            ---
            On June 5, 1947, Marshall spoke at Harvard.

            The bitter winter of 1946–47 had left millions short of fuel.
            """)
        #expect(a.timeline.map(\.value) == ["1947-WI", "1947-06-05"])
        #expect(a.timeline.first?.display == "Winter 1946–47")
    }

    @Test func oneEntryPerDayAndTheFinerDateOfASentenceWins() throws {
        let a = try article("""
            ---
            title: T
            genre: narrative
            ---
            Twenty-four years later, on June 12, 1987, Reagan spoke at the gate.

            On July 20, 1969, the crew landed. They touched down at 4:17 p.m. that day, and Armstrong stepped out that night.
            """)
        #expect(a.timeline.map(\.value) == ["1969-07-20", "1987-06-12"])
    }

    @Test func aSpanOfYearsDoesNotMoveTheStory() throws {
        let a = try article("""
            ---
            title: T
            genre: narrative
            ---
            Apollo 11 landed on July 20, 1969. Missions flew between 1969 and 1972, and a probe crashed on July 21.
            """)
        #expect(a.timeline.map(\.value).contains("1969-07-21"))
        #expect(!a.timeline.map(\.value).contains("1972-07-21"))
    }

    /// "Between April and June 1948": the first month takes its year from
    /// the second, which states it; the range is one event shown as a range
    /// (it was "June 1948" alone). Without a stated year, neither end is an event.
    @Test func aRangeOfMonthsWhoseYearEndsItIsARange() throws {
        let a = try article("""
            ---
            title: T
            ---
            Between April and June 1948 the programme took shape.

            From May to July 2002 it rained hard in the north.

            Between March and May the rivers rose.

            Between October and January 2004 the talks stalled.
            """)
        #expect(a.timeline.map(\.value) == ["1948-04", "2002-05", "2003-10"])
        #expect(a.timeline.map(\.endValue) == ["1948-06", "2002-07", "2004-01"])
        #expect(a.timeline.map(\.display) == ["April–June 1948", "May–July 2002", "October 2003 – January 2004"])
        #expect(a.timeline.first?.text == "Between April and June 1948 the programme took shape.")
    }

    /// In news, a day named from the day of writing ("on Tuesday") is an
    /// event of the article's date's week, and a day of a month ("on 20
    /// September") one of its year; one worked out from another date
    /// ("three days later") is not anchored by the article's date, and a
    /// narrative's "Tuesday" is not either.
    @Test func aNewsArticlesTuesdayIsAnEventOfItsWeek() throws {
        let news = try article("""
            ---
            title: T
            date: 2024-03-15
            genre: news
            ---
            Dockworkers walked out on Tuesday, and the union said yesterday that talks had failed.

            In late April 2001 the commission met in Izmir.

            Three days later, the court held a referendum.

            Talks resume next Friday.
            """)
        #expect(news.timeline.map(\.value) == ["2001-04", "2024-03-12", "2024-03-14", "2024-03-22"])
        // A day of a month with no year before it in its paragraph is of the
        // article's year; after a year the paragraph states, it is not taken
        // for one of the article's year (news reads "12 May" from the date of
        // writing, which that paragraph has left).
        let days = try article("""
            ---
            title: T
            date: 2023-09-01
            genre: news
            ---
            On 20 September, the minister delayed the ban on new petrol cars.

            In 2001 the commission met in Izmir. On 12 May it voted.

            The last strike, between 11 and 13 August, closed the port.
            """)
        #expect(days.timeline.map(\.value) == ["2001", "2023-08-11", "2023-09-20"])
        // The first end of a range is anchored by its second.
        #expect(days.timeline.map(\.endValue) == [nil, "2023-08-13", nil])
        // A period named from the day of writing, and a month alone, are the
        // article's too; "the next year" counts from a date the text gives.
        let periods = try article("""
            ---
            title: T
            date: 2023-09-01
            genre: news
            ---
            Last year the port handled two million containers.

            It follows a strike in July and one in March 2022.

            The next year the port closed.
            """)
        #expect(periods.timeline.map(\.value) == ["2022", "2022-03", "2023-07"])
        let story = try article("""
            ---
            title: T
            date: 2024-03-15
            genre: narrative
            ---
            Dockworkers walked out on Tuesday.
            """)
        #expect(story.timeline.isEmpty)
    }

    /// The part of a period the text names shows in the event's date.
    @Test func anEventShowsThePartOfItsPeriod() throws {
        let a = try article("""
            ---
            title: T
            genre: narrative
            ---
            Around 1980 the town grew.

            In late April 2001 the owners met.

            In early 2002 the plant closed.

            By the end of 2005 it was gone.

            In the early summer of 2007 the site was sold.

            On July 4, 2008 a park opened.
            """)
        #expect(a.timeline.map(\.display) == ["About 1980", "Late April 2001", "Early 2002", "Late 2005", "Early summer 2007", "July 4, 2008"])
        #expect(a.timeline.map(\.value) == ["1980", "2001-04", "2002", "2005", "2007-SU", "2008-07-04"])
    }

    /// A year a quantity is measured against ("below 1990 levels", "in
    /// 2010 dollars") dates no event; "In 2008 prices collapsed" does.
    @Test func aBaselineYearIsNotAnEvent() throws {
        let a = try article("""
            ---
            title: T
            ---
            As of 2022, emissions were 46% below 1990 levels.

            The plant cost $3 billion in 2010 dollars when it opened in 2014.

            In 2008 prices collapsed.
            """)
        #expect(a.timeline.map(\.value) == ["2008", "2014", "2022"])
        // The point a record is measured from is no event either; a state that
        // began then ("has campaigned since 1991") still dates its beginning.
        let b = try article("""
            ---
            title: T
            ---
            In November 2023 inflation was at its highest since early 2008.

            England won the cup for the first time since 1966.

            It was the wettest winter since records began in 1766.

            The union has campaigned for a pay rise since 1991.
            """)
        #expect(b.timeline.map(\.value) == ["1991", "2023-11"])
    }

    /// A range written backwards is two dates, each its own event, not a
    /// range that ends before it starts.
    @Test func aRangeThatEndsBeforeItStartsIsTwoEvents() throws {
        let a = try article("""
            ---
            title: T
            ---
            From 1945 to 1939 the archive was closed.
            """)
        #expect(a.timeline.map(\.value) == ["1939", "1945"])
        #expect(a.timeline.allSatisfy { $0.endValue == nil })
    }

    // MARK: Takeaways and callouts

    @Test func takeawaySectionListItemsBecomeBoxes() throws {
        let a = try article("""
            ---
            title: T
            ---
            ## The bottom line

            - One *thing* matters.
            - Another thing matters too.
            """)
        #expect(a.takeaways.map(\.text) == ["One thing matters.", "Another thing matters too."])
        #expect(a.takeaways.map(\.anchor) == ["takeaway-1", "takeaway-2"])
        #expect(a.body.raw.contains("<aside class=\"takeaway\" role=\"note\" id=\"takeaway-1\" aria-labelledby=\"takeaway-1-label\""))
        #expect(a.body.raw.contains("<em>thing</em>"))
        #expect(!a.body.raw.contains("<ul>"))
    }

    @Test func ordinalSentencesBecomeBoxesAndTheRestStays() throws {
        let a = try article("""
            ---
            title: T
            ---
            ## TL;DR

            Several things stand out. First, prices *rose* sharply. They kept rising. Second, wages did not. Moving forward, policy must adapt.
            """)
        #expect(a.takeaways.map(\.text) == ["Prices rose sharply.", "Wages did not."])
        let body = a.body.raw
        #expect(body.contains("<p>Several things stand out.</p>"))
        #expect(body.contains("First, prices <em>rose</em> sharply. They kept rising.</p>"))
        #expect(body.contains("<p>Moving forward, policy must adapt.</p>"))
    }

    @Test func alertsBecomeCalloutsAndTakeaways() throws {
        let a = try article("""
            ---
            title: T
            ---
            > [!WARNING]
            > Mind the *gap*.

            > [!TAKEAWAY]
            > The key point.

            > [!NOTE] Custom title
            > Noted.

            > An ordinary quotation.
            """)
        #expect(a.calloutCount == 2)
        #expect(a.takeaways.map(\.text) == ["The key point."])
        #expect(a.takeaways[0].source == .alert)
        let body = a.body.raw
        #expect(body.contains("<aside class=\"callout callout-warning\" role=\"note\" id=\"warning\" aria-labelledby=\"warning-label\">"))
        #expect(body.contains("<p>Mind the <em>gap</em>.</p>"))
        #expect(body.contains(">Custom title</p>"))
        #expect(!body.contains("[!"))
        #expect(body.contains("<blockquote>\n<p>An ordinary quotation.</p>"))
    }

    @Test func frontMatterTakeawaysGetBoxesInAKeyTakeawaysSection() throws {
        let a = try article("---\ntitle: T\ntakeaways: [\"First <point>.\", Second point.]\n---\nBody.\n")
        #expect(a.takeaways.map(\.text) == ["First <point>.", "Second point."])
        #expect(a.takeaways.allSatisfy { $0.source == .frontMatter })
        #expect(a.headings.last?.text == "Key takeaways")
        #expect(a.body.raw.contains("First &lt;point&gt;."))
    }

    // MARK: Bad input

    @Test func missingTitleIsAnError() {
        let (a, problems) = annotate("---\ndate: 2020-01-01\n---\nx\n")
        #expect(a == nil)
        #expect(problems.map(\.description) == ["content/a.md:1:1: error: the article has no title; add `title: \"...\"` to its front matter"])
    }

    @Test func emptyTitleIsAnErrorAtItsLine() {
        let (_, problems) = annotate("---\ndate: 2020-01-01\ntitle: \"\"\n---\nx\n")
        #expect(problems.first?.line == 3)
    }

    @Test func invalidUTF8IsAnErrorWithPosition() {
        var bytes = Array("---\ntitle: T\n---\nok\nbad \u{00E9}".utf8)
        bytes.removeLast()  // cut é in half
        bytes += Array(" more\n".utf8)
        let (a, problems) = Annotator(theme: Self.theme).annotate(SourceFile(path: "content/x.md", bytes: bytes), defaultSlug: "x")
        #expect(a == nil)
        #expect(problems.first?.line == 5)
        #expect(problems.first?.column == 5)
        #expect(problems.first?.message.contains("UTF-8") == true)
    }
}

@Suite struct TimexDateTests {
    @Test func bcValuesCountLikeISO8601() throws {
        let caesar = try #require(TimexDate("BC0044"))
        #expect(caesar.year == -43)
        #expect(caesar.display == "44 BC")
        #expect(try #require(TimexDate("BC047")).display == "the 470s BC")
        #expect(try #require(TimexDate("BC04")).display == "the 5th century BC")
        #expect(try #require(TimexDate("19")).display == "the 20th century")
        #expect(TimexDate("BC0499")! < TimexDate("BC0493")!)
        #expect(TimexDate("BC0044")! < TimexDate("0001")!)
        #expect(TimexDate("-0043")?.year == -43)  // ISO 8601's astronomical years: the same 44 BC
    }

    @Test func unknownPartsAreNotPoints() {
        #expect(TimexDate("XXXX-07") == nil)
        #expect(TimexDate("1969-07-16TXX") == nil)
        #expect(TimexDate("PRESENT_REF") == nil)
        #expect(TimexDate("1969-07-20TNI")?.display == "July 20, 1969, night")
        // A week is shown by its Monday (ISO weeks: 2021-W01 begins in January, 2020-W53 ends in it).
        #expect(TimexDate("2023-W51")?.display == "the week of December 18, 2023")
        #expect(TimexDate("2021-W01")?.display == "the week of January 4, 2021")
        #expect(TimexDate("2020-W53")?.display == "the week of December 28, 2020")
    }
}
