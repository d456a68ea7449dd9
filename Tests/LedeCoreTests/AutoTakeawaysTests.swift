import Foundation
import Testing
@testable import LedeCore

/// Automatic takeaways: picked from the article's own sentences when the author
/// wrote none; shown as the "Automatic summary" linking to the marked sentences.
@Suite struct AutoTakeawaysTests {
    /// A news-style article with no takeaways of its own.
    static let story = """
        WASHINGTON (CNN) -- The city council approved a plan on Tuesday to build a new bridge across the river, a spokesman said.

        The bridge will cost $40 million (about €37 million) and take three years to build.

        Council members argued for months about the cost of the bridge before the vote.

        Would the old ferry survive? Nobody at the meeting could say.

        The council approved the bridge plan on Tuesday, the spokesman said again.

        Construction of the bridge is expected to begin next spring, once the river is low.

        Local businesses welcomed the decision, saying the bridge would bring more customers across the river.
        """

    func annotate(_ text: String, settings: AnnotationSettings = AnnotationSettings()) throws -> Article {
        let theme = try Theme.load(siteTemplates: nil)
        let (article, problems) = Annotator(theme: theme, settings: settings)
            .annotate(SourceFile(path: "content/t.md", bytes: Array(text.utf8)), defaultSlug: "t")
        #expect(problems.filter { $0.severity == .error }.isEmpty)
        return try #require(article)
    }

    func story(_ extra: String = "") -> String {
        "---\ntitle: \"Bridge vote: what you need to know\"\ndate: 2024-05-01\n\(extra)---\n\n\(Self.story)\n"
    }

    @Test func anArticleWithoutTakeawaysGetsAutomaticOnes() throws {
        let a = try annotate(story())
        #expect((2...4).contains(a.takeaways.count))
        #expect(a.takeaways.allSatisfy { $0.source == .auto })
        // The lead comes first, without its dateline and attribution.
        #expect(a.takeaways[0].text == "The city council approved a plan on Tuesday to build a new bridge across the river.")
        // Short asides in brackets are left out.
        #expect(a.takeaways[1].text == "The bridge will cost $40 million and take three years to build.")
        // The question is not a takeaway, and the restatement of the lead is redundant.
        #expect(!a.takeaways.contains { $0.text.contains("ferry") || $0.text.contains("again") })
        // Each links to its sentence, marked in the page.
        for (k, t) in a.takeaways.enumerated() {
            #expect(t.anchor == "summary-\(k + 1)")
            #expect(a.body.raw.contains("<mark class=\"auto-takeaway\" id=\"summary-\(k + 1)\""))
        }
        #expect(a.body.raw.contains("id=\"summary-1\" title=\"Part of the automatic summary\">WASHINGTON (CNN) – The city council approved a plan on Tuesday to build a new bridge across the river, a spokesman said.</mark>"))
    }

    @Test func thePageShowsThemAsAnAutomaticSummary() throws {
        let site = try TestSite(["content/bridge.md": story()])
        try site.build()
        let page = try site.read("public/bridge/index.html")
        #expect(page.contains("<nav class=\"takeaways-summary\" id=\"key-takeaways-summary\" aria-labelledby=\"key-takeaways-summary-label\" data-source=\"auto\">"))
        #expect(page.contains("<h2 id=\"key-takeaways-summary-label\">Automatic summary</h2>"))
        #expect(page.contains("<li><a href=\"#summary-1\">The city council approved a plan on Tuesday to build a new bridge across the river.</a></li>"))
        // Every link of the summary has its target in the page.
        for anchor in page.components(separatedBy: "<a href=\"#summary-").dropFirst().map({ "summary-" + $0.prefix { $0 != "\"" } }) {
            #expect(page.contains("id=\"\(anchor)\""))
        }
        // `lede extract` says where they came from.
        let r = try run(ledeExecutable, ["extract", site.root + "/content/bridge.md", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let takeaways = try #require(json["takeaways"] as? [[String: Any]])
        #expect((2...4).contains(takeaways.count))
        #expect(takeaways.allSatisfy { $0["source"] as? String == "auto" && ($0["anchor"] as? String)?.hasPrefix("summary-") == true })
    }

    @Test func theyCanBeSwitchedOffPerArticleAndForTheSite() throws {
        #expect(try annotate(story("takeaways: false\n")).takeaways.isEmpty)
        #expect(try annotate(story(), settings: AnnotationSettings(autoTakeaways: false)).takeaways.isEmpty)
        let site = try TestSite(["content/_index.md": "---\ntitle: T\nauto_takeaways: false\n---\n", "content/bridge.md": story()])
        try site.build()
        let page = try site.read("public/bridge/index.html")
        #expect(!page.contains("takeaways-summary"))
        #expect(!page.contains("auto-takeaway"))
    }

    @Test func authoredTakeawaysWin() throws {
        let a = try annotate(story("takeaways: [\"The bridge is coming.\"]\n"))
        #expect(a.takeaways.map(\.source) == [.frontMatter])
        let b = try annotate(story() + "\n> [!TAKEAWAY]\n> The ferry is doomed.\n")
        #expect(b.takeaways.map(\.source) == [.alert])
    }

    @Test func shortArticlesAreTheirOwnSummary() throws {
        #expect(try annotate("---\ntitle: T\n---\n\nOne short paragraph. It says little.\n").takeaways.isEmpty)
        // Three sentences: two of them, never all three.
        let three = try annotate("""
            ---
            title: T
            ---

            The city council approved a plan on Tuesday to build a new bridge across the wide river.

            The new bridge will cost forty million dollars and will take about three years to build.

            Local businesses welcomed the decision, saying it would bring many more customers over from the other bank.
            """)
        #expect(three.takeaways.count == 2)
    }

    @Test func quotesListsAndCalloutsAreNotRunningText() throws {
        let text = """
            ---
            title: T
            ---

            > A quotation that would otherwise come first and look central to the bridge and the river and the council.

            \(Self.story)
            """
        let a = try annotate(text)
        #expect(!a.takeaways.isEmpty)
        #expect(!a.takeaways.contains { $0.text.hasPrefix("A quotation") })
    }

    @Test func sentencesInsideEmphasisAnchorTheirParagraph() throws {
        // A sentence that starts inside emphasis cannot be wrapped cleanly: the paragraph is the anchor.
        let text = "---\ntitle: T\n---\n\n*The council approved a plan on Tuesday to build a bridge. The bridge will cost a lot.* More text follows here today.\n\n" + Self.story
        let a = try annotate(text)
        #expect(a.takeaways[0].text.hasPrefix("The council approved"))
        let anchor = a.takeaways[0].anchor
        #expect(a.body.raw.contains("<p id=\"\(anchor)\">"))
    }

    // MARK: Picking and tidying, as units

    @Test func pickPrefersEarlyCentralSentencesAndSkipsRedundantOnes() {
        let sentences = [
            "The council approved a new bridge across the river on Tuesday.",
            "The council approved a new bridge across the river on Tuesday night.",
            "The bridge will cost forty million dollars to build.",
            "Bridge construction starts next spring when the river is low.",
            "Some residents walked their dogs along the river that morning.",
            "Officials expect the bridge to carry thousands of cars every day.",
            "A ferry has carried people across the river for a hundred years.",
            "The ferry company said it would keep running until the bridge opens.",
        ]
        #expect(AutoTakeaways.pick(sentences) == [0, 2, 3])
        // Deterministic: same input, same choice.
        #expect(AutoTakeaways.pick(sentences) == AutoTakeaways.pick(sentences))
        // Fragments and link lines never make it.
        #expect(AutoTakeaways.quality("Watch the video of the vote here »", words: 7) == 0)
        #expect(AutoTakeaways.quality("It passed.", words: 2) == 0)
        #expect(AutoTakeaways.quality("Editor’s note: This story was updated on Friday.", words: 8) == 0)
        #expect(AutoTakeaways.quality("Will the bridge be finished on time?", words: 7) < 1)
    }

    @Test(arguments: [
        ("WASHINGTON (CNN) -- Doctors removed five small polyps on Saturday.", "Doctors removed five small polyps on Saturday."),
        ("LONDON, England (Reuters) -- Harry Potter star Daniel Radcliffe turns 18 on Monday.", "Harry Potter star Daniel Radcliffe turns 18 on Monday."),
        ("(CNN)Seventy years ago, Anne Frank died in a camp.", "Seventy years ago, Anne Frank died in a camp."),
        ("Marseille, France (CNN)The French prosecutor spoke on Wednesday.", "The French prosecutor spoke on Wednesday."),
    ])
    func datelines(_ input: String, _ expected: String) {
        #expect(AutoTakeaways.tidy(input, first: true) == expected)
        // Only the first sentence of an article can have one.
        #expect(AutoTakeaways.tidy(input, first: false) != expected || !input.contains("--"))
    }

    @Test func notDatelines() {
        // A lowercase word in the lead-in, or a lowercase word after the bracket.
        #expect(AutoTakeaways.droppingDateline("The report (CNN) -- aired twice on the evening news.") == "The report (CNN) -- aired twice on the evening news.")
        #expect(AutoTakeaways.droppingDateline("WASHINGTON (CNN) -- and then nothing much happened at all.") == "WASHINGTON (CNN) -- and then nothing much happened at all.")
    }

    @Test(arguments: [
        ("He gains access to a reported £20 million ($41.1 million) fortune as he turns 18.", "He gains access to a reported £20 million fortune as he turns 18."),
        ("All were small, less than a centimeter [half an inch] in diameter, doctors found.", "All were small, less than a centimeter in diameter, doctors found."),
        ("The dog -- a friendly white-and-black mix -- has been receiving care at the hospital.", "The dog has been receiving care at the hospital."),
        ("The camp where she had been imprisoned was liberated -- timing that showed how close she came.", "The camp where she had been imprisoned was liberated."),
        ("There is no remaining hope of finding the six trapped men alive, a federal official said Saturday.", "There is no remaining hope of finding the six trapped men alive."),
        ("Results of the routine tests are expected within two or three days, according to the White House.",
         "Results of the routine tests are expected within two or three days."),
        // Kept: the attribution closes a quotation, or what is left is too short.
        ("Doctors removed five polyps, and \"none appeared worrisome,\" a spokesman said.", "Doctors removed five polyps, and \"none appeared worrisome,\" a spokesman said."),
        ("\"We have exhausted all options,\" Richard Stickler, head of the agency, said in a statement.", "\"We have exhausted all options,\" Richard Stickler, head of the agency, said in a statement."),
        ("It rained, he said.", "It rained, he said."),
        ("Marseille, France (CNN)The French prosecutor spoke on Wednesday.", "Marseille, France The French prosecutor spoke on Wednesday."),
    ])
    func tidying(_ input: String, _ expected: String) {
        #expect(AutoTakeaways.tidy(input, first: false) == expected)
    }
}
