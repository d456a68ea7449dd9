/// The order the site lists its published articles in: newest first
/// (`ArticleSummary.newestFirst`), articles of one instant by title and
/// slug. As indices into the published articles (which are in path order).
///
/// A session keeps it: after an edit that changes a few articles' dates or
/// titles, those are taken out and put back where they now belong, instead
/// of sorting every article again (10 ms at 10,000 articles, paid by the
/// list pages and by the timelines).
struct NewestFirst: Sendable {
    /// What the order was made of, by index: the articles' paths and what sorts them.
    private(set) var paths: [String]
    private var dates: [DateTime?]
    private var epochs: [Int]
    private var titles: [String]
    private var slugs: [String]
    /// The published articles' indices, newest first.
    private(set) var order: [Int]

    init(paths: [String], _ summaries: [ArticleSummary]) {
        self.paths = paths
        dates = summaries.map(\.date)
        epochs = dates.map { $0?.epochSeconds ?? 0 }
        titles = summaries.map(\.title)
        slugs = summaries.map(\.slug)
        var order = Array(summaries.indices)
        let (dates, epochs, titles, slugs) = (dates, epochs, titles, slugs)
        dates.withUnsafeBufferPointer { dates in
            epochs.withUnsafeBufferPointer { epochs in
                order.sort { Self.before($0, $1, dates, epochs, titles, slugs) }
            }
        }
        self.order = order
    }

    /// Whether article `a` comes before `b`: `newestFirst`, then the index
    /// (for two articles with one slug, which a build reports).
    @inline(__always)
    private static func before(_ a: Int, _ b: Int, _ dates: UnsafeBufferPointer<DateTime?>, _ epochs: UnsafeBufferPointer<Int>,
                               _ titles: [String], _ slugs: [String]) -> Bool {
        let da = dates[a] != nil, db = dates[b] != nil
        if da && db {
            if epochs[a] != epochs[b] { return epochs[a] > epochs[b] }
        } else if da != db {
            return da
        }
        if titles[a] != titles[b] { return titles[a] < titles[b] }
        if slugs[a] != slugs[b] { return slugs[a] < slugs[b] }
        return a < b
    }

    /// The order of `summaries` (published at `paths`): `kept`'s, updated for
    /// the articles whose date, title or slug changed when it is of the same
    /// paths and only a few did; else sorted anew. `candidates`, when given,
    /// are the only articles that can differ from what `kept` was made of
    /// (a session knows which records are new): the others are not looked
    /// at, which at 10,000 articles is 2.5 MB of summaries not read again.
    static func make(_ kept: consuming NewestFirst?, paths: [String], _ summaries: [ArticleSummary],
                     candidates: [Int]? = nil) -> NewestFirst {
        guard var known = kept.take(), known.paths.count == paths.count,
              candidates?.allSatisfy({ known.paths[$0] == paths[$0] }) ?? (known.paths == paths)
        else { return NewestFirst(paths: paths, summaries) }
        var changed: [Int] = []
        // By index, not `enumerated()`, which copies each summary (a dozen references).
        for k in candidates.map({ Set($0).sorted() }) ?? Array(summaries.indices)
        where known.dates[k] != summaries[k].date || known.titles[k] != summaries[k].title || known.slugs[k] != summaries[k].slug {
            changed.append(k)
            if changed.count > 64 { return NewestFirst(paths: paths, summaries) }
        }
        guard !changed.isEmpty else { return known }
        var moved = [Bool](repeating: false, count: summaries.count)
        for k in changed {
            moved[k] = true
            known.dates[k] = summaries[k].date
            known.epochs[k] = summaries[k].date?.epochSeconds ?? 0
            known.titles[k] = summaries[k].title
            known.slugs[k] = summaries[k].slug
        }
        // Without the changed articles the order is still sorted; each goes
        // back in where it belongs.
        var order = known.order.filter { !moved[$0] }
        order.reserveCapacity(summaries.count)
        let (dates, epochs, titles, slugs) = (known.dates, known.epochs, known.titles, known.slugs)
        dates.withUnsafeBufferPointer { dates in
            epochs.withUnsafeBufferPointer { epochs in
                for k in changed {
                    var lo = 0, hi = order.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if before(order[mid], k, dates, epochs, titles, slugs) { lo = mid + 1 } else { hi = mid }
                    }
                    order.insert(k, at: lo)
                }
            }
        }
        known.order = order
        return known
    }
}
