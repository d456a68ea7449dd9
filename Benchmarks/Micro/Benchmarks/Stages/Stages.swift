// Per-page stages on the example site's articles (content/ of the repository),
// one benchmark per stage, each iteration going over all of them. Thresholds:
// a median wall time more than 10% above the baseline, or 2% more allocations,
// fails `swift package benchmark baseline check`. (Run on a quiet machine: the
// wall clock is what is compared.)
import Benchmark
import Foundation
import LedeCore

/// The repository's root, from this file's path.
let repository: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { url.deleteLastPathComponent() }
    return url.path
}()

struct Samples: @unchecked Sendable {
    let sources: [SourceFile]
    let bodies: [Range<Int>]
    let annotator: Annotator
    let renderer: PageRenderer
    let articles: [Article]
    let bytes: Int

    static let shared: Samples = {
        let dir = repository + "/content"
        let names = (try? ContentScanner.articles(in: dir)) ?? []
        let sources = names.compactMap { try? SourceFile.read(path: dir + "/" + $0, displayPath: "content/" + $0) }
        let bodies = sources.map { (try? FrontMatterSplitter.split($0))?.body ?? 0..<$0.bytes.count }
        let theme = try! Theme.load(siteTemplates: repository + "/templates")
        let annotator = Annotator(theme: theme)
        let renderer = PageRenderer(theme: theme, config: SiteConfig(), year: 2025)
        let articles = zip(names, sources).compactMap { annotator.annotate($1, defaultSlug: ContentScanner.defaultSlug($0)).0 }
        return Samples(sources: sources, bodies: bodies, annotator: annotator, renderer: renderer, articles: articles,
                       bytes: sources.reduce(0) { $0 + $1.bytes.count })
    }()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        maxDuration: .seconds(3),
        maxIterations: 1_000,
        thresholds: [
            .wallClock: .init(relative: [.p50: 10.0]),
            .mallocCountTotal: .init(relative: [.p50: 2.0]),
        ]
    )
    let s = Samples.shared

    Benchmark("front matter (split + YAML)") { benchmark in
        for source in s.sources {
            let split = try FrontMatterSplitter.split(source)
            var reader = YAMLReader(path: source.path, firstLine: split.yamlLine)
            if let yaml = split.yaml { blackHole(reader.frontMatter(try reader.parse(yaml))) }
        }
    }

    Benchmark("cmark (parse + render HTML)") { benchmark in
        for (source, body) in zip(s.sources, s.bodies) {
            let document = source.bytes.withUnsafeBufferPointer { MarkdownDocument(parsing: UnsafeBufferPointer(rebasing: $0[body])) }
            blackHole(document.renderHTML())
        }
    }

    Benchmark("temporal tagger (placeholder) over whole bodies") { benchmark in
        for (source, body) in zip(s.sources, s.bodies) {
            var tagger = TemporalTagger(referenceDate: nil, genre: nil)
            source.bytes.withUnsafeBufferPointer { blackHole(tagger.tag(UnsafeBufferPointer(rebasing: $0[body]))) }
        }
    }

    Benchmark("annotate (all of it, tagger included)") { benchmark in
        for (k, source) in s.sources.enumerated() {
            blackHole(s.annotator.annotate(source, defaultSlug: "a\(k)"))
        }
    }

    // The annotator's own stages, on the bodies' raw text (Markdown syntax
    // and all: close enough to the prose for timing).
    let bodyTexts = zip(s.sources, s.bodies).map { String(decoding: $0.bytes[$1], as: UTF8.self) }

    // The entry point the annotator calls, on the bytes it keeps (with the
    // UTF-8 check), not the String one.
    let bodyBytes = bodyTexts.map { [Array($0.utf8)] }
    Benchmark("key terms (byte-level term counting)") { benchmark in
        for blocks in bodyBytes { blackHole(KeyTerms.of(title: "A title of some words", utf8: blocks)) }
    }

    Benchmark("sentence splitting") { benchmark in
        for text in bodyTexts { blackHole(Sentences.split(Array(text.utf8))) }
    }

    Benchmark("article page (templates)") { benchmark in
        for article in s.articles { blackHole(s.renderer.articlePage(article)) }
    }

    Benchmark("site: home page of the examples") { benchmark in
        let summaries = s.articles.map(ArticleSummary.init)
        blackHole(s.renderer.homePage(summaries))
    }
}
