#if canImport(Glibc)
import Glibc
#endif

/// A set of strings that only grows, told apart by their UTF-8 bytes and
/// hashed with `Hash64`. `Set<String>` hashes with SipHash, a few hundred
/// instructions for an id of thirty bytes: the site's timelines keep one of
/// the slides' ids for each page, and insert every slide's id into it.
///
/// Unlike `String`'s `==`, two spellings of one character ("é" and "e"
/// with a combining accent) are two strings here, as they are to the
/// JavaScript that reads the ids.
struct StringSet {
    /// Indices into `strings` by hash, open addressing; -1 is empty.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var strings: [String] = []

    init(minimumCapacity: Int = 0) {
        var size = 16
        while size < 2 * minimumCapacity { size *= 2 }
        slots = Array(repeating: -1, count: size)
        hashes.reserveCapacity(minimumCapacity)
        strings.reserveCapacity(minimumCapacity)
    }

    var count: Int { strings.count }

    /// Adds `s`; false when it was already in the set.
    @discardableResult
    mutating func insert(_ s: String) -> Bool {
        let h = Hash64.hash(s)
        var i = Self.start(h, slots.count)
        while true {
            let k = Int(slots[i])
            if k < 0 { break }
            if hashes[k] == h, Self.sameBytes(strings[k], s) { return false }
            i = (i + 1) & (slots.count - 1)
        }
        slots[i] = Int32(strings.count)
        hashes.append(h)
        strings.append(s)
        if 2 * strings.count > slots.count { grow() }
        return true
    }

    func contains(_ s: String) -> Bool {
        let h = Hash64.hash(s)
        var i = Self.start(h, slots.count)
        while true {
            let k = Int(slots[i])
            if k < 0 { return false }
            if hashes[k] == h, Self.sameBytes(strings[k], s) { return true }
            i = (i + 1) & (slots.count - 1)
        }
    }

    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.withUTF8Bytes { x in b.withUTF8Bytes { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) } }
    }

    /// Where a hash's probe starts: its high bits, mixed (FNV's low bits vary least).
    @inline(__always)
    private static func start(_ h: UInt64, _ size: Int) -> Int {
        Int(truncatingIfNeeded: ((h ^ (h >> 32)) &* 0x9E37_79B9_7F4A_7C15) >> 20) & (size - 1)
    }

    private mutating func grow() {
        let size = 2 * slots.count
        slots = Array(repeating: -1, count: size)
        for (k, h) in hashes.enumerated() {
            var i = Self.start(h, size)
            while slots[i] >= 0 { i = (i + 1) & (size - 1) }
            slots[i] = Int32(k)
        }
    }
}
