import CLedeSys
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The output folder, written the safe way: everything goes into a staging
/// folder beside it, and only a complete build replaces it, in one atomic swap.
/// A failed or killed build leaves the previous site exactly as it was.
public final class OutputFolder: @unchecked Sendable {
    /// The folder readers see (`public/`).
    public let target: String
    /// Where this build writes (`.public.staging-PID/` beside the target).
    public let staging: String
    private let createdDirectories = Lock()
    private var made: Set<String> = []

    public init(target: String) throws {
        let url = URL(fileURLWithPath: target).standardizedFileURL
        self.target = url.path
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        staging = "\(parent)/.\(name).staging-\(getpid())"
        try FileIO.makeDirectories(parent)
        Self.removeStaleStaging(parent: parent, name: name)
        try FileIO.removeTree(staging)
        try FileIO.makeDirectories(staging)
    }

    /// Staging folders left by builds that were killed.
    static func removeStaleStaging(parent: String, name: String) {
        guard let entries = try? FileIO.listDirectory(parent) else { return }
        for entry in entries where entry.hasPrefix(".\(name).staging-") || entry.hasPrefix(".\(name).old-") {
            // Only folders whose build process is gone.
            let pidText = entry.split(separator: "-").last.map(String.init) ?? ""
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            try? FileIO.removeTree(parent + "/" + entry)
        }
    }

    /// Writes one file of the site; `path` is relative to the site root ("slug/index.html").
    public func write(_ path: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(path, $0) }
    }

    public func write(_ path: String, _ text: String) throws {
        var s = text
        try s.withUTF8 { try write(path, UnsafeRawBufferPointer($0)) }
    }

    public func write(_ path: String, _ bytes: UnsafeRawBufferPointer) throws {
        let full = staging + "/" + path
        if let slash = path.lastIndex(of: "/") {
            try ensureDirectory(String(path[..<slash]))
        }
        try FileIO.write(bytes, to: full)
    }

    private func ensureDirectory(_ relative: String) throws {
        let known = createdDirectories.withLock { made.contains(relative) }
        if known { return }
        try FileIO.makeDirectories(staging + "/" + relative)
        createdDirectories.withLock { _ = made.insert(relative) }
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
                if skipExisting && FileIO.exists(staging + "/" + relative) { continue }
                try write(relative, try FileIO.readBytes(from))
            }
        }
    }

    public func exists(_ path: String) -> Bool { FileIO.exists(staging + "/" + path) }

    /// Puts the staged site in place of the target in one step.
    public func commit() throws {
        if FileIO.exists(target) {
            if lede_exchange_paths(staging, target) == 0 {
                try FileIO.removeTree(staging)  // now holds the previous site
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
            try FileIO.removeTree(old)
        } else {
            guard rename(staging, target) == 0 else { throw FileIO.Failure(path: target, operation: "create", code: errno) }
        }
    }

    /// Throws the staged files away (after a failed build).
    public func discard() {
        try? FileIO.removeTree(staging)
    }
}
