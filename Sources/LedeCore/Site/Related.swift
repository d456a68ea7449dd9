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
        var index = Index(articles)
        index.chooseAll()
        return index.chosen.map { $0.map(\.article) }
    }

    /// What choosing works from, kept by a session so that after an edit only
    /// the articles whose choice can change are chosen again (`update`).
    ///
    /// Scores are accumulated over inverted lists (as a search engine does):
    /// the cost is the summed length of the lists an article's tags and terms
    /// touch, not the number of article pairs. Very common tags and terms
    /// weigh little and are skipped (see `commonTagShare`). The result does
    /// not depend on the order of the articles: sums are taken in key order,
    /// and ties are broken by `ArticleSummary.newestFirst`, a total order.
    struct Index: Sendable {
        var articles: [ArticleSummary]
        var tagDF: [String: Int] = [:], termDF: [String: Int] = [:]
        /// Articles by tag slug and by key term, ascending.
        var byTag: [String: [Int]] = [:], byTerm: [String: [Int]] = [:]
        var tagSets: [Set<String>] = []
        var profiles: [Profile] = []
        /// For each article, its related ones and their scores, best first.
        var chosen: [[(article: Int, score: Double)]] = []
        let tagLimit: Int, termLimit: Int

        init(_ articles: [ArticleSummary]) {
            self.articles = articles
            let n = articles.count
            tagLimit = max(1000, Int(Double(n) * commonTagShare))
            termLimit = max(200, Int(Double(n) * commonTermShare))
            tagSets = articles.map { Self.tags($0) }
            for (k, s) in tagSets.enumerated() { for t in s { tagDF[t, default: 0] += 1; byTag[t, default: []].append(k) } }
            for (k, a) in articles.enumerated() { for t in Set(a.keyTerms) { termDF[t, default: 0] += 1; byTerm[t, default: []].append(k) } }
            profiles = articles.indices.map { profile($0) }
            chosen = Array(repeating: [], count: n)
        }

        static func tags(_ a: ArticleSummary) -> Set<String> { Set(a.tags.map { Slug.make($0) }.filter { !$0.isEmpty }) }

        func idf(_ df: Int) -> Double { log(Double(articles.count + 1) / Double(df)) }

        func profile(_ k: Int) -> Profile {
            var p = Profile()
            for t in tagSets[k] { p.tags[t] = idf(tagDF[t] ?? 1) }
            // Key terms come most telling first: weight by rank and rarity.
            for (rank, t) in articles[k].keyTerms.enumerated() where (termDF[t] ?? 0) >= 2 {
                p.terms[t] = idf(termDF[t] ?? 1) / (1 + Double(rank) / 8)
            }
            p.tagList = p.tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            p.termList = p.terms.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            p.tagNorm = p.tagList.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            p.termNorm = p.termList.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            p.span = coreSpan(articles[k].timeline)
            return p
        }

        /// The articles a tag's or term's list relates (nil when it is too common to count).
        func tagList(_ t: String) -> [Int]? { byTag[t].flatMap { $0.count <= tagLimit ? $0 : nil } }
        func termList(_ t: String) -> [Int]? {
            // A term on one article only is in no profile.
            byTerm[t].flatMap { $0.count <= termLimit && $0.count >= 2 ? $0 : nil }
        }

        /// Whether candidate `a` ranks before `b`.
        func before(_ a: (article: Int, score: Double), _ b: (article: Int, score: Double)) -> Bool {
            if a.score != b.score { return a.score > b.score }
            if ArticleSummary.newestFirst(articles[a.article], articles[b.article]) { return true }
            return !ArticleSummary.newestFirst(articles[b.article], articles[a.article]) && a.article < b.article
        }

        /// The score of `j` as a candidate of `k` (from their sums), or nil when it cannot be chosen.
        func score(_ k: Int, _ j: Int, tagSum: Double, termSum: Double) -> Double? {
            let p = profiles[k], q = profiles[j]
            let tags = p.tagNorm > 0 && q.tagNorm > 0 ? tagSum / (p.tagNorm * q.tagNorm) : 0
            let terms = p.termNorm > 0 && q.termNorm > 0 ? termSum / (p.termNorm * q.termNorm) : 0
            // Rounded, so that sums equal but for rounding tie, and the tie rule decides.
            let score = ((tagWeight * tags + termWeight * terms + periodWeight * overlap(p.span, q.span)) * 1e9).rounded() / 1e9
            return score >= minimumScore && tags + terms > 0 ? score : nil
        }

        /// The score of `j` as a candidate of `k`, summed alone, as `choose(_:into:)` sums it.
        func pairScore(_ k: Int, _ j: Int) -> Double? {
            guard k != j else { return nil }
            let p = profiles[k], q = profiles[j]
            var tagSum = 0.0, termSum = 0.0, touched = false
            for (t, w) in p.tagList {
                guard let qw = q.tags[t], tagList(t) != nil else { continue }
                touched = true
                tagSum += w * qw
            }
            for (t, w) in p.termList {
                guard let qw = q.terms[t], termList(t) != nil else { continue }
                touched = true
                termSum += w * qw
            }
            return touched ? score(k, j, tagSum: tagSum, termSum: termSum) : nil
        }

        /// Scratch space of one worker.
        struct Sums {
            var tag: [Double], term: [Double], touched: [Int] = []
            init(_ n: Int) { tag = Array(repeating: 0, count: n); term = Array(repeating: 0, count: n) }
        }

        /// The best `count` candidates of article `k`.
        func choose(_ k: Int, into sums: inout Sums) -> [(article: Int, score: Double)] {
            let p = profiles[k]
            for (t, w) in p.tagList {
                guard let list = tagList(t) else { continue }
                for j in list where j != k {
                    if sums.tag[j] == 0 && sums.term[j] == 0 { sums.touched.append(j) }
                    sums.tag[j] += w * (profiles[j].tags[t] ?? 0)
                }
            }
            for (t, w) in p.termList {
                guard let list = termList(t) else { continue }
                for j in list where j != k {
                    if sums.tag[j] == 0 && sums.term[j] == 0 { sums.touched.append(j) }
                    sums.term[j] += w * (profiles[j].terms[t] ?? 0)
                }
            }
            // The best `count`, kept in order as the candidates go by
            // (sorting them all cost more than scoring them).
            var best: [(article: Int, score: Double)] = []
            best.reserveCapacity(count + 1)
            for j in sums.touched {
                let s = score(k, j, tagSum: sums.tag[j], termSum: sums.term[j])
                sums.tag[j] = 0
                sums.term[j] = 0
                guard let s else { continue }
                let candidate = (article: j, score: s)
                if best.count == count, let last = best.last, !before(candidate, last) { continue }
                var at = best.count
                while at > 0 && before(candidate, best[at - 1]) { at -= 1 }
                best.insert(candidate, at: at)
                if best.count > count { best.removeLast() }
            }
            sums.touched.removeAll(keepingCapacity: true)
            return best
        }

        /// Chooses again for the articles `which` (all when nil), in parallel.
        mutating func chooseAll(_ which: [Int]? = nil) {
            let n = articles.count
            guard n > 1 else { chosen = Array(repeating: [], count: n); return }
            let list = which ?? Array(0..<n)
            let results = ResultSlots<[(article: Int, score: Double)]>(count: list.count)
            let next = AtomicCounter()
            let me = self
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, (list.count + 255) / 256))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                var sums = Sums(n)
                while true {
                    let m = next.increment()
                    guard m < list.count else { break }
                    results.set(m, me.choose(list[m], into: &sums))
                }
            }
            for (m, result) in results.all.enumerated() { chosen[list[m]] = result }
        }

        /// After the articles at `changed` became `summaries` (the same
        /// articles, edited), chooses again for those whose choice can change;
        /// returns them, or nil when too much changed (build a new index).
        mutating func update(_ changed: [Int], _ summaries: [ArticleSummary]) -> [Int]? {
            let n = articles.count
            var changedTags = Set<String>(), changedTerms = Set<String>()
            for (k, a) in zip(changed, summaries) {
                changedTags.formUnion(tagSets[k].symmetricDifference(Self.tags(a)))
                changedTerms.formUnion(Set(articles[k].keyTerms).symmetricDifference(Set(a.keyTerms)))
            }
            let oldTagCounts = changedTags.map { byTag[$0]?.count ?? 0 }, oldTermCounts = changedTerms.map { byTerm[$0]?.count ?? 0 }
            for (k, a) in zip(changed, summaries) {
                let oldTags = tagSets[k], newTags = Self.tags(a)
                let oldTerms = Set(articles[k].keyTerms), newTerms = Set(a.keyTerms)
                for t in oldTags.subtracting(newTags) { tagDF[t]! -= 1; byTag[t]!.removeAll { $0 == k } }
                for t in newTags.subtracting(oldTags) { tagDF[t, default: 0] += 1; Self.insert(k, into: &byTag[t, default: []]) }
                for t in oldTerms.subtracting(newTerms) { termDF[t]! -= 1; byTerm[t]!.removeAll { $0 == k } }
                for t in newTerms.subtracting(oldTerms) { termDF[t, default: 0] += 1; Self.insert(k, into: &byTerm[t, default: []]) }
                articles[k] = a
                tagSets[k] = newTags
            }
            // A list that crossed a limit changes who is a candidate of whom: start again.
            for (t, old) in zip(changedTags, oldTagCounts) where (old <= tagLimit) != ((byTag[t]?.count ?? 0) <= tagLimit) { return nil }
            for (t, old) in zip(changedTerms, oldTermCounts) where (old <= termLimit) != ((byTerm[t]?.count ?? 0) <= termLimit) { return nil }
            // Whose profile changed: the edited articles, and those holding a
            // tag or term whose frequency (so weight) changed.
            var profiled = Set(changed)
            for t in changedTags { profiled.formUnion(byTag[t] ?? []) }
            for t in changedTerms { profiled.formUnion(byTerm[t] ?? []) }
            for t in changedTags where byTag[t]?.isEmpty == true { byTag[t] = nil; tagDF[t] = nil }
            for t in changedTerms where byTerm[t]?.isEmpty == true { byTerm[t] = nil; termDF[t] = nil }
            guard profiled.count <= max(16, n / 50) else { return nil }
            var oldProfiles: [Int: Profile] = [:]
            for k in profiled {
                oldProfiles[k] = profiles[k]
                profiles[k] = profile(k)
            }
            // Chosen again: every article whose profile changed, and any
            // other whose choice one of them could enter or leave. For an
            // other, only its scores against those changed: its choice holds
            // unless one of them was chosen, or now ranks before its last.
            var again = profiled
            var neighbours = Set<Int>()
            for k in profiled {
                for p in [profiles[k], oldProfiles[k]!] {
                    for (t, _) in p.tagList { if let l = tagList(t) { neighbours.formUnion(l) } }
                    for (t, _) in p.termList { if let l = termList(t) { neighbours.formUnion(l) } }
                }
            }
            for k in neighbours where !profiled.contains(k) {
                let mine = chosen[k]
                for c in profiled {
                    if mine.contains(where: { $0.article == c }) { again.insert(k); break }
                    guard let s = pairScore(k, c) else { continue }
                    if mine.count < count || before((c, s), mine[mine.count - 1]) { again.insert(k); break }
                }
            }
            let list = again.sorted()
            chooseAll(list)
            return list
        }

        static func insert(_ k: Int, into list: inout [Int]) {
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if list[mid] < k { lo = mid + 1 } else { hi = mid } }
            list.insert(k, at: lo)
        }
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
