/// A small, forgiving tokenizer for HTML and XML, written for the link checker:
/// it finds start and end tags with their attributes, and text. It never fails:
/// any byte sequence scans to some tokens, as in a browser.
///
/// It knows what it must to find links and ids correctly: comments, CDATA,
/// doctypes and processing instructions are skipped; the content of `<script>`
/// and `<style>` is not markup; `<title>` and `<textarea>` hold text only;
/// attribute values may be double-quoted, single-quoted or bare, and their
/// character references (`&amp;`, `&#39;`, `&#x2F;`) are decoded.
public struct HTMLScanner {
    public struct Attribute: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public struct Tag: Sendable {
        /// Lowercased.
        public var name: String
        public var attributes: [Attribute]
        public var selfClosing: Bool

        /// The value of the first attribute with this (lowercase) name.
        public subscript(_ name: String) -> String? {
            attributes.first { $0.name == name }?.value
        }
    }

    public enum Token {
        case start(Tag)
        case end(String)
        /// Text between tags, as a byte range of the input (undecoded).
        case text(Range<Int>)
    }

    /// Calls `visit` for each token of `bytes`. In HTML mode (the default)
    /// `<script>`, `<style>`, `<title>` and `<textarea>` hold no markup.
    public static func scan(_ bytes: [UInt8], html: Bool = true, _ visit: (Token) -> Void) {
        let n = bytes.count
        var i = 0
        while i < n {
            guard bytes[i] == 0x3C else {  // '<'
                var j = i + 1
                while j < n, bytes[j] != 0x3C { j += 1 }
                visit(.text(i..<j))
                i = j
                continue
            }
            if starts(bytes, i, "<!--") {
                i = find(bytes, "-->", from: i + 4).map { $0 + 3 } ?? n
                continue
            }
            if starts(bytes, i, "<![CDATA[") {
                let end = find(bytes, "]]>", from: i + 9) ?? n
                visit(.text((i + 9)..<end))
                i = min(n, end + 3)
                continue
            }
            if i + 1 < n, bytes[i + 1] == 0x21 || bytes[i + 1] == 0x3F {  // <! or <?
                i = findByte(bytes, 0x3E, from: i + 2).map { $0 + 1 } ?? n
                continue
            }
            if i + 2 < n, bytes[i + 1] == 0x2F, isLetter(bytes[i + 2]) {  // </name
                var j = i + 2
                while j < n, !isSpace(bytes[j]), bytes[j] != 0x3E, bytes[j] != 0x2F { j += 1 }
                let name = lowercase(bytes[(i + 2)..<j])
                i = findByte(bytes, 0x3E, from: j).map { $0 + 1 } ?? n
                visit(.end(name))
                continue
            }
            guard i + 1 < n, isLetter(bytes[i + 1]) else {  // a lone '<' is text
                visit(.text(i..<(i + 1)))
                i += 1
                continue
            }
            let (tag, after) = startTag(bytes, at: i)
            visit(.start(tag))
            i = after
            if html, !tag.selfClosing {
                switch tag.name {
                case "script", "style":
                    i = findClosing(bytes, tag.name, from: i) ?? n
                case "title", "textarea":
                    let end = findClosing(bytes, tag.name, from: i) ?? n
                    visit(.text(i..<end))
                    i = end
                default: break
                }
            }
        }
    }

    /// Parses the start tag at `i` (a '<' followed by a letter); returns it and the index after its '>'.
    static func startTag(_ b: [UInt8], at i: Int) -> (Tag, Int) {
        let n = b.count
        var j = i + 1
        while j < n, !isSpace(b[j]), b[j] != 0x3E, b[j] != 0x2F { j += 1 }
        var tag = Tag(name: lowercase(b[(i + 1)..<j]), attributes: [], selfClosing: false)
        while j < n {
            while j < n, isSpace(b[j]) { j += 1 }
            guard j < n else { break }
            if b[j] == 0x3E { j += 1; break }
            if b[j] == 0x2F {
                if j + 1 < n, b[j + 1] == 0x3E { tag.selfClosing = true; j += 2; break }
                j += 1
                continue
            }
            let nameStart = j
            j += 1  // the first character may be anything, even '='
            while j < n, !isSpace(b[j]), b[j] != 0x2F, b[j] != 0x3E, b[j] != 0x3D { j += 1 }
            let name = lowercase(b[nameStart..<j])
            var k = j
            while k < n, isSpace(b[k]) { k += 1 }
            var value = ""
            if k < n, b[k] == 0x3D {
                k += 1
                while k < n, isSpace(b[k]) { k += 1 }
                if k < n, b[k] == 0x22 || b[k] == 0x27 {
                    let quote = b[k]
                    let end = findByte(b, quote, from: k + 1) ?? n
                    value = decodeReferences(b[(k + 1)..<end])
                    j = min(n, end + 1)
                } else {
                    var end = k
                    while end < n, !isSpace(b[end]), b[end] != 0x3E { end += 1 }
                    value = decodeReferences(b[k..<end])
                    j = end
                }
            }
            tag.attributes.append(Attribute(name: name, value: value))
        }
        return (tag, j)
    }

    /// Text with character references decoded: `&amp;` `&lt;` `&gt;` `&quot;`
    /// `&apos;` `&nbsp;` and numeric ones. Others stay as written.
    public static func decodeReferences(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x26) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            guard bytes[i] == 0x26, let semi = bytes[i...].prefix(12).firstIndex(of: 0x3B) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let body = String(decoding: bytes[(i + 1)..<semi], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch body {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            case "nbsp": scalar = "\u{A0}"
            default:
                if body.hasPrefix("#x") || body.hasPrefix("#X") {
                    scalar = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if body.hasPrefix("#") {
                    scalar = UInt32(body.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                out += Array(String(Character(scalar)).utf8)
                i = semi + 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Bytes

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
    static func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) }

    static func lowercase(_ s: ArraySlice<UInt8>) -> String {
        String(decoding: s.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }

    static func starts(_ b: [UInt8], _ i: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        let p = s.utf8Start
        for k in 0..<count where b[i + k] != p[k] { return false }
        return true
    }

    static func find(_ b: [UInt8], _ s: StaticString, from: Int) -> Int? {
        var i = from
        while i < b.count {
            if starts(b, i, s) { return i }
            i += 1
        }
        return nil
    }

    static func findByte(_ b: [UInt8], _ byte: UInt8, from: Int) -> Int? {
        var i = from
        while i < b.count {
            if b[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// The index of `</name` (any case) at or after `from`.
    static func findClosing(_ b: [UInt8], _ name: String, from: Int) -> Int? {
        let want = Array(name.utf8)
        var i = from
        while i + 1 + want.count < b.count {
            if b[i] == 0x3C, b[i + 1] == 0x2F {
                var match = true
                for k in 0..<want.count {
                    let c = b[i + 2 + k]
                    if (c >= 0x41 && c <= 0x5A ? c + 32 : c) != want[k] { match = false; break }
                }
                if match {
                    let after = b[i + 2 + want.count]
                    if isSpace(after) || after == 0x3E || after == 0x2F { return i }
                }
            }
            i += 1
        }
        return nil
    }
}
