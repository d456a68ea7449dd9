// lede-bench: the measurements Benchmarks/bench.py cannot take from outside.
//
//   lede-bench stages SITE [--limit N]
//       Each per-page stage alone, on one thread, over the site's articles:
//       read, front matter (split + YAML), cmark (parse + render), annotate
//       (everything lede adds, with the temporal tagger's share measured
//       separately) and the article page (templates). Prints one line per stage.
//
//   lede-bench edits SITE [--edits N] [--output DIR] [--only body|title]
//       A running session (as `lede serve` keeps one): a full build, then N
//       edits of one article each, rebuilt with rebuild(changed:); prints the
//       median and spread of the rebuild times, then checks that the output is
//       byte for byte what a full build without cache makes.
//
// Build it in release mode: swift build -c release --product lede-bench
import Foundation
import LedeCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("lede-bench: " + message + "\n").utf8))
    exit(2)
}

func option(_ name: String, in args: [String]) -> String? {
    guard let k = args.firstIndex(of: name), k + 1 < args.count else { return nil }
    return args[k + 1]
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func cpuNow() -> Double { Double(CPUTimeCounter.threadTime()) / 1e9 }

func articlePaths(_ site: String) -> [String] {
    guard let files = try? ContentScanner.articles(in: site + "/content") else { fail("no content/ in \(site)") }
    return files
}

// MARK: stages

func stages(_ site: String, limit: Int?) {
    var files = articlePaths(site)
    if let limit { files = Array(files.prefix(limit)) }
    let theme: Theme
    do { theme = try Theme.load(siteTemplates: FileManager.default.fileExists(atPath: site + "/templates") ? site + "/templates" : nil) } catch {
        fail("templates: \(error)")
    }
    let index = try? SourceFile.read(path: site + "/content/_index.md", displayPath: "content/_index.md")
    let config = SiteConfig.load(index).0
    let tagger = CPUTimeCounter()
    let annotator = Annotator(theme: theme, settings: AnnotationSettings(genre: config.genre, autoTakeaways: config.autoTakeaways, taggerClock: tagger))
    let renderer = PageRenderer(theme: theme, config: config)

    var sources: [SourceFile] = []
    var bytes = 0
    var t = cpuNow()
    for f in files {
        guard let s = try? SourceFile.read(path: site + "/content/" + f, displayPath: "content/" + f) else { fail("cannot read \(f)") }
        bytes += s.bytes.count
        sources.append(s)
    }
    let read = cpuNow() - t

    t = cpuNow()
    var bodies: [Range<Int>] = []
    for s in sources {
        guard let split = try? FrontMatterSplitter.split(s) else { fail("front matter of \(s.path)") }
        var reader = YAMLReader(path: s.path, firstLine: split.yamlLine)
        if let yaml = split.yaml { _ = reader.frontMatter(try? reader.parse(yaml)) }
        bodies.append(split.body)
    }
    let frontMatter = cpuNow() - t

    t = cpuNow()
    var html = 0
    for (s, body) in zip(sources, bodies) {
        let document = s.bytes.withUnsafeBufferPointer { MarkdownDocument(parsing: UnsafeBufferPointer(rebasing: $0[body])) }
        html += document.renderHTML().utf8.count
    }
    let cmark = cpuNow() - t

    // The key-term scanner alone, over each whole Markdown body as one
    // block (the annotator gives it the prose blocks: about as many bytes).
    t = cpuNow()
    var keyTermCount = 0
    for (s, body) in zip(sources, bodies) { keyTermCount += KeyTerms.of(title: "", utf8: [Array(s.bytes[body])]).count }
    let keyTerms = cpuNow() - t

    t = cpuNow()
    var articles: [Article] = []
    for (f, s) in zip(files, sources) {
        guard let a = annotator.annotate(s, defaultSlug: ContentScanner.defaultSlug(f)).0 else { fail("\(s.path) has errors") }
        articles.append(a)
    }
    let annotate = cpuNow() - t

    t = cpuNow()
    var pageBytes = 0
    for a in articles { pageBytes += renderer.articlePage(a).raw.utf8.count }
    let render = cpuNow() - t

    let n = Double(files.count)
    let mb = Double(bytes) / 1e6
    func line(_ name: String, _ seconds: Double) {
        print(String(format: "%-44@ %8.3f s %9.1f µs/article %9.1f MB/s", name, seconds, seconds / n * 1e6, mb / seconds))
    }
    print("\(files.count) articles, \(String(format: "%.1f", mb)) MB of Markdown, one thread (CPU time)")
    line("read files", read)
    line("front matter (split + YAML)", frontMatter)
    line("cmark alone (parse + render HTML)", cmark)
    line("annotate (front matter, cmark, lede's work)", annotate)
    line("  of which the temporal tagger", tagger.seconds)
    line("  of which the rest, minus cmark and YAML", annotate - tagger.seconds - cmark - frontMatter)
    line("key terms alone (over the Markdown)", keyTerms)
    line("article page (templates)", render)
    print(String(format: "output: %.1f MB of article pages, %.1f MB of cmark HTML, %d key terms", Double(pageBytes) / 1e6, Double(html) / 1e6,
                 keyTermCount))
}

// MARK: edits

func snapshot(_ dir: String) -> [String: Data] {
    var out: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: dir) else { return out }
    for case let rel as String in walker {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
            out[rel] = FileManager.default.contents(atPath: dir + "/" + rel)
        }
    }
    return out
}

/// `only`: "body" or "title" makes every edit of that kind (for profiling one).
/// `titleWord`: a title edit puts this word before the title (each edit one
/// more article with it as a key term) instead of "Edit N:", whose word no
/// other article has.
func edits(_ site: String, count: Int, output: String?, only: String? = nil, titleWord: String? = nil) {
    if let only, only != "body", only != "title" { fail("--only takes body or title, not \(only)") }
    let files = articlePaths(site)
    var options = BuildOptions(siteRoot: site, output: output)
    options.updateInPlace = true  // as lede serve updates its folder
    let verbose = ProcessInfo.processInfo.environment["LEDE_BENCH_PHASES"] != nil
    options.measurePhases = verbose
    let session = SiteSession(options: options)
    var t = now()
    do { _ = try session.build() } catch { fail("build: \(error)") }
    print(String(format: "first build in the session: %.3f s", now() - t))

    var times: [Double] = []
    var written: [Int] = []
    var originals: [String: Data] = [:]
    for k in 0..<count {
        // Spread the edits over the corpus; alternate a change of the body text
        // with a change of the title (which list pages show).
        let file = files[(k * 7919) % files.count]
        let path = site + "/content/" + file
        guard var text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(file)") }
        if originals[file] == nil { originals[file] = text.data(using: .utf8) }
        let body = only.map { $0 == "body" } ?? (k % 2 == 0)
        if body {
            text += "\nEdit \(k): on March \(k % 28 + 1), 2001 a correction was published.\n"
        } else if let range = text.range(of: "title: \"") {
            text.replaceSubrange(range, with: "title: \"" + (titleWord.map { "\($0) " } ?? "Edit \(k): "))
        }
        do { try text.write(toFile: path, atomically: false, encoding: .utf8) } catch { fail("cannot write \(file)") }
        t = now()
        do {
            let report = try session.rebuild(changed: ["content/" + file])
            times.append(now() - t)
            written.append(report.changedOutputs?.count ?? -1)
            if verbose {
                print(String(format: "edit %d: %.1f ms: ", k, (now() - t) * 1000)
                      + report.phases.filter { !$0.name.contains("rss") }.map { "\($0.name) \(String(format: "%.1f", $0.seconds * 1000))" }.joined(separator: ", "))
            }
        } catch { fail("rebuild: \(error)") }
    }
    func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
    func summary(_ times: [Double]) -> String {
        let sorted = times.sorted()
        return "median \(ms(sorted[sorted.count / 2])), min \(ms(sorted.first!)), "
            + "p90 \(ms(sorted[min(sorted.count - 1, sorted.count * 9 / 10)])), max \(ms(sorted.last!))"
    }
    print("\(count) one-article edits, rebuilt in the running session: \(summary(times)); "
          + "files written per edit: median \(written.sorted()[written.count / 2])")
    if only == nil {
        print("  body edits (\((count + 1) / 2)): \(summary(stride(from: 0, to: count, by: 2).map { times[$0] }))")
    }
    if only == nil, count > 1 { print("  title edits (\(count / 2)), which change list pages: \(summary(stride(from: 1, to: count, by: 2).map { times[$0] }))") }

    // The output must be what a full build makes.
    let reference = NSTemporaryDirectory() + "lede-bench-reference-\(getpid())"
    options.output = reference
    options.useCache = false
    do { _ = try SiteBuilder.build(options) } catch { fail("reference build: \(error)") }
    let want = snapshot(options.outputPath), got = snapshot(output ?? site + "/public")
    let same = want == got
    print("output identical to a full build: \(same ? "yes" : "NO")")
    if same {
        try? FileManager.default.removeItem(atPath: reference)
    } else {
        let differing = Set(want.keys).union(got.keys).filter { want[$0] != got[$0] }.sorted()
        print("  \(differing.count) files differ: \(differing.prefix(10).joined(separator: ", ")); the full build is in \(reference)")
    }
    for (file, data) in originals { try? data.write(to: URL(fileURLWithPath: site + "/content/" + file)) }
    if !same { exit(1) }
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else { fail("usage: lede-bench stages SITE [--limit N] | lede-bench edits SITE [--edits N] [--output DIR] [--only body|title] [--title-word W]") }
let site = URL(fileURLWithPath: args[1]).standardizedFileURL.path
switch args[0] {
case "stages": stages(site, limit: option("--limit", in: args).flatMap(Int.init))
case "edits": edits(site, count: option("--edits", in: args).flatMap(Int.init) ?? 25, output: option("--output", in: args),
                   only: option("--only", in: args), titleWord: option("--title-word", in: args))
default: fail("unknown command \(args[0])")
}
