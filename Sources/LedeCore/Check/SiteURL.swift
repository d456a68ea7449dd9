/// Small, strict helpers for the URLs found in a built site.
public enum SiteURL {
    /// True when `s` starts with a URL scheme (`https:`, `mailto:`, `data:`).
    public static func hasScheme(_ s: String) -> Bool {
        var sawLetter = false
        for c in s.unicodeScalars {
            if c == ":" { return sawLetter }
            let letter = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
            if !sawLetter {
                guard letter else { return false }
                sawLetter = true
            } else if !(letter || (c >= "0" && c <= "9") || c == "+" || c == "-" || c == ".") {
                return false
            }
        }
        return false
    }

    /// The scheme, lowercased, if any.
    public static func scheme(_ s: String) -> String? {
        guard hasScheme(s), let colon = s.firstIndex(of: ":") else { return nil }
        return s[..<colon].lowercased()
    }

    /// Resolves "." and ".." in a site path ("a/./b/../c/" → "a/c/"); nil when
    /// the path climbs above the site's root.
    public static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        let pieces = path.split(separator: "/", omittingEmptySubsequences: false)
        for piece in pieces {
            switch piece {
            case "", ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(piece)
            }
        }
        var out = parts.joined(separator: "/")
        let last = pieces.last ?? ""
        if !out.isEmpty, path.hasSuffix("/") || last == "." || last == ".." { out += "/" }
        return out
    }

    /// Decodes %XX escapes; nil when an escape is malformed or the result is not UTF-8.
    public static func percentDecode(_ s: String) -> String? {
        guard s.contains("%") else { return s }
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        func hex(_ x: UInt8) -> UInt8? {
            switch x {
            case 0x30...0x39: return x - 0x30
            case 0x41...0x46: return x - 0x41 + 10
            case 0x61...0x66: return x - 0x61 + 10
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == 0x25 {
                guard i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Splits "path?query#fragment" into path and fragment (the query is dropped).
    public static func split(_ url: String) -> (path: String, fragment: String?) {
        var path = url
        var fragment: String?
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[path.index(after: hash)...])
            path = String(path[..<hash])
        }
        if let q = path.firstIndex(of: "?") { path = String(path[..<q]) }
        return (path, fragment)
    }

    /// "https://Example.org:443/news/" → ("https", "example.org:443", "/news/").
    public static func parts(_ absolute: String) -> (scheme: String, host: String, path: String)? {
        guard let scheme = scheme(absolute), let r = absolute.range(of: "://") else { return nil }
        let rest = absolute[r.upperBound...]
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var host = rest[..<end].lowercased()
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if scheme == "https", host.hasSuffix(":443") { host.removeLast(4) }
        if scheme == "http", host.hasSuffix(":80") { host.removeLast(3) }
        var path = String(rest[end...])
        if path.isEmpty || path.first != "/" { path = "/" + path }
        return (scheme, host, path)
    }
}
