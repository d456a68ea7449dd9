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
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{"
            for (k, (key, value)) in fields.enumerated() {
                if k > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSON.quote(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    public static func quote(_ s: String, into out: inout String) {
        // One pass over the bytes: runs that need no escaping (nearly all of
        // the text, non-ASCII included) are copied whole.
        out += "\""
        let bytes = s.utf8
        var run = bytes.startIndex, i = bytes.startIndex
        while i != bytes.endIndex {
            let b = bytes[i]
            var next = bytes.index(after: i)
            var escape: String?
            if b < 0x20 || b == 0x22 || b == 0x5C {
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                default: escape = b < 0x10 ? "\\u000" + String(b, radix: 16) : "\\u001" + String(b - 0x10, radix: 16)
                }
            } else if b == 0xE2, next != bytes.endIndex, bytes[next] == 0x80 {
                // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end a line in JavaScript.
                let third = bytes.index(after: next)
                if third != bytes.endIndex, bytes[third] == 0xA8 || bytes[third] == 0xA9 {
                    escape = bytes[third] == 0xA8 ? "\\u2028" : "\\u2029"
                    next = bytes.index(after: third)
                }
            }
            if let escape {
                out += s[run..<i]
                out += escape
                run = next
            }
            i = next
        }
        out += s[run..<bytes.endIndex]
        out += "\""
    }
}
