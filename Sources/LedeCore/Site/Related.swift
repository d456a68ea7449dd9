import Foundation

/// Related explainers: each article ends with up to three others, chosen by
/// shared tags, overlapping timeline periods and shared key terms.
///
/// It needs every article's summary, while article pages are written one by
/// one in the parallel per-article pass. So the pass leaves a placeholder
/// (`RelatedExplainers.placeholder`) where the template has `{{related}}`, and
/// the site pass, once all summaries are known, chooses the related articles
/// from the summaries alone (tags, timeline, `keyTerms`) and fills the
/// placeholder of each staged page (`fill`). Memory stays bounded: a few dozen
/// strings per article, and one page in memory per worker.
public enum RelatedExplainers {
    /// How many related explainers an article shows at most.
    public static let count = 3
    /// Weights of the three kinds of evidence, each a similarity from 0 to 1.
    /// Key terms weigh most: they are the article's own words.
    static let tagWeight = 1.0, periodWeight = 0.6, termWeight = 1.2
    /// Below this score two articles are not related enough to show.
    static let minimumScore = 0.2
    /// On a big site, tags on more than a quarter of the articles and terms on
    /// more than a twentieth say little, and are skipped to bound the work.
    static let commonTagShare = 0.25, commonTermShare = 0.05

    /// What the template's `{{related}}` slot holds until the site pass fills it.
    public static let placeholder = "<!--lede:related-explainers-->"

    /// What relating needs of one article.
    struct Profile: Sendable {
        var tags: [String: Double] = [:]      // tag slug → weight
        var terms: [String: Double] = [:]     // key term → weight
        /// The same, sorted by key: sums are taken in this order, so that
        /// they do not depend on a dictionary's order (which differs between
        /// processes and instances) down to the last bit, which would decide
        /// near-ties differently from one build to the next.
        var tagList: [(String, Double)] = [], termList: [(String, Double)] = []
        var tagNorm = 0.0, termNorm = 0.0
        var span: ClosedRange<Int>?           // the core years of its timeline
    }

    /// For each article (by index), the indices of up to `count` related ones, best first.
    ///
    /// How related two articles are: the weighted sum of their tag similarity,
    /// key-term similarity and timeline overlap. Sharing a period alone does
    /// not make two articles related (the Moon landing and Woodstock are both
    /// 1969): they must share a tag or a key term.
    public static func choose(_ articles: [ArticleSummary]) -> [[Int]] {
        let n = articles.count
        guard n > 1 else { return Array(repeating: [], count: n) }
        // Document frequencies of tags and terms, for inverse weights.
        var tagDF: [String: Int] = [:], termDF: [String: Int] = [:]
        let tagSets = articles.map { Set($0.tags.map { Slug.make($0) }.filter { !$0.isEmpty }) }
        for s in tagSets { for t in s { tagDF[t, default: 0] += 1 } }
        for a in articles { for t in Set(a.keyTerms) { termDF[t, default: 0] += 1 } }
        func idf(_ df: Int) -> Double { log(Double(n + 1) / Double(df)) }

        var profiles: [Profile] = []
        profiles.reserveCapacity(n)
        for (k, a) in articles.enumerated() {
            var p = Profile()
            for t in tagSets[k] { p.tags[t] = idf(tagDF[t] ?? 1) }
            // Key terms come most telling first: weight by rank and rarity.
            for (rank, t) in a.keyTerms.enumerated() where (termDF[t] ?? 0) >= 2 {
                p.terms[t] = idf(termDF[t] ?? 1) / (1 + Double(rank) / 8)
            }
            p.tagList = p.tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            p.termList = p.terms.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            p.tagNorm = p.tagList.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            p.termNorm = p.termList.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            p.span = coreSpan(a.timeline)
            profiles.append(p)
        }

        // Scores by accumulation over inverted lists (as a search engine does):
        // the cost is the summed length of the lists an article's tags and
        // terms touch, not the number of article pairs. Very common tags and
        // terms weigh little and are skipped (see `commonTagShare`).
        let tagLimit = max(1000, Int(Double(n) * commonTagShare)), termLimit = max(200, Int(Double(n) * commonTermShare))
        var byTag: [String: [Int]] = [:], byTerm: [String: [Int]] = [:]
        for (k, p) in profiles.enumerated() {
            for (t, _) in p.tagList { byTag[t, default: []].append(k) }
            for (t, _) in p.termList { byTerm[t, default: []].append(k) }
        }
        let (allProfiles, tagLists, termLists) = (profiles, byTag, byTerm)  // immutable copies for the workers
        let results = ResultSlots<[Int]>(count: n)
        let next = AtomicCounter()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, (n + 255) / 256))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var tagSum = [Double](repeating: 0, count: n), termSum = [Double](repeating: 0, count: n)
            var touched: [Int] = []
            while true {
                let k = next.increment()
                guard k < n else { break }
                let p = allProfiles[k]
                for (t, w) in p.tagList {
                    guard let list = tagLists[t], list.count <= tagLimit else { continue }
                    for j in list where j != k {
                        if tagSum[j] == 0 && termSum[j] == 0 { touched.append(j) }
                        tagSum[j] += w * (allProfiles[j].tags[t] ?? 0)
                    }
                }
                for (t, w) in p.termList {
                    guard let list = termLists[t], list.count <= termLimit else { continue }
                    for j in list where j != k {
                        if tagSum[j] == 0 && termSum[j] == 0 { touched.append(j) }
                        termSum[j] += w * (allProfiles[j].terms[t] ?? 0)
                    }
                }
                var scored: [(Int, Double)] = []
                for j in touched {
                    let q = allProfiles[j]
                    let tags = p.tagNorm > 0 && q.tagNorm > 0 ? tagSum[j] / (p.tagNorm * q.tagNorm) : 0
                    let terms = p.termNorm > 0 && q.termNorm > 0 ? termSum[j] / (p.termNorm * q.termNorm) : 0
                    // Rounded, so that sums equal but for rounding tie, and the tie rule decides.
                    let score = ((tagWeight * tags + termWeight * terms + periodWeight * overlap(p.span, q.span)) * 1e9).rounded() / 1e9
                    if score >= minimumScore, tags + terms > 0 { scored.append((j, score)) }
                    tagSum[j] = 0
                    termSum[j] = 0
                }
                touched.removeAll(keepingCapacity: true)
                // The best `count`, kept in order as the candidates go by
                // (sorting them all cost more than scoring them).
                func before(_ a: (Int, Double), _ b: (Int, Double)) -> Bool {
                    if a.1 != b.1 { return a.1 > b.1 }
                    if ArticleSummary.newestFirst(articles[a.0], articles[b.0]) { return true }
                    return !ArticleSummary.newestFirst(articles[b.0], articles[a.0]) && a.0 < b.0
                }
                var best: [(Int, Double)] = []
                best.reserveCapacity(count + 1)
                for candidate in scored {
                    if best.count == count, let last = best.last, !before(candidate, last) { continue }
                    var at = best.count
                    while at > 0 && before(candidate, best[at - 1]) { at -= 1 }
                    best.insert(candidate, at: at)
                    if best.count > count { best.removeLast() }
                }
                results.set(k, best.map(\.0))
            }
        }
        return results.all
    }

    /// How much two periods (in years) overlap: the years in common over the
    /// geometric mean of their lengths, so a year inside a long era counts little.
    static func overlap(_ a: ClosedRange<Int>?, _ b: ClosedRange<Int>?) -> Double {
        guard let a, let b, a.overlaps(b) else { return 0 }
        let common = min(a.upperBound, b.upperBound) - max(a.lowerBound, b.lowerBound) + 1
        return Double(common) / (Double(a.count) * Double(b.count)).squareRoot()
    }

    /// The years most of a timeline's events fall in (the middle 80 %), so
    /// that one aside about a distant year does not stretch it.
    static func coreSpan(_ events: [TimelineEvent]) -> ClosedRange<Int>? {
        var years: [Int] = []
        for e in events {
            guard let d = TimexDate(e.value) else { continue }
            years.append(d.year)
            if let end = e.endValue.flatMap({ TimexDate($0) }) { years.append(end.year) }
        }
        guard !years.isEmpty else { return nil }
        years.sort()
        let cut = years.count / 10
        return years[cut]...years[years.count - 1 - cut]
    }

    /// Fills the placeholder in each article's staged page with its related
    /// explainers (or nothing). `read` and `write` work on output paths.
    static func fill(_ articles: [ArticleSummary], related: [[Int]], renderer: PageRenderer, workers: Int,
                     read: @Sendable (String) throws -> [UInt8], write: @Sendable (String, [UInt8]) throws -> Void) throws {
        let marker = Array(placeholder.utf8)
        let failures = FailureBox()
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, articles.count))) { _ in
            while true {
                let k = next.increment()
                guard k < articles.count else { break }
                let path = articles[k].slug + "/index.html"
                do {
                    let page = try read(path)
                    // The last placeholder: the template's slot comes after the body.
                    guard let at = lastIndex(of: marker, in: page) else { continue }
                    let html = renderer.related(related[k].map { articles[$0] }, root: PageRenderer.root(for: articles[k].slug + "/"))
                    var out: [UInt8] = []
                    out.reserveCapacity(page.count + html.raw.utf8.count)
                    out.append(contentsOf: page[..<at])
                    out.append(contentsOf: html.raw.utf8)
                    out.append(contentsOf: page[(at + marker.count)...])
                    try write(path, out)
                } catch {
                    failures.set(error)
                }
            }
        }
        if let error = failures.error { throw error }
    }
}

/// Where the last occurrence of `needle` starts in `bytes`.
func lastIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
    guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
    var i = bytes.count - needle.count
    while i >= 0 {
        if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
        i -= 1
    }
    return nil
}

/// Results of a parallel loop, by index.
final class ResultSlots<T>: @unchecked Sendable {
    private let lock = Lock()
    private var items: [T?]
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ v: T) { lock.withLock { items[k] = v } }
    var all: [T] { lock.withLock { items.map { $0! } } }
}

/// The first error of a parallel loop.
final class FailureBox: @unchecked Sendable {
    private let lock = Lock()
    private var first: Error?
    func set(_ e: Error) { lock.withLock { if first == nil { first = e } } }
    var error: Error? { lock.withLock { first } }
}

extension PageRenderer {
    /// The related explainers section at the end of an article.
    func related(_ articles: [ArticleSummary], root: String) -> HTML {
        guard !articles.isEmpty else { return .empty }
        return theme["parts/related.html"].render(["items": .html(cards(articles, root: root))])
    }
}
