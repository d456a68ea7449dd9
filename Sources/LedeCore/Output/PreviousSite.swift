import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The site a `.stage` build swapped out, kept beside the target
/// (`.public.previous/`) so that the next build can bring it up to date with
/// the files that changed instead of linking every file of the site again.
///
/// After a build's exchange the swapped-out folder holds the site before it;
/// every file neither build wrote is one file in both trees (a hard link), so
/// the two differ only in the paths the last build wrote or removed. The next
/// build takes the folder as its staging folder (one rename), links those
/// paths from the target again (or removes them) and then writes its own
/// changes — each by a new file, never into one the target shares. A commit
/// at 50,000 articles on a disk cost 11–22 s of linking and removing 115,000
/// files; this makes it cost what changed.
///
/// The folder is only trusted when nothing but lede has changed it since:
///
/// - `record` (`.lede-previous` inside it) is written after the exchange and
///   removed when a build takes the folder; a build killed while it holds the
///   folder leaves a `.public.staging-PID` that the next build removes.
/// - Files somebody adds to `public/` by hand would come back from the kept
///   tree one build later, and pages deleted from it by hand (with their
///   article) from the taken one. So the record holds a fingerprint of the
///   target's folders (inode and modification time of each, which adding,
///   removing or renaming a file in it changes); the folder is taken, and
///   the swapped-out tree kept, only while the target matches it.
/// - A build that rewrote more than half of the files keeps no tree: it would
///   share little with the new one and double the disk the site takes.
struct PreviousSite {
    /// The name of the record inside the kept folder.
    static let recordName = ".lede-previous"

    /// The inode of the target folder the record describes.
    var targetInode: UInt64
    /// The fingerprint of the target's folders (`folders`), or nil when it
    /// could not be taken safely.
    var fingerprint: UInt64?
    /// The target's folders, relative ("" is the target itself).
    var folders: [String]
    /// Whether the kept folder holds a site to take (false: the record only
    /// carries the target's fingerprint).
    var holdsSite: Bool
    /// Paths where the kept site differs from the target.
    var changed: [String]

    func encoded() -> [UInt8] {
        var out: [UInt8] = Array("lede-previous 1".utf8) + [0]
        func field(_ s: String) { out += Array(s.utf8); out.append(0) }
        field(String(targetInode))
        field(fingerprint.map { Hash64.hex($0) } ?? "-")
        field(holdsSite ? "site" : "none")
        field(String(changed.count))
        for path in changed { field(path) }
        for folder in folders { field(folder) }
        return out
    }

    init(targetInode: UInt64, fingerprint: UInt64?, folders: [String], holdsSite: Bool, changed: [String]) {
        self.targetInode = targetInode; self.fingerprint = fingerprint; self.folders = folders
        self.holdsSite = holdsSite; self.changed = changed
    }

    init?(decoding bytes: [UInt8]) {
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        // The last field is empty: every field ends with a NUL.
        guard fields.count >= 6, fields[0] == "lede-previous 1", fields.last == "",
              let inode = UInt64(fields[1]), let count = Int(fields[4]), count >= 0, 5 + count <= fields.count - 1 else { return nil }
        targetInode = inode
        fingerprint = fields[2] == "-" ? nil : UInt64(fields[2], radix: 16)
        holdsSite = fields[3] == "site"
        changed = Array(fields[5..<(5 + count)])
        folders = Array(fields[(5 + count)..<(fields.count - 1)])
    }

    static func read(_ folder: String) -> PreviousSite? {
        guard let bytes = try? FileIO.readBytes(folder + "/" + recordName) else { return nil }
        return PreviousSite(decoding: bytes)
    }

    /// The folders that hold `paths` (relative file paths), the root first.
    static func folders<S: Sequence>(holding paths: S) -> [String] where S.Element == String {
        var seen: Set<Substring> = [""]
        var list: [String] = [""]
        for path in paths {
            var end = path.endIndex
            // Walks up until a folder already seen: its own parents are too.
            while let slash = path[..<end].lastIndex(of: "/") {
                let folder = path[..<slash]
                if !seen.insert(folder).inserted { break }
                list.append(String(folder))
                end = slash
            }
        }
        return list
    }

    /// The fingerprint of `folders` under `root` and the newest modification
    /// time among them (nanoseconds), or nil when one is missing or not a folder.
    static func fingerprint(of folders: [String], in root: String, workers: Int) -> (value: UInt64, newest: Int64)? {
        let stamps = FileIO.Folder(root).stamps(folders.count, workers: workers) { folders[$0].isEmpty ? "." : folders[$0] }
        var value: UInt64 = 0x9E37_79B9_7F4A_7C15
        var newest = Int64.min
        for k in folders.indices {
            guard let stamp = stamps[k], stamp.isDirectory else { return nil }
            var words = (stamp.mtime, stamp.inode)
            value = withUnsafeBytes(of: &words) { Hash64.hash($0, seed: value) }
            newest = max(newest, stamp.mtime)
        }
        return (value, newest)
    }

    /// Writes the record into `folder`, and makes sure the file system's
    /// clock has moved past every folder time the fingerprint holds: a file
    /// added in the same clock tick as the build's last change to its folder
    /// would leave the folder's time as it was. (Timestamps come from a
    /// coarse clock; waiting for the next tick takes a few milliseconds. On
    /// a file system whose times are whole seconds it gives up after 0.2 s,
    /// and the next build stages afresh, as it did before there was a record.)
    /// `newest` nil: the fingerprint was taken by an earlier build, whose
    /// record waited already.
    static func write(_ record: PreviousSite, newest: Int64? = nil, into folder: String) throws {
        var record = record
        let path = folder + "/" + recordName
        try FileIO.write(record.encoded(), to: path)
        guard record.fingerprint != nil, let newest else { return }
        for _ in 0..<200 {
            if let stamp = FileIO.stamp(path), stamp.mtime > newest { return }
            usleep(1000)
            // Touch the record: its time is the clock's time now.
            _ = utimensat(AT_FDCWD, path, nil, 0)
        }
        // The clock did not move on: do not trust the fingerprint.
        record.fingerprint = nil
        try FileIO.write(record.encoded(), to: path)
    }

    static func inode(_ path: String) -> UInt64? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return UInt64(st.st_ino)
    }
}
