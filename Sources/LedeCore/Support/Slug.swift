/// URL- and id-safe names made from titles and headings.
public enum Slug {
    /// Lowercase ASCII letters and digits joined by single hyphens. Latin letters
    /// with accents lose them ("Zürich" → "zurich"); other scripts are kept as
    /// they are, since browsers accept them in paths and ids.
    public static func make(_ text: String) -> String {
        // A slug already (ids made of slugs and dates, tags given as slugs)
        // is its own slug: returned as it is, with nothing made.
        if isSlug(text) { return text }
        // Works on UTF-8 bytes: ASCII (nearly every character of a title) is
        // folded inline; other scalars go through `fold`.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(truncatingIfNeeded: v)
                let folded: UInt8
                if (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) {
                    folded = b
                } else if b >= 0x41 && b <= 0x5A {
                    folded = b + 32
                } else {
                    if b != 0x27 { pendingHyphen = true }  // "Let's" → "lets"
                    continue
                }
                if pendingHyphen && !out.isEmpty { out.append(0x2D) }
                pendingHyphen = false
                out.append(folded)
            } else if let folded = fold(scalar) {
                if pendingHyphen && !out.isEmpty { out.append(0x2D) }
                pendingHyphen = false
                out.append(contentsOf: folded.utf8)
            } else if scalar == "’" || scalar == "\u{2018}" {
                continue
            } else {
                pendingHyphen = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is runs of lowercase ASCII letters and digits joined
    /// by single hyphens (or empty): what `make` makes, and leaves as it is.
    static func isSlug(_ text: String) -> Bool {
        text.withUTF8Bytes { p in
            guard let first = p.first else { return true }
            guard first != 0x2D, p[p.count - 1] != 0x2D else { return false }
            var hyphen = false
            for b in p {
                if (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) {
                    hyphen = false
                } else if b == 0x2D, !hyphen {
                    hyphen = true
                } else {
                    return false
                }
            }
            return true
        }
    }

    private static func fold(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x30...0x39, 0x61...0x7A: return String(s)
        case 0x41...0x5A: return String(Unicode.Scalar(s.value + 32)!)
        case 0..<0x80: return nil
        default: break
        }
        if let mapped = latin[s] { return mapped }
        let props = s.properties
        if props.isAlphabetic || props.numericType != nil {
            return String(s).lowercased()
        }
        return nil
    }

    private static let latin: [Unicode.Scalar: String] = {
        var m: [Unicode.Scalar: String] = [:]
        let table: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"),
            ("ĥħ", "h"), ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"),
            ("òóôõöøōŏő", "o"), ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűų", "u"),
            ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"), ("æ", "ae"), ("œ", "oe"), ("ß", "ss"), ("þ", "th"), ("ð", "d"),
        ]
        for (chars, ascii) in table {
            for c in chars.unicodeScalars {
                m[c] = ascii
                if let upper = String(c).uppercased().unicodeScalars.first, upper != c { m[upper] = ascii }
            }
        }
        return m
    }()
}

/// Hands out unique ids within one page: the second "Background" becomes
/// "background-1", and so on.
public struct IDAllocator: Sendable {
    private var used: [String: Int] = [:]

    public init(reserved: [String] = []) {
        for r in reserved { used[r] = 0 }
    }

    /// A unique id from `text`, or from `fallback` when the text has no letters.
    public mutating func make(from text: String, fallback: String = "section") -> String {
        var base = Slug.make(text)
        if base.isEmpty { base = fallback }
        return claim(base)
    }

    /// `base` if free, else `base-1`, `base-2`, ...
    public mutating func claim(_ base: String) -> String {
        guard let n = used[base] else {
            used[base] = 0
            return base
        }
        var k = n + 1
        while used["\(base)-\(k)"] != nil { k += 1 }
        used[base] = k
        let id = "\(base)-\(k)"
        used[id] = 0
        return id
    }
}
