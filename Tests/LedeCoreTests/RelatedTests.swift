import Foundation
import Testing
@testable import LedeCore

/// Related explainers: up to three at the end of each article, by shared
/// tags, overlapping timeline periods and shared key terms; deterministic.
@Suite struct RelatedTests {
    static let files: [String: String] = [
        "content/airlift.md": article(
            "The Berlin Airlift", date: "2020-01-05", tags: ["cold-war", "germany"],
            body: """
                In June 1948 the Soviet Union blockaded West Berlin. The Western allies answered with an airlift.

                Cargo planes flew coal and food into Berlin until the blockade ended in May 1949.
                """),
        "content/wall.md": article(
            "The Berlin Wall", date: "2020-01-04", tags: ["cold-war", "germany"],
            body: """
                In August 1961 East Germany sealed the border through Berlin with a wall.

                The Berlin Wall stood until November 1989, when crowds crossed it freely.
                """),
        "content/marshall.md": article(
            "The Marshall Plan", date: "2020-01-03", tags: ["economy", "europe"],
            body: """
                In April 1948 the United States began sending aid to rebuild Western Europe. West Berlin got its share, and Berlin rebuilt.

                The plan ended in 1952, when European production had recovered.
                """),
        "content/cuba.md": article(
            "The Cuban Missile Crisis", date: "2020-01-02", tags: ["cold-war"],
            body: """
                In October 1962 American planes found Soviet missiles in Cuba.

                After thirteen days the Soviet Union agreed to remove the missiles.
                """),
        "content/apollo.md": article(
            "Apollo 11", date: "2020-01-01", tags: ["space"],
            body: """
                In July 1969 two astronauts walked on the Moon.

                The lunar module landed in the Sea of Tranquility.
                """),
    ]

    /// Slugs of the related explainers at the end of an article page, in order.
    func related(_ site: TestSite, _ slug: String) throws -> [String] {
        let page = try site.read("public/\(slug)/index.html")
        #expect(!page.contains(RelatedExplainers.placeholder), "\(slug): the placeholder was left in the page")
        guard let start = page.range(of: "<section class=\"related\"") else { return [] }
        let section = page[start.lowerBound...].prefix { _ in true }.components(separatedBy: "</section>")[0]
        return section.components(separatedBy: "<h3 class=\"card-title\"><a href=\"../").dropFirst().map { String($0.prefix { $0 != "/" }) }
    }

    @Test func choosesBySharedTagsPeriodsAndTerms() throws {
        let site = try TestSite(Self.files)
        try site.build()
        // The Airlift: the Wall shares both tags and the key term Berlin; the
        // Marshall Plan shares Berlin and its years (1948–49 within 1948–52);
        // the Cuban crisis only a tag.
        #expect(try related(site, "airlift") == ["wall", "marshall", "cuba"])
        // The Wall: the Marshall Plan (Berlin) before the Cuban crisis (a tag, and a year inside 1961–89).
        #expect(try related(site, "wall") == ["airlift", "marshall", "cuba"])
        #expect(try related(site, "cuba") == ["wall", "airlift"])
        #expect(try related(site, "marshall") == ["airlift", "wall"])
        // Nothing in common with the others: no section at all.
        #expect(try related(site, "apollo") == [])
        #expect(try !site.read("public/apollo/index.html").contains("class=\"related\""))
    }

    @Test func theSectionIsAListOfCardsAtTheEnd() throws {
        let site = try TestSite(Self.files)
        try site.build()
        let page = try site.read("public/airlift/index.html")
        let related = try #require(page.range(of: "<section class=\"related\" id=\"related\""))
        let timeline = try #require(page.range(of: "<section class=\"timeline-section\""))
        #expect(timeline.lowerBound < related.lowerBound)
        #expect(page.contains("<h2 id=\"related-label\">Related explainers</h2>"))
        #expect(page.contains("<h3 class=\"card-title\"><a href=\"../wall/\">The Berlin Wall</a></h3>"))
    }

    @Test func theChoiceIsDeterministic() throws {
        let a = try TestSite(Self.files)
        try a.build()
        let b = try TestSite(Self.files)
        var options = BuildOptions(siteRoot: b.root)
        options.workers = 1
        try SiteBuilder.build(options)
        for slug in ["airlift", "wall", "marshall", "cuba", "apollo"] {
            #expect(try related(a, slug) == related(b, slug))
        }
    }

    @Test func atMostThreeAndNeverItself() {
        var summaries: [ArticleSummary] = []
        for k in 0..<8 {
            summaries.append(ArticleSummary(testSlug: "a\(k)", title: "A\(k)", tags: ["same"], keyTerms: ["berlin", "wall"],
                                            timeline: [("1961", nil)]))
        }
        let chosen = RelatedExplainers.choose(summaries)
        for (k, list) in chosen.enumerated() {
            #expect(list.count == 3)
            #expect(!list.contains(k))
        }
        // Ties go to the newest, then by title: all undated here, so by title.
        #expect(chosen[0] == [1, 2, 3])
    }

    /// On a long list only a window around the article in date order counts:
    /// the related articles are among the nearest in date, whatever the order
    /// of the articles; and the windows of two articles hold each other or not.
    @Test func aLongListCountsOnlyNearTheArticleInDate() {
        var summaries: [ArticleSummary] = []
        for k in 0..<40 {
            var a = ArticleSummary(testSlug: "a\(k)", title: "A\(k)", tags: ["same"], keyTerms: [], timeline: [])
            a.date = DateTime(year: 2000 + (k * 7) % 40, month: 1, day: 1)  // k ↦ year is a permutation
            summaries.append(a)
        }
        let index = RelatedExplainers.Index(summaries, tagWindow: 6, termWindow: 6)
        var all = index
        all.chooseAll()
        let year = summaries.map { $0.date!.year }
        for k in summaries.indices {
            // Three on each side (fewer at the ends), the newest first on ties.
            let near = all.chosen[k].map(\.article)
            #expect(near.count == 3)
            #expect(near.allSatisfy { abs(year[$0] - year[k]) <= 3 }, "article \(k)")
            #expect(near.allSatisfy { index.pairScore($0, k) != nil && index.pairScore(k, $0) != nil })
        }
        // Without windows, every article shares the one tag with all: the newest three win everywhere.
        let newest = summaries.indices.sorted { year[$0] > year[$1] }
        #expect(RelatedExplainers.choose(summaries)[newest[10]] == Array(newest.prefix(3)))
        // And the order of the articles does not matter.
        let reversed = RelatedExplainers.Index(Array(summaries.reversed()), tagWindow: 6, termWindow: 6)
        var again = reversed
        again.chooseAll()
        for k in summaries.indices {
            #expect(again.chosen[summaries.count - 1 - k].map { summaries.count - 1 - $0.article } == all.chosen[k].map(\.article))
        }
    }

    /// `--jobs` reaches the choice: an index told to use one thread chooses
    /// exactly what one using four does (lists and scores), on a site big
    /// enough that four threads each take a share (256 articles a share).
    @Test func theChoiceIsTheSameWithOneThreadOrFour() {
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let summaries = (0..<1200).map { k in
            var a = ArticleSummary(testSlug: "a\(k)", title: "A\(next(50))", tags: Set((0..<(1 + next(3))).map { _ in "tag\(next(30))" }).sorted(),
                                   keyTerms: Array(Set((0..<(2 + next(6))).map { _ in "term\(next(80))" })).sorted(),
                                   timeline: [(String(1900 + next(100)), nil)])
            a.date = DateTime(year: 2000 + next(20), month: 1 + next(12), day: 1 + next(28))
            return a
        }
        var one = RelatedExplainers.Index(summaries, workers: 1)
        var four = RelatedExplainers.Index(summaries, workers: 4)
        #expect(one.workers == 1 && four.workers == 4)
        one.chooseAll()
        four.chooseAll()
        #expect(one.chosen.contains { !$0.isEmpty })
        for k in summaries.indices {
            #expect(one.chosen[k].map(\.article) == four.chosen[k].map(\.article), "article \(k)")
            #expect(one.chosen[k].map(\.score) == four.chosen[k].map(\.score), "article \(k)")
        }
    }

    /// After edits of one article (its title, date, tags, key terms,
    /// timeline), an index updated in place chooses exactly what a new index
    /// chooses, with the same scores, and chooses again only for a few
    /// articles; with windows so small that most lists are walked in part,
    /// and with the real ones (every list walked whole here); and with
    /// limits so low that edits take lists across them, which changes who is
    /// compared with whom.
    @Test(arguments: [(tag: 4, term: 5, tagLimit: Int?.none, termLimit: Int?.none),
                      (tag: RelatedExplainers.tagWindow, term: RelatedExplainers.termWindow, tagLimit: nil, termLimit: nil),
                      (tag: 4, term: 5, tagLimit: 6, termLimit: 8)])
    func updatingTheIndexChoosesAsANewOne(windows: (tag: Int, term: Int, tagLimit: Int?, termLimit: Int?)) throws {
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        func date() -> DateTime { DateTime(year: 2000 + next(20), month: 1 + next(12), day: 1 + next(3)) }
        func make(_ k: Int, title: String) -> ArticleSummary {
            let tags = Set((0..<(1 + next(3))).map { _ in "tag\(next(40))" }).sorted()
            let terms = (0..<(2 + next(5))).map { _ in "term\(next(60))" }
            let year = 1900 + next(80)
            var a = ArticleSummary(testSlug: "a\(k)", title: title, tags: tags, keyTerms: Array(NSOrderedSet(array: terms)) as! [String],
                                   timeline: [(String(year), nil), (String(year + next(5)), nil)])
            // Some undated, and many on the same day: the slug orders those.
            a.date = next(10) == 0 ? nil : date()
            return a
        }
        func makeIndex(_ summaries: [ArticleSummary]) -> RelatedExplainers.Index {
            RelatedExplainers.Index(summaries, tagWindow: windows.tag, termWindow: windows.term, tagLimit: windows.tagLimit, termLimit: windows.termLimit)
        }
        var summaries = (0..<120).map { make($0, title: "A\(next(10))") }
        var index = makeIndex(summaries)
        index.chooseAll()
        var incremental = 0, chosenAgain = 0, crossed = 0
        for step in 0..<75 {
            let k = next(summaries.count)
            switch step % 5 {
            case 0: summaries[k].title = "A\(next(10))"  // ties are broken by title
            case 1: summaries[k].tags = make(k, title: "").tags
            case 2: summaries[k].keyTerms = make(k, title: "").keyTerms
            case 3: summaries[k].date = next(10) == 0 ? nil : date()  // moves it in its lists
            default: summaries[k] = make(k, title: summaries[k].title)
            }
            var fresh = makeIndex(summaries)
            fresh.chooseAll()
            let listsBefore = (tags: index.byTag.mapValues { $0.count > index.tagLimit }, terms: index.byTerm.mapValues { $0.count > index.termLimit })
            let update = index.update([k], [summaries[k]])
            if update != nil, listsBefore.tags != fresh.byTag.mapValues({ $0.count > fresh.tagLimit })
                || listsBefore.terms != fresh.byTerm.mapValues({ $0.count > fresh.termLimit }) {
                crossed += 1
            }
            // A title decides only ties, a date only windows: never more than
            // the article's neighbours are chosen again.
            if step % 5 == 0 || step % 5 == 3 { #expect(update != nil, "step \(step)") }
            if let again = update {
                incremental += 1
                chosenAgain += again.count
                #expect(again.contains(k))
            } else {
                index = fresh
            }
            for j in summaries.indices {
                #expect(index.chosen[j].map(\.article) == fresh.chosen[j].map(\.article), "step \(step), article \(j)")
                #expect(index.chosen[j].map(\.score) == fresh.chosen[j].map(\.score), "step \(step), article \(j)")
            }
            #expect(index.byTag == fresh.byTag && index.byTerm == fresh.byTerm && index.order == fresh.order, "step \(step)")
            // Each profile finds its terms' weights by their ids, and no weight for a term it lacks.
            var wrong: [String] = []
            for (j, p) in index.profiles.enumerated() {
                let terms = Dictionary(uniqueKeysWithValues: p.termList)
                for (t, id) in index.termIDs where p.weight(of: id) != terms[t] { wrong.append("a\(j) \(t)") }
            }
            #expect(wrong.isEmpty, "step \(step)")
        }
        #expect(incremental >= 30)
        // Lists crossing a limit are updated in place too.
        if windows.tagLimit != nil { #expect(crossed >= 5, "\(crossed) updates took a list across a limit") }
        #expect(chosenAgain < incremental * summaries.count / 4)
        // And the index is what `choose` gives (with the same windows).
        if windows.tag == RelatedExplainers.tagWindow {
            #expect(RelatedExplainers.choose(summaries) == index.chosen.map { $0.map(\.article) })
        }
    }

    /// A word too common to count (on more articles than the limit) is in no
    /// article's profile, so that an edit giving it to one article more or
    /// one less, which changes its weight, chooses again only around the
    /// edited article, not for every article that has it; and the choice
    /// is still that of a new index.
    @Test func aTooCommonWordChangesOnlyTheEditedArticle() throws {
        var summaries = (0..<60).map { k in
            var a = ArticleSummary(testSlug: "a\(k)", title: "A\(k)", tags: ["tag\(k % 12)"],
                                   keyTerms: ["common", "t\(k % 10)", "u\(k % 8)"], timeline: [(String(1900 + k % 9), nil)])
            a.date = DateTime(year: 2000 + k % 5, month: 1 + k % 12, day: 1)
            return a
        }
        func makeIndex() -> RelatedExplainers.Index {
            var index = RelatedExplainers.Index(summaries, tagLimit: 8, termLimit: 8)
            index.chooseAll()
            return index
        }
        var index = makeIndex()
        #expect(index.profiles.allSatisfy { p in !p.termList.contains { $0.0 == "common" } }, "a word on 60 articles, over the limit of 8, weighs nothing")
        #expect(index.profiles[3].termList.map(\.0) == ["t3", "u3"])
        // The edit takes "common" from a0 and gives it to no other: a
        // different weight for "common", no new one for a0's other words.
        summaries[0].keyTerms = ["t0", "u0"]
        let update = index.update([0], [summaries[0]])
        let again = try #require(update)
        let fresh = makeIndex()
        #expect(index.chosen.map { $0.map(\.article) } == fresh.chosen.map { $0.map(\.article) })
        #expect(index.chosen.map { $0.map(\.score) } == fresh.chosen.map { $0.map(\.score) })
        // a0, and those that share a word or tag with it that counts (t0:
        // 6 articles, u0: 8, tag0: 5), whose choice may now hold a0 or not.
        #expect(again.contains(0) && again.count <= 17, "chosen again: \(again)")
    }
}
