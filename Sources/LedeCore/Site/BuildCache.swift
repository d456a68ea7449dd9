#if canImport(Glibc)
import Glibc
#endif

// The build cache: what a build knows about the site it built, kept in
// `.lede-cache/` so that the next build — in this process or a new one — can
// skip what did not change.
//
// One file per output folder and set of options (`.lede-cache/build-KEY.log`),
// written as a log: a header, then records that each say one thing ("article
// a.md is now this", "output x/index.html was removed"). A build appends only
// what changed; loading replays the log, later records winning. Every record
// carries a checksum, so a record torn by a crash is simply where the log ends.
// When the log holds much more than the state it describes, it is rewritten
// compactly (to a temporary file, then renamed over the old one).
//
// The cache is only ever an optimization: a missing, damaged or foreign file
// means a full build, and every fact in it is checked before it is used (a
// source by its stamp or content hash, an output file by its stamp).

/// What a build remembers about one article. A class, so that the ten
/// thousand records of a site are passed around and looked up without
/// copying; changed only by the thread that coordinates a build.
final class ArticleRecord: @unchecked Sendable {
    /// The source file's stamp when it was read, and when that was (a file
    /// changed within the same clock tick as the read is read again).
    var stamp: FileIO.Stamp
    var readAt: Int64
    var contentHash: UInt64
    /// Warnings and errors the article gave.
    var diagnostics: [Diagnostic]
    /// nil when the article has errors.
    var info: Info?
    /// Its pieces of list pages, once rendered (kept by a session, not stored).
    var cards: ArticleCards?
    /// The record as the cache log stores it, made by the worker that built
    /// the article (so that saving ten thousand records is a copy); nil once
    /// the record changes.
    var logged: (path: String, bytes: [UInt8])?

    init(stamp: FileIO.Stamp, readAt: Int64, contentHash: UInt64, diagnostics: [Diagnostic], info: Info?) {
        self.stamp = stamp
        self.readAt = readAt
        self.contentHash = contentHash
        self.diagnostics = diagnostics
        self.info = info
    }

    struct Info: Sendable {
        var slug: String
        /// The line of the front matter's `slug:`, or 0 when the slug comes
        /// from the file's name (for messages about the slug).
        var slugLine: Int = 0
        var isDraft: Bool
        var date: DateTime?
        var timelineCount: Int
        var takeawayCount: Int
        /// Hash of the article page's bytes, or 0 when the page was not rendered
        /// (a draft left out, say).
        var pageHash: UInt64
        /// Hash of what list pages show of the article (its card, its sitemap
        /// entry, its feed entry but for the body).
        var cardHash: UInt64
        /// Hash of what the choice of related explainers reads of the article
        /// (`ArticleSummary.relatedProfileHash`), and of what the site and
        /// topic timelines show of it (`timelineHash`).
        var profileHash: UInt64
        var timelineHash: UInt64
        /// Where the related explainers go in the page (the byte offset of
        /// `RelatedExplainers.placeholder` in the page as rendered), or -1
        /// when the template has no `{{related}}`.
        var relatedSlot: Int
        /// The summary, decoded when the site pages need it.
        var summary: ArticleSummary?
        var encodedSummary: [UInt8]?

        var pagePath: String { slug + "/index.html" }
        var timelinePath: String { slug + "/timeline.json" }
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// One file of the output folder as the last build left it.
struct OutputEntry: Sendable, Equatable {
    var hash: UInt64
    var stamp: FileIO.Stamp
}

/// A copied input (a file of static/ or templates/assets/).
struct CopiedSource: Sendable, Equatable {
    var stamp: FileIO.Stamp
    var readAt: Int64
    var hash: UInt64
}

/// How an article page's related explainers were last filled in.
struct RelatedFill: Sendable, Equatable {
    /// `Info.pageHash` of the page they were filled into.
    var pageHash: UInt64
    /// Hash of what was filled in (the related articles' cards).
    var relatedHash: UInt64
    /// Bytes filled in at `Info.relatedSlot`.
    var relatedLength: Int
    /// The related articles, by path relative to content/, best first.
    var related: [String]
    /// Hash of the page as written.
    var outputHash: UInt64
}

/// What the site pages were last built from.
struct SiteRecord: Sendable {
    /// Hash of everything the site pages depend on; 0 when unknown.
    var inputsHash: UInt64 = 0
    var pages = 0
    /// The rendered bodies of the articles in the feed, by source path.
    var feedBodies: [String: FeedBody] = [:]
    /// The site pages' output paths.
    var pagePaths: [String] = []
    /// What the feed was last made from (its articles, newest first), and a
    /// hash of each tag page's inputs, by output path.
    var feedInputs: UInt64 = 0
    var feedPaths: [String] = []
    var tagInputs: [String: UInt64] = [:]
    var sitemapInputs: UInt64 = 0
    /// Output paths and page count of the site timelines and the search page
    /// (SiteFeatures), and what the timelines and the related explainers'
    /// choice were last made from.
    var featurePaths: [String] = []
    var featurePages = 0
    var timelineInputs: UInt64 = 0
    var relatedInputs: UInt64 = 0
    /// The stamp of the search index's `pagefind/pagefind-entry.json` as the
    /// last build left it; nil when the site has no search index.
    var searchStamp: FileIO.Stamp?
}

/// A build whose site record is the one the log already ends with appends
/// none (at 10,000 articles it is 1.5 MB, mostly the feed's bodies).
extension SiteRecord: Equatable {}

/// An article's body as the feed shows it, and the hash of the source it was rendered from.
struct FeedBody: Sendable, Equatable {
    var contentHash: UInt64
    var body: String
}

/// Everything the cache holds.
struct CacheState: Sendable {
    var siteKey: UInt64 = 0
    var articles: [String: ArticleRecord] = [:]
    var outputs: [String: OutputEntry] = [:]
    var sources: [String: CopiedSource] = [:]
    var site = SiteRecord()
    /// By article path (relative to content/).
    var fills: [String: RelatedFill] = [:]
    /// The token this cache last wrote as the output folder's owner.
    var owner: UInt64 = 0
}

/// The log file of one output folder's build cache.
final class BuildCache {
    static let formatVersion: UInt32 = 4
    static let magic: [UInt8] = Array("LEDECACHE\n".utf8)

    let path: String
    /// Bytes in the file (where the next record goes), and bytes of records that
    /// were superseded since the last compaction (roughly).
    private var fileSize = 0
    private var liveEstimate = 0
    private var lockFD: Int32 = -1
    /// The log's stamp after this process last read or wrote it.
    private var seen: FileIO.Stamp?

    init(folder: String, key: String) {
        path = folder + "/build-" + key + ".log"
    }

    deinit { unlock() }

    /// Takes the cache's lock, so that two builds of one site do not mix their
    /// records; waits for another build to finish.
    func lock() {
        guard lockFD < 0 else { return }
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        try? FileIO.makeDirectories(folder)
        lockFD = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if lockFD >= 0 { while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {} }
    }

    func unlock() {
        if lockFD >= 0 { close(lockFD); lockFD = -1 }
    }

    /// Whether another process wrote the log since this one last did.
    var changedOnDisk: Bool { FileIO.stamp(path) != seen }

    // MARK: Loading

    /// Replays the log. A missing or foreign file gives an empty state.
    ///
    /// The file is mapped, not read: read into memory, the 36 MB log of a
    /// 10,000-article site cost a fifth of a build with nothing to do, most
    /// of it faulting in fresh pages to copy into.
    func load() -> CacheState {
        var state = CacheState()
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return state }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0,
              let mapped = mmap(nil, Int(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), mapped != MAP_FAILED
        else { return state }
        defer { munmap(mapped, Int(st.st_size)) }
        let all = UnsafeRawBufferPointer(start: mapped, count: Int(st.st_size))
        var header = ByteWriter()
        Self.writeHeader(&header)
        guard all.count >= header.bytes.count, all.prefix(header.bytes.count).elementsEqual(header.bytes) else { return state }
        let start = header.bytes.count
        /// The body of the record framed at `at` (length, body, checksum), if it is whole.
        func body(at: Int) -> UnsafeRawBufferPointer? {
            guard at + 13 <= all.count else { return nil }
            let length = Int(all.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            guard length >= 1, at + 4 + length + 8 <= all.count else { return nil }
            return UnsafeRawBufferPointer(rebasing: all[(at + 4)..<(at + 4 + length)])
        }
        // The records' kinds, counted first: the tables are made once at
        // their size instead of growing (and hashing every path again) as
        // they fill.
        var counts = [Int](repeating: 0, count: 256)
        var at = start
        while let body = body(at: at) {
            counts[Int(body[0])] += 1
            at += 4 + body.count + 8
        }
        state.articles.reserveCapacity(counts[Int(Kind.article.rawValue)])
        state.outputs.reserveCapacity(counts[Int(Kind.output.rawValue)])
        state.fills.reserveCapacity(counts[Int(Kind.fill.rawValue)])
        // What the log holds for nothing (records that later ones replaced
        // or removed), estimated as it is replayed: a record that replaces
        // one is taken to be as long as it. The log is compacted by how much
        // of it is live, so a log loaded with much of it dead must not count
        // as all live (after 150 title edits in a session, a 334 MB log
        // described 36 MB).
        var dead = 0, outputBytes = 0
        at = start
        while let body = body(at: at) {
            let check = all.loadUnaligned(fromByteOffset: at + 4 + body.count, as: UInt64.self).littleEndian
            guard Hash64.hash(body) == check else { break }
            let size = 4 + body.count + 8, kind = Kind(rawValue: body[0]), key = state.siteKey
            var reader = ByteReader(body)
            let replaced: Bool
            do { replaced = try Self.apply(&reader, to: &state) } catch { break }
            switch kind {
            case .siteKey where state.siteKey != key: dead = at - start - outputBytes  // all but the outputs
            case .outputsCleared: dead += outputBytes + size; outputBytes = 0
            case .output: if replaced { dead += size } else { outputBytes += size }
            case .articleRemoved, .outputRemoved, .sourceRemoved, .fillRemoved: dead += replaced ? 2 * size : size
            default: if replaced { dead += size }
            }
            at += size
        }
        fileSize = at
        liveEstimate = max(0, at - dead)
        if at < all.count { truncate(path, off_t(at)) }  // drop a torn tail (the mapping is not read again)
        seen = FileIO.stamp(path)
        return state
    }

    enum Kind: UInt8 {
        case siteKey = 1, article, articleRemoved, output, outputRemoved, outputsCleared, source, sourceRemoved, site, owner, fill, fillRemoved
    }

    /// Replays one record; returns whether it took the place of what an
    /// earlier record said of the same thing (an article, an output, the
    /// site...), which the log then holds for nothing.
    @discardableResult
    static func apply(_ r: inout ByteReader, to state: inout CacheState) throws -> Bool {
        guard let kind = Kind(rawValue: try r.u8()) else { throw ByteReader.Failure() }
        switch kind {
        case .siteKey:
            let key = try r.u64()
            // Emptied keeping their room: the log's first record is a site
            // key, and the tables were made at their size before replaying.
            if key != state.siteKey {
                state.articles.removeAll(keepingCapacity: true)
                state.site = SiteRecord()
                state.fills.removeAll(keepingCapacity: true)
            }
            state.siteKey = key
        case .article:
            let path = try r.string()
            return state.articles.updateValue(try r.articleRecord(), forKey: path) != nil
        case .articleRemoved:
            return state.articles.removeValue(forKey: try r.string()) != nil
        case .output:
            let path = try r.string()
            return state.outputs.updateValue(OutputEntry(hash: try r.u64(), stamp: try r.stamp()), forKey: path) != nil
        case .outputRemoved:
            return state.outputs.removeValue(forKey: try r.string()) != nil
        case .outputsCleared:
            state.outputs.removeAll(keepingCapacity: true)
        case .source:
            let path = try r.string()
            return state.sources.updateValue(CopiedSource(stamp: try r.stamp(), readAt: try r.i64(), hash: try r.u64()), forKey: path) != nil
        case .sourceRemoved:
            return state.sources.removeValue(forKey: try r.string()) != nil
        case .site:
            var site = SiteRecord()
            site.inputsHash = try r.u64()
            site.pages = try r.int()
            for _ in 0..<(try r.int()) {
                let path = try r.string()
                site.feedBodies[path] = FeedBody(contentHash: try r.u64(), body: try r.string())
            }
            for _ in 0..<(try r.count()) { site.pagePaths.append(try r.string()) }
            site.feedInputs = try r.u64()
            for _ in 0..<(try r.count()) { site.feedPaths.append(try r.string()) }
            for _ in 0..<(try r.count()) {
                let path = try r.string()
                site.tagInputs[path] = try r.u64()
            }
            site.sitemapInputs = try r.u64()
            for _ in 0..<(try r.count()) { site.featurePaths.append(try r.string()) }
            site.featurePages = try r.int()
            site.timelineInputs = try r.u64()
            site.relatedInputs = try r.u64()
            if try r.bool() { site.searchStamp = try r.stamp() }
            defer { state.site = site }
            return state.site != SiteRecord()
        case .owner:
            let replaced = state.owner != 0
            state.owner = try r.u64()
            return replaced
        case .fill:
            let path = try r.string()
            var fill = RelatedFill(pageHash: try r.u64(), relatedHash: try r.u64(), relatedLength: try r.int(), related: [], outputHash: 0)
            for _ in 0..<(try r.count()) { fill.related.append(try r.string()) }
            fill.outputHash = try r.u64()
            return state.fills.updateValue(fill, forKey: path) != nil
        case .fillRemoved:
            return state.fills.removeValue(forKey: try r.string()) != nil
        }
        return false
    }

    // MARK: Writing

    /// Records for a change, built by the caller and appended in one write.
    struct Batch {
        var writer = ByteWriter()
        var count = 0
        /// Off when nothing will be appended (no cache, or the whole log is
        /// about to be rewritten): records are then not even encoded.
        var enabled = true

        mutating func add(_ kind: Kind, _ body: (inout ByteWriter) -> Void) {
            guard enabled else { return }
            Self.frame(kind, into: &writer, body)
            count += 1
        }

        /// One record: length, kind, body, checksum.
        static func frame(_ kind: Kind, into writer: inout ByteWriter, _ body: (inout ByteWriter) -> Void) {
            let start = writer.bytes.count
            writer.u32(0)  // length, patched below
            writer.u8(kind.rawValue)
            body(&writer)
            let length = writer.bytes.count - start - 4
            writer.patchU32(at: start, UInt32(length))
            let hash = writer.bytes.withUnsafeBytes { Hash64.hash(UnsafeRawBufferPointer(rebasing: $0[(start + 4)...])) }
            writer.u64(hash)
        }

        /// The log record of an article, ready to append.
        static func logged(_ path: String, _ record: ArticleRecord) -> [UInt8] {
            var w = ByteWriter()
            frame(.article, into: &w) { $0.string(path); $0.articleRecord(record) }
            return w.bytes
        }

        mutating func siteKey(_ key: UInt64) { add(.siteKey) { $0.u64(key) } }
        mutating func article(_ path: String, _ record: ArticleRecord) {
            guard enabled else { return }
            if let logged = record.logged, logged.path == path {
                writer.bytes += logged.bytes
                count += 1
            } else {
                add(.article) { $0.string(path); $0.articleRecord(record) }
            }
        }
        mutating func articleRemoved(_ path: String) { add(.articleRemoved) { $0.string(path) } }
        mutating func output(_ path: String, _ entry: OutputEntry) { add(.output) { $0.string(path); $0.u64(entry.hash); $0.stamp(entry.stamp) } }
        mutating func outputRemoved(_ path: String) { add(.outputRemoved) { $0.string(path) } }
        mutating func owner(_ token: UInt64) { add(.owner) { $0.u64(token) } }
        mutating func outputsCleared() { add(.outputsCleared) { _ in } }
        mutating func source(_ path: String, _ s: CopiedSource) { add(.source) { $0.string(path); $0.stamp(s.stamp); $0.i64(s.readAt); $0.u64(s.hash) } }
        mutating func sourceRemoved(_ path: String) { add(.sourceRemoved) { $0.string(path) } }
        mutating func fill(_ path: String, _ f: RelatedFill) {
            add(.fill) { w in
                w.string(path); w.u64(f.pageHash); w.u64(f.relatedHash); w.int(f.relatedLength)
                w.int(f.related.count)
                for p in f.related { w.string(p) }
                w.u64(f.outputHash)
            }
        }
        mutating func fillRemoved(_ path: String) { add(.fillRemoved) { $0.string(path) } }
        mutating func site(_ site: SiteRecord) {
            add(.site) { w in
                w.u64(site.inputsHash)
                w.int(site.pages)
                w.int(site.feedBodies.count)
                for (path, entry) in site.feedBodies.sorted(by: { $0.key < $1.key }) {
                    w.string(path); w.u64(entry.contentHash); w.string(entry.body)
                }
                w.int(site.pagePaths.count)
                for path in site.pagePaths { w.string(path) }
                w.u64(site.feedInputs)
                w.int(site.feedPaths.count)
                for path in site.feedPaths { w.string(path) }
                w.int(site.tagInputs.count)
                for (path, hash) in site.tagInputs.sorted(by: { $0.key < $1.key }) { w.string(path); w.u64(hash) }
                w.u64(site.sitemapInputs)
                w.int(site.featurePaths.count)
                for path in site.featurePaths { w.string(path) }
                w.int(site.featurePages)
                w.u64(site.timelineInputs)
                w.u64(site.relatedInputs)
                w.bool(site.searchStamp != nil)
                if let stamp = site.searchStamp { w.stamp(stamp) }
            }
        }
    }

    static func writeHeader(_ w: inout ByteWriter) {
        w.bytes += magic
        w.u32(formatVersion)
        w.string(LedeVersion.string)
    }

    /// Appends a batch; rewrites the whole file from `state` instead when the
    /// log has grown well past what it describes. Failures are ignored: the
    /// next build then finds less in the cache, never something wrong.
    func append(_ batch: Batch, state: () -> CacheState) {
        guard batch.count > 0 else { return }
        liveEstimate += batch.writer.bytes.count / 4  // most appends replace older records
        if fileSize == 0 || fileSize + batch.writer.bytes.count > 2 * liveEstimate + (4 << 20) {
            rewrite(state())
            return
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { rewrite(state()); return }
        defer { close(fd) }
        let ok = Self.writeAll(fd, batch.writer.bytes)
        if ok { fileSize += batch.writer.bytes.count } else { ftruncate(fd, off_t(fileSize)) }
        seen = FileIO.stamp(path)
    }

    /// Writes all of `bytes` to `fd`; false on a failure (the caller undoes).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { p -> Bool in
            var off = 0
            while off < p.count {
                let r = write(fd, p.baseAddress! + off, p.count - off)
                if r < 0 { if errno == EINTR { continue }; return false }
                off += r
            }
            return true
        }
    }

    /// Whether the log has no records yet (the next save rewrites it whole).
    var isEmpty: Bool { fileSize == 0 }

    /// Writes the whole state as a new log, streamed to a temporary file a
    /// megabyte at a time (the encoded summaries of a big site are tens of
    /// megabytes, which a build should not hold a second time), then renamed
    /// into place.
    func rewrite(_ state: CacheState) {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        let temporary = path + ".tmp-\(getpid())"
        try? FileIO.makeDirectories(folder)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var ok = true, written = 0
        var w = ByteWriter()
        Self.writeHeader(&w)
        var batch = Batch(writer: w, count: 0, enabled: true)
        func flush(_ atLeast: Int) {
            guard ok, batch.writer.bytes.count >= atLeast else { return }
            ok = Self.writeAll(fd, batch.writer.bytes)
            written += batch.writer.bytes.count
            batch.writer.bytes.removeAll(keepingCapacity: true)
        }
        let chunk = 1 << 20
        batch.siteKey(state.siteKey)
        for (path, record) in state.articles.sorted(by: { $0.key < $1.key }) { batch.article(path, record); flush(chunk) }
        for (path, entry) in state.outputs.sorted(by: { $0.key < $1.key }) { batch.output(path, entry); flush(chunk) }
        for (path, source) in state.sources.sorted(by: { $0.key < $1.key }) { batch.source(path, source); flush(chunk) }
        batch.site(state.site)
        for (path, fill) in state.fills.sorted(by: { $0.key < $1.key }) { batch.fill(path, fill); flush(chunk) }
        batch.owner(state.owner)
        flush(0)
        close(fd)
        if ok, (try? FileIO.rename(temporary, to: path)) != nil {
            fileSize = written
            liveEstimate = fileSize
            seen = FileIO.stamp(path)
        } else {
            try? FileIO.removeFile(temporary)
        }
    }
}

// MARK: - Bytes

/// Little-endian integers, LEB128 varints and length-prefixed UTF-8.
struct ByteWriter {
    var bytes: [UInt8] = []

    /// A writer with room for `capacity` bytes (hashes of many small fields
    /// otherwise spend more on growing the buffer than on the fields).
    init(capacity: Int = 0) {
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func patchU32(at offset: Int, _ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { for k in 0..<4 { bytes[offset + k] = $0[k] } }
    }
    mutating func uvarint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    /// Zig-zag encoded.
    mutating func int(_ v: Int) { uvarint(UInt64(bitPattern: Int64((v << 1) ^ (v >> 63)))) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func string(_ s: String) {
        // Through withUTF8: appending `s.utf8` went byte by byte for the
        // short strings most fields are (325 instructions a field).
        s.withUTF8Bytes { p in
            uvarint(UInt64(p.count))
            bytes.append(contentsOf: p)
        }
    }
    mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }
}

struct ByteReader {
    struct Failure: Error {}
    let p: UnsafeRawBufferPointer
    var at = 0

    init(_ p: UnsafeRawBufferPointer) { self.p = p }

    mutating func u8() throws -> UInt8 {
        guard at < p.count else { throw Failure() }
        defer { at += 1 }
        return p[at]
    }
    mutating func u32() throws -> UInt32 {
        guard at + 4 <= p.count else { throw Failure() }
        defer { at += 4 }
        return UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    mutating func u64() throws -> UInt64 {
        guard at + 8 <= p.count else { throw Failure() }
        defer { at += 8 }
        return UInt64(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }
    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    mutating func uvarint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try u8()
            guard shift < 64 else { throw Failure() }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }
    mutating func int() throws -> Int {
        let z = Int64(bitPattern: try uvarint())
        return Int((z >>> 1) ^ -(z & 1))
    }
    mutating func bool() throws -> Bool { try u8() != 0 }
    mutating func string() throws -> String {
        let n = Int(try uvarint())
        guard n >= 0, at + n <= p.count else { throw Failure() }
        defer { at += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: p[at..<(at + n)]), as: UTF8.self)
    }
    mutating func optionalString() throws -> String? { try bool() ? try string() : nil }
    mutating func bytes() throws -> [UInt8] {
        let n = Int(try uvarint())
        guard n >= 0, at + n <= p.count else { throw Failure() }
        defer { at += n }
        return Array(UnsafeRawBufferPointer(rebasing: p[at..<(at + n)]))
    }
}

infix operator >>> : BitwiseShiftPrecedence
/// Logical shift right of a signed value.
private func >>> (a: Int64, b: Int64) -> Int64 { Int64(bitPattern: UInt64(bitPattern: a) >> UInt64(b)) }

// MARK: - Codecs of the cached values

extension ByteWriter {
    mutating func stamp(_ s: FileIO.Stamp) {
        i64(s.size); i64(s.mtime); i64(s.ctime); u64(s.inode); bool(s.isDirectory)
    }

    mutating func dateTime(_ d: DateTime?) {
        guard let d else { u8(0); return }
        u8(d.utcOffset == nil ? 1 : 2)
        int(d.year); int(d.month); int(d.day); int(d.hour); int(d.minute); int(d.second)
        if let off = d.utcOffset { int(off) }
        bool(d.hasTime)
    }

    mutating func diagnostic(_ d: Diagnostic) {
        u8(d.severity == .error ? 1 : 0)
        string(d.path); int(d.line); int(d.column); string(d.message)
    }

    mutating func summary(_ a: ArticleSummary) {
        string(a.path); string(a.slug); string(a.title); string(a.summary)
        dateTime(a.date); dateTime(a.updated); optionalString(a.author)
        int(a.tags.count)
        for t in a.tags { string(t) }
        int(a.readingMinutes)
        int(a.timeline.count)
        for e in a.timeline {
            string(e.value); optionalString(e.endValue); string(e.display); string(e.text); optionalString(e.title)
            string(e.anchor); u8(e.source == .text ? 0 : 1); int(e.order)
        }
        int(a.takeaways.count)
        for t in a.takeaways {
            string(t.text); string(t.source.rawValue); string(t.anchor)
        }
        int(a.keyTerms.count)
        for t in a.keyTerms { string(t) }
    }

    mutating func articleRecord(_ r: ArticleRecord) {
        stamp(r.stamp); i64(r.readAt); u64(r.contentHash)
        int(r.diagnostics.count)
        for d in r.diagnostics { diagnostic(d) }
        guard let info = r.info else { bool(false); return }
        bool(true)
        string(info.slug); int(info.slugLine); bool(info.isDraft); dateTime(info.date)
        int(info.timelineCount); int(info.takeawayCount); u64(info.pageHash); u64(info.cardHash)
        u64(info.profileHash); u64(info.timelineHash); int(info.relatedSlot)
        var inner = ByteWriter()
        if let encoded = info.encodedSummary { inner.bytes = encoded } else if let s = info.summary { inner.summary(s) }
        uvarint(UInt64(inner.bytes.count))
        bytes += inner.bytes
    }
}

extension ByteReader {
    mutating func stamp() throws -> FileIO.Stamp {
        FileIO.Stamp(size: try i64(), mtime: try i64(), ctime: try i64(), inode: try u64(), isDirectory: try bool())
    }

    mutating func dateTime() throws -> DateTime? {
        let tag = try u8()
        guard tag != 0 else { return nil }
        var d = DateTime(year: try int(), month: try int(), day: try int(), hour: try int(), minute: try int(), second: try int())
        if tag == 2 { d.utcOffset = try int() }
        d.hasTime = try bool()
        return d
    }

    mutating func diagnostic() throws -> Diagnostic {
        let severity: Diagnostic.Severity = try u8() == 1 ? .error : .warning
        return Diagnostic(severity, path: try string(), line: try int(), column: try int(), try string())
    }

    mutating func summary() throws -> ArticleSummary {
        let path = try string(), slug = try string(), title = try string(), summary = try string()
        let date = try dateTime(), updated = try dateTime(), author = try optionalString()
        var tags: [String] = []
        for _ in 0..<(try count()) { tags.append(try string()) }
        let minutes = try int()
        var timeline: [TimelineEvent] = []
        for _ in 0..<(try count()) {
            timeline.append(TimelineEvent(
                value: try string(), endValue: try optionalString(), display: try string(), text: try string(),
                title: try optionalString(), anchor: try string(), source: try u8() == 0 ? .text : .frontMatter, order: try int()))
        }
        var takeaways: [Takeaway] = []
        for _ in 0..<(try count()) {
            let text = try string()
            guard let source = Takeaway.Source(rawValue: try string()) else { throw Failure() }
            takeaways.append(Takeaway(text: text, source: source, anchor: try string()))
        }
        var keyTerms: [String] = []
        for _ in 0..<(try count()) { keyTerms.append(try string()) }
        return ArticleSummary(path: path, slug: slug, title: title, summary: summary, date: date, updated: updated,
                              author: author, tags: tags, readingMinutes: minutes, timeline: timeline, takeaways: takeaways,
                              keyTerms: keyTerms)
    }

    mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= p.count else { throw Failure() }
        return n
    }

    mutating func articleRecord() throws -> ArticleRecord {
        let stamp = try stamp(), readAt = try i64(), hash = try u64()
        var diagnostics: [Diagnostic] = []
        for _ in 0..<(try count()) { diagnostics.append(try diagnostic()) }
        let record = ArticleRecord(stamp: stamp, readAt: readAt, contentHash: hash, diagnostics: diagnostics, info: nil)
        if try bool() {
            let slug = try string(), slugLine = try int(), isDraft = try bool(), date = try dateTime()
            let timelineCount = try int(), takeawayCount = try int(), pageHash = try u64(), cardHash = try u64()
            let profileHash = try u64(), timelineHash = try u64(), relatedSlot = try int()
            record.info = ArticleRecord.Info(slug: slug, slugLine: slugLine, isDraft: isDraft, date: date, timelineCount: timelineCount,
                                             takeawayCount: takeawayCount, pageHash: pageHash, cardHash: cardHash,
                                             profileHash: profileHash, timelineHash: timelineHash, relatedSlot: relatedSlot,
                                             summary: nil, encodedSummary: try bytes())
        }
        return record
    }
}

extension ArticleSummary {
    /// Hash of what list pages, the sitemap and the feed show of the article
    /// (all of it but the timeline, the takeaways and the body).
    var cardHash: UInt64 {
        var w = ByteWriter()
        w.string(slug); w.string(title); w.string(summary); w.dateTime(date); w.dateTime(updated); w.optionalString(author)
        w.int(tags.count)
        for t in tags { w.string(t) }
        w.int(readingMinutes)
        return Hash64.hash(w.bytes)
    }

    /// Hash of what choosing related explainers reads of the article: its
    /// tags, key terms and the years of its timeline, and, for ties, its
    /// date, title and slug (`RelatedExplainers.choose`).
    var relatedProfileHash: UInt64 {
        var w = ByteWriter(capacity: 512 + timeline.count * 24)
        w.string(slug); w.string(title); w.dateTime(date)
        w.int(tags.count)
        for t in tags { w.string(t) }
        w.int(keyTerms.count)
        for t in keyTerms { w.string(t) }
        // By index: `for e in timeline` copied each event (six strings).
        for i in timeline.indices { w.string(timeline[i].value); w.optionalString(timeline[i].endValue) }
        return Hash64.hash(w.bytes)
    }

    /// Hash of what the site and topic timelines show of the article: its
    /// slug, title, tags and every field of its timeline.
    var timelineHash: UInt64 {
        var w = ByteWriter(capacity: 256 + timeline.count * 320)
        w.string(slug); w.string(title)
        w.int(tags.count)
        for t in tags { w.string(t) }
        w.int(timeline.count)
        for i in timeline.indices {
            w.string(timeline[i].value); w.optionalString(timeline[i].endValue); w.string(timeline[i].display)
            w.string(timeline[i].text); w.optionalString(timeline[i].title)
            w.string(timeline[i].anchor); w.u8(timeline[i].source == .text ? 0 : 1); w.int(timeline[i].order)
        }
        return Hash64.hash(w.bytes)
    }
}

extension ArticleRecord.Info {
    /// The summary, decoding it from the cache's bytes if need be.
    func decodedSummary() -> ArticleSummary? {
        if let summary { return summary }
        guard let encodedSummary else { return nil }
        return encodedSummary.withUnsafeBytes { p in
            var r = ByteReader(p)
            return try? r.summary()
        }
    }
}
