import CLedeSys
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Publishes to a folder on this machine: a web server's document root, or a
/// mounted share.
///
/// The new site is assembled in a staging folder beside the target: files that
/// did not change are hard links to the target's own files (no bytes written,
/// and the server's ETags and caches stay valid), changed and new files are
/// written and flushed to disk. Then one `renameat2(RENAME_EXCHANGE)` swaps the
/// staging folder and the target: a reader sees the old site or the new one,
/// never a mix, and the target stays a plain folder (no symbolic link for the
/// server to be configured for). Until that swap nothing a reader can see has
/// changed, so a failure or an interruption at any point before it leaves the
/// old site exactly as it was; the next publish removes the leftovers.
struct FolderTarget {
    let path: String
    var beforeWrite: (@Sendable (String) throws -> Void)?

    func publish(site: String, dryRun: Bool, force: Bool) throws(PublishError) -> SiteChanges {
        let target = try resolveTarget()
        let parent = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let exists = FileIO.exists(target)

        var lock: Int32 = -1
        if !dryRun {
            do { try FileIO.makeDirectories(parent) } catch {
                throw PublishError("cannot create \(parent): \(Self.reason(error)); create it, or choose a folder you may write in")
            }
            lock = try takeLock(parent: parent, name: name)
            Self.removeLeftovers(parent: parent, name: name)  // of publishes that were killed
        }
        defer { if lock >= 0 { close(lock) } }

        let old: SiteFiles, new: SiteFiles
        do { old = try SiteFiles.scan(target) } catch {
            throw PublishError("cannot read what \(target) holds: \(Self.reason(error)); check its permissions")
        }
        do { new = try SiteFiles.scan(site) } catch {
            throw PublishError("cannot read the built site: \(Self.reason(error))")
        }
        let changes = SiteChanges(from: old, to: new)
        if !old.isEmpty, old.digests[Publisher.markerName] == nil, !force {
            let foreign = old.paths.filter { new.digests[$0] == nil }
            let examples = foreign.prefix(3).joined(separator: ", ")
            throw PublishError("\(target) holds \(old.digests.count) file\(old.digests.count == 1 ? "" : "s") that lede did not publish\(foreign.isEmpty ? "" : " (\(examples)\(foreign.count > 3 ? ", ..." : ""))"), and publishing replaces everything in it. Publish to a new or empty folder, or pass --force to replace its contents with the site")
        }
        if dryRun || changes.isEmpty { return changes }

        // Assemble the new site beside the target.
        let staging = "\(parent)/.\(name).lede-staging-\(getpid())"
        do {
            try FileIO.removeTree(staging)
            try FileIO.makeDirectories(staging)
            var st = stat()
            if exists, stat(target, &st) == 0 {
                // Keep the target folder's own permissions and owner.
                chmod(staging, st.st_mode & 0o7777)
                _ = chown(staging, st.st_uid, st.st_gid)
            } else {
                chmod(staging, 0o755)
            }
            var made: Set<String> = [""]
            for file in new.paths {
                let dir = (file as NSString).deletingLastPathComponent
                if !made.contains(dir) {
                    try FileIO.makeDirectories(staging + "/" + dir)
                    var d = dir
                    while !d.isEmpty, made.insert(d).inserted { chmod(staging + "/" + d, 0o755); d = (d as NSString).deletingLastPathComponent }
                }
                if old.digests[file] == new.digests[file], link(target + "/" + file, staging + "/" + file) == 0 { continue }
                try beforeWrite?(file)
                try Self.writeDurably(try FileIO.readBytes(site + "/" + file), to: staging + "/" + file)
            }
            try Self.syncFolder(staging)
        } catch {
            try? FileIO.removeTree(staging)
            throw PublishError("could not prepare the new site beside \(target): \(Self.reason(error)). Nothing was changed: \(target) still holds the previous site. \(Self.advice(error, parent: parent))")
        }

        // The switch.
        do {
            try swap(staging, target, exists: exists)
        } catch {
            try? FileIO.removeTree(staging)
            throw error
        }
        _ = try? Self.syncFolder(parent)
        try? FileIO.removeTree(staging)  // now the previous site
        return changes
    }

    /// The folder to publish into: the path itself, or the folder a symbolic link at it points to.
    private func resolveTarget() throws(PublishError) -> String {
        var st = stat()
        guard lstat(path, &st) == 0 else { return path }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard FileIO.isDirectory(path) else {
                throw PublishError("\(path) is a symbolic link to something that is not a folder; point it at a folder, or publish elsewhere")
            }
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw PublishError("\(path) is a file, not a folder; publish to a folder (it is created if missing)")
        }
        return path
    }

    /// One publish to a folder at a time.
    private func takeLock(parent: String, name: String) throws(PublishError) -> Int32 {
        let lockPath = "\(parent)/.\(name).lede-lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PublishError("cannot create \(lockPath): \(String(cString: strerror(errno))); choose a folder whose parent you may write in")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw PublishError("another lede publish to \(parent)/\(name) is running; wait for it to finish and publish again")
        }
        return fd
    }

    /// Puts `staging` in place of `target` in one step.
    private func swap(_ staging: String, _ target: String, exists: Bool) throws(PublishError) {
        if !exists {
            guard rename(staging, target) == 0 else {
                throw PublishError("cannot move the new site into place at \(target): \(String(cString: strerror(errno))); nothing was published")
            }
            return
        }
        if lede_exchange_paths(staging, target) == 0 { return }
        let code = errno
        switch code {
        case EXDEV, EBUSY:
            throw PublishError("\(target) is a mount point, so lede cannot swap it in one step; publish to a folder inside it (such as \(target)/site) and point the web server there. Nothing was changed")
        case ENOSYS, EINVAL, ENOTSUP:
            // No atomic exchange on this system or file system: two renames, a
            // moment apart (readers may get "not found" in between, never a mix).
            let aside = staging + ".previous"
            guard rename(target, aside) == 0 else {
                throw PublishError("cannot move \(target) aside: \(String(cString: strerror(errno))); nothing was changed")
            }
            guard rename(staging, target) == 0 else {
                let failure = errno
                _ = rename(aside, target)
                throw PublishError("cannot move the new site into place at \(target): \(String(cString: strerror(failure))); the previous site was put back")
            }
            _ = rename(aside, staging)
        default:
            throw PublishError("cannot swap the new site into place at \(target): \(String(cString: strerror(code))). Nothing was changed; check the permissions of \((target as NSString).deletingLastPathComponent)")
        }
    }

    /// Staging folders of publishes that were killed.
    static func removeLeftovers(parent: String, name: String) {
        guard let entries = try? FileIO.listDirectory(parent) else { return }
        let prefix = ".\(name).lede-staging-"
        for entry in entries where entry.hasPrefix(prefix) {
            let pidText = entry.dropFirst(prefix.count).prefix { $0.isNumber }
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            try? FileIO.removeTree(parent + "/" + entry)
        }
    }

    /// Writes a new file and flushes it to disk, so that the swap never exposes a file whose bytes are not there yet.
    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIO.Failure(path: path, operation: "create", code: errno) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let r = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if r < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += r
            }
        }
        if failure == 0, fchmod(fd, 0o644) != 0 { failure = errno }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw FileIO.Failure(path: path, operation: "write", code: failure) }
    }

    static func syncFolder(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if fsync(fd) != 0, errno != EINVAL { throw FileIO.Failure(path: path, operation: "flush", code: errno) }
    }

    static func reason(_ error: Error) -> String {
        if let f = error as? FileIO.Failure { return f.localizedDescription }
        return error.localizedDescription
    }

    /// What to do about a failure while writing.
    static func advice(_ error: Error, parent: String) -> String {
        guard let f = error as? FileIO.Failure else { return "Fix the cause and publish again." }
        switch f.code {
        case ENOSPC, EDQUOT: return "The disk holding \(parent) is full: free some space and publish again."
        case EACCES, EPERM: return "Publish as a user who may write in \(parent), or fix its permissions."
        case EROFS: return "\(parent) is on a read-only file system; publish somewhere writable."
        default: return "Fix the cause and publish again."
        }
    }
}
