/// What the site pass (the features and the site pages) reads of each
/// published article's record, in arrays by article, with the hashes that
/// tell its parts whether their inputs changed kept as sums of one hash per
/// article. A session keeps it and puts in only the new records (a changed
/// article gets a new record). Read again from 10,000 records, each its own
/// object in memory, for each rebuild, the passes over them were most of
/// what the features and list pages did of their own in a title edit.
struct ArticleColumns {
    /// The records, in the order of the published articles (by path).
    var records: [ArticleRecord]
    var cardHash: [UInt64]
    var timelineHash: [UInt64]
    var profileHash: [UInt64]
    var pageHash: [UInt64]
    var relatedSlot: [Int]
    var hasTimeline: [Bool]
    /// The year of each article's date; `Int.min` when it has none.
    var year: [Int]
    /// Per article, a hash of its path with what each part reads (the list
    /// pages: the card hash and whether it has a timeline; the timelines:
    /// the timeline hash; related explainers: the profile hash), and the
    /// sums of each, wrapping.
    private var listPart: [UInt64], timelinePart: [UInt64], profilePart: [UInt64]
    private(set) var listSum: UInt64 = 0, timelineSum: UInt64 = 0, profileSum: UInt64 = 0

    /// Of the articles `published`, whose records are `records`: `kept`
    /// with the new records put in, when it is of as many articles and
    /// few differ (see `SiteSession.newRecords`); else made anew.
    static func make(_ kept: consuming ArticleColumns?, _ published: [(path: String, record: ArticleRecord)],
                     records: [ArticleRecord]) -> ArticleColumns {
        if var known = kept.take(), let changed = SiteSession.newRecords(records, since: known.records) {
            for k in changed { known.set(k, published[k]) }
            known.records = records
            return known
        }
        let n = records.count
        var made = ArticleColumns(records: records, cardHash: Array(repeating: 0, count: n), timelineHash: Array(repeating: 0, count: n),
                                  profileHash: Array(repeating: 0, count: n), pageHash: Array(repeating: 0, count: n),
                                  relatedSlot: Array(repeating: 0, count: n), hasTimeline: Array(repeating: false, count: n),
                                  year: Array(repeating: .min, count: n), listPart: Array(repeating: 0, count: n),
                                  timelinePart: Array(repeating: 0, count: n), profilePart: Array(repeating: 0, count: n))
        for k in published.indices { made.set(k, published[k]) }
        return made
    }

    /// The latest year of the articles' dates, if any has one.
    var latestYear: Int? {
        let y = year.max() ?? .min
        return y == .min ? nil : y
    }

    private mutating func set(_ k: Int, _ article: (path: String, record: ArticleRecord)) {
        let info = article.record.info!
        (cardHash[k], timelineHash[k], profileHash[k]) = (info.cardHash, info.timelineHash, info.profileHash)
        (pageHash[k], relatedSlot[k]) = (info.pageHash, info.relatedSlot)
        hasTimeline[k] = info.timelineCount > 0
        year[k] = info.date?.year ?? .min
        var path = ByteWriter()
        path.string(article.path)
        let pathHash = Hash64.hash(path.bytes)
        func part(_ value: UInt64, _ flag: Bool = false) -> UInt64 {
            var w = ByteWriter()
            w.u64(pathHash); w.u64(value); w.bool(flag)
            return Hash64.hash(w.bytes)
        }
        listSum = listSum &- listPart[k]
        listPart[k] = part(info.cardHash, hasTimeline[k])
        listSum = listSum &+ listPart[k]
        timelineSum = timelineSum &- timelinePart[k]
        timelinePart[k] = part(info.timelineHash)
        timelineSum = timelineSum &+ timelinePart[k]
        profileSum = profileSum &- profilePart[k]
        profilePart[k] = part(info.profileHash)
        profileSum = profileSum &+ profilePart[k]
    }
}
