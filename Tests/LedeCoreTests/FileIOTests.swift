import Foundation
import Testing
@testable import LedeCore

@Suite struct FileIOTests {
    /// Removing a tree with workers removes all of it, three levels and
    /// more deep, and only it: a link to a folder elsewhere is removed as a
    /// link, the folder it points to stays whole.
    @Test func removeTreeWithWorkersRemovesTheTreeAndNotWhatItLinksTo() throws {
        let base = NSTemporaryDirectory() + "lede-rmtree-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let tree = base + "/tree", outside = base + "/outside"
        let fm = FileManager.default
        try fm.createDirectory(atPath: outside + "/inner", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: outside + "/inner/keep.txt"))
        for k in 0..<40 {
            let folder = tree + "/a\(k % 7)/b\(k % 3)/c\(k)"
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("\(k)".utf8).write(to: URL(fileURLWithPath: folder + "/index.html"))
            try Data("\(k)".utf8).write(to: URL(fileURLWithPath: tree + "/a\(k % 7)/file\(k).txt"))
        }
        try Data("top".utf8).write(to: URL(fileURLWithPath: tree + "/top.txt"))
        try fm.createDirectory(atPath: tree + "/empty", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: tree + "/a1/link", withDestinationPath: outside)
        try fm.createSymbolicLink(atPath: tree + "/toplink", withDestinationPath: outside + "/inner")
        try FileIO.removeTree(tree, workers: 3)
        #expect(!fm.fileExists(atPath: tree))
        #expect(try String(contentsOfFile: outside + "/inner/keep.txt", encoding: .utf8) == "keep")
        // A file, or nothing, is removed as before.
        try Data("x".utf8).write(to: URL(fileURLWithPath: base + "/file"))
        try FileIO.removeTree(base + "/file", workers: 2)
        #expect(!fm.fileExists(atPath: base + "/file"))
        try FileIO.removeTree(base + "/missing", workers: 2)
    }

    /// Reading gives the file's bytes, whatever its size (read in one call of
    /// its size, then on until the end), and names what cannot be read.
    @Test func readBytesGivesTheFileAsItIs() throws {
        let folder = NSTemporaryDirectory() + "lede-fileio-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var seed: UInt64 = 7
        for size in [0, 1, 255, 65_535, 65_536, 65_537, 300_001] {
            let bytes = (0..<size).map { _ -> UInt8 in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: seed >> 56)
            }
            let path = folder + "/f\(size)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try FileIO.readBytes(path) == bytes, "size \(size)")
        }
        #expect(throws: FileIO.Failure.self) { try FileIO.readBytes(folder + "/missing") }
        #expect(throws: FileIO.Failure.self) { try FileIO.readBytes(folder) }
    }
}
