import Foundation

/// One input file: where it is, and its bytes.
///
/// The first stage of the pipeline, and with the output stage the only one that
/// touches the disk. Everything after it works on `bytes`.
public struct SourceFile: Sendable {
    /// The path shown in messages, relative to the site folder (`content/helsinki.md`).
    public let path: String
    /// The file's bytes, without a leading UTF-8 byte-order mark.
    public let bytes: [UInt8]
    /// 3 when the file started with a byte-order mark (offsets into the file are
    /// offsets into `bytes` plus this), else 0.
    public let bomLength: Int

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            self.bytes = Array(bytes[3...])
            self.bomLength = 3
        } else {
            self.bytes = bytes
            self.bomLength = 0
        }
    }

    public init(path: String, text: String) { self.init(path: path, bytes: Array(text.utf8)) }

    /// Reads a file; a read failure becomes a diagnostic naming the file.
    /// (By path: a URL made of it stats the file to learn whether it is a
    /// folder, half a percent of a 10,000-article build.)
    public static func read(path: String, displayPath: String) throws(Diagnostic) -> SourceFile {
        do {
            return SourceFile(path: displayPath, bytes: try FileIO.readBytes(path))
        } catch {
            throw Diagnostic.error(displayPath, 1, 1, "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// A diagnostic for the first byte that is not valid UTF-8, if any.
    public func utf8Problem() -> Diagnostic? {
        guard let bad = UTF8Check.firstInvalidByte(bytes) else { return nil }
        let (line, column) = LineIndex(bytes).location(of: bad)
        return .error(path, line, column,
                      "the file is not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at offset \(bad + bomLength)); save it as UTF-8")
    }

    /// A 64-bit hash of the content, for caches and change detection.
    public var contentHash: UInt64 { Hash64.hash(bytes) }
}

/// Line and column lookups for byte offsets, built once per file when a
/// message needs one.
public struct LineIndex: Sendable {
    /// Offset of the first byte of each line.
    public let lineStarts: [Int]

    public init(_ bytes: [UInt8]) {
        var starts = [0]
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                starts.append(i + 1)
            } else if b == 0x0D {
                if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        lineStarts = starts
    }

    /// 1-based line and byte column of `offset`.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    /// Byte offset of a 1-based line and column (clamped to the text).
    public func offset(line: Int, column: Int) -> Int {
        let l = min(max(line, 1), lineStarts.count) - 1
        return lineStarts[l] + max(column, 1) - 1
    }
}

/// UTF-8 validation that reports where the text goes wrong.
public enum UTF8Check {
    /// The offset of the first byte that starts an invalid, overlong, surrogate or
    /// truncated sequence, or nil for valid UTF-8.
    public static func firstInvalidByte(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidByte($0) }
    }

    public static func firstInvalidByte(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = p.count
        guard let base = p.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i < n {
            // Runs of ASCII (most text) are skipped 8 bytes at a time.
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let b0 = p[i]
            if b0 < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            if i + need >= n { return i }  // truncated at the end
            let b1 = p[i + 1]
            if b1 < lo || b1 > hi { return i }
            var k = 2
            while k <= need {
                let b = p[i + k]
                if b < 0x80 || b > 0xBF { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}

/// A fast, stable 64-bit hash (FNV-1a over 8-byte words, in four lanes for
/// 64 bytes and more, with a final mix). Not
/// cryptographic: it detects changes and names cache entries and fingerprints.
public enum Hash64 {
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    public static func hash(_ string: String, seed: UInt64 = 0) -> UInt64 {
        string.withUTF8Bytes { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    public static func hash(_ p: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        let prime: UInt64 = 0x0000_0100_0000_01B3
        let n = p.count
        var i = 0
        if n >= 64 {
            // Four lanes of 8 bytes, whose multiplications overlap: 20 GB/s
            // instead of 5.6 (a title edit hashes 60 MB of timeline pages).
            // Each step is a bijection of the lane, as is each fold below.
            var a = h, b = h ^ 0x9E37_79B9_7F4A_7C15, c = h ^ 0xC2B2_AE3D_27D4_EB4F, d = h ^ 0x1656_67B1_9E37_79F9
            while i + 32 <= n {
                a = (a ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* prime; a ^= a >> 29
                b = (b ^ p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* prime; b ^= b >> 29
                c = (c ^ p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* prime; c ^= c >> 29
                d = (d ^ p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* prime; d ^= d >> 29
                i += 32
            }
            h = a
            h = (h ^ b) &* prime; h ^= h >> 29
            h = (h ^ c) &* prime; h ^= h >> 29
            h = (h ^ d) &* prime; h ^= h >> 29
        }
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* prime
            h ^= h >> 29
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(p[i])) &* prime
            i += 1
        }
        h ^= UInt64(n)
        // Final avalanche (splitmix64).
        h ^= h >> 30; h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27; h = h &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h
    }

    /// Lowercase hex, 16 digits.
    public static func hex(_ h: UInt64) -> String {
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
