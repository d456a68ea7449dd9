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
        var needs = false
        for b in text.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
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
    public func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8)
        guard let first = t.first else { return self }
        let s = Array(self.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        var changed = false
        while i < s.count {
            if s[i] == first, i + t.count <= s.count, s[i..<(i + t.count)].elementsEqual(t) {
                out.append(contentsOf: replacement.utf8)
                i += t.count
                changed = true
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : self
    }
}
