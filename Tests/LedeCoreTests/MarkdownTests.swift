import Testing
@testable import LedeCore

@Suite struct MarkdownTests {
    @Test func parsesAndRenders() {
        let doc = MarkdownDocument(parsing: "# Title\n\nHello *world* and \"quotes\"...\n")
        #expect(doc.renderHTML() == "<h1>Title</h1>\n<p>Hello <em>world</em> and “quotes”…</p>\n")
    }

    @Test func walksInDocumentOrderWithPositions() {
        let doc = MarkdownDocument(parsing: "Para `code` [link](http://x.org)\n\n- item\n")
        var kinds: [MarkdownNode.Kind] = []
        doc.root.walk { node, event in
            if event == .enter { kinds.append(node.kind) }
            return .continue
        }
        #expect(kinds == [.document, .paragraph, .text, .code, .text, .link, .text, .list, .item, .paragraph, .text])
        let code = doc.root.firstChild!.children.first { $0.kind == .code }!
        #expect(code.literal == "code")
        #expect(code.startLine == 1)
        #expect(code.startColumn == 7)
        let link = doc.root.firstChild!.children.first { $0.kind == .link }!
        #expect(link.url == "http://x.org")
    }

    @Test func skipChildrenSkipsASubtree() {
        let doc = MarkdownDocument(parsing: "> quoted *text*\n\nafter\n")
        var texts: [String] = []
        doc.root.walk { node, event in
            if event == .enter && node.kind == .blockQuote { return .skipChildren }
            if event == .enter, node.kind == .text { texts.append(node.literal!) }
            return .continue
        }
        #expect(texts == ["after"])
    }

    @Test func plainTextLeavesOutHTMLAndURLs() {
        let doc = MarkdownDocument(parsing: "See [the *report*](http://1999.example) <span>x</span> `2016`\nnext ![alt 1999](i.png)\n")
        #expect(doc.root.plainText() == "See the report x 2016 next ")
        #expect(doc.root.plainText(includingCode: false) == "See the report x  next ")
    }

    @Test func customBlocksWrapMovedChildren() {
        let doc = MarkdownDocument(parsing: "## Heading *x*\n\npara\n")
        let heading = doc.root.firstChild!
        let block = doc.makeCustomBlock(onEnter: "<h2 id=\"h\">", onExit: "</h2>")
        heading.moveChildren(to: block)
        #expect(heading.replace(with: block))
        #expect(doc.renderHTML().hasPrefix("<h2 id=\"h\">\nHeading <em>x</em>\n</h2>"))
    }

    @Test func unlinkedAndUnusedNodesAreFreedWithTheDocument() {
        // Runs under the address sanitizer in the fuzz builds; here it must not crash.
        for _ in 0..<100 {
            let doc = MarkdownDocument(parsing: "a\n\nb\n\nc\n")
            doc.root.firstChild!.unlink()
            _ = doc.makeNode(.paragraph)
            _ = doc.makeCustomBlock(onEnter: "<div>", onExit: "</div>")
            #expect(doc.renderHTML() == "<p>b</p>\n<p>c</p>\n")
        }
    }

    @Test func rawHTMLPassesThroughForTrustedAuthors() {
        let doc = MarkdownDocument(parsing: "<div class=\"x\">hi</div>\n\n[a](javascript:alert(1))\n")
        #expect(doc.renderHTML().contains("<div class=\"x\">hi</div>"))
        let safe = MarkdownDocument(parsing: "<div>hi</div>\n", options: [])
        #expect(safe.renderHTML().contains("raw HTML omitted"))
    }
}
