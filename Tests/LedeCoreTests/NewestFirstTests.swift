import Testing
@testable import LedeCore

/// The session's list order, kept and updated after edits, is the order a
/// fresh sort gives: `ArticleSummary.newestFirst`, then file order.
@Suite struct NewestFirstTests {
    @Test func anUpdatedOrderIsTheOrderOfAFreshSort() {
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        // Few days, few titles: many ties. Some undated; some one instant
        // written two ways (midnight UTC, and 01:00 at +01:00).
        func date() -> DateTime? {
            switch next(10) {
            case 0: return nil
            case 1: return DateTime(year: 2020, month: 1, day: 2, hour: 1, utcOffset: 60, hasTime: true)
            default: return DateTime(year: 2020, month: 1, day: 1 + next(3))
            }
        }
        func make(_ k: Int) -> ArticleSummary {
            ArticleSummary(path: "p\(k).md", slug: "s\(next(1000))-\(k)", title: "T\(next(4))", summary: "", date: date(), updated: nil,
                           author: nil, tags: [], readingMinutes: 1, timeline: [], takeaways: [])
        }
        var summaries = (0..<200).map(make)
        let paths = summaries.map(\.path)
        /// The order as the site always sorted it: newestFirst, stable over file order.
        func reference() -> [Int] { summaries.indices.sorted { ArticleSummary.newestFirst(summaries[$0], summaries[$1]) } }
        var kept = NewestFirst(paths: paths, summaries)
        #expect(kept.order == reference())
        // Told which articles can have changed (those edited, and one that was not), as a session is.
        var told = kept
        for step in 0..<300 {
            var candidates = [next(summaries.count)]
            for _ in 0..<(1 + next(3)) {
                let k = next(summaries.count)
                candidates.append(k)
                switch next(3) {
                case 0: summaries[k].title = "T\(next(4))"
                case 1: summaries[k].date = date()
                default: summaries[k].slug = "s\(next(1000))-\(k)"
                }
            }
            kept = NewestFirst.make(kept, paths: paths, summaries)
            #expect(kept.order == reference(), "after step \(step)")
            told = NewestFirst.make(told, paths: paths, summaries, candidates: candidates)
            #expect(told.order == reference(), "after step \(step), told \(candidates)")
        }
        // Other articles: sorted anew.
        let fewer = Array(summaries.prefix(150))
        #expect(NewestFirst.make(kept, paths: Array(paths.prefix(150)), fewer).order
                == fewer.indices.sorted { ArticleSummary.newestFirst(fewer[$0], fewer[$1]) })
    }
}
