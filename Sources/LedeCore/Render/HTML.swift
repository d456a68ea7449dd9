#if canImport(Glibc)
import Glibc
#endif

/// Markup that is safe to put into a page as it is.
///
/// Only lede's own renderers make `HTML` (cmark's output, filled templates,
/// escaped text): its initializer is internal to LedeCore. Template slots that
/// take `String` escape it; slots that take `HTML` insert it. So nothing a
/// writer types can become markup by accident.
public struct HTML: Sendable, Equatable, CustomStringConvertible {
    public internal(set) var raw: String

    init(trusted raw: String) { self.raw = raw }

    public static let empty = HTML(trusted: "")

    /// Text with `&`, `<`, `>`, `"` and `'` escaped.
    public init(escaping text: String) { raw = HTML.escape(text) }

    public var isEmpty: Bool { raw.isEmpty }
    public var description: String { raw }

    public static func + (a: HTML, b: HTML) -> HTML { HTML(trusted: a.raw + b.raw) }

    public static func joined<S: Sequence>(_ parts: S, separator: String = "") -> HTML where S.Element == HTML {
        HTML(trusted: parts.map(\.raw).joined(separator: separator))
    }

    /// Escapes text for HTML and XML content and attribute values.
    public static func escape(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var out = ""
        escape(text, into: &out)
        return out
    }

    /// Appends `text`, escaped, to `out`: runs of bytes that need no escaping
    /// are copied whole.
    /// Whether the text has a character `escape` replaces.
    @inline(__always)
    static func needsEscaping(_ text: String) -> Bool {
        text.withUTF8Bytes { p in
            for b in p where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 { return true }
            return false
        }
    }

    /// `escape` as UTF-8 bytes of their own.
    static func escapedBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        escape(text, into: &out)
        return out
    }

    /// `escape` into UTF-8 bytes.
    static func escape(_ text: String, into out: inout [UInt8]) {
        text.withUTF8Bytes { p in
            escapeRuns(p, run: { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[$0])) },
                       replacement: { r in r.withUTF8Buffer { out.append(contentsOf: $0) } })
        }
    }

    static func escape(_ text: String, into out: inout String) {
        if !needsEscaping(text) { out += text; return }
        text.withUTF8Bytes { p in
            escapeRuns(p, run: { out.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: p[$0]), as: UTF8.self)) },
                       replacement: { out.append(contentsOf: $0.description) })
        }
    }

    /// The one escaping pass: the runs of `p` that need no escaping, each
    /// whole, and the replacement of each byte that does, in order.
    @inline(__always)
    private static func escapeRuns(_ p: UnsafeBufferPointer<UInt8>, run: (Range<Int>) -> Void, replacement: (StaticString) -> Void) {
        var start = 0, i = 0
        let n = p.count, raw = UnsafeRawPointer(p.baseAddress)
        while i < n {
            // Eight bytes at a time past those with nothing to escape (most
            // text: pages escape every title, summary and event they show).
            if let raw {
                while i + 8 <= n, !mayNeedEscaping(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
            }
            guard i < n else { break }
            let r: StaticString
            switch p[i] {
            case 0x26: r = "&amp;"
            case 0x3C: r = "&lt;"
            case 0x3E: r = "&gt;"
            case 0x22: r = "&quot;"
            case 0x27: r = "&#39;"
            default: i += 1; continue
            }
            if start < i { run(start..<i) }
            replacement(r)
            i += 1
            start = i
        }
        if start < n { run(start..<n) }
    }

    /// Whether any of the eight bytes of `w` is one `escape` replaces (exact:
    /// the bit trick for "has a zero byte", after XOR with each).
    @inline(__always)
    static func mayNeedEscaping(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return (hasZero(w ^ (ones &* 0x26)) | hasZero(w ^ (ones &* 0x3C)) | hasZero(w ^ (ones &* 0x3E))
            | hasZero(w ^ (ones &* 0x22)) | hasZero(w ^ (ones &* 0x27))) != 0
    }

    /// Text that can go inside a `<script type="application/ld+json">`: JSON
    /// string escaping, with `<` written as `\u003c` so that no `</script>` or
    /// `<!--` can appear.
    static func jsonForScript(_ json: String) -> HTML {
        HTML(trusted: json.replacingAll("<", with: "\\u003c"))
    }
}

extension String {
    /// Replaces every occurrence of `target` (a plain string, not a pattern).
    /// On the UTF-8 bytes in place: runs between matches are copied whole,
    /// and a text without a match is returned as it is, with nothing made.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        let replaced = target.withUTF8Bytes { t in withUTF8Bytes { s -> [UInt8]? in
            guard let first = t.first else { return nil }
            var out: [UInt8] = []
            var start = 0  // the first byte not yet copied to `out`
            var i = 0
            while i < s.count {
                if s[i] == first, i + t.count <= s.count, memcmp(s.baseAddress! + i, t.baseAddress!, t.count) == 0 {
                    if out.isEmpty { out.reserveCapacity(s.count + 16) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<i]))
                    out.append(contentsOf: replacement.utf8)
                    i += t.count
                    start = i
                } else {
                    i += 1
                }
            }
            guard start > 0 else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: s[start...]))
            return out
        } }
        return replaced.map { String(decoding: $0, as: UTF8.self) } ?? self
    }
}
