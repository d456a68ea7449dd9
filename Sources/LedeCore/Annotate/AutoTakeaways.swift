/// Automatic takeaways: when an article has no takeaways of its own, lede picks
/// two to four of its sentences that best summarize it. Extractive and
/// deterministic, with no model to download:
///
/// - a **position prior**: explainers and news put the essentials first, so a
///   sentence's weight falls off with its place in the article, 1 / (1 + i/h);
/// - **centrality**: how much a sentence shares with all the others (the degree
///   of LexRank's continuous similarity graph over TF-IDF sentence vectors), so
///   that among the early sentences, those about what the article is about win;
/// - **quality**: fragments (under five words), questions, editor's notes and
///   link lines ("Watch the video »") make poor takeaways;
/// - a **redundancy filter**: a sentence too similar to one already picked is
///   skipped (cosine above 0.5).
///
/// The picked sentences are shown in document order, lightly tidied: a news
/// dateline ("WASHINGTON (CNN) --"), short asides in brackets or between dashes
/// and a trailing attribution ("..., officials said Tuesday.") are left out.
public enum AutoTakeaways {
    /// How steeply the position prior falls: the weight of sentence i is 1 / (1 + i/h).
    static let positionHalfLife = 1.0
    /// Sentences more similar than this to a picked one are skipped.
    static let redundancy = 0.5
    /// Only the first sentences take part (centrality is quadratic).
    static let maxSentences = 400
    /// Articles shorter than this get no automatic takeaways: they are their own summary.
    static let minSentences = 3
    static let minWords = 50

    /// Indices of the sentences picked as takeaways, in document order; empty
    /// when the text is too short to need a summary. `paragraphs` gives the
    /// paragraph of each sentence: at most two come from one paragraph, so
    /// that an explainer's summary is not just its first paragraph again.
    public static func pick(_ sentences: [String], paragraphs: [Int]? = nil) -> [Int] {
        let all = sentences.prefix(maxSentences)
        let wordCounts = all.map { wordCount($0) }
        guard all.count >= minSentences, wordCounts.reduce(0, +) >= minWords else { return [] }
        let vectors = TermVector.tfidf(all.map { Terms.of($0) })
        let n = vectors.count
        // Degree centrality: summed similarity to every other sentence.
        var similarity = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        var degree = Array(repeating: 0.0, count: n)
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let s = vectors[i].cosine(vectors[j])
                similarity[i][j] = s
                similarity[j][i] = s
                degree[i] += s
                degree[j] += s
            }
        }
        let top = degree.max() ?? 0
        var score = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let centrality = top > 0 ? degree[i] / top : 0
            let prior = 1 / (1 + Double(i) / positionHalfLife)
            score[i] = prior * quality(all[all.startIndex + i], words: wordCounts[i]) * (1 + centrality)
        }
        // Three, and never the whole text.
        let wanted = min(3, n - 1)
        var chosen: [Int] = []
        for i in (0..<n).sorted(by: { (score[$0], -$0) > (score[$1], -$1) }) {
            guard chosen.count < wanted, score[i] > 0 else { break }
            if chosen.contains(where: { similarity[i][$0] > redundancy }) { continue }
            if let p = paragraphs, chosen.filter({ p[$0] == p[i] }).count >= 2 { continue }
            chosen.append(i)
        }
        guard chosen.count >= 2 else { return [] }
        return chosen.sorted()
    }

    /// How good a sentence is as a takeaway on its own, from 0 to 1.
    static func quality(_ sentence: String, words: Int) -> Double {
        if words < 5 { return 0 }
        let bytes = Array(sentence.utf8)
        // An editor's note is about the article, not its subject.
        if bytes.count > 13, String(decoding: bytes.prefix(16), as: UTF8.self).lowercased().replacingAll("’", with: "'")
            .hasPrefix("editor's note") { return 0 }
        // Links to elsewhere ("Watch the video »", "Read more ›"): » is C2 BB, › is E2 80 BA.
        for i in bytes.indices.dropLast() where (bytes[i] == 0xC2 && bytes[i + 1] == 0xBB)
            || (bytes[i] == 0x80 && bytes[i + 1] == 0xBA && i > 0 && bytes[i - 1] == 0xE2) { return 0 }
        // A question, before any closing quotes or brackets.
        var end = bytes.count
        while end > 0, [0x22, 0x27, 0x29, 0x5D].contains(bytes[end - 1]) || (end >= 3 && bytes[end - 3] == 0xE2 && bytes[end - 2] == 0x80
                                                                             && (bytes[end - 1] == 0x9D || bytes[end - 1] == 0x99)) {
            end -= bytes[end - 1] < 0x80 ? 1 : 3
        }
        if end > 0, bytes[end - 1] == 0x3F { return 0.3 }
        // Addressing the reader ("If you've been following the news ...") is a
        // hook, not a finding; inside a quotation it is someone speaking.
        let quoted = bytes.first == 0x22 || bytes.first == 0x27 || bytes.starts(with: [0xE2, 0x80, 0x9C]) || bytes.starts(with: [0xE2, 0x80, 0x98])
        if !quoted, containsWord(bytes, "you") || containsWord(bytes, "your") { return 0.5 }
        return 1
    }

    /// Whether the ASCII word occurs, case-insensitively, between non-letters.
    static func containsWord(_ bytes: [UInt8], _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count >= w.count else { return false }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x80 }
        for i in 0...(bytes.count - w.count) {
            guard i == 0 || !isLetter(bytes[i - 1]) else { continue }
            var k = 0
            while k < w.count, bytes[i + k] | 0x20 == w[k] { k += 1 }
            if k == w.count, i + k == bytes.count || !isLetter(bytes[i + k]) { return true }
        }
        return false
    }

    static func wordCount(_ s: String) -> Int {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count
    }

    // MARK: Tidying

    /// The sentence as its takeaway shows it. `first` says whether it opens the
    /// article (where a news dateline may stand).
    public static func tidy(_ sentence: String, first: Bool) -> String {
        var s = sentence.trimmingWhitespace
        if first { s = droppingDateline(s) }
        s = droppingBracketedAsides(s)
        s = droppingDashAsides(s)
        s = droppingTrailingAttribution(s)
        if let f = s.first, f.isLowercase { s = f.uppercased() + s.dropFirst() }
        return s.isEmpty ? sentence.trimmingWhitespace : s
    }

    /// "WASHINGTON (CNN) -- Text", "LONDON, England (Reuters) -- Text",
    /// "(CNN)Text": a place in capitals or a short place name, then a news
    /// agency in brackets, then an optional dash.
    static func droppingDateline(_ s: String) -> String {
        guard let open = s.firstIndex(of: "("), let close = s[open...].firstIndex(of: ")") else { return s }
        let place = s[..<open]
        let agency = s[s.index(after: open)..<close]
        guard (1...15).contains(agency.count), agency.first?.isUppercase == true,
              agency.allSatisfy({ $0.isLetter || $0 == "." || $0 == " " || $0 == "-" }) else { return s }
        let placeWords = place.split(separator: " ")
        guard placeWords.count <= 5,
              placeWords.allSatisfy({ $0.first?.isUppercase == true || $0.allSatisfy { !$0.isLetter } }) else { return s }
        var rest = s[s.index(after: close)...].drop { $0 == " " }
        for dash in ["--", "—", "–", "-"] where rest.hasPrefix(dash) {
            rest = rest.dropFirst(dash.count).drop { $0 == " " }
            break
        }
        guard let f = rest.first, f.isUppercase || f == "\"" || f == "“" || f.isNumber, wordCount(String(rest)) >= 5 else { return s }
        return String(rest)
    }

    /// " (about $41 million)", " [half an inch]": short asides in brackets.
    static func droppingBracketedAsides(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "(" || c == "[", let close = s[i...].firstIndex(of: c == "(" ? ")" : "]") {
                let inner = s[s.index(after: i)..<close]
                if wordCount(String(inner)) <= 12, !inner.contains("(") && !inner.contains("["),
                   i > s.startIndex, close < s.index(before: s.endIndex) {
                    while out.last == " " { out.removeLast() }
                    i = s.index(after: close)
                    // Keep words apart: "France (CNN)The" → "France The".
                    if i < s.endIndex, s[i].isLetter || s[i].isNumber { out.append(" ") }
                    continue
                }
            }
            out.append(c)
            i = s.index(after: i)
        }
        return wordCount(out) >= 5 ? out : s
    }

    /// " -- a friendly mix now named Theia -- " and a trailing " -- timing that
    /// showed ...": asides between dashes, or after a last one.
    static func droppingDashAsides(_ s: String) -> String {
        var text = s
        for dash in [" -- ", " — ", " – "] {
            var parts = text.components(separatedBy: dash)
            guard parts.count > 1 else { continue }
            func plain(_ p: String) -> Bool { !p.contains { "\"“”".contains($0) } }
            var result = parts.removeFirst()
            while parts.count >= 2 {
                let aside = parts.removeFirst(), after = parts.removeFirst()
                if plain(aside), wordCount(aside) <= 20 {
                    result += " " + after
                } else {
                    result += dash + aside + dash + after
                }
            }
            if let last = parts.first {
                if plain(last), wordCount(result) >= 8, let stop = last.last, ".!".contains(stop) {
                    result += String(stop)
                } else {
                    result += dash + last
                }
            }
            text = result
        }
        return text
    }

    /// Verbs that attribute a statement to its source.
    static let attributionVerbs: Set<String> = [
        "said", "says", "told", "added", "reported", "reports", "wrote", "writes", "explained", "noted", "stated",
        "announced", "confirmed", "insisted", "argued", "warned", "acknowledged",
    ]

    /// "..., a White House spokesman said Saturday." → "...." when what stays
    /// reads on its own (no quotation left open).
    static func droppingTrailingAttribution(_ s: String) -> String {
        guard let comma = s.lastIndex(of: ","), let stop = s.last, ".!".contains(stop) else { return s }
        let tail = s[s.index(after: comma)..<s.index(before: s.endIndex)]
        let head = s[..<comma]
        // Only where the head reads on its own: quotations closed, none in the tail.
        let quotes = head.filter { $0 == "\"" }.count
        guard quotes % 2 == 0, !head.contains(",\""), !head.contains(",”"), head.filter({ $0 == "“" }).count == head.filter({ $0 == "”" }).count,
              !tail.contains(where: { "\"“”".contains($0) }) else { return s }
        let words = tail.split(separator: " ").map { $0.lowercased() }
        guard (2...10).contains(words.count) else { return s }
        let isAttribution = words.contains { attributionVerbs.contains($0) }
            || (words.first == "according" && words.dropFirst().first == "to")
        guard isAttribution, wordCount(String(head)) >= 8 else { return s }
        return head + String(stop)
    }
}

// MARK: In the article

extension Work {
    /// Picks the automatic takeaways from the article's own running text,
    /// marks each picked sentence in the page (`<mark class="auto-takeaway"
    /// id="summary-1">`, or the paragraph's id where the sentence cannot be
    /// wrapped cleanly) and records it as a takeaway linking there. The summary
    /// box at the top of the article lists them under "Automatic summary".
    mutating func addAutoTakeaways(_ blocks: [ProseBlock], anchors: inout [Int: String]) {
        var places: [(block: Int, range: Range<Int>)] = []
        var texts: [String] = []
        for (k, b) in blocks.enumerated() where !b.isHeading && b.tellsEvents && Self.isRunningText(b.node) {
            for r in Sentences.split(b.prose.bytes) {
                places.append((k, r))
                texts.append(b.prose.text(r))
            }
        }
        let picked = AutoTakeaways.pick(texts, paragraphs: places.map(\.block))
        for (n, i) in picked.enumerated() {
            let (k, range) = places[i]
            let anchor: String
            if let id = markSentence(blocks[k].node, range, id: "summary-\(n + 1)") {
                anchor = id
            } else if let id = anchors[k] {
                anchor = id
            } else {
                anchor = ids.claim("summary-\(n + 1)")
                anchors[k] = anchor
            }
            takeaways.append(Takeaway(text: AutoTakeaways.tidy(texts[i], first: i == 0), source: .auto, anchor: anchor))
        }
    }

    /// Paragraphs of the article's own text: not in quotes, callouts or boxes.
    static func isRunningText(_ node: MarkdownNode) -> Bool {
        var p = node.parent
        while let n = p {
            switch n.kind {
            case .document: return true
            case .list, .item: p = n.parent
            default: return false
            }
        }
        return false
    }

    /// Wraps the inlines of `para` that make up the prose range in a `<mark>`;
    /// nil when the range starts or ends inside emphasis or a link.
    mutating func markSentence(_ para: MarkdownNode, _ range: Range<Int>, id base: String) -> String? {
        let length = ProseText(block: para).bytes.count
        guard splitText(of: para, prose: ProseText(block: para), at: range.lowerBound) else { return nil }
        if range.upperBound < length {
            guard splitText(of: para, prose: ProseText(block: para), at: range.upperBound) else { return nil }
        }
        let inside = ProseText(block: para).pieces.filter {
            range.contains($0.range.lowerBound) || ($0.range.isEmpty && $0.range.lowerBound == range.lowerBound)
        }.map(\.node)
        guard let first = inside.first else { return nil }
        let id = ids.claim(base)
        let mark = document.makeCustomInline(
            onEnter: "<mark class=\"auto-takeaway\" id=\"\(HTML.escape(id))\" title=\"Part of the automatic summary\">",
            onExit: "</mark>")
        first.insertBefore(mark)
        for node in inside {
            node.unlink()
            mark.append(node)
        }
        return id
    }
}
