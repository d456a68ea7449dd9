import Testing
@testable import LedeCore

/// `SiteTimeline.merge` on its own: which mentions become one event, in
/// what order, and that neither the number of workers nor the order the
/// articles come in changes the result.
@Suite struct SiteTimelineMergeTests {
    static func article(_ slug: String, tags: [String] = [], _ events: [(value: String, text: String)],
                        frontMatter: Set<Int> = []) -> ArticleSummary {
        ArticleSummary(path: "content/\(slug).md", slug: slug, title: slug.capitalized, summary: "", date: nil, updated: nil,
                       author: nil, tags: tags, readingMinutes: 1,
                       timeline: events.enumerated().map { n, e in
                           TimelineEvent(value: e.value, endValue: nil, display: e.value, text: e.text, title: nil, anchor: "p\(n)",
                                         source: frontMatter.contains(n) ? .frontMatter : .text, order: n)
                       }, takeaways: [])
    }

    /// (value, text, slugs of the sources) of each merged event.
    static func shape(_ events: [SiteEvent]) -> [String] {
        events.map { "\($0.value) \($0.text) <- \($0.sources.map(\.slug).joined(separator: ","))" }
    }

    @Test func aDaySharesOneWordAMonthHalfItsWords() {
        let merged = SiteTimeline.merge([
            Self.article("a", [("1989-11-09", "The Berlin Wall opened."), ("1990-10", "Germany reunified after talks in Moscow.")]),
            Self.article("b", [("1989-11-09", "Crowds crossed into Berlin."), ("1990-10", "Germany reunified quietly.")]),
            Self.article("c", [("1990-10", "Treaty talks in Moscow ended, and Germany reunified.")]),
        ])
        #expect(Self.shape(merged) == [
            // One shared word ("berlin") is enough for a day.
            "1989-11-09 The Berlin Wall opened. <- a,b",
            // "germany reunified" is two of b's three words; c shares "germany",
            // "reunified", "talks" and "moscow" with a, more than half of a's words.
            "1990-10 Germany reunified after talks in Moscow. <- a,b,c",
        ])
    }

    @Test func differentWordsOrValuesStayApart() {
        let merged = SiteTimeline.merge([
            Self.article("a", [("1961", "The wall was built overnight."), ("1961-08-13", "Soldiers closed the border.")]),
            Self.article("b", [("1961", "Kennedy promised a lunar landing."), ("1961-08", "Soldiers closed the border.")]),
        ])
        // Same words but different values (a day and a month) are different events; same year, other words too.
        #expect(Self.shape(merged) == [
            "1961 The wall was built overnight. <- a",
            "1961 Kennedy promised a lunar landing. <- b",
            "1961-08 Soldiers closed the border. <- b",
            "1961-08-13 Soldiers closed the border. <- a",
        ])
    }

    @Test func anArticleIsNeverTwiceTheSourceOfOneEvent() {
        let merged = SiteTimeline.merge([
            Self.article("a", [("2001-09-11", "Planes struck the towers."), ("2001-09-11", "The towers fell.")]),
            Self.article("b", [("2001-09-11", "The towers fell in the morning.")]),
        ])
        #expect(Self.shape(merged) == [
            "2001-09-11 Planes struck the towers. <- a,b",
            "2001-09-11 The towers fell. <- a",
        ])
    }

    @Test func aHandWrittenEntryGivesTheText() {
        let merged = SiteTimeline.merge([
            Self.article("a", [("1969-07-20", "Apollo 11 landed on the Moon.")]),
            Self.article("b", [("1969-07-20", "Armstrong stepped onto the Moon.")], frontMatter: [0]),
        ])
        #expect(Self.shape(merged) == ["1969-07-20 Armstrong stepped onto the Moon. <- a,b"])
    }

    /// Many articles telling events of few dates with overlapping words:
    /// the result is the same with one worker or four, and whatever order
    /// the articles are given in.
    @Test func workersAndInputOrderDoNotChangeTheResult() {
        let values = ["1914", "1914-07", "1914-07-28", "1918-11-11", "1939-09-01", "1945", "1945-05", "1989-11-09"]
        let words = ["army", "treaty", "border", "crisis", "vote", "armistice", "wall", "talks", "strike", "siege"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var articles: [ArticleSummary] = []
        for a in 0..<120 {
            let events = (0..<(1 + next(6))).map { _ in
                (value: values[next(values.count)], text: (0..<(1 + next(4))).map { _ in words[next(words.count)] }.joined(separator: " "))
            }
            articles.append(Self.article(String(format: "a%03d", a), tags: [["war", "peace", "europe"][next(3)]], events,
                                         frontMatter: next(10) == 0 ? [0] : []))
        }
        let one = SiteTimeline.merge(articles, workers: 1)
        let four = SiteTimeline.merge(articles, workers: 4)
        let shuffled = SiteTimeline.merge(articles.reversed(), workers: 2)
        #expect(Self.shape(one) == Self.shape(four))
        #expect(Self.shape(one) == Self.shape(shuffled))
        // Something was merged, and something was not.
        #expect(one.contains { $0.sources.count > 1 })
        #expect(one.count > values.count)
        // Chronological, and within one value in reading order of the first source.
        for (x, y) in zip(one, one.dropFirst()) {
            #expect(x.date.sortKey <= y.date.sortKey)
            if x.value == y.value { #expect(x.sources[0].slug <= y.sources[0].slug) }
        }
    }
}
