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

    /// After edits of one article (its title, tags, key terms, timeline), an
    /// index updated in place chooses exactly what a new index chooses, with
    /// the same scores, and chooses again only for a few articles.
    @Test func updatingTheIndexChoosesAsANewOne() throws {
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        func make(_ k: Int, title: String) -> ArticleSummary {
            let tags = Set((0..<(1 + next(3))).map { _ in "tag\(next(40))" }).sorted()
            let terms = (0..<(2 + next(5))).map { _ in "term\(next(60))" }
            let year = 1900 + next(80)
            return ArticleSummary(testSlug: "a\(k)", title: title, tags: tags, keyTerms: Array(NSOrderedSet(array: terms)) as! [String],
                                  timeline: [(String(year), nil), (String(year + next(5)), nil)])
        }
        var summaries = (0..<120).map { make($0, title: "A\(next(10))") }
        var index = RelatedExplainers.Index(summaries)
        index.chooseAll()
        var incremental = 0, chosenAgain = 0
        for step in 0..<60 {
            let k = next(summaries.count)
            switch step % 4 {
            case 0: summaries[k].title = "A\(next(10))"  // ties are broken by title
            case 1: summaries[k].tags = make(k, title: "").tags
            case 2: summaries[k].keyTerms = make(k, title: "").keyTerms
            default: summaries[k] = make(k, title: summaries[k].title)
            }
            var fresh = RelatedExplainers.Index(summaries)
            fresh.chooseAll()
            let update = index.update([k], [summaries[k]])
            // A title decides only ties: never more than the article's neighbours are chosen again.
            if step % 4 == 0 { #expect(update != nil, "step \(step)") }
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
        }
        #expect(incremental >= 15)
        #expect(chosenAgain < incremental * summaries.count / 4)
        // And the index is what `choose` gives.
        #expect(RelatedExplainers.choose(summaries) == index.chosen.map { $0.map(\.article) })
    }
}
