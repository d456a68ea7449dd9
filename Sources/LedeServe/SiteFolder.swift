import Foundation
import LedeCore
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file ready to be sent: its bytes (HTML pages with the live-reload script
/// already in them), type, and validators.
public struct ServedFile: Sendable {
    public var body: ByteBuffer
    public var contentType: String
    /// Strong validator, from the bytes sent (`"1f3a…"`).
    public var etag: String
    /// For HTML: the hash of the page as built, which the live-reload script
    /// compares to find out whether it is out of date.
    public var tag: String?
    public var lastModified: String
    /// Modification time in whole seconds, for `If-Modified-Since`.
    public var modifiedSeconds: Int
}

/// The built site on disk, as the server sees it: answers `PathResolver`'s
/// questions with symbolic links resolved and anything outside the folder
/// treated as missing, and loads files through a small cache that is checked
/// against the file's inode, size and modification time on every request (so
/// it is right whoever rewrote the folder, a full build or an incremental one).
public final class SiteFolder: @unchecked Sendable {
    public let root: String
    private let lock = Lock()
    private var cache: [String: (stamp: Stamp, file: ServedFile)] = [:]
    private var cachedBytes = 0
    private var realRoot: String?
    /// Files bigger than this are served but not kept.
    static let maxCachedFile = 8 << 20
    static let maxCacheBytes = 256 << 20

    public init(root: String) {
        self.root = root
    }

    struct Stamp: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    /// The real path of the site folder (resolved once it exists).
    private func resolvedRoot() -> String? {
        if let r = lock.withLock({ realRoot }) { return r }
        guard let r = Self.realPath(root) else { return nil }
        lock.withLock { realRoot = r }
        return r
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// The real path of a file of the site, or nil when it does not exist or
    /// lies outside the site folder (a symbolic link pointing out).
    func contained(_ relative: String) -> String? {
        guard let base = resolvedRoot(), let real = Self.realPath(root + "/" + relative) else { return nil }
        guard real == base || real.hasPrefix(base == "/" ? "/" : base + "/") else { return nil }
        return real
    }

    /// What `relative` is, for `PathResolver.resolve`.
    public func kind(_ relative: String) -> PathResolver.Kind {
        guard let real = contained(relative) else { return .missing }
        var st = stat()
        guard stat(real, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .missing
        }
    }

    /// Resolves a request target against this folder.
    public func resolve(_ target: String) -> PathResolver.Resolution {
        PathResolver.resolve(target) { kind($0) }
    }

    /// The file at `relative`, ready to send; nil when it is gone or outside.
    public func load(_ relative: String) -> ServedFile? {
        guard let real = contained(relative) else { return nil }
        let fd = open(real, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let stamp = Stamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                          seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec))
        if let hit = lock.withLock({ cache[relative] }), hit.stamp == stamp { return hit.file }

        guard let bytes = Self.readAll(fd, size: Int(st.st_size)) else { return nil }
        let contentType = MIMEType.forPath(relative)
        var served = bytes
        var tag: String?
        if contentType.hasPrefix("text/html") {
            let pageTag = ContentHash.hex(bytes)
            tag = pageTag
            served = LiveReload.inject(into: bytes, tag: pageTag)
        }
        let file = ServedFile(
            body: ByteBuffer(bytes: served), contentType: contentType,
            etag: "\"" + ContentHash.hex(served) + "\"", tag: tag,
            lastModified: HTTPDate.format(stamp.seconds), modifiedSeconds: stamp.seconds)
        if served.count <= Self.maxCachedFile {
            lock.withLock {
                if let old = cache[relative] { cachedBytes -= old.file.body.readableBytes }
                if cachedBytes + served.count > Self.maxCacheBytes {
                    cache.removeAll(keepingCapacity: true)
                    cachedBytes = 0
                }
                cache[relative] = (stamp, file)
                cachedBytes += served.count
            }
        }
        return file
    }

    /// Forgets every cached file (after the site folder was replaced).
    public func forgetAll() {
        lock.withLock {
            cache.removeAll()
            cachedBytes = 0
            realRoot = nil
        }
    }

    static func readAll(_ fd: Int32, size: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let r = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, size - got) }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { return nil }
            if r == 0 { break }
            got += r
        }
        if got < size { out.removeLast(size - got) }
        return out
    }
}

/// A stable 64-bit content hash (FNV-1a): the same bytes give the same ETag in
/// every run of the server.
public enum ContentHash {
    public static func hex(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buf in
            for b in buf {
                h ^= UInt64(b)
                h &*= 0x100_0000_01b3
            }
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// HTTP dates (RFC 9110 IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
public enum HTTPDate {
    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    }

    /// Parses an IMF-fixdate; nil for anything else.
    public static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT",
              let day = Int32(parts[1]), let month = months.firstIndex(of: String(parts[2])),
              let year = Int32(parts[3]) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int32($0) }
        guard hms.count == 3 else { return nil }
        var tm = tm()
        tm.tm_year = year - 1900
        tm.tm_mon = Int32(month)
        tm.tm_mday = day
        tm.tm_hour = hms[0]
        tm.tm_min = hms[1]
        tm.tm_sec = hms[2]
        return Int(timegm(&tm))
    }
}
