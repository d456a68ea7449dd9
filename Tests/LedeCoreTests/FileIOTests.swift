import Foundation
import Testing
@testable import LedeCore

@Suite struct FileIOTests {
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
