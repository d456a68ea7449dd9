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
    /// more than a twentieth say little, and are skipped: they are in no
    /// profile (`Index.profile`), so that one article more or less with such
    /// a word, which changes its weight, changes no other article's profile.
    static let commonTagShare = 0.25, commonTermShare = 0.05
    /// How many articles of one tag's (term's) list an article is compared
    /// with at most. A longer list (one not common enough to skip: that grows
    /// with the site) is walked only over its `tagWindow / 2` (`termWindow /
    /// 2`) articles just before and just after the article in date order, so
    /// that the work per article does not grow with the site: walking whole
    /// lists of up to a quarter of the articles made choosing quadratic
    /// (37 s at 50,000 articles). Of the many articles sharing a common tag,
    /// those nearest in date are the likeliest to tell the same story, and
    /// the rare tags and terms, whose lists are short, are still walked
    /// whole. Below these sizes nothing changes; the term window is the
    /// smallest term limit, so a site of up to 4,000 articles (where longer
    /// term lists are skipped) chooses as if there were no windows.
    static let tagWindow = 600, termWindow = 200

    /// What the template's `{{related}}` slot holds until the site pass fills it.
    public static let placeholder = "<!--lede:related-explainers-->"

    /// What relating needs of one article.
    struct Profile: Sendable {
        var tags: [String: Double] = [:]      // tag slug → weight
        /// Tags and key terms with their weights, sorted by key: sums are
        /// taken in this order, so that they do not depend on a dictionary's
        /// order (which differs between processes and instances) down to the
        /// last bit, which would decide near-ties differently from one build
        /// to the next.
        var tagList: [(String, Double)] = [], termList: [(String, Double)] = []
        /// The id (`Index.termIDs`) of each term of `termList`, and the
        /// weights by id, in id order: choosing looks up a candidate's weight
        /// of a term for every article on the term's list, and a binary
        /// search among two dozen ids cost a tenth of hashing the String.
        var termListIDs: [Int32] = []
        var weightsByID: [(id: Int32, weight: Double)] = []
        var tagNorm = 0.0, termNorm = 0.0
        var span: ClosedRange<Int>?           // the core years of its timeline

        /// The weight of the term numbered `id`, nil when the article has no such term.
        func weight(of id: Int32) -> Double? {
            let at = weightsByID.partitionPoint { $0.id < id }
            return at < weightsByID.count && weightsByID[at].id == id ? weightsByID[at].weight : nil
        }
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
    /// weigh little and are skipped (see `commonTagShare`); of a long list
    /// only a window around the article in date order counts (see
    /// `tagWindow`), so the cost per article is bounded whatever the size of
    /// the site. Whether an article is in another's window is symmetric: their
    /// places in the list are at most half a window apart. The result does
    /// not depend on the order of the articles: lists are in date order
    /// (`dateOrder`, which ends with the slug), sums are taken in key order,
    /// and ties are broken by `ArticleSummary.newestFirst`, a total order.
    struct Index: Sendable {
        var articles: [ArticleSummary]
        var tagDF: [String: Int] = [:], termDF: [String: Int] = [:]
        /// Articles by tag slug and by key term, in date order (by `rank`).
        var byTag: [String: [Int]] = [:], byTerm: [String: [Int]] = [:]
        /// The articles in date order, and each article's place in it.
        var order: [Int] = [], rank: [Int] = []
        var tagSets: [Set<String>] = []
        /// A number for every key term that has been on some list.
        var termIDs: [String: Int32] = [:]
        var profiles: [Profile] = []
        /// For each article, its related ones and their scores, best first.
        var chosen: [[(article: Int, score: Double)]] = []
        let tagLimit: Int, termLimit: Int
        /// Lists longer than these are walked over a window (see `RelatedExplainers.tagWindow`).
        let tagWindow: Int, termWindow: Int
        /// Threads that make profiles and choose (`lede build --jobs`).
        let workers: Int

        /// `tagLimit` and `termLimit` replace the limits that follow from
        /// the site's size (`commonTagShare`), for tests of small sites.
        init(_ articles: [ArticleSummary], tagWindow: Int = RelatedExplainers.tagWindow, termWindow: Int = RelatedExplainers.termWindow,
             tagLimit: Int? = nil, termLimit: Int? = nil, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
            self.articles = articles
            self.tagWindow = tagWindow
            self.termWindow = termWindow
            let workers = max(1, workers)
            self.workers = workers
            let n = articles.count
            self.tagLimit = tagLimit ?? max(1000, Int(Double(n) * commonTagShare))
            self.termLimit = termLimit ?? max(200, Int(Double(n) * commonTermShare))
            order = articles.indices.sorted { Self.dateOrder(articles[$0], $0, articles[$1], $1) }
            rank = Array(repeating: 0, count: n)
            for (r, k) in order.enumerated() { rank[k] = r }
            // Each article's tag slugs and profile are made in parallel: one
            // after another they were 0.1 s of a 10,000-article build, on
            // one core while the others waited.
            let slugs = Slots<Set<String>>(Array(repeating: [], count: n))
            parallelFor(n, workers: workers) { k in slugs.set(k, Self.tags(articles[k])) }
            tagSets = slugs.items
            // Filled in date order, so each list is in date order.
            for k in order { for t in tagSets[k] { tagDF[t, default: 0] += 1; byTag[t, default: []].append(k) } }
            for k in order { for t in Set(articles[k].keyTerms) { termDF[t, default: 0] += 1; byTerm[t, default: []].append(k) } }
            for t in byTerm.keys { number(t) }
            let me = self
            let made = Slots<Profile>(Array(repeating: Profile(), count: n))
            parallelFor(n, workers: workers) { k in made.set(k, me.profile(k)) }
            profiles = made.items
            chosen = Array(repeating: [], count: n)
        }

        /// Gives the term `t` an id if it has none.
        mutating func number(_ t: String) {
            if termIDs[t] == nil { termIDs[t] = Int32(termIDs.count) }
        }

        static func tags(_ a: ArticleSummary) -> Set<String> { Set(a.tags.map { Slug.make($0) }.filter { !$0.isEmpty }) }

        /// The order windows are taken in: newest first, undated last, then
        /// by slug (not by title, so that retitling an article moves no
        /// window); by index only for equal slugs, which a site does not have.
        static func dateOrder(_ a: ArticleSummary, _ i: Int, _ b: ArticleSummary, _ j: Int) -> Bool {
            switch (a.date, b.date) {
            case let (x?, y?) where x != y: return x > y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.slug != b.slug ? a.slug < b.slug : i < j
            }
        }

        func idf(_ df: Int) -> Double { log(Double(articles.count + 1) / Double(df)) }

        func profile(_ k: Int) -> Profile {
            var p = Profile()
            for t in tagSets[k] where counts(tag: tagDF[t] ?? 0) { p.tags[t] = idf(tagDF[t] ?? 1) }
            // Key terms come most telling first: weight by rank and rarity.
            // (A table by term is not kept: 10,000 of them took 15 MB.)
            var terms: [String: Double] = [:]
            for (rank, t) in articles[k].keyTerms.enumerated() where counts(term: termDF[t] ?? 0) {
                terms[t] = idf(termDF[t] ?? 1) / (1 + Double(rank) / 8)
            }
            p.tagList = p.tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            p.termList = terms.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            p.termListIDs = p.termList.map { termIDs[$0.0]! }
            p.weightsByID = zip(p.termListIDs, p.termList).map { (id: $0, weight: $1.1) }.sorted { $0.id < $1.id }
            p.tagNorm = p.tagList.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            p.termNorm = p.termList.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            p.span = coreSpan(articles[k].timeline)
            return p
        }

        /// Whether a tag (term) on `df` articles is in their profiles: one
        /// too common is not, nor a term on one article only.
        func counts(tag df: Int) -> Bool { df <= tagLimit }
        func counts(term df: Int) -> Bool { df >= 2 && df <= termLimit }

        /// The articles a tag's or term's list relates (nil when it is too common to count).
        func tagList(_ t: String) -> [Int]? { byTag[t].flatMap { counts(tag: $0.count) ? $0 : nil } }
        func termList(_ t: String) -> [Int]? { byTerm[t].flatMap { counts(term: $0.count) ? $0 : nil } }

        /// Where article `k` is, or would be, in a list in date order.
        func position(of k: Int, in list: [Int]) -> Int {
            let r = rank[k]
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if rank[list[mid]] < r { lo = mid + 1 } else { hi = mid } }
            return lo
        }

        /// The part of `list` (holding `k`) that `k` is compared with: all
        /// of it, or when it is longer than `window`, the articles at most
        /// `window / 2` places before or after `k`.
        func reach(of k: Int, in list: [Int], window: Int) -> ArraySlice<Int> {
            guard list.count > window else { return list[...] }
            let at = position(of: k, in: list), half = window / 2
            return list[max(0, at - half)..<min(list.count, at + half + 1)]
        }

        /// Whether `j` is within `k`'s reach on `list` (which holds both).
        func reaches(_ k: Int, _ j: Int, in list: [Int], window: Int) -> Bool {
            list.count <= window || abs(position(of: k, in: list) - position(of: j, in: list)) <= window / 2
        }

        /// Whether candidate `a` ranks before `b`.
        func before(_ a: (article: Int, score: Double), _ b: (article: Int, score: Double)) -> Bool {
            if a.score != b.score { return a.score > b.score }
            if ArticleSummary.newestFirst(articles[a.article], articles[b.article]) { return true }
            return !ArticleSummary.newestFirst(articles[b.article], articles[a.article]) && a.article < b.article
        }

        /// The score of `j` as a candidate of `k` (from their sums), or nil when it cannot be chosen.
        func score(_ k: Int, _ j: Int, tagSum: Double, termSum: Double) -> Double? {
            // Field by field: copying the profiles would retain their lists and
            // tables, for every candidate, at a cost that grows with the site.
            let pTags = profiles[k].tagNorm, qTags = profiles[j].tagNorm
            let pTerms = profiles[k].termNorm, qTerms = profiles[j].termNorm
            let tags = pTags > 0 && qTags > 0 ? tagSum / (pTags * qTags) : 0
            let terms = pTerms > 0 && qTerms > 0 ? termSum / (pTerms * qTerms) : 0
            // Rounded, so that sums equal but for rounding tie, and the tie rule decides.
            let score = ((tagWeight * tags + termWeight * terms + periodWeight * overlap(profiles[k].span, profiles[j].span)) * 1e9).rounded() / 1e9
            return score >= minimumScore && tags + terms > 0 ? score : nil
        }

        /// The score of `j` as a candidate of `k`, summed alone, as `choose(_:into:)` sums it.
        func pairScore(_ k: Int, _ j: Int) -> Double? {
            guard k != j else { return nil }
            let p = profiles[k], q = profiles[j]
            var tagSum = 0.0, termSum = 0.0, touched = false
            for (t, w) in p.tagList {
                guard let qw = q.tags[t], let list = tagList(t), reaches(k, j, in: list, window: tagWindow) else { continue }
                touched = true
                tagSum += w * qw
            }
            for (t, w) in p.termList {
                guard let id = termIDs[t], let qw = q.weight(of: id), let list = termList(t), reaches(k, j, in: list, window: termWindow) else { continue }
                touched = true
                termSum += w * qw
            }
            return touched ? score(k, j, tagSum: tagSum, termSum: termSum) : nil
        }

        /// Scratch space of one worker.
        struct Sums {
            var tag: [Double], term: [Double], touched: [Int] = []
            /// When set, every candidate's score is kept here, not only the best.
            var all: [(article: Int, score: Double)]?
            init(_ n: Int) { tag = Array(repeating: 0, count: n); term = Array(repeating: 0, count: n) }
        }

        /// The best `count` candidates of article `k`.
        func choose(_ k: Int, into sums: inout Sums) -> [(article: Int, score: Double)] {
            let p = profiles[k]
            for (t, w) in p.tagList {
                guard let list = tagList(t) else { continue }
                // Every article with the tag weighs it alike (`profile`): the
                // product is that of each, without looking up each one's table.
                let tw = w * idf(tagDF[t]!)
                for j in reach(of: k, in: list, window: tagWindow) where j != k {
                    if sums.tag[j] == 0 && sums.term[j] == 0 { sums.touched.append(j) }
                    sums.tag[j] += tw
                }
            }
            for (n, (t, w)) in p.termList.enumerated() {
                guard let list = termList(t) else { continue }
                let id = p.termListIDs[n]
                for j in reach(of: k, in: list, window: termWindow) where j != k {
                    if sums.tag[j] == 0 && sums.term[j] == 0 { sums.touched.append(j) }
                    sums.term[j] += w * (profiles[j].weight(of: id) ?? 0)
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
                sums.all?.append(candidate)
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
        /// With `scores`, returns for each of `which` the scores of all its
        /// candidates (those it could be related to), in no order.
        @discardableResult
        mutating func chooseAll(_ which: [Int]? = nil, scores: Bool = false) -> [[(article: Int, score: Double)]] {
            let n = articles.count
            guard n > 1 else { chosen = Array(repeating: [], count: n); return [] }
            let list = which ?? Array(0..<n)
            let results = ResultSlots<(best: [(article: Int, score: Double)], all: [(article: Int, score: Double)])>(count: list.count)
            let next = AtomicCounter()
            let me = self
            let workers = max(1, min(self.workers, (list.count + 255) / 256))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                var sums = Sums(n)
                while true {
                    let m = next.increment()
                    guard m < list.count else { break }
                    if scores { sums.all = [] }
                    let best = me.choose(list[m], into: &sums)
                    results.set(m, (best, sums.all ?? []))
                }
            }
            let all = results.all
            for (m, result) in all.enumerated() { chosen[list[m]] = result.best }
            return scores ? all.map(\.all) : []
        }

        /// The articles whose window on a list of `k`'s can change when `k`
        /// moves in date order or leaves: those within half a window of it.
        func nearby(_ k: Int, tags: Set<String>, terms: Set<String>) -> Set<Int> {
            var near = Set<Int>()
            for t in tags { if let l = byTag[t], l.count > tagWindow, counts(tag: l.count) { near.formUnion(reach(of: k, in: l, window: tagWindow)) } }
            for t in terms { if let l = byTerm[t], l.count > termWindow, counts(term: l.count) { near.formUnion(reach(of: k, in: l, window: termWindow)) } }
            return near
        }

        /// After the articles at `changed` became `summaries` (the same
        /// articles, edited), chooses again for those whose choice can change;
        /// returns them, or nil when too much changed (build a new index).
        mutating func update(_ changed: [Int], _ summaries: [ArticleSummary]) -> [Int]? {
            let n = articles.count
            var changedTags = Set<String>(), changedTerms = Set<String>()
            var edits: [(k: Int, oldTags: Set<String>, newTags: Set<String>, oldTerms: Set<String>, newTerms: Set<String>, moved: Bool)] = []
            for (k, a) in zip(changed, summaries) {
                let edit = (k: k, oldTags: tagSets[k], newTags: Self.tags(a), oldTerms: Set(articles[k].keyTerms), newTerms: Set(a.keyTerms),
                            moved: a.date != articles[k].date || a.slug != articles[k].slug)
                changedTags.formUnion(edit.oldTags.symmetricDifference(edit.newTags))
                changedTerms.formUnion(edit.oldTerms.symmetricDifference(edit.newTerms))
                edits.append(edit)
            }
            let oldTagDF = changedTags.map { tagDF[$0] ?? 0 }, oldTermDF = changedTerms.map { termDF[$0] ?? 0 }
            // An article that moves in date order changes the windows of the
            // articles near where it was and near where it goes (and only
            // theirs: further away, a window holds the same articles).
            var shifted = Set<Int>()
            for e in edits where e.moved { shifted.formUnion(nearby(e.k, tags: e.oldTags, terms: e.oldTerms)) }
            // Out of the lists first, then into them, by their new place in date order.
            for (e, a) in zip(edits, summaries) {
                let gone = (tags: e.moved ? e.oldTags : e.oldTags.subtracting(e.newTags), terms: e.moved ? e.oldTerms : e.oldTerms.subtracting(e.newTerms))
                for t in gone.tags { byTag[t]!.removeAll { $0 == e.k } }
                for t in gone.terms { byTerm[t]!.removeAll { $0 == e.k } }
                for t in e.oldTags.subtracting(e.newTags) { tagDF[t]! -= 1 }
                for t in e.oldTerms.subtracting(e.newTerms) { termDF[t]! -= 1 }
                articles[e.k] = a
                tagSets[e.k] = e.newTags
                if e.moved {
                    order.remove(at: rank[e.k])
                    var lo = 0, hi = order.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if Self.dateOrder(articles[order[mid]], order[mid], articles[e.k], e.k) { lo = mid + 1 } else { hi = mid }
                    }
                    order.insert(e.k, at: lo)
                    for (r, k) in order.enumerated() { rank[k] = r }
                }
            }
            for e in edits {
                let added = (tags: e.moved ? e.newTags : e.newTags.subtracting(e.oldTags), terms: e.moved ? e.newTerms : e.newTerms.subtracting(e.oldTerms))
                for t in added.tags { var l = byTag[t, default: []]; l.insert(e.k, at: position(of: e.k, in: l)); byTag[t] = l }
                for t in added.terms { var l = byTerm[t, default: []]; l.insert(e.k, at: position(of: e.k, in: l)); byTerm[t] = l }
                for t in e.newTags.subtracting(e.oldTags) { tagDF[t, default: 0] += 1 }
                for t in e.newTerms.subtracting(e.oldTerms) { termDF[t, default: 0] += 1; number(t) }
            }
            for e in edits where e.moved { shifted.formUnion(nearby(e.k, tags: e.newTags, terms: e.newTerms)) }
            // Whose profile changed: the edited articles, and those holding a
            // tag or term whose frequency (so weight) changed. (A list that
            // gained or lost an article changed the windows of its articles
            // only, and one that crossed a limit (`tagLimit`) who its
            // articles are compared with: they are among these too.)
            var profiled = Set(changed)
            for (t, old) in zip(changedTags, oldTagDF) where counts(tag: old) || counts(tag: tagDF[t] ?? 0) { profiled.formUnion(byTag[t] ?? []) }
            for (t, old) in zip(changedTerms, oldTermDF) where counts(term: old) || counts(term: termDF[t] ?? 0) { profiled.formUnion(byTerm[t] ?? []) }
            for t in changedTags where byTag[t]?.isEmpty == true { byTag[t] = nil; tagDF[t] = nil }
            for t in changedTerms where byTerm[t]?.isEmpty == true { byTerm[t] = nil; termDF[t] = nil }
            // Each of them costs about what choosing for one article costs:
            // past a quarter of the site, choosing for all is as quick.
            guard profiled.count <= max(16, n / 4) else { return nil }
            for k in profiled { profiles[k] = profile(k) }
            // Those chosen again, with their scores against every candidate.
            // A score is symmetric (sums in key order of the terms both
            // share; reach is symmetric), so these are also the new scores
            // of each of them as a candidate of any other article.
            let profiledList = profiled.sorted()
            let scored = chooseAll(profiledList, scores: true)
            var isProfiled = [Bool](repeating: false, count: n), isEdited = isProfiled
            for k in profiledList { isProfiled[k] = true }
            for k in changed { isEdited[k] = true }
            // Those whose windows shifted are chosen again whole.
            var again = Set(shifted.filter { !isProfiled[$0] })
            // Any other article's candidates kept their scores, but for
            // those profiled: its best `count` of them, by their new scores.
            var bestProfiled: [Int: [(article: Int, score: Double)]] = [:]
            for (m, c) in profiledList.enumerated() {
                for (j, s) in scored[m] where !isProfiled[j] && !again.contains(j) {
                    var best = bestProfiled[j] ?? []
                    let candidate = (article: c, score: s)
                    if best.count == count, !before(candidate, best[count - 1]) { continue }
                    var at = best.count
                    while at > 0 && before(candidate, best[at - 1]) { at -= 1 }
                    best.insert(candidate, at: at)
                    if best.count > count { best.removeLast() }
                    bestProfiled[j] = best
                }
            }
            // Its new choice is the best of its old one and those, unless
            // one of its old choice is profiled and fell (or is an edited
            // article, whose place among equal scores may have changed):
            // then one it did not choose may now belong, and it is chosen
            // again whole. Those that kept their place or rose still rank
            // before every candidate it did not choose, as before.
            var merged: [Int] = []
            var others = Set(bestProfiled.keys)
            for k in chosen.indices where !isProfiled[k] && !again.contains(k) && chosen[k].contains(where: { isProfiled[$0.article] }) {
                others.insert(k)
            }
            for k in others.sorted() {
                var mine = chosen[k]
                var whole = false
                for (i, e) in mine.enumerated() where isProfiled[e.article] {
                    guard !isEdited[e.article], let s = pairScore(k, e.article), s >= e.score else { whole = true; break }
                    mine[i].score = s
                }
                if whole { again.insert(k); continue }
                for c in bestProfiled[k] ?? [] where !mine.contains(where: { $0.article == c.article }) { mine.append(c) }
                // (A closure, not `before` itself: a method passed as a
                // function takes a copy of the index, for every article.)
                mine.sort { before($0, $1) }
                if mine.count > count { mine.removeLast(mine.count - count) }
                if !mine.elementsEqual(chosen[k], by: { $0.article == $1.article && $0.score == $1.score }) {
                    chosen[k] = mine
                    merged.append(k)
                }
            }
            chooseAll(again.sorted())
            return (profiledList + again + merged).sorted()
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
