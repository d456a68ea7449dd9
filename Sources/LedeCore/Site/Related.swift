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
    /// Terms or tags shared by more than this share of a big site say little
    /// and are not used to find candidates.
    static let commonShare = 0.1

    /// What the template's `{{related}}` slot holds until the site pass fills it.
    public static let placeholder = "<!--lede:related-explainers-->"

    /// What relating needs of one article.
    struct Profile {
        var tags: [String: Double] = [:]      // tag slug → weight
        var terms: [String: Double] = [:]     // key term → weight
        var tagNorm = 0.0, termNorm = 0.0
        var span: ClosedRange<Int>?           // the core years of its timeline
        var decades: [Int] = []
    }

    /// For each article (by index), the indices of up to `count` related ones, best first.
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
            p.tagNorm = p.tags.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            p.termNorm = p.terms.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            p.span = coreSpan(a.timeline)
            if let s = p.span { p.decades = Array(Set(stride(from: s.lowerBound - mod(s.lowerBound, 10), through: s.upperBound, by: 10))) }
            profiles.append(p)
        }

        // Candidates: articles that share a tag, a term or a decade.
        let limit = max(50, Int(Double(n) * commonShare))
        var byTag: [String: [Int]] = [:], byTerm: [String: [Int]] = [:], byDecade: [Int: [Int]] = [:]
        for (k, p) in profiles.enumerated() {
            for t in p.tags.keys { byTag[t, default: []].append(k) }
            for t in p.terms.keys { byTerm[t, default: []].append(k) }
            for d in p.decades { byDecade[d, default: []].append(k) }
        }
        var result: [[Int]] = []
        result.reserveCapacity(n)
        for (k, p) in profiles.enumerated() {
            var candidates = Set<Int>()
            for t in p.tags.keys { if let l = byTag[t], l.count <= limit || n < 500 { candidates.formUnion(l) } }
            for t in p.terms.keys { if let l = byTerm[t], l.count <= limit { candidates.formUnion(l) } }
            for d in p.decades { if let l = byDecade[d], l.count <= limit { candidates.formUnion(l) } }
            candidates.remove(k)
            let scored = candidates.map { j in (j, score(p, profiles[j])) }.filter { $0.1 >= minimumScore }
            let best = scored.sorted { a, b in
                if a.1 != b.1 { return a.1 > b.1 }
                return ArticleSummary.newestFirst(articles[a.0], articles[b.0])
            }
            result.append(best.prefix(count).map(\.0))
        }
        return result
    }

    /// How related two articles are: weighted sum of tag similarity, timeline
    /// overlap and key-term similarity. Sharing a period alone does not make
    /// two articles related (the Moon landing and Woodstock are both 1969):
    /// they must share a tag or a key term.
    static func score(_ a: Profile, _ b: Profile) -> Double {
        func cosine(_ x: [String: Double], _ nx: Double, _ y: [String: Double], _ ny: Double) -> Double {
            guard nx > 0, ny > 0 else { return 0 }
            let (small, large) = x.count <= y.count ? (x, y) : (y, x)
            var sum = 0.0
            for (t, w) in small { if let v = large[t] { sum += w * v } }
            return sum / (nx * ny)
        }
        let topical = tagWeight * cosine(a.tags, a.tagNorm, b.tags, b.tagNorm)
            + termWeight * cosine(a.terms, a.termNorm, b.terms, b.termNorm)
        return topical > 0 ? topical + periodWeight * overlap(a.span, b.span) : 0
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

    static func mod(_ a: Int, _ m: Int) -> Int { ((a % m) + m) % m }

    /// Fills the placeholder in each article's staged page with its related
    /// explainers (or nothing). `read` and `write` work on output paths.
    static func fill(_ articles: [ArticleSummary], related: [[Int]], renderer: PageRenderer, workers: Int,
                     read: @Sendable (String) throws -> String, write: @Sendable (String, String) throws -> Void) throws {
        let failures = FailureBox()
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, articles.count))) { _ in
            while true {
                let k = next.increment()
                guard k < articles.count else { break }
                let path = articles[k].slug + "/index.html"
                do {
                    let page = try read(path)
                    guard let at = page.range(of: placeholder, options: .backwards) else { continue }
                    let html = renderer.related(related[k].map { articles[$0] }, root: PageRenderer.root(for: articles[k].slug + "/"))
                    try write(path, page.replacingCharacters(in: at, with: html.raw))
                } catch {
                    failures.set(error)
                }
            }
        }
        if let error = failures.error { throw error }
    }
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
