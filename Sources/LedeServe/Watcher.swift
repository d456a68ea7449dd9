import Foundation
import LedeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches a site's source folders (`content/`, `templates/`, `static/`) and
/// reports what changed, as paths relative to the site folder, one batch per
/// burst of changes: an editor's save (write a temp file, rename it over the
/// original, delete a backup) is one batch, delivered once the folder has been
/// quiet for `quiet`.
///
/// On Linux it uses inotify, watching every folder below the three (folders
/// added later included); elsewhere, or when inotify is out of watches, it
/// polls the folders' modification times. Added, edited, deleted and renamed
/// files are reported, and so is every file of a folder added, removed or
/// renamed as a whole. Hidden files and editor droppings (`.x.swp`, `x~`,
/// `#x#`) are not.
public final class Watcher: @unchecked Sendable {
    public enum Mode: Sendable, Equatable {
        /// inotify where it works, polling otherwise.
        case automatic
        case polling(milliseconds: Int)
    }

    public let root: String
    public let folders: [String]
    public let quietMilliseconds: Int
    /// A batch is delivered at the latest this long after its first change,
    /// even if changes keep coming.
    public let maxDelayMilliseconds: Int
    private let onChange: @Sendable ([String]) -> Void
    private let onNote: @Sendable (String) -> Void
    private let mode: Mode

    private let lock = Lock()
    private var stopping = false
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    private let finished = DispatchSemaphore(value: 0)
    private var started = false
    /// "inotify" or "polling", once started.
    public private(set) var method = ""

    // Thread-confined state (the watcher thread only).
    private var inotifyFD: Int32 = -1
    private var watches: [Int32: String] = [:]   // wd → folder relative to root ("" = root)
    private var known: Set<String> = []          // files seen, relative to root
    private var pending: Set<String> = []
    /// Files written to and not yet closed, with when that was first seen: a
    /// batch waits for them (up to `maxWriteWaitMilliseconds`), so that a slow
    /// writer is not read half-way. A close with no write seen before it
    /// (a file opened for writing and left as it was, or a descriptor that some
    /// other process inherited and closed late) changes nothing and is ignored.
    private var writing: [String: UInt64] = [:]
    static let maxWriteWaitMilliseconds = 2000
    /// How much longer than the quiet period a batch waits for a file still
    /// open for writing (and never past `maxWriteWaitMilliseconds`).
    static let openWriterGraceMilliseconds = 1000
    private var firstPending: UInt64 = 0
    private var lastPending: UInt64 = 0

    public init(root: String, folders: [String] = ["content", "templates", "static"], mode: Mode = .automatic,
                quietMilliseconds: Int = 25, maxDelayMilliseconds: Int = 400,
                onNote: @escaping @Sendable (String) -> Void = { _ in },
                onChange: @escaping @Sendable ([String]) -> Void) {
        self.root = root
        self.folders = folders
        self.mode = mode
        self.quietMilliseconds = quietMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
        self.onNote = onNote
        self.onChange = onChange
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    /// Starts watching (on a thread of its own); returns once the watches are set.
    public func start() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            wakeRead = fds[0]
            wakeWrite = fds[1]
            _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        }
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            var useInotify = false
            #if os(Linux)
            if case .automatic = mode { useInotify = setUpInotify() }
            #endif
            lock.withLock { method = useInotify ? "inotify" : "polling" }
            // The baseline is taken before start() returns, so that no change
            // made after it is missed.
            let baseline = useInotify ? [:] : scan()
            started = true
            ready.signal()
            #if os(Linux)
            if useInotify { runInotify() } else { runPolling(baseline) }
            #else
            runPolling(baseline)
            #endif
            finished.signal()
        }
        thread.name = "lede-watcher"
        thread.start()
        ready.wait()
    }

    /// Stops watching and waits for the thread to end.
    public func stop() {
        let first: Bool = lock.withLock {
            if stopping { return false }
            stopping = true
            return true
        }
        guard first, started else { return }
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
        finished.wait()
        if inotifyFD >= 0 { close(inotifyFD); inotifyFD = -1 }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    // MARK: Names

    /// Hidden files, editors' swap, backup and lock files.
    static func ignored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasPrefix("#") || name.hasSuffix("~")
            || name.hasSuffix(".swp") || name.hasSuffix(".swx") || name.hasSuffix(".swo") || name == "4913"
    }

    private func isWatchedTop(_ name: String) -> Bool { folders.contains(name) }

    // MARK: Batching

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func note(_ path: String) {
        let t = Self.now()
        if pending.isEmpty { firstPending = t }
        lastPending = t
        pending.insert(path)
    }

    /// Milliseconds until the pending batch is due, 0 if it is, nil if there is none.
    private func msUntilDue() -> Int? {
        guard !pending.isEmpty else { return nil }
        let t = Self.now()
        let quietDue = lastPending + UInt64(quietMilliseconds) * 1_000_000
        let maxDue = firstPending + UInt64(maxDelayMilliseconds) * 1_000_000
        var due = min(quietDue, maxDue)
        let waitLimit = UInt64(Self.maxWriteWaitMilliseconds) * 1_000_000
        if writing.values.contains(where: { t < $0 + waitLimit }) {
            due = max(due, min(quietDue + UInt64(Self.openWriterGraceMilliseconds) * 1_000_000, firstPending + waitLimit))
        }
        return due <= t ? 0 : Int((due - t + 999_999) / 1_000_000)
    }

    private func flushIfDue() {
        guard msUntilDue() == 0 else { return }
        let batch = pending.sorted()
        pending.removeAll()
        let now = Self.now()
        writing = writing.filter { now < $0.value + 60_000_000_000 }
        onChange(batch)
    }

    // MARK: Polling

    struct Stamp: Equatable { var size: Int64, seconds: Int, nanoseconds: Int, inode: UInt64 }

    /// Every file below the watched folders with its stamp.
    func scan() -> [String: Stamp] {
        var out: [String: Stamp] = [:]
        func walk(_ relative: String, depth: Int) {
            guard depth < 64, let names = try? FileIO.listDirectory(root + "/" + relative) else { return }
            for name in names where !Self.ignored(name) {
                let rel = relative + "/" + name
                var st = stat()
                guard stat(root + "/" + rel, &st) == 0 else { continue }
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    walk(rel, depth: depth + 1)
                } else {
                    out[rel] = Stamp(size: Int64(st.st_size), seconds: Int(st.st_mtim.tv_sec),
                                     nanoseconds: Int(st.st_mtim.tv_nsec), inode: UInt64(st.st_ino))
                }
            }
        }
        for f in folders where FileIO.isDirectory(root + "/" + f) { walk(f, depth: 0) }
        return out
    }

    private func runPolling(_ baseline: [String: Stamp]) {
        let interval: Int
        if case .polling(let ms) = mode { interval = max(10, ms) } else { interval = 300 }
        var previous = baseline
        while !isStopping {
            var pfd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, Int32(interval))
            if isStopping { break }
            let current = scan()
            var changed = false
            for (path, stamp) in current where previous[path] != stamp { note(path); changed = true }
            for path in previous.keys where current[path] == nil { note(path); changed = true }
            previous = current
            // A scan that found nothing new ends the burst.
            if !changed && !pending.isEmpty { lastPending = 0; firstPending = 0 }
            flushIfDue()
        }
    }

    // MARK: inotify

    #if os(Linux)
    static let fileMask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB)
    static let folderMask = fileMask | UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
    static let rootMask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)

    private func setUpInotify() -> Bool {
        inotifyFD = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard inotifyFD >= 0 else {
            onNote("inotify is not available (\(String(cString: strerror(errno)))); watching by polling instead")
            return false
        }
        let rootWatch = inotify_add_watch(inotifyFD, root, Self.rootMask)
        guard rootWatch >= 0 else {
            close(inotifyFD); inotifyFD = -1
            return false
        }
        watches[rootWatch] = ""
        var files: [String] = []
        for f in folders where FileIO.isDirectory(root + "/" + f) {
            guard addWatches(f, collecting: &files) else {
                close(inotifyFD); inotifyFD = -1
                watches.removeAll()
                onNote("inotify ran out of watches (see /proc/sys/fs/inotify/max_user_watches); watching by polling instead")
                return false
            }
        }
        known = Set(files)
        return true
    }

    /// Watches `relative` and every folder below it; collects their files.
    private func addWatches(_ relative: String, collecting files: inout [String], depth: Int = 0) -> Bool {
        guard depth < 64 else { return true }
        let wd = inotify_add_watch(inotifyFD, root + "/" + relative, Self.folderMask)
        if wd < 0 {
            return errno != ENOSPC  // a folder that vanished meanwhile is fine
        }
        watches[wd] = relative
        guard let names = try? FileIO.listDirectory(root + "/" + relative) else { return true }
        for name in names where !Self.ignored(name) {
            let rel = relative + "/" + name
            if FileIO.isDirectory(root + "/" + rel) {
                if !addWatches(rel, collecting: &files, depth: depth + 1) { return false }
            } else {
                files.append(rel)
            }
        }
        return true
    }

    private func removeWatches(under relative: String) {
        for (wd, path) in watches where path == relative || path.hasPrefix(relative + "/") {
            inotify_rm_watch(inotifyFD, wd)
            watches[wd] = nil
        }
    }

    private func folderAppeared(_ relative: String) {
        var files: [String] = []
        if !addWatches(relative, collecting: &files) {
            onNote("inotify ran out of watches; changes below \(relative) may be missed (raise /proc/sys/fs/inotify/max_user_watches or use --poll)")
        }
        for f in files { known.insert(f); note(f) }
    }

    private func folderVanished(_ relative: String) {
        removeWatches(under: relative)
        let gone = known.filter { $0.hasPrefix(relative + "/") }
        for f in gone { known.remove(f); note(f) }
    }

    /// Lost events: start over, and report every file, old or new.
    private func rescanAll() {
        for wd in watches.keys { inotify_rm_watch(inotifyFD, wd) }
        watches.removeAll()
        let rootWatch = inotify_add_watch(inotifyFD, root, Self.rootMask)
        if rootWatch >= 0 { watches[rootWatch] = "" }
        let before = known
        var files: [String] = []
        for f in folders where FileIO.isDirectory(root + "/" + f) { _ = addWatches(f, collecting: &files) }
        known = Set(files)
        for f in before.union(known) { note(f) }
    }

    private func runInotify() {
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer { buffer.deallocate() }
        while !isStopping {
            var fds = [pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let timeout = msUntilDue().map(Int32.init) ?? -1
            let r = poll(&fds, 2, timeout)
            if r < 0 && errno != EINTR { break }
            if isStopping { break }
            if fds[0].revents & Int16(POLLIN) != 0 {
                while true {
                    let n = read(inotifyFD, buffer, bufferSize)
                    if n <= 0 { break }
                    var offset = 0
                    while offset + 16 <= n {
                        let wd = buffer.load(fromByteOffset: offset, as: Int32.self)
                        let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                        let len = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                        var name = ""
                        if len > 0 {
                            let p = (buffer + offset + 16).assumingMemoryBound(to: CChar.self)
                            name = String(cString: p)
                        }
                        handle(wd: wd, mask: mask, name: name)
                        offset += 16 + len
                    }
                }
            }
            flushIfDue()
        }
    }

    /// LEDE_WATCH_TRACE=1 prints every inotify event to standard error.
    static let trace = ProcessInfo.processInfo.environment["LEDE_WATCH_TRACE"] == "1"

    private func handle(wd: Int32, mask: UInt32, name: String) {
        if Self.trace {
            FileHandle.standardError.write(Data("watch \(root.suffix(12)): \(Self.now() / 1_000_000) \(watches[wd] ?? "?\(wd)")/\(name) mask=0x\(String(mask, radix: 16))\n".utf8))
        }
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { rescanAll(); return }
        if mask & UInt32(IN_IGNORED) != 0 { watches[wd] = nil; return }
        guard let folder = watches[wd] else { return }
        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
            // Reported through the parent's event too; nothing more to do.
            return
        }
        guard !name.isEmpty, !Self.ignored(name) else { return }
        if folder.isEmpty {
            // The site folder itself: only content/, templates/ and static/ appearing or going.
            guard isWatchedTop(name) else { return }
            if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, FileIO.isDirectory(root + "/" + name) {
                folderAppeared(name)
            } else if mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0 {
                folderVanished(name)
            }
            return
        }
        let rel = folder + "/" + name
        if mask & UInt32(IN_ISDIR) != 0 {
            if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                folderAppeared(rel)
            } else if mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0 {
                folderVanished(rel)
            }
            return
        }
        if mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0 {
            known.remove(rel)
            writing[rel] = nil
        } else if mask & UInt32(IN_CREATE | IN_MODIFY) != 0 {
            known.insert(rel)
            if writing[rel] == nil { writing[rel] = Self.now() }
        } else if mask & UInt32(IN_CLOSE_WRITE) != 0 {
            guard writing.removeValue(forKey: rel) != nil else { return }
        } else {
            known.insert(rel)  // moved in, attributes changed (touch)
        }
        note(rel)
    }
    #endif
}
