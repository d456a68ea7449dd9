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
}
