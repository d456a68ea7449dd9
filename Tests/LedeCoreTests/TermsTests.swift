import Testing
@testable import LedeCore

/// Content terms: what automatic takeaways and related explainers compare.
@Suite struct TermsTests {
    @Test func wordsAreLowercasedStemmedAndStopwordsDropped() {
        #expect(Terms.of("The talks: they talked, and are talking.") == ["talk", "talk", "talk"])
        #expect(Terms.of("Stories of classes, indexes and the bus") == ["story", "class", "index", "bus"])
        #expect(Terms.of("Putin’s summit in Tromsø, 2018") == ["putin", "summit", "tromsø", "2018"])
        #expect(Terms.of("Reportedly agreed; the agreed fee") == ["reported", "agreed", "agreed", "fee"])
        #expect(Terms.of("a I x") == [])
    }

    @Test(arguments: [("talks", "talk"), ("studies", "study"), ("passes", "pass"), ("status", "status"), ("analysis", "analysis"),
                      ("meeting", "meet"), ("sing", "sing"), ("walked", "walk"), ("freed", "freed"), ("agreed", "agreed"),
                      ("quickly", "quick"), ("churches", "church"), ("wishes", "wish"), ("indexes", "index"), ("gases", "gase"),
                      ("news", "news"), ("café", "café"), ("élites", "élites")])
    func stems(_ word: String, _ stem: String) {
        #expect(Terms.stem(word) == stem)
    }

    @Test func keyTermsRankByUseAndCountTheTitleThrice() {
        let terms = KeyTerms.of(title: "The Berlin airlift", blocks: ["Planes flew to Berlin in 1948.", "The planes flew daily; 1948 was hard."])
        #expect(terms.first == "berlin")
        #expect(terms.contains("airlift") && terms.contains("plane") && terms.contains("flew"))
        #expect(!terms.contains("1948"))  // numbers are not key terms
        #expect(!terms.contains("daily"))  // once, and not in the title
    }
}
