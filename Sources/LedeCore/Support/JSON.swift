/// A JSON value with ordered object keys, written deterministically (the same
/// value always gives the same bytes), for command output, JSON-LD and feeds.
public indirect enum JSON: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByBooleanLiteral {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    /// `nil` becomes `null`.
    public static func optional(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    /// Compact JSON, or indented with two spaces when `pretty`.
    public func serialized(pretty: Bool = false) -> String {
        String(decoding: serializedBytes(pretty: pretty), as: UTF8.self)
    }

    /// `serialized` as UTF-8. Written as bytes: a value is a few dozen
    /// pieces, and appending each to a `String` cost more than its bytes.
    public func serializedBytes(pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    /// Appends `serializedBytes(pretty:)` to `out`.
    public func write(into out: inout [UInt8], pretty: Bool = false) {
        write(into: &out, pretty: pretty, indent: 0)
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        @inline(__always) func put(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: 2 * level))
        }
        switch self {
        case .null: put("null")
        case .bool(let b): if b { put("true") } else { put("false") }
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): if d.isFinite { out.append(contentsOf: String(d).utf8) } else { put("null") }
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { put("[]"); return }
            out.append(0x5B)
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(0x2C) }
                if pretty { newline(indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent) }
            out.append(0x5D)
        case .object(let fields):
            if fields.isEmpty { put("{}"); return }
            out.append(0x7B)
            for (k, (key, value)) in fields.enumerated() {
                if k > 0 { out.append(0x2C) }
                if pretty { newline(indent + 1) }
                JSON.quote(key, into: &out)
                if pretty { put(": ") } else { out.append(0x3A) }
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent) }
            out.append(0x7D)
        }
    }

    /// `quote`, into UTF-8 bytes: the runs between escapes are copied whole
    /// (timelines write hundreds of thousands of strings this way).
    public static func quote(_ s: String, into out: inout [UInt8]) {
        s.withUTF8Bytes { quote($0, into: &out) }
    }

    /// `quote` of valid UTF-8 bytes (text put together as bytes).
    static func quote(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(0x22)
        do {
            let n = p.count
            var run = 0, i = 0
            let raw = UnsafeRawPointer(p.baseAddress)
            while i < n {
                // Eight bytes at a time past those that need no look.
                if let raw {
                    while i + 8 <= n, !mayNeedLook(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                }
                guard i < n else { break }
                let b = p[i]
                guard needsLook(b) else { i += 1; continue }
                var width = 1
                let escape: StaticString
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0xE2:
                    // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end a line in JavaScript.
                    guard i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0xA8 || p[i + 2] == 0xA9 else { i += 1; continue }
                    escape = p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                default:
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<i]))
                    let hex: StaticString = "0123456789abcdef"
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 0xF)]])
                    i += 1
                    run = i
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<i]))
                escape.withUTF8Buffer { out.append(contentsOf: $0) }
                i += width
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<n]))
        }
        out.append(0x22)
    }

    /// Whether any of the eight bytes of `w` is one `needsLook` takes (exact:
    /// each test is the bit trick for "has a byte less than / equal to").
    @inline(__always)
    static func mayNeedLook(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let control = (w &- ones &* 0x20) & ~w & highs
        return (control | hasZero(w ^ (ones &* 0x22)) | hasZero(w ^ (ones &* 0x5C)) | hasZero(w ^ (ones &* 0xE2))) != 0
    }

    /// Bytes that may need escaping: controls, `"`, `\\`, and the lead byte of U+2028/9.
    @inline(__always)
    private static func needsLook(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C || b == 0xE2 }
}
