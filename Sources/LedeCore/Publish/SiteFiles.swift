import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a site folder, by path relative to it, with the SHA-256 of each
/// file's bytes. What targets compare to decide what to write.
public struct SiteFiles: Sendable, Equatable {
    /// Relative path ("berlin/index.html") → hex SHA-256.
    public var digests: [String: String]

    public init(digests: [String: String] = [:]) { self.digests = digests }

    public var paths: [String] { digests.keys.sorted() }
    public var isEmpty: Bool { digests.isEmpty }

    /// Reads every regular file below `folder` (hidden ones too: a target holds
    /// exactly what was published, and anything else is worth knowing about).
    /// Symbolic links are listed by the file they point to; a folder that does
    /// not exist has no files.
    public static func scan(_ folder: String) throws -> SiteFiles {
        var out: [String: String] = [:]
        guard FileIO.exists(folder) else { return SiteFiles() }
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? folder : folder + "/" + relative
            for name in try FileIO.listDirectory(full) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                var st = stat()
                guard lstat(folder + "/" + rel, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: try walk(rel)
                case S_IFREG, S_IFLNK:
                    if FileIO.isDirectory(folder + "/" + rel) { continue }
                    out[rel] = SHA256.hex(try FileIO.readBytes(folder + "/" + rel))
                default: continue
                }
            }
        }
        try walk("")
        return SiteFiles(digests: out)
    }
}

/// What publishing a site to a target changes there.
public struct SiteChanges: Sendable, Equatable {
    public var added: [String] = []
    public var changed: [String] = []
    public var deleted: [String] = []
    public var unchanged = 0

    public init(added: [String] = [], changed: [String] = [], deleted: [String] = [], unchanged: Int = 0) {
        self.added = added
        self.changed = changed
        self.deleted = deleted
        self.unchanged = unchanged
    }

    /// From the files a target holds (`old`) to the site's (`new`).
    public init(from old: SiteFiles, to new: SiteFiles) {
        for path in new.paths {
            switch old.digests[path] {
            case nil: added.append(path)
            case new.digests[path]: unchanged += 1
            default: changed.append(path)
            }
        }
        deleted = old.paths.filter { new.digests[$0] == nil }
    }

    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && deleted.isEmpty }

    /// "2 added, 1 changed, 0 deleted, 41 unchanged"
    public var counts: String {
        "\(added.count) added, \(changed.count) changed, \(deleted.count) deleted, \(unchanged) unchanged"
    }

    /// One line per path: `added    x`, `changed  y`, `deleted  z`.
    public var listing: [String] {
        added.map { "added    " + $0 } + changed.map { "changed  " + $0 } + deleted.map { "deleted  " + $0 }
    }
}
