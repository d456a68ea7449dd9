import Testing
@testable import LedeCore

@Suite struct TemplateTests {
    let none: Template.Loader = { (_: String) throws(Diagnostic) -> (text: String, path: String)? in nil }

    @Test func fillsSlotsEscapingTextButNotHTML() throws {
        let t = try Template.parse(name: "t", text: "<h1>{{title}}</h1>{{ body }}", path: "templates/t.html",
                                   slots: ["title", "body"], load: none)
        let out = t.render(["title": .text("Tom & \"Jerry\" <script>"), "body": .html(HTML(trusted: "<p>ok</p>"))])
        #expect(out.raw == "<h1>Tom &amp; &quot;Jerry&quot; &lt;script&gt;</h1><p>ok</p>")
    }

    @Test func aNumberedTemplateFillsAsTheNamedOneDoes() throws {
        let t = try Template.parse(name: "t", text: "<a href=\"{{url}}\" class=\"{{kind}}\">{{title}}</a>{{title}}", path: "templates/t.html",
                                   slots: ["title", "url", "kind"], load: none)
        // Numbered in another order than they stand; `kind` is not numbered, so it is empty.
        let numbered = t.positional(["title", "url"])
        let byPosition = numbered.render([.text("Tom & Jerry"), .html(HTML(trusted: "/a?b=1&amp;c=2"))])
        let byName = t.render(["title": .text("Tom & Jerry"), "url": .html(HTML(trusted: "/a?b=1&amp;c=2"))])
        #expect(byPosition.raw == byName.raw)
        #expect(byPosition.raw == "<a href=\"/a?b=1&amp;c=2\" class=\"\">Tom &amp; Jerry</a>Tom &amp; Jerry")
    }

    @Test func aFillIntoBytesIsTheFillAsText() throws {
        let t = try Template.parse(name: "t", text: "<h1 title=\"{{title}}\">{{title}}</h1>\n{{ body }}<footer>{{foot}}</footer>“é”",
                                   path: "templates/t.html", slots: ["title", "body", "foot"], load: none)
        let markup = "<p>Café — “ok” &amp; <b>bold</b></p>"
        let asText = t.render(["title": .text("Tom & \"Jerry\" <é>"), "body": .html(HTML(trusted: markup))])
        // HTML given as bytes fills as the same HTML given as a String, into bytes and into text.
        let values: Template.Values = ["title": .text("Tom & \"Jerry\" <é>"), "body": .htmlBytes(Array(markup.utf8))]
        #expect(t.renderBytes(values) == Array(asText.raw.utf8))
        #expect(t.render(values).raw == asText.raw)
        #expect(asText.raw == "<h1 title=\"Tom &amp; &quot;Jerry&quot; &lt;é&gt;\">Tom &amp; &quot;Jerry&quot; &lt;é&gt;</h1>\n\(markup)<footer></footer>“é”")
        #expect(t.renderBytes([:]) == Array("<h1 title=\"\"></h1>\n<footer></footer>“é”".utf8))
    }

    @Test func aStreamedSlotIsWrittenWhereverTheTemplateShowsIt() throws {
        let t = try Template.parse(name: "t", text: "<main>{{body}}</main><h1>{{title}}</h1><aside>{{body}}</aside>",
                                   path: "templates/t.html", slots: ["title", "body"], load: none)
        let markup = Array("<p>Café &amp; “ok”</p>".utf8)
        var out = Array("<!-- before -->".utf8)
        var calls = 0
        // The streamed slot's value in `values`, if any, is not used.
        t.renderBytes(["title": .text("A & B"), "body": .htmlBytes(Array("unused".utf8))], into: &out, streaming: "body") { out in
            calls += 1
            out.append(contentsOf: markup)
        }
        #expect(calls == 2)
        #expect(out == Array("<!-- before -->".utf8) + t.renderBytes(["title": .text("A & B"), "body": .htmlBytes(markup)]))
        // A template without the slot never asks for it.
        var plain: [UInt8] = []
        try Template.parse(name: "u", text: "<h1>{{title}}</h1>", path: "templates/u.html", slots: ["title", "body"], load: none)
            .renderBytes(["title": .text("x")], into: &plain, streaming: "body") { _ in Issue.record("asked for a slot the template does not show") }
        #expect(plain == Array("<h1>x</h1>".utf8))
    }

    @Test func unknownSlotIsAnErrorWithLineAndColumn() {
        do {
            _ = try Template.parse(name: "t", text: "<p>\n  {{title}} {{subtitle}}\n", path: "templates/t.html",
                                   slots: ["title"], load: none)
            Issue.record("expected an error")
        } catch {
            #expect(error.all.count == 1)
            let d = error.all[0]
            #expect(d.path == "templates/t.html")
            #expect(d.line == 2)
            #expect(d.column == 13)
            #expect(d.message.contains("{{subtitle}}"))
        }
    }

    @Test func malformedAndUnclosedSlots() {
        #expect(throws: Diagnostics.self) {
            try Template.parse(name: "t", text: "{{Title}}", path: "t", slots: ["title"], load: none)
        }
        #expect(throws: Diagnostics.self) {
            try Template.parse(name: "t", text: "a {{title", path: "t", slots: ["title"], load: none)
        }
    }

    @Test func includesAndComments() throws {
        let load: Template.Loader = { (name: String) throws(Diagnostic) -> (text: String, path: String)? in
            name == "parts/x.html" ? ("[{{title}}]", "templates/parts/x.html") : nil
        }
        let t = try Template.parse(name: "t", text: "{{! a comment }}<b>{{> parts/x.html}}</b>", path: "t", slots: ["title"], load: load)
        #expect(t.render(["title": "hi"]).raw == "<b>[hi]</b>")
        do {
            _ = try Template.parse(name: "t", text: "ok\n{{> parts/missing.html}}", path: "templates/t.html", slots: [], load: load)
            Issue.record("expected an error")
        } catch {
            #expect(error.all[0].line == 2)
            #expect(error.all[0].message.contains("parts/missing.html"))
        }
    }

    @Test func recursiveIncludesStop() {
        let load: Template.Loader = { (_: String) throws(Diagnostic) -> (text: String, path: String)? in ("{{> self.html}}", "self.html") }
        #expect(throws: Diagnostics.self) {
            try Template.parse(name: "t", text: "{{> self.html}}", path: "t", slots: [], load: load)
        }
    }

    @Test func splitAtASlot() throws {
        let t = try Template.parse(name: "t", text: "<aside id=\"{{id}}\">{{content}}</aside>", path: "t", slots: ["id", "content"], load: none)
        let (before, after) = t.render(["id": "x&y"], splitAt: "content")
        #expect(before.raw == "<aside id=\"x&amp;y\">")
        #expect(after.raw == "</aside>")
    }

    @Test func theBuiltInThemeLoadsAndEveryTemplateUsesOnlyKnownSlots() throws {
        let theme = try Theme.load(siteTemplates: nil)
        for name in Theme.kinds.keys {
            #expect(theme[name].usedSlots.isSubset(of: Theme.kinds[name]!))
        }
    }

    @Test func theRepositoryTemplatesAreTheBuiltInOnes() throws {
        // The plugin embeds templates/; a stale build would show here.
        for (name, bytes) in EmbeddedTemplates.files {
            let onDisk = try FileIO.readBytes(repositoryRoot + "/templates/" + name)
            #expect(onDisk == bytes, "templates/\(name) differs from the built-in copy")
        }
    }

    /// An article's cards, made for several pages at once from numbered
    /// templates, are its card template filled by name at each page's root,
    /// its tag links too; with and without a date and tags.
    @Test func anArticlesCardsAreItsCardTemplateFilledByName() throws {
        let theme = try Theme.load(siteTemplates: nil)
        let renderer = PageRenderer(theme: theme, config: SiteConfig(), year: 2024)
        func byName(_ a: ArticleSummary, root: String) -> String {
            var links = ""
            for tag in a.tags {
                links += theme["parts/tag-link.html"].render([
                    "root": .text(root), "url": .text(root + "tags/" + Slug.make(tag) + "/"), "name": .text(tag), "count": "",
                ]).raw
            }
            let published = a.date.map {
                theme["parts/published.html"].render(["date": .text($0.display), "date_iso": .text($0.iso)])
            } ?? .empty
            return theme["parts/article-card.html"].render([
                "root": .text(root), "url": .text(root + a.slug + "/"), "title": .text(a.title), "summary": .text(a.summary),
                "published": .html(published), "reading_time": .text("\(a.readingMinutes) min read"),
                "tags": .html(a.tags.isEmpty ? .empty : theme["parts/card-tags.html"].render(["tags": .html(HTML(trusted: links))])),
            ]).raw
        }
        let tagged = ArticleSummary(path: "a.md", slug: "the-wall", title: "The “Wall” & <its> fall", summary: "Tom's \"summary\" & more",
                                    date: DateTime(year: 1989, month: 11, day: 9), updated: nil, author: nil,
                                    tags: ["Berlin Wall", "R&D", "Zürich"], readingMinutes: 7, timeline: [], takeaways: [])
        var bare = tagged
        bare.tags = []
        bare.date = nil
        let roots = ["./", "../../", "../../../../", "../"]
        for a in [tagged, bare] {
            let cards = renderer.cards(a, roots: roots)
            #expect(cards.map(\.raw) == roots.map { byName(a, root: $0) })
            #expect(renderer.card(a, root: "../").raw == byName(a, root: "../"))
        }
        #expect(byName(tagged, root: "./").contains("Tom&#39;s &quot;summary&quot; &amp; more"))
        #expect(renderer.tagLinks(tagged.tags, root: "../").raw
                == #"<a class="tag" href="../tags/berlin-wall/" data-count="">Berlin Wall</a>"# + "\n"
                + #"<a class="tag" href="../tags/r-d/" data-count="">R&amp;D</a>"# + "\n"
                + #"<a class="tag" href="../tags/zurich/" data-count="">Zürich</a>"# + "\n")
    }

    /// Escaping, which passes over eight bytes at a time, replaces each of
    /// the five characters wherever it stands: texts of every length up to
    /// 40 bytes with one or two of them (and multi-byte characters) at every
    /// offset, against a byte-by-byte replacement.
    @Test func escapingFindsEveryCharacterAtEveryOffset() {
        func expected(_ s: String) -> String {
            var out = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                default: out.unicodeScalars.append(ch)
                }
            }
            return out
        }
        let specials: [Character] = ["&", "<", ">", "\"", "'"]
        let fillers: [Character] = ["a", "é", "—", "%", "?", "=", "\u{1F600}"]
        var checked = 0
        for length in 0...40 {
            let base = String((0..<length).map { fillers[$0 % fillers.count] })
            var texts = [base]
            for at in 0...length {
                for special in specials {
                    var chars = Array(base)
                    chars.insert(special, at: min(at, chars.count))
                    texts.append(String(chars))
                    chars.insert(specials[(at + 1) % specials.count], at: chars.count - at / 2)
                    texts.append(String(chars))
                }
            }
            for text in texts {
                var bytes: [UInt8] = []
                HTML.escape(text, into: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == expected(text), "\(text)")
                #expect(HTML.escape(text) == expected(text))
                checked += 1
            }
        }
        #expect(checked == 8_651)
    }

    @Test func escapingCoversAttributeBreakers() {
        #expect(HTML.escape("a'b\"c<d>e&f") == "a&#39;b&quot;c&lt;d&gt;e&amp;f")
        #expect(HTML.jsonForScript("{\"x\":\"</script><!--\"}").raw == "{\"x\":\"\\u003c/script>\\u003c!--\"}")
    }
}
