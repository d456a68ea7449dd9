import CLedeSys
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The output folder, written the safe way: a build changes nothing in it
/// until the build has succeeded, and a failed or killed build leaves the
/// previous site exactly as it was.
///
/// Three ways to get there:
///
/// - `.replace`: the whole new site is written into a staging folder beside
///   the target (`.public.staging-PID/`), which then takes the target's place
///   in one atomic exchange (`renameat2(RENAME_EXCHANGE)`). Used when there is
///   no trustworthy record of what the target holds (first build, no cache).
///
/// - `.stage` (`lede build`): only the files whose bytes changed are written
///   into the staging folder; `complete(carrying:)` then adds every other
///   file the site keeps as a hard link to the target's own file, and
///   `commit()` swaps the staging folder in
///   with one atomic exchange, as `.replace` does. Readers — and a build
///   killed at any moment — see the old site or the new one, never a mix.
///   Unchanged files cost a link, not a copy; when nothing changed at all,
///   nothing is staged. The site swapped out is kept beside the target
///   (`.public.previous/`, see `PreviousSite`): the next build takes it as
///   its staging folder and only brings the paths the last build changed up
///   to date, so a commit costs what changed, not what the site holds.
///
/// - `.update` (`lede serve`, whose folder only its own server reads): only
///   the files whose bytes changed are written, into the staging folder
///   under temporary names. `commit()` first writes a journal
///   (`.public.journal-PID`, made durable by an atomic rename) listing every
///   move and removal, and only then renames each staged file over its place
///   and removes what is gone. The journal's rename is the commit point: a
///   build killed before it leaves the target untouched; a build killed after
///   it is finished by the next build, which replays the journal. Each file is
///   replaced by a rename, so no reader sees a partly written file, but one
///   may see the new version of a page beside the old version of another for
///   the moment the renames take.
public final class OutputFolder: @unchecked Sendable {
    public enum Mode: Sendable { case replace, stage, update }

    /// The folder readers see (`public/`).
    public let target: String
    /// Where this build writes (`.public.staging-PID/` beside the target).
    public let staging: String
    public let mode: Mode
    /// Called with each path before it is written (tests simulate failures with it).
    public var beforeWrite: (@Sendable (String) throws -> Void)?
    /// Threads that remove the swapped-out site after a commit and take
    /// the fingerprints of the target's folders.
    public var workers = 1
    private let journal: String
    /// The site swapped out by the last build (`.public.previous/`).
    private let previous: String
    /// The record of `previous`, when it describes the target as it is.
    private var known: PreviousSite?
    /// `.stage`: the staging folder is the previous site, brought up to date
    /// with the target; each write replaces a file the target may share.
    private var tookPrevious = false
    /// `.stage` with `tookPrevious`: paths this build began to write.
    private var attempted: Set<String> = []
    /// `.stage`: folders of the target the new site leaves out (the search
    /// index, made anew or switched off).
    private var leftOutTrees: [String] = []
    /// The folders of the new site (for the fingerprint of the target).
    private var newFolders: [String]?
    /// How many files the new site has (`.stage`, once completed).
    private var newFileCount = 0
    /// A file of the target was copied, not linked (no hard links here):
    /// the swapped-out site then shares nothing with the new one.
    private var copied = false
    private let lock = Lock()
    private var made: Set<String> = []
    /// `.stage`: folders of the target linked whole into the staging folder.
    private var carriedTrees: [String] = []
    private var written: [String] = []
    private var writtenSet: Set<String> = []
    /// `.update`: staged files (staged name → path in the site).
    private var moves: [(staged: String, path: String)] = []
    private var removals: [String] = []
    private var completed = false
    private var committed = false

    /// A folder written in `.replace` mode.
    public convenience init(target: String) throws {
        try self.init(target: target, mode: .replace)
    }

    /// Whether the site swapped out is kept for the next build
    /// (`.public.previous/`); builds without a cache replace the whole folder
    /// each time and keep nothing.
    public let keepsPrevious: Bool

    /// `keepsPrevious`: keep the swapped-out site (and the target's
    /// fingerprint) beside the target for the next `.stage` build.
    public init(target: String, mode: Mode, keepsPrevious: Bool = false, workers: Int = 1) throws {
        let url = URL(fileURLWithPath: target).standardizedFileURL
        self.target = url.path
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        staging = "\(parent)/.\(name).staging-\(getpid())"
        journal = "\(parent)/.\(name).journal-\(getpid())"
        previous = "\(parent)/.\(name).previous"
        self.mode = mode
        self.keepsPrevious = keepsPrevious && mode != .update
        self.workers = workers
        try FileIO.makeDirectories(parent)
        Self.recover(parent: parent, name: name)
        try FileIO.removeTree(staging)
        if self.keepsPrevious, let record = PreviousSite.read(previous), let inode = PreviousSite.inode(self.target), record.targetInode == inode {
            known = record
        }
        if !(mode == .stage && takePrevious()) {
            // Not taken, it is of no more use (and `lede serve`, which
            // changes its folder in place, would leave it describing a
            // folder that is no longer there).
            try FileIO.removeTree(previous)
            try FileIO.makeDirectories(staging)
        }
        if mode == .update { try FileIO.makeDirectories(self.target) }
    }

    /// Takes the previous site as the staging folder and links the paths
    /// where it differs from the target; false (and nothing taken) when
    /// there is none, or it cannot be brought up to date, or the target's
    /// folders changed since its commit (a page deleted from it by hand
    /// would otherwise come back from the previous site).
    private func takePrevious() -> Bool {
        guard let known, known.holdsSite, targetIsAsCommitted(), rename(previous, staging) == 0 else { return false }
        unlink(staging + "/" + PreviousSite.recordName)
        tookPrevious = true
        do {
            for path in known.changed { try restore(path) }
            return true
        } catch {
            tookPrevious = false
            try? FileIO.removeTree(staging)
            return false
        }
    }

    /// Whether the target's folders are as the last build left them.
    private func targetIsAsCommitted() -> Bool {
        guard let known, let print = known.fingerprint else { return false }
        return PreviousSite.fingerprint(of: known.folders, in: target, workers: workers)?.value == print
    }

    /// Makes `path` in the taken staging folder what it is in the target.
    private func restore(_ path: String) throws {
        clear(path)
        let from = target + "/" + path
        var st = stat()
        if lstat(from, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            if let slash = path.lastIndex(of: "/") { try Self.makeFolders(String(path[..<slash]), in: staging) }
            guard link(from, staging + "/" + path) == 0 else {
                throw FileIO.Failure(path: staging + "/" + path, operation: "link \(from) to", code: errno)
            }
        } else {
            Self.pruneEmptyFolders(above: path, in: staging)
        }
    }

    /// Removes what the taken staging folder holds at `path` (a file, or a
    /// folder where the new site has a file).
    private func clear(_ path: String) {
        let full = staging + "/" + path
        if unlink(full) != 0 && (errno == EISDIR || errno == EPERM) { try? FileIO.removeTree(full) }
    }

    /// Removes the folders above `path` (relative to `root`) that it left
    /// empty (an article's own folder).
    static func pruneEmptyFolders(above path: String, in root: String) {
        var dir = path
        while let slash = dir.lastIndex(of: "/") {
            dir = String(dir[..<slash])
            if !FileIO.removeEmptyDirectory(root + "/" + dir) { break }
        }
    }

    /// Removes files of a site (never a folder: the new site may have one
    /// there), and the folders they leave empty.
    static func removeFiles(_ paths: some Sequence<String>, in root: String) {
        for path in paths {
            try? FileIO.removeFile(root + "/" + path)
            pruneEmptyFolders(above: path, in: root)
        }
    }

    /// mkdir -p under `root`, removing files in the way (the site before had
    /// a file where the new one has a folder).
    static func makeFolders(_ relative: String, in root: String) throws {
        if FileIO.isDirectory(root + "/" + relative) { return }
        try FileIO.makeDirectories(root)
        var prefix = ""
        for part in relative.split(separator: "/") {
            prefix = prefix.isEmpty ? String(part) : prefix + "/" + part
            let full = root + "/" + prefix
            if FileIO.isDirectory(full) { continue }
            if FileIO.exists(full) { try FileIO.removeFile(full) }
            if mkdir(full, 0o755) != 0 && errno != EEXIST {
                throw FileIO.Failure(path: full, operation: "create folder", code: errno)
            }
        }
    }

    /// Finishes the commits of builds that were killed after their commit
    /// point, then removes what killed builds left behind.
    static func recover(parent: String, name: String) {
        guard let entries = try? FileIO.listDirectory(parent) else { return }
        func isOurs(_ entry: String, _ kind: String) -> Int32? {
            guard entry.hasPrefix(".\(name).\(kind)-") else { return nil }
            var pidText = entry.split(separator: "-").last.map(String.init) ?? ""
            if pidText.hasSuffix(".tmp") { pidText.removeLast(4) }
            guard let pid = Int32(pidText) else { return 0 }
            // Only what a process that is gone left behind.
            if pid != getpid(), kill(pid, 0) == 0 { return nil }
            return pid
        }
        for entry in entries {
            guard let pid = isOurs(entry, "journal"), pid != 0 else { continue }
            if entry.hasSuffix(".tmp") { try? FileIO.removeFile(parent + "/" + entry); continue }
            replay(journal: parent + "/" + entry, staging: "\(parent)/.\(name).staging-\(pid)", target: parent + "/" + name)
            try? FileIO.removeFile(parent + "/" + entry)
        }
        for entry in entries where ["staging", "old", "spool", "search"].contains(where: { isOurs(entry, $0) != nil }) {
            try? FileIO.removeTree(parent + "/" + entry)
        }
    }

    // MARK: Writing

    /// Writes one file of the site; `path` is relative to the site root ("slug/index.html").
    public func write(_ path: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { _ = try write(path, $0) }
    }

    public func write(_ path: String, _ text: String) throws {
        try text.withUTF8Bytes { _ = try write(path, UnsafeRawBufferPointer($0)) }
    }

    /// Writes a file and returns its stamp (as it will be in the target).
    @discardableResult
    public func write(_ path: String, _ bytes: UnsafeRawBufferPointer) throws -> FileIO.Stamp {
        try beforeWrite?(path)
        switch mode {
        case .replace, .stage:
            // In `.stage` mode nothing is linked before `complete()`, so this
            // never writes through a link into the target.
            precondition(!completed, "OutputFolder: write after complete()")
            if let slash = path.lastIndex(of: "/") {
                try ensureDirectory(String(path[..<slash]))
            }
            if tookPrevious {
                // The file here may be the target's own (a hard link): never
                // write into it, replace it.
                lock.withLock { _ = attempted.insert(path) }
                clear(path)
            }
            let stamp = try FileIO.writeStamped(bytes, to: staging + "/" + path)
            lock.withLock { if writtenSet.insert(path).inserted { written.append(path) } }
            return stamp
        case .update:
            let name = lock.withLock { () -> String in
                moves.append(("f\(moves.count)", path))
                return "f\(moves.count - 1)"
            }
            return try FileIO.writeStamped(bytes, to: staging + "/" + name)
        }
    }

    /// `.stage` and `.update`: removes a file of the site when the build commits.
    public func remove(_ path: String) {
        precondition(mode != .replace, "in .replace mode, files left unwritten are gone anyway")
        lock.withLock { removals.append(path) }
    }

    /// `.stage`: keeps a whole folder of the target as it is (the search index).
    public func carryTree(_ relative: String) {
        precondition(mode == .stage)
        lock.withLock { carriedTrees.append(relative) }
    }

    /// `.stage`: the new site does not take this folder of the target (the
    /// search index, to be made anew, or switched off).
    public func leaveOutTree(_ relative: String) {
        precondition(mode == .stage)
        lock.withLock { leftOutTrees.append(relative) }
    }

    private func ensureDirectory(_ relative: String) throws {
        let isMade = lock.withLock { made.contains(relative) }
        if isMade { return }
        if tookPrevious { try Self.makeFolders(relative, in: staging) } else { try FileIO.makeDirectories(staging + "/" + relative) }
        lock.withLock { _ = made.insert(relative) }
    }

    /// Copies a folder's files into the site (`static/`, theme assets), keeping
    /// their relative paths. Hidden files are skipped.
    public func copyTree(from source: String, to prefix: String = "", skipExisting: Bool = false) throws {
        for name in try FileIO.listDirectory(source) where !name.hasPrefix(".") {
            let from = source + "/" + name
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            if FileIO.isDirectory(from) {
                try copyTree(from: from, to: relative, skipExisting: skipExisting)
            } else {
                if skipExisting && exists(relative) { continue }
                try write(relative, try FileIO.readBytes(from))
            }
        }
    }

    /// Whether the site being written has the file (`.replace`: written so
    /// far; `.stage` and `.update`: in the target or written, and not removed).
    public func exists(_ path: String) -> Bool {
        switch mode {
        case .replace: return FileIO.exists(staging + "/" + path)
        case .stage:
            return lock.withLock { writtenSet.contains(path) || (!removals.contains(path) && FileIO.exists(target + "/" + path)) }
        case .update:
            return lock.withLock { moves.contains { $0.path == path } || (!removals.contains(path) && FileIO.exists(target + "/" + path)) }
        }
    }

    /// Paths written or removed by this build (`.stage`, `.update`).
    public var changedPaths: [String] {
        lock.withLock { mode == .update ? moves.map(\.path) + removals : written + removals }
    }

    /// Paths removed by this build.
    public var removedPaths: [String] { lock.withLock { removals } }

    /// Whether the build changes anything in the target.
    public var hasChanges: Bool { lock.withLock { !(moves.isEmpty && written.isEmpty && removals.isEmpty) } }

    /// The folder that holds the whole new site once `complete()` has run
    /// (the staging folder), or nil in `.update` mode, where the new site is
    /// only whole in the target after the commit.
    public var completeSite: String? { mode == .update ? nil : staging }

    // MARK: Commit

    /// `.stage`: links the files of the target that the new site keeps as
    /// they are (`carried`, relative paths; those written or removed by this
    /// build are skipped) into the staging folder — or, when the staging
    /// folder is the previous site taken, which holds them already, removes
    /// what this build removes — so that it holds the whole new site (for
    /// the search index to read) and is ready to swap. Nothing to do in the
    /// other modes.
    public func complete(carrying carried: [String]) throws {
        guard mode == .stage, !completed else { return }
        let (written, removed, trees, leftOut) = lock.withLock { (writtenSet, Set(removals), carriedTrees, leftOutTrees) }
        if tookPrevious {
            // The staging folder holds the target's site already: take out
            // what this build removes, and the target's folders as they are now.
            Self.removeFiles(removed.subtracting(written), in: staging)
            for tree in trees + leftOut { try FileIO.removeTree(staging + "/" + tree) }
        } else {
            for path in carried where !written.contains(path) && !removed.contains(path) {
                try linkFromTarget(path)
            }
        }
        for tree in trees { try linkTree(tree) }
        let files = lock.withLock { self.written } + carried.filter { !written.contains($0) && !removed.contains($0) }
        newFileCount = files.count
        newFolders = PreviousSite.folders(holding: files)
        completed = true
    }

    private func linkFromTarget(_ path: String) throws {
        if let slash = path.lastIndex(of: "/") { try ensureDirectory(String(path[..<slash])) }
        let from = target + "/" + path, to = staging + "/" + path
        if link(from, to) == 0 { return }
        let code = errno
        // A file system without hard links (or a file on another device): copy it.
        if code == EPERM || code == EXDEV || code == EMLINK || code == ENOTSUP {
            lock.withLock { copied = true }
            try FileIO.write(try FileIO.readBytes(from), to: to)
            return
        }
        throw FileIO.Failure(path: to, operation: "link \(from) to", code: code)
    }

    private func linkTree(_ relative: String) throws {
        let dir = target + "/" + relative
        guard FileIO.isDirectory(dir) else { return }
        try ensureDirectory(relative)
        for (name, isDirectory) in try FileIO.listDirectoryTyped(dir) {
            if isDirectory { try linkTree(relative + "/" + name) } else { try linkFromTarget(relative + "/" + name) }
        }
    }

    /// Puts the staged site in place of the target.
    public func commit() throws {
        switch mode {
        case .replace:
            newFolders = PreviousSite.folders(holding: lock.withLock { written })
            try swapIn()
        case .stage:
            if completed {
                try swapIn()
            } else {
                precondition(!hasChanges, "OutputFolder: a staged build with changes must be completed before its commit")
                // Nothing changed: the target stays as it is, and so does
                // the previous site (brought up to date with it, if taken).
                putBack(changed: [])
            }
        case .update: try commitUpdate()
        }
        committed = true
    }

    /// After a build that changed nothing in the target (nothing to commit,
    /// or it failed): the previous site goes back where it was, with the
    /// paths where the staging folder now differs from the target.
    private func putBack(changed: [String]) {
        if tookPrevious, let known {
            let record = PreviousSite(targetInode: known.targetInode, fingerprint: known.fingerprint, folders: known.folders,
                                      holdsSite: true, changed: changed)
            if (try? PreviousSite.write(record, into: staging)) != nil, rename(staging, previous) == 0 {
                return
            }
        }
        try? FileIO.removeTree(staging)
        keepRecordOnly(known)
    }

    /// Keeps the fingerprint of the target without a site to take.
    private func keepRecordOnly(_ record: PreviousSite?, newest: Int64? = nil) {
        guard var record else { return }
        record.holdsSite = false
        record.changed = []
        guard (try? FileIO.makeDirectories(previous)) != nil else { return }
        try? PreviousSite.write(record, newest: newest, into: previous)
    }

    /// Called at the named moments of a commit (tests stop the process there).
    public var checkpoint: (@Sendable (String) -> Void)?

    private func swapIn() throws {
        guard FileIO.exists(target) else {
            guard rename(staging, target) == 0 else { throw FileIO.Failure(path: target, operation: "create", code: errno) }
            if keepsPrevious { try keepSwappedOut(false) }  // the fingerprint, for the next build
            return
        }
        // The site swapped out is kept when it shares its files with the
        // new one and nobody has changed the target's folders since it
        // was committed (a file added by hand would come back from it).
        let keep = keepsPrevious && mode == .stage && !lock.withLock({ copied }) && targetIsAsCommitted()
        if lede_exchange_paths(staging, target) == 0 {
            checkpoint?("swapped")
            // `staging` now holds the previous site.
            if keepsPrevious { try keepSwappedOut(keep) } else { try FileIO.removeTree(staging, workers: workers) }
            return
        }
        // No atomic exchange on this system: two renames, a moment apart.
        let old = "\(target.components(separatedBy: "/").dropLast().joined(separator: "/"))/.\((target as NSString).lastPathComponent).old-\(getpid())"
        guard rename(target, old) == 0 else { throw FileIO.Failure(path: target, operation: "move aside", code: errno) }
        guard rename(staging, target) == 0 else {
            let code = errno
            _ = rename(old, target)
            throw FileIO.Failure(path: target, operation: "replace", code: code)
        }
        try FileIO.removeTree(old, workers: workers)
    }

    /// After the swap: keeps the site swapped out (in `staging`) as the
    /// previous site, with a record of where it differs from the new one,
    /// or removes it and records only the new target's fingerprint.
    private func keepSwappedOut(_ keep: Bool) throws {
        let folders = newFolders ?? []
        let print = PreviousSite.fingerprint(of: folders, in: target, workers: workers)
        guard let inode = PreviousSite.inode(target) else { return try FileIO.removeTree(staging, workers: workers) }
        let record = PreviousSite(targetInode: inode, fingerprint: print?.value, folders: folders, holdsSite: true,
                                  changed: lock.withLock { written + removals })
        // A build that rewrote most of the site (a template changed) leaves
        // a previous site that shares little: keeping it would double the
        // disk the site takes, to save the next build little. (A new page
        // template rewrites every page: over half of the files, the rest
        // being timeline data. An edit in a site of thousands of articles
        // rewrites a few files in a thousand.)
        if keep, record.changed.count * 2 <= newFileCount,
           (try? PreviousSite.write(record, newest: print?.newest ?? 0, into: staging)) != nil, rename(staging, previous) == 0 {
            return
        }
        try FileIO.removeTree(staging, workers: workers)
        keepRecordOnly(record, newest: print?.newest ?? 0)
    }

    private func commitUpdate() throws {
        let (moves, removals) = lock.withLock { (self.moves, self.removals) }
        if moves.isEmpty && removals.isEmpty {
            try FileIO.removeTree(staging)
            return
        }
        // The journal: NUL-separated, "W" staged path, "D" path.
        var text: [UInt8] = []
        for m in moves { text += [0x57, 0]; text += Array(m.staged.utf8) + [0]; text += Array(m.path.utf8) + [0] }
        for r in removals { text += [0x44, 0]; text += Array(r.utf8) + [0] }
        try FileIO.write(text, to: journal + ".tmp")
        try FileIO.rename(journal + ".tmp", to: journal)  // the commit point
        checkpoint?("journaled")
        Self.apply(moves: moves, removals: removals, staging: staging, target: target)
        try? FileIO.removeFile(journal)
        try FileIO.removeTree(staging)
    }

    /// Carries out a journal (again: every step may already have happened).
    static func replay(journal: String, staging: String, target: String) {
        guard let bytes = try? FileIO.readBytes(journal) else { return }
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var moves: [(staged: String, path: String)] = []
        var removals: [String] = []
        var k = 0
        while k < fields.count {
            if fields[k] == "W", k + 2 < fields.count { moves.append((fields[k + 1], fields[k + 2])); k += 3 }
            else if fields[k] == "D", k + 1 < fields.count { removals.append(fields[k + 1]); k += 2 }
            else { break }
        }
        apply(moves: moves, removals: removals, staging: staging, target: target)
    }

    static func apply(moves: [(staged: String, path: String)], removals: [String], staging: String, target: String) {
        var made = Set<String>()
        for m in moves {
            let from = staging + "/" + m.staged
            let to = target + "/" + m.path
            // Almost always one rename: its folder is there and nothing is in
            // the way (four system calls a file before, 80 files after a title edit).
            if rename(from, to) == 0 { continue }
            guard FileIO.exists(from) else { continue }  // moved before the interruption
            if let slash = m.path.lastIndex(of: "/") {
                let dir = String(m.path[..<slash])
                if made.insert(dir).inserted { try? FileIO.makeDirectories(target + "/" + dir) }
            }
            if FileIO.isDirectory(to) { try? FileIO.removeTree(to) }
            if rename(from, to) != 0 {
                // A file where a folder is needed on the way: clear it and retry.
                try? makeFolders(m.path.lastIndex(of: "/").map { String(m.path[..<$0]) } ?? "", in: target)
                _ = rename(from, to)
            }
        }
        removeFiles(removals, in: target)
    }

    /// Throws the staged files away (after a failed build); a taken
    /// previous site goes back, with the paths this build touched.
    public func discard() {
        guard !committed else { return }
        let changed = lock.withLock { Array(attempted) + removals }
        putBack(changed: changed)
    }
}
