// libFuzzer target: the cmark wrapper and the annotator on arbitrary Markdown.
// Invariants: every timeline and takeaway anchor is an id in the body; the
// body has no `<script` that the author did not write as raw HTML.
import LedeCore
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) let theme = try! Theme.load(siteTemplates: nil)
nonisolated(unsafe) let annotator = Annotator(theme: theme)

func count(_ needle: String, in haystack: String) -> Int {
    let h = Array(haystack.lowercased().utf8), n = Array(needle.utf8)
    guard h.count >= n.count else { return 0 }
    var c = 0
    for i in 0...(h.count - n.count) where h[i] == n[0] && Array(h[i..<(i + n.count)]) == n { c += 1 }
    return c
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Annotate as an article with a title, so the body is always processed.
    let source = SourceFile(path: "content/fuzz.md", bytes: Array("---\ntitle: Fuzz\ndate: 2020-01-01\n---\n".utf8) + bytes)
    let (article, _) = annotator.annotate(source, defaultSlug: "fuzz")
    guard let article else { return 0 }
    let body = article.body.raw
    for anchor in article.timeline.map(\.anchor) + article.takeaways.map(\.anchor) where anchor != "top" {
        precondition(body.contains("id=\"\(anchor)\""), "anchor \(anchor) has no element")
    }
    let input = String(decoding: bytes, as: UTF8.self)
    precondition(count("<script", in: body) <= count("<script", in: input), "a <script appeared that the author did not write")
    // The whole page too: only the JSON-LD script is lede's own.
    let page = PageRenderer(theme: theme, config: SiteConfig()).articlePage(article).raw
    precondition(count("<script", in: page) <= count("<script", in: input) + 1, "the page has an extra <script")
    precondition(count("</script", in: page) <= count("</script", in: input) + 1, "JSON-LD was broken out of")
    return 0
}

// libFuzzer's driver runs the loop; this program is its main().
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    fuzzMarkdown(data ?? UnsafePointer(bitPattern: 1)!, size)
})
