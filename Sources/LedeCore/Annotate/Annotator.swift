#if canImport(Glibc)
import Glibc
#endif

/// Settings that change how articles are annotated.
public struct AnnotationSettings: Sendable {
    /// Genre when the article does not say; nil lets the tagger decide.
    public var genre: DocumentGenre?
    /// Pick takeaways automatically when an article has none of its own.
    public var autoTakeaways: Bool

    /// When set, CPU time spent in the temporal tagger is added to it (for
    /// benchmarks, which report the tagger's share separately).
    public var taggerClock: CPUTimeCounter?

    public init(genre: DocumentGenre? = nil, autoTakeaways: Bool = true, taggerClock: CPUTimeCounter? = nil) {
        self.genre = genre
        self.autoTakeaways = autoTakeaways
        self.taggerClock = taggerClock
    }
}

/// CPU time summed over threads.
public final class CPUTimeCounter: @unchecked Sendable {
    private let lock = Lock()
    private var nanoseconds: Int64 = 0

    public init() {}

    public var seconds: Double { lock.withLock { Double(nanoseconds) / 1e9 } }

    /// The calling thread's CPU time, in nanoseconds.
    public static func threadTime() -> Int64 { time(CLOCK_THREAD_CPUTIME_ID) }

    /// The CPU time of all the process's threads, in nanoseconds.
    public static func processTime() -> Int64 { time(CLOCK_PROCESS_CPUTIME_ID) }

    private static func time(_ clock: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    public func add(since start: Int64) {
        let elapsed = Self.threadTime() - start
        lock.withLock { nanoseconds += elapsed }
    }
}

/// The heart of lede: reads one article and finds its structure — heading ids,
/// table of contents, reading time, a timeline of the dated events it
/// mentions, its key takeaways and callout boxes — and renders its body.
public struct Annotator: Sendable {
    public let theme: Theme
    public let settings: AnnotationSettings

    public init(theme: Theme, settings: AnnotationSettings = AnnotationSettings()) {
        self.theme = theme
        self.settings = settings
    }

    /// Ids the page template uses around the body; headings never take them.
    static let reservedIDs = ["top", "main", "content", "toc", "timeline", "takeaways", "key-takeaways-summary",
                              "site-header", "site-footer", "search", "related"]

    /// Reads, splits, parses and annotates one article. Problems are returned as
    /// diagnostics; an article with errors gives nil.
    public func annotate(_ source: SourceFile, defaultSlug: String) -> (Article?, [Diagnostic]) {
        if let problem = source.utf8Problem() { return (nil, [problem]) }
        let split: SplitSource
        do { split = try FrontMatterSplitter.split(source) } catch { return (nil, [error]) }
        var reader = YAMLReader(path: source.path, firstLine: split.yamlLine)
        var frontMatter = FrontMatter()
        if let yaml = split.yaml {
            do {
                frontMatter = reader.frontMatter(try reader.parse(yaml))
            } catch {
                return (nil, [error])
            }
        }
        var diagnostics = reader.diagnostics
        let title = frontMatter.title?.trimmingWhitespace ?? ""
        if title.isEmpty {
            let line = frontMatter.lines["title"] ?? 1
            diagnostics.append(.error(source.path, line, 1, frontMatter.title == nil
                ? "the article has no title; add `title: \"...\"` to its front matter"
                : "the title is empty; write one after `title:`"))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }

        let document = source.bytes.withUnsafeBufferPointer { all in
            MarkdownDocument(parsing: UnsafeBufferPointer(rebasing: all[split.body]))
        }
        var work = Work(annotator: self, document: document, frontMatter: frontMatter,
                        path: source.path, bodyLine: split.bodyLine)
        let article = work.run(title: title, slug: frontMatter.slug ?? defaultSlug)
        diagnostics += work.diagnostics
        return (article, diagnostics)
    }
}

/// The state of annotating one article.
struct Work {
    let annotator: Annotator
    let document: MarkdownDocument
    let frontMatter: FrontMatter
    let path: String
    let bodyLine: Int
    var ids = IDAllocator(reserved: Annotator.reservedIDs)
    var headings: [(node: MarkdownNode, info: HeadingInfo)] = []
    var takeaways: [Takeaway] = []
    /// The boxes made for takeaways: their text summarizes, so it is not read for events.
    var takeawayBoxes = Set<MarkdownNode>()
    var calloutCount = 0
    var diagnostics: [Diagnostic] = []

    init(annotator: Annotator, document: MarkdownDocument, frontMatter: FrontMatter, path: String, bodyLine: Int) {
        self.annotator = annotator
        self.document = document
        self.frontMatter = frontMatter
        self.path = path
        self.bodyLine = bodyLine
    }

    var theme: Theme { annotator.theme }

    mutating func run(title: String, slug: String) -> Article {
        let root = document.root
        collectHeadings(root)
        transformAlerts(root)
        transformTakeawaySections()
        appendFrontMatterTakeaways()
        let prose = proseBlocks(root)
        let (words, firstParagraph) = countWords(prose)
        var anchors: [Int: String] = [:]
        let extracted = extractTimeline(prose, anchors: &anchors)
        let timeline = Timeline.merge(extracted, manual: frontMatter.timeline, headings: headings.map(\.info), sortKeys: sortKeys)
        // Automatic takeaways when the author wrote none (AutoTakeaways.swift).
        if takeaways.isEmpty, frontMatter.takeaways != .off, annotator.settings.autoTakeaways {
            addAutoTakeaways(prose, anchors: &anchors)
        }
        let keyTerms = KeyTerms.of(title: title, utf8: prose.filter(\.tellsEvents).map(\.prose.bytes))
        renderParagraphIDs(prose, anchors)
        renderHeadingIDs()
        let summary = frontMatter.summary?.trimmingWhitespace ?? Clause.trim(firstParagraph, maxWords: 40)
        return Article(
            path: path, slug: slug, frontMatter: frontMatter, title: title, summary: summary,
            headings: headings.map(\.info), wordCount: words, readingMinutes: max(1, (words + 229) / 230),
            timeline: timeline, takeaways: takeaways, calloutCount: calloutCount, keyTerms: keyTerms,
            bodyBytes: document.renderHTMLBytes())
    }

    // MARK: Headings

    mutating func collectHeadings(_ root: MarkdownNode) {
        root.walk { node, event in
            guard event == .enter else { return .continue }
            switch node.kind {
            case .heading:
                let text = node.plainText().trimmingWhitespace
                // As `ids.make(from: text)`, keeping the slug for classifyHeadings.
                let slug = Slug.make(text)
                let id = ids.claim(slug.isEmpty ? "section" : slug)
                headings.append((node, HeadingInfo(level: node.headingLevel, id: id, text: text)))
                headingSlugs.append(slug)
                return .skipChildren
            case .paragraph, .codeBlock, .htmlBlock: return .skipChildren
            default: return .continue
            }
        }
    }

    /// Gives every heading its id: `<h2 id="...">`, as a cmark custom block
    /// holding the heading's inline content.
    func renderHeadingIDs() {
        for (node, info) in headings where node.parent != nil {
            let level = info.level
            let block = document.makeCustomBlock(onEnter: "<h\(level) id=\"\(HTML.escape(info.id))\">",
                                                 onExit: "</h\(level)>")
            node.moveChildren(to: block)
            node.replace(with: block)
        }
    }

    // MARK: Callouts and takeaway boxes

    static let alertKinds: [String: String] = [
        "NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning", "CAUTION": "Caution",
        "TAKEAWAY": "Key takeaway",
    ]

    /// `> [!NOTE]` blockquotes become callout boxes; `> [!TAKEAWAY]` a takeaway box.
    mutating func transformAlerts(_ root: MarkdownNode) {
        var quotes: [MarkdownNode] = []
        root.walk { node, event in
            guard event == .enter else { return .continue }
            if node.kind == .blockQuote { quotes.append(node) }
            return node.kind.isBlock ? .continue : .skipChildren
        }
        for quote in quotes {
            guard let (kind, customLabel) = alertMarker(quote) else { continue }
            let label = customLabel ?? Self.alertKinds[kind]!
            let box: MarkdownNode
            if kind == "TAKEAWAY" {
                let text = quote.plainText().trimmingWhitespace
                box = takeawayBox(text: text, source: .alert, label: customLabel)
            } else {
                calloutCount += 1
                let id = ids.claim(kind.lowercased())
                let (before, after) = theme["parts/callout.html"].render([
                    "id": .text(id), "label_id": .text("\(id)-label"), "label": .text(label),
                    "kind": .text(kind.lowercased()),
                ], splitAt: "content")
                box = document.makeCustomBlock(onEnter: before.raw, onExit: after.raw)
            }
            quote.moveChildren(to: box)
            quote.replace(with: box)
        }
    }

    /// Reads and removes the `[!KIND]` marker that starts a blockquote, with
    /// the optional title after it on the same line.
    func alertMarker(_ quote: MarkdownNode) -> (String, String?)? {
        guard let para = quote.firstChild, para.kind == .paragraph,
              let first = para.firstChild, first.kind == .text, let literal = first.literal,
              literal.hasPrefix("[!"), let close = literal.firstIndex(of: "]") else { return nil }
        let kind = literal[literal.index(literal.startIndex, offsetBy: 2)..<close].uppercased()
        guard Self.alertKinds[kind] != nil else { return nil }
        // The rest of the marker's line may be a custom title.
        var title = String(literal[literal.index(after: close)...])
        var node = first.next
        while let n = node, n.kind != .softBreak, n.kind != .lineBreak {
            title += n.plainText()
            let following = n.next
            n.unlink()
            node = following
        }
        if let br = node { br.unlink() }
        first.unlink()
        if para.firstChild == nil { para.unlink() }
        let trimmed = title.trimmingWhitespace
        return (kind, trimmed.isEmpty ? nil : trimmed)
    }

    /// A takeaway box (a custom block from parts/takeaway.html); records the takeaway.
    mutating func takeawayBox(text: String, source: Takeaway.Source, label: String? = nil) -> MarkdownNode {
        let number = takeaways.count + 1
        let id = ids.claim("takeaway-\(number)")
        takeaways.append(Takeaway(text: text, source: source, anchor: id))
        let (before, after) = theme["parts/takeaway.html"].render([
            "id": .text(id), "label_id": .text("\(id)-label"), "label": .text(label ?? "Key takeaway"),
            "number": .text(String(number)), "source": .text(source.rawValue),
        ], splitAt: "content")
        let box = document.makeCustomBlock(onEnter: before.raw, onExit: after.raw)
        takeawayBoxes.insert(box)
        return box
    }

    // MARK: Takeaway sections

    /// Heading words that mark a takeaways section.
    static let takeawayHeadingPhrases = ["takeaway", "bottom line", "what we learned", "what we ve learned",
                                         "what we have learned", "tl dr", "tldr", "key points", "key lessons",
                                         "lessons learned"]

    static func isTakeawayHeading(_ text: String) -> Bool {
        isTakeawayHeading(slug: Slug.make(text))
    }

    static let takeawayHeadingNeedles: [[UInt8]] = takeawayHeadingPhrases.map { Array((" " + $0).utf8) }

    /// `isTakeawayHeading` given the heading's slug: whether " " + a phrase
    /// occurs in " " + the slug's words + " " (a byte search: both are ASCII
    /// or whole scalars).
    static func isTakeawayHeading(slug: String) -> Bool {
        isTakeawayHeading(spaced: spacedWords(slug: slug))
    }

    /// " " + the slug's words + " ": its hyphens made spaces.
    static func spacedWords(slug: String) -> [UInt8] {
        var spaced: [UInt8] = [0x20]
        spaced.reserveCapacity(slug.utf8.count + 2)
        for b in slug.utf8 { spaced.append(b == 0x2D ? 0x20 : b) }
        spaced.append(0x20)
        return spaced
    }

    static func isTakeawayHeading(spaced: [UInt8]) -> Bool {
        takeawayHeadingNeedles.contains { Timeline.contains(spaced, $0) }
    }

    /// For each heading: whether it heads a takeaways section, and its words
    /// (the slug with spaces), computed once.
    var headingKinds: [(isTakeaway: Bool, words: String)] = []

    /// `Slug.make` of each heading's text, as collectHeadings made them (for
    /// the headings it found; others are slugged here).
    var headingSlugs: [String] = []

    mutating func classifyHeadings() {
        headingKinds = headings.enumerated().map { k, h in
            let spaced = Self.spacedWords(slug: k < headingSlugs.count ? headingSlugs[k] : Slug.make(h.info.text))
            // The words: `spaced` without its two spaces, the slug with hyphens made spaces.
            return (Self.isTakeawayHeading(spaced: spaced), String(decoding: spaced[1..<(spaced.count - 1)], as: UTF8.self))
        }
    }

    mutating func transformTakeawaySections() {
        classifyHeadings()
        for (k, (heading, info)) in headings.enumerated() where headingKinds[k].isTakeaway {
            var blocks: [MarkdownNode] = []
            var node = heading.next
            while let n = node {
                if n.kind == .heading, n.headingLevel <= info.level { break }
                blocks.append(n)
                node = n.next
            }
            let lists = blocks.filter { $0.kind == .list }
            if !lists.isEmpty {
                for list in lists { listTakeaways(list) }
            } else {
                for para in blocks where para.kind == .paragraph {
                    ordinalTakeaways(para)
                }
            }
        }
    }

    /// Each item of a list in a takeaways section becomes a takeaway box.
    mutating func listTakeaways(_ list: MarkdownNode) {
        for item in list.children {
            let text = item.plainText().trimmingWhitespace
            guard !text.isEmpty else { continue }
            let box = takeawayBox(text: text, source: .section)
            item.moveChildren(to: box)
            list.insertBefore(box)
        }
        list.unlink()
    }

    static let ordinals = ["first", "firstly", "first of all", "second", "secondly", "third", "thirdly",
                           "fourth", "fourthly", "fifth", "fifthly", "sixth", "seventh", "eighth", "ninth", "tenth",
                           "finally", "lastly", "last but not least"]
    /// Sentences that wrap up a list of points rather than continue the last one.
    static let wrapUps = ["moving forward", "looking ahead", "going forward", "in conclusion", "overall", "in short",
                          "in sum", "to sum up", "all in all", "taken together", "ultimately", "in the end",
                          "for now", "looking back"]

    static func leadingPhrase(_ sentence: String, in phrases: [String]) -> String? {
        // Phrases are ASCII: lowercasing the sentence's head is enough (see Clause.lowercasedHead).
        let lower = Clause.lowercasedHead(sentence, bytes: 24)
        return phrases.filter { lower.hasPrefix($0 + ",") }.max { $0.count < $1.count }
    }

    /// "First, ... Second, ..." in a takeaways paragraph: each ordinal passage
    /// becomes a box; what comes before and after stays a paragraph.
    mutating func ordinalTakeaways(_ para: MarkdownNode) {
        let prose = ProseText(block: para)
        let sentences = Sentences.split(prose.bytes)
        var starts: [(offset: Int, ordinal: String?, sentence: Range<Int>)] = []
        for s in sentences {
            let text = prose.text(s)
            if let ord = Self.leadingPhrase(text, in: Self.ordinals) {
                starts.append((s.lowerBound, ord, s))
            } else if !starts.isEmpty, Self.leadingPhrase(text, in: Self.wrapUps) != nil {
                starts.append((s.lowerBound, nil, s))
            }
        }
        guard let firstOrdinal = starts.first?.ordinal, firstOrdinal.hasPrefix("first"),
              starts.filter({ $0.ordinal != nil }).count >= 2 else { return }
        // Cut the paragraph at each passage start, keeping only cuts that fall
        // between top-level inlines or inside a plain text node.
        var cuts: [Int] = []
        for s in starts where s.offset > 0 {
            if splitText(of: para, prose: ProseText(block: para), at: s.offset) { cuts.append(s.offset) }
        }
        let groups = regroup(para, prose: ProseText(block: para), cuts: cuts)
        // groups[k] starts at 0 or cuts[k-1].
        let groupStarts = [0] + cuts
        for (k, group) in groups.enumerated() {
            guard let entry = starts.first(where: { $0.offset == groupStarts[k] }), let ordinal = entry.ordinal else { continue }
            var text = prose.text(entry.sentence)
            text = String(text.dropFirst(ordinal.count + 1)).trimmingWhitespace
            if let f = text.first { text = f.uppercased() + text.dropFirst() }
            let box = takeawayBox(text: text, source: .section)
            group.insertBefore(box)
            group.unlink()
            box.append(group)
        }
    }

    /// Splits the text node that spans `offset` (a prose offset of `para`) so
    /// that a new top-level inline starts there. False when the offset is inside
    /// emphasis or a link, where the paragraph cannot be cut cleanly.
    func splitText(of para: MarkdownNode, prose: ProseText, at offset: Int) -> Bool {
        for (node, range) in prose.pieces {
            if range.lowerBound == offset { return true }
            guard range.contains(offset) else { continue }
            guard node.kind == .text else { return false }
            var cut = false
            node.withLiteralBytes { bytes in
                let k = offset - range.lowerBound
                guard k > 0, k < bytes.count else { return }
                let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<k]), as: UTF8.self)
                let tail = String(decoding: UnsafeBufferPointer(rebasing: bytes[k...]), as: UTF8.self)
                let rest = document.makeNode(.text, literal: tail)
                node.setLiteral(head)
                node.insertAfter(rest)
                cut = true
            }
            return cut
        }
        return false
    }

    /// Moves the paragraph's inlines into one new paragraph per group (cut at
    /// `cuts`), put where the paragraph was. Returns the new paragraphs.
    func regroup(_ para: MarkdownNode, prose: ProseText, cuts: [Int]) -> [MarkdownNode] {
        var groups: [MarkdownNode] = []
        var current = document.makeNode(.paragraph)
        var nextCut = 0
        for (node, range) in prose.pieces {
            if nextCut < cuts.count, range.lowerBound >= cuts[nextCut] {
                groups.append(current)
                current = document.makeNode(.paragraph)
                nextCut += 1
            }
            node.unlink()
            current.append(node)
        }
        groups.append(current)
        for g in groups {
            trimEdges(g)
            para.insertBefore(g)
        }
        para.unlink()
        return groups.filter { $0.firstChild != nil }
    }

    /// Removes white space and line breaks at the start and end of a paragraph.
    func trimEdges(_ para: MarkdownNode) {
        while let f = para.firstChild, f.kind == .softBreak || f.kind == .lineBreak { f.unlink() }
        while let l = para.lastChild, l.kind == .softBreak || l.kind == .lineBreak { l.unlink() }
        // (Only spaces are dropped, one byte each: comparing UTF-8 counts
        // says whether any were, without counting Characters.)
        if let f = para.firstChild, f.kind == .text, let s = f.literal {
            let t = String(s.drop { $0 == " " })
            if t.isEmpty { f.unlink() } else if t.utf8.count != s.utf8.count { f.setLiteral(t) }
        }
        if let l = para.lastChild, l.kind == .text, let s = l.literal {
            var t = s
            while t.last == " " { t.removeLast() }
            if t.isEmpty { l.unlink() } else if t.utf8.count != s.utf8.count { l.setLiteral(t) }
        }
        if para.firstChild == nil { para.unlink() }
    }

    /// Front matter `takeaways`: boxes in a "Key takeaways" section at the end.
    mutating func appendFrontMatterTakeaways() {
        guard case .list(let items) = frontMatter.takeaways, !items.isEmpty else { return }
        let heading = document.makeNode(.heading)
        heading.setHeadingLevel(2)
        heading.append(document.makeNode(.text, literal: "Key takeaways"))
        document.root.append(heading)
        let id = ids.make(from: "Key takeaways")
        headings.append((heading, HeadingInfo(level: 2, id: id, text: "Key takeaways")))
        for text in items {
            let box = takeawayBox(text: text, source: .frontMatter)
            let para = document.makeNode(.paragraph)
            para.append(document.makeNode(.text, literal: text))
            box.append(para)
            document.root.append(box)
        }
    }

    // MARK: Prose blocks, words, timeline

    struct ProseBlock {
        var node: MarkdownNode
        var prose: ProseText
        /// Index into `headings` of the section the block is in (nil before the first heading).
        var section: Int?
        var isHeading: Bool
        /// False for text that restates or cites rather than tells: takeaways,
        /// and sections of sources and further reading.
        var tellsEvents: Bool
    }

    /// Headings of sections that list sources rather than tell what happened.
    static let sourceSectionWords: Set<String> = ["further reading", "sources", "references", "see also", "notes",
                                                  "bibliography", "reading list", "read more", "footnotes", "credits"]

    /// Paragraphs and headings in document order, with their text.
    func proseBlocks(_ root: MarkdownNode) -> [ProseBlock] {
        var out: [ProseBlock] = []
        var section: Int?
        var sectionTells = true
        var insideBoxes = 0
        let headingIndex = Dictionary(uniqueKeysWithValues: headings.enumerated().map { ($0.element.node, $0.offset) })
        root.walk { node, event in
            if node.kind == .customBlock, takeawayBoxes.contains(node) {
                insideBoxes += event == .enter ? 1 : -1
                return .continue
            }
            guard event == .enter else { return .continue }
            switch node.kind {
            case .heading:
                section = headingIndex[node]
                if let section {
                    let info = headings[section].info
                    if info.level <= 2 || !sectionTells {
                        let kind: (isTakeaway: Bool, words: String) = section < headingKinds.count ? headingKinds[section]
                            : (Self.isTakeawayHeading(info.text), Slug.make(info.text).replacingAll("-", with: " "))
                        sectionTells = !Self.sourceSectionWords.contains(kind.words) && !kind.isTakeaway
                    }
                }
                out.append(ProseBlock(node: node, prose: ProseText(block: node), section: section, isHeading: true, tellsEvents: sectionTells))
                return .skipChildren
            case .paragraph:
                out.append(ProseBlock(node: node, prose: ProseText(block: node), section: section, isHeading: false,
                                      tellsEvents: sectionTells && insideBoxes == 0))
                return .skipChildren
            case .codeBlock, .htmlBlock: return .skipChildren
            default: return .continue
            }
        }
        return out
    }

    func countWords(_ blocks: [ProseBlock]) -> (Int, String) {
        var words = 0
        var first = ""
        for b in blocks {
            words += Clause.wordCount(b.prose.bytes, 0..<b.prose.bytes.count)
            if first.isEmpty, !b.isHeading, b.node.parent?.kind == .document { first = b.prose.string.trimmingWhitespace }
        }
        return (words, first)
    }

    /// Tags the prose block by block and turns anchored dates into events.
    /// `anchors` receives the ids given to the blocks that events link to.
    mutating func extractTimeline(_ blocks: [ProseBlock], anchors: inout [Int: String]) -> [TimelineEvent] {
        var tagger = TemporalTagger(referenceDate: frontMatter.date, genre: frontMatter.genre ?? annotator.settings.genre)
        var events: [TimelineEvent] = []
        var eventsByKey: [String: [Int]] = [:]
        // The words around each event, computed only when a later mention of
        // the same coarse date needs comparing with it.
        var contexts: [Set<String>?] = []
        var contextSources: [(span: Range<Int>, sentence: Range<Int>, bytes: [UInt8])] = []
        func context(_ k: Int) -> Set<String> {
            if let known = contexts[k] { return known }
            let c = Timeline.contextWords(contextSources[k].bytes, around: contextSources[k].span, within: contextSources[k].sentence)
            contexts[k] = c
            return c
        }
        var titledSections = Set<Int>()
        var order = 0
        // Paragraphs so far in each section, by section + 1 (0: before the first heading).
        var paragraphsInSection = [Int](repeating: 0, count: headings.count + 1)
        // A date worked out from context ("two weeks later", "on 19 August") is an
        // event only when the paragraph has stated its year before it, or an
        // earlier item of the same list has: narratives jump, and a far anchor
        // misleads.
        var listYears: [MarkdownNode: Set<Int>] = [:]
        for (index, block) in blocks.enumerated() {
            let bytes = block.prose.bytes
            if !block.isHeading { paragraphsInSection[block.section.map { $0 + 1 } ?? 0] += 1 }
            guard !bytes.isEmpty else { continue }
            let taggerStart = annotator.settings.taggerClock != nil ? CPUTimeCounter.threadTime() : 0
            let found = block.prose.prose.withUnsafeBufferPointer { tagger.tag($0) }
            annotator.settings.taggerClock?.add(since: taggerStart)
            // Told as news, the article's own date anchors the days it names
            // from it ("on Tuesday", "yesterday").
            let written = tagger.genre == .news ? frontMatter.date.map { Cal.days($0.year, $0.month, $0.day) } : nil
            let list = block.node.parent.flatMap { $0.kind == .item ? $0.parent : nil }
            let earlierItems = list.flatMap { listYears[$0] } ?? []
            if let list {
                var years: [Int] = []
                for e in found where e.isExplicit { if let y = TimexDate(e.value)?.year { years.append(y) } }
                listYears[list, default: []].formUnion(years)
            }
            // Headings and summaries set the tagger's context; events come from telling prose.
            if block.isHeading || !block.tellsEvents { continue }
            var consumedAsEnd = Set<Int>()
            var sentences: [Range<Int>]?
            var sentenceCursor = 0
            // Where each year is first stated outright in this block (found is in text
            // order): a block states a handful, looked up in a list.
            var firstStated: [(year: Int, at: Int)] = []
            for (k, e) in found.enumerated() where e.isExplicit {
                if let y = TimexDate(e.value)?.year, !firstStated.contains(where: { $0.year == y }) { firstStated.append((y, k)) }
            }
            for (k, e) in found.enumerated() where !consumedAsEnd.contains(k) {
                guard e.type == .date || e.type == .time, let date = TimexDate(e.value), date.precision >= .year else { continue }
                // Whether the date at `k` (this one, or the second end of its range) is
                // anchored: its year stated, or the article's date anchoring its day.
                func anchored(_ k: Int, _ e: TemporalExpression, _ date: TimexDate) -> Bool {
                    if e.isExplicit || e.inStory || earlierItems.contains(date.year) || (firstStated.first { $0.year == date.year }?.at ?? k) < k {
                        return true
                    }
                    // Worked out from a date the same sentence states just before it ("joined the
                    // ANC in 1943 and co-founded its Youth League the following year").
                    if k > 0, found[k - 1].isExplicit, found[k - 1].type == .date || found[k - 1].type == .time {
                        if sentences == nil { sentences = Sentences.split(bytes) }
                        if sentences!.contains(where: { $0.contains(found[k - 1].start) && $0.contains(e.start) }) { return true }
                    }
                    // Looked at only for a date nothing else anchors.
                    guard let w = written else { return false }
                    guard date.precision >= .day, let m = date.month, let d = date.day else {
                        // A period named from the day of writing ("last year", "this month"), or a
                        // month alone ("another strike in July") in a paragraph that has stated no
                        // year before it, within half a year of the article's date.
                        let words = Timeline.dayWords(bytes, e.start..<e.end)
                        if words.fromWriting { return true }
                        guard words.monthAlone, let m = date.month, !firstStated.contains(where: { $0.at < k }) else { return false }
                        return abs(Cal.days(date.year, m, 15) - w) <= 183
                    }
                    let distance = abs(Cal.days(date.year, m, d) - w)
                    guard distance <= 183 else { return false }
                    let words = Timeline.dayWords(bytes, e.start..<e.end)
                    if distance <= 7, words.fromWriting { return true }
                    // "On 20 September", with no year stated before it in the paragraph: the
                    // article's own year, as the tagger read it.
                    return words.dayOfMonth && !firstStated.contains { $0.at < k }
                }
                // The first end of a range is anchored by its second ("between April and
                // June 1948", "between 20 and 23 December" in the news).
                guard anchored(k, e, date) || e.rangeEnd.map({ r in
                    r < found.count && TimexDate(found[r].value).map { anchored(r, found[r], $0) } ?? false
                }) ?? false else { continue }
                // "46% below 1990 levels", "in 2010 dollars": a baseline to measure by, not an event.
                if date.precision == .year, Timeline.isBaseline(bytes, e.start..<e.end) { continue }
                // "at their highest since early 2008": the record's starting point, not an event.
                if Timeline.isRecordSince(bytes, e.start..<e.end) { continue }
                var endValue: String?
                var display = Timeline.display(date, mod: e.mod)
                // "the winter of 1946–47" reads as it was written, not as the year that names it
                if date.part == "WI", date.precision == .season, date.year > 1, Timeline.namesTwoYears(bytes, e.start..<e.end) {
                    display = "Winter \(date.year - 1)–" + String(String(date.year).suffix(2))
                }
                var span = e.start..<e.end
                // (A range that ends before it starts is two dates, each its own event.)
                if let r = e.rangeEnd, r < found.count, let end = TimexDate(found[r].value), end.precision >= .year, date.sortKey <= end.sortKey {
                    consumedAsEnd.insert(r)
                    endValue = found[r].value
                    display = date.rangeDisplay(to: end)
                    span = e.start..<found[r].end
                }
                if sentences == nil { sentences = Sentences.split(bytes) }
                while sentenceCursor < sentences!.count, sentences![sentenceCursor].upperBound <= span.lowerBound { sentenceCursor += 1 }
                let at: Int? = sentenceCursor < sentences!.count && sentences![sentenceCursor].contains(span.lowerBound) ? sentenceCursor : nil
                var sentence = Clause.window(at.map { sentences![$0] } ?? 0..<bytes.count, around: span, in: bytes)
                // The other dates of the sentence: neighbours in text order.
                var inSentence: [TemporalExpression] = []
                var j = k - 1
                while j >= 0, found[j].start >= sentence.lowerBound { inSentence.append(found[j]); j -= 1 }
                j = k + 1
                while j < found.count, found[j].start < sentence.upperBound { inSentence.append(found[j]); j += 1 }
                inSentence.removeAll { !($0.type == .date || $0.type == .time) }
                // "Twenty-four years later, on June 12, 1987": the finer date of the
                // same sentence says it better.
                if inSentence.contains(where: { Timeline.isFiner($0.value, than: e.value) }) { continue }
                // A date that is its own short sentence ("Launch, July 16, 1969.")
                // reads with the sentence that follows.
                if let at, at + 1 < sentences!.count, Clause.wordCount(bytes, sentence) < 6 {
                    sentence = Clause.window(sentence.lowerBound..<sentences![at + 1].upperBound, around: span, in: bytes)
                }
                // The same event mentioned again is listed once: one entry per
                // day, and for coarser dates when the words around them agree
                // (compared with the latest few mentions of the value, so that a
                // text repeating one date endlessly stays linear).
                let day = date.precision >= .day ? String(e.value.prefix(10)) : nil
                let key = (day ?? e.value) + "|" + (endValue ?? "")
                if let earlier = eventsByKey[key] {
                    if day != nil { continue }
                    let mine = Timeline.contextWords(bytes, around: span, within: sentence)
                    if earlier.suffix(32).contains(where: { Timeline.sameEvent(context($0), mine) }) { continue }
                    contexts.append(mine)
                } else {
                    contexts.append(nil)
                }
                contextSources.append((span, sentence, bytes))
                eventsByKey[key, default: []].append(events.count)
                let text = Clause.around(span, in: sentence, of: bytes, others: inSentence.map { $0.start..<$0.end })
                var title: String?
                if let section = block.section, !titledSections.contains(section),
                   Timeline.headingNames(headingWords: headingWords(section), text) {
                    title = headings[section].info.text
                    titledSections.insert(section)
                }
                let anchor: String
                if let a = anchors[index] { anchor = a } else {
                    let prefix = block.section.map { headings[$0].info.id } ?? "intro"
                    anchor = ids.claim("\(prefix)-\(max(1, paragraphsInSection[block.section.map { $0 + 1 } ?? 0]))")
                    anchors[index] = anchor
                }
                order += 1
                sortKeys[e.value] = date.sortKey
                events.append(TimelineEvent(
                    value: e.value, endValue: endValue, display: display, text: text,
                    title: title, anchor: anchor, source: .text, order: order))
            }
        }
        return events
    }

    /// Sort keys of the timeline's values, from the dates parsed while extracting.
    var sortKeys: [String: Int] = [:]

    /// `Timeline.headingWords` of each heading, computed when first needed.
    var headingWordsCache: [Int: [String]] = [:]

    mutating func headingWords(_ section: Int) -> [String] {
        if let words = headingWordsCache[section] { return words }
        let words = Timeline.headingWords(headings[section].info.text)
        headingWordsCache[section] = words
        return words
    }

    /// Gives ids to the paragraphs that timeline events link to.
    func renderParagraphIDs(_ blocks: [ProseBlock], _ anchors: [Int: String]) {
        for (index, id) in anchors.sorted(by: { $0.key < $1.key }) {
            let node = blocks[index].node
            guard node.kind == .paragraph, node.parent != nil else { continue }
            let block = document.makeCustomBlock(onEnter: "<p id=\"\(HTML.escape(id))\">", onExit: "</p>")
            node.moveChildren(to: block)
            node.replace(with: block)
        }
    }
}
