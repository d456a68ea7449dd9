import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One build of an output folder at a time: a lock file beside it
/// (`.public.lock`), held with flock(2) for the whole build, so the kernel
/// releases it when the build ends in any way, a SIGKILL included. A second
/// build of the same folder waits for the first to finish, and says so.
final class OutputLock {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { release() }

    /// Takes the lock of the output folder `target`, waiting while another
    /// process holds it (`waiting` is told once, with the holder's process id).
    static func take(for target: String, waiting: ((String) -> Void)?) throws -> OutputLock {
        let parent = (target as NSString).deletingLastPathComponent
        let path = "\(parent)/.\((target as NSString).lastPathComponent).lock"
        try FileIO.makeDirectories(parent)
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        var writable = true
        if fd < 0, errno == EROFS || errno == EACCES {
            // Read-only: the lock still works; the build will say what it cannot write.
            fd = open(path, O_RDONLY | O_CLOEXEC)
            writable = false
        }
        guard fd >= 0 else { throw FileIO.Failure(path: path, operation: "create", code: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let code = errno
                close(fd)
                throw FileIO.Failure(path: path, operation: "lock", code: code)
            }
            let holder = (try? FileIO.readBytes(path)).flatMap { Int32(String(decoding: $0, as: UTF8.self).trimmingWhitespace) }
            waiting?("waiting for another lede build of \(target)\(holder.map { " (process \($0))" } ?? "") to finish")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(fd)
                    throw FileIO.Failure(path: path, operation: "lock", code: code)
                }
            }
        }
        if writable {
            // Our process id, for the message of the next build that waits.
            let pid = Array("\(getpid())\n".utf8)
            _ = ftruncate(fd, 0)
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return OutputLock(fd: fd)
    }

    func release() {
        if fd >= 0 { close(fd); fd = -1 }
    }
}
