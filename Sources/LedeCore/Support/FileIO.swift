import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain POSIX file access: faster than Foundation's for the many small files a
/// build reads and writes, and with errors that say what happened.
public enum FileIO {
    public struct Failure: Error, LocalizedError, Sendable {
        public let path: String
        public let operation: String
        public let code: Int32
        public var errorDescription: String? { "\(operation) \(path): \(String(cString: strerror(code)))" }
        public var localizedDescription: String { errorDescription! }
    }

    public static func readBytes(_ path: String) throws -> [UInt8] {
        // O_NONBLOCK: opening a named pipe must not wait for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw Failure(path: path, operation: "open", code: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Failure(path: path, operation: "stat", code: errno) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, operation: "read", code: EISDIR) }
        if (st.st_mode & S_IFMT) != S_IFREG {
            throw Failure(path: path, operation: "read (it is a pipe, socket or device, not a regular file)", code: EINVAL)
        }
        var failure: Int32 = 0
        var got = 0
        /// Up to `want` bytes, read into a new array (uninitialized until read:
        /// zeroing it first, byte by byte, was a tenth of reading).
        func chunk(_ want: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: want) { buf, count in
                count = 0
                while true {
                    let r = read(fd, buf.baseAddress!, want)
                    if r < 0 && errno == EINTR { continue }
                    if r < 0 { failure = errno } else { count = r }
                    break
                }
                got = count
            }
        }
        // Files are usually read in one call of their size; a file that grows while
        // it is read is read on in 64 KiB steps until the end.
        var result = chunk(max(Int(st.st_size), 0) + 1)
        while failure == 0 && got > 0 {
            let more = chunk(65536)
            result.append(contentsOf: more)
        }
        if failure != 0 { throw Failure(path: path, operation: "read", code: failure) }
        return result
    }

    /// Writes bytes to a new file (or replaces one), creating nothing else.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o644) throws {
        try writeStamped(bytes, to: path, mode: mode)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { try write($0, to: path) }
    }

    public static func write(_ string: String, to path: String) throws {
        try string.withUTF8Bytes { try write(UnsafeRawBufferPointer($0), to: path) }
    }

    /// What a file's metadata says about its content: when the stamp is the
    /// same, the bytes are taken to be the same (size, modification and change
    /// times in nanoseconds, inode).
    public struct Stamp: Sendable, Hashable {
        public var size: Int64
        public var mtime: Int64
        public var ctime: Int64
        public var inode: UInt64
        public var isDirectory: Bool

        public init(size: Int64, mtime: Int64, ctime: Int64, inode: UInt64, isDirectory: Bool = false) {
            self.size = size; self.mtime = mtime; self.ctime = ctime; self.inode = inode; self.isDirectory = isDirectory
        }

        /// The stamp of a file that cannot be looked at (a dangling link):
        /// never the same as a real one's, so it is always read (and fails).
        public static let unknown = Stamp(size: -1, mtime: 0, ctime: 0, inode: 0)

        /// The same file with the same content: as `==`, but for the change
        /// time, which renaming or linking a file changes.
        public func sameFile(as other: Stamp) -> Bool {
            size == other.size && mtime == other.mtime && inode == other.inode && isDirectory == other.isDirectory
        }

        init(_ st: stat) {
            size = Int64(st.st_size)
            mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            ctime = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
            inode = UInt64(st.st_ino)
            isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
        }
    }

    /// The stamp of a file (following symbolic links), or nil when it does not exist.
    public static func stamp(_ path: String) -> Stamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Stamp(st)
    }

    /// A folder held open, for the stamps of many files in it: the kernel
    /// walks only the relative path, not the folder's path again for each
    /// file. (A rebuild with nothing to do looks at every article and every
    /// page; walking their full paths was a sixth of its CPU time.)
    public final class Folder: Sendable {
        let fd: Int32
        let path: String

        /// When the folder cannot be opened, `stamp` looks files up by their full path.
        public init(_ path: String) {
            self.path = path
            fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }

        deinit { if fd >= 0 { close(fd) } }

        /// `FileIO.stamp(path + "/" + relative)`.
        public func stamp(_ relative: String) -> Stamp? {
            guard fd >= 0 else { return FileIO.stamp(path + "/" + relative) }
            var st = stat()
            guard fstatat(fd, relative, &st, 0) == 0 else { return nil }
            return Stamp(st)
        }
    }

    /// The wall clock in nanoseconds since 1970.
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Writes bytes to a new file and returns its stamp.
    @discardableResult
    public static func writeStamped(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o644) throws -> Stamp {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: path, operation: "create", code: errno) }
        var offset = 0
        while offset < bytes.count {
            let r = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if r < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw Failure(path: path, operation: "write", code: code)
            }
            offset += r
        }
        var st = stat()
        let statOK = fstat(fd, &st) == 0
        if close(fd) != 0 { throw Failure(path: path, operation: "close", code: errno) }
        guard statOK else { throw Failure(path: path, operation: "stat", code: errno) }
        return Stamp(st)
    }

    /// rename(2): replaces `to` atomically.
    public static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw Failure(path: to, operation: "rename \(from) to", code: errno) }
    }

    /// unlink(2); a file that is already gone is fine.
    public static func removeFile(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw Failure(path: path, operation: "remove", code: errno) }
    }

    /// Removes a folder if it is empty; true when it is gone.
    @discardableResult
    public static func removeEmptyDirectory(_ path: String) -> Bool {
        rmdir(path) == 0 || errno == ENOENT
    }

    /// Entries of a folder (without "." and ".."), with whether each is a
    /// folder (symbolic links followed), sorted by name.
    public static func listDirectoryTyped(_ path: String) throws -> [(name: String, isDirectory: Bool)] {
        guard let dir = opendir(path) else { throw Failure(path: path, operation: "list", code: errno) }
        defer { closedir(dir) }
        var out: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            let isDir: Bool
            if type == UInt8(DT_DIR) { isDir = true }
            else if type == UInt8(DT_REG) { isDir = false }
            else { isDir = isDirectory(path + "/" + name) }  // links and file systems without d_type
            out.append((name, isDir))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// mkdir -p.
    public static func makeDirectories(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        if errno == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty && parent != path {
                try makeDirectories(parent)
                if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
            }
        }
        throw Failure(path: path, operation: "create folder", code: errno)
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// rm -rf, not following symbolic links.
    public static func removeTree(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 { throw Failure(path: path, operation: "remove folder", code: errno) }
        } else if unlink(path) != 0 {
            throw Failure(path: path, operation: "remove", code: errno)
        }
    }

    /// `removeTree` shared among `workers` threads: what is two levels down
    /// is removed side by side, then the folders above it. (Most of removing
    /// a site is the system freeing its files' pages: 0.4 s for the 900 MB
    /// of a 10,000-article site, which a full build waited for alone.)
    public static func removeTree(_ path: String, workers: Int) throws {
        var st = stat()
        guard workers > 1, lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return try removeTree(path) }
        var jobs: [String] = [], folders: [String] = [path]
        for name in try listDirectory(path) {
            let child = path + "/" + name
            if lstat(child, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                folders.append(child)
                for inner in try listDirectory(child) { jobs.append(child + "/" + inner) }
            } else {
                jobs.append(child)
            }
        }
        let failures = FailureBox(), list = jobs
        parallelFor(list.count, workers: workers) { k in
            do { try removeTree(list[k]) } catch { failures.set(error) }
        }
        if let error = failures.error { throw error }
        for folder in folders.reversed() where rmdir(folder) != 0 {
            throw Failure(path: folder, operation: "remove folder", code: errno)
        }
    }

    /// Names in a folder, without "." and "..", sorted.
    public static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw Failure(path: path, operation: "list", code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

extension FileIO.Folder {
    /// The stamps of `count` files in the folder, the k-th at `relative(k)`,
    /// looked at by `workers` threads, 256 at a time (a stat is too small a
    /// step to hand out alone).
    func stamps(_ count: Int, workers: Int, _ relative: @Sendable (Int) -> String) -> Slots<FileIO.Stamp?> {
        let found = Slots<FileIO.Stamp?>(Array(repeating: nil, count: count))
        parallelFor(count, workers: workers, chunk: 256) { k in found.set(k, stamp(relative(k))) }
        return found
    }
}
