/// Maps the target of an HTTP request (`/berlin-wall/?x=1`, exactly as the
/// client sent it, still percent-encoded) to a file of the built site.
///
/// A pure function: it sees the site only through `kind`, which answers what a
/// relative path ("berlin-wall/index.html") is. That keeps it testable and
/// fuzzable without a disk, and puts the one rule about symbolic links in one
/// place: `kind` answers `.missing` for anything whose real location is
/// outside the site (see `SiteFolder`).
///
/// What it guarantees, whatever the input: a `.file` path is relative (no
/// leading "/"), made of non-empty components none of which is ".", ".." or
/// starts with "."; it holds no NUL, no backslash and no "//". A `.redirect`
/// location starts with exactly one "/", so it can never point to another host.
public enum PathResolver {
    public enum Kind: Sendable, Equatable {
        case file, directory, missing
    }

    public enum Resolution: Sendable, Equatable {
        /// Serve this file (relative to the site folder).
        case file(String)
        /// Answer 301 with this `Location` (`/slug` → `/slug/`).
        case redirect(String)
        /// Answer 404 (with the site's 404 page).
        case notFound
        /// Answer 400: the target is malformed or tries to leave the site.
        case badRequest(String)
    }

    /// Longer targets are refused with 400: no page of a lede site has a path
    /// anywhere near this long.
    public static let maxTargetLength = 2048
    /// More path components than this are refused too.
    public static let maxComponents = 64

    public static func resolve(_ target: String, kind: (String) -> Kind) -> Resolution {
        let bytes = Array(target.utf8)
        guard bytes.count <= maxTargetLength else {
            return .badRequest("the request path is longer than \(maxTargetLength) bytes")
        }
        // The path ends at "?" or "#"; the query is kept for redirects.
        var end = bytes.count
        if let q = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) { end = q }
        var query = ""
        if end < bytes.count, bytes[end] == UInt8(ascii: "?") {
            let queryEnd = bytes[end...].firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
            // Kept only when it is plain printable ASCII, so that it cannot
            // smuggle anything into a Location header.
            if bytes[end..<queryEnd].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                query = String(decoding: bytes[end..<queryEnd], as: UTF8.self)
            }
        }
        let path = bytes[..<end]
        guard path.first == UInt8(ascii: "/") else {
            return .badRequest("the request path must start with /")
        }
        // Components, split on the literal slashes only; each decoded on its own
        // so that an encoded slash (%2F) cannot make a new component.
        var components: [String] = []
        for raw in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let decoded = percentDecode(raw) else {
                return .badRequest("the request path has a malformed %-escape or is not UTF-8")
            }
            if decoded.contains(0) || decoded.contains(UInt8(ascii: "/")) || decoded.contains(UInt8(ascii: "\\")) {
                return .badRequest("the request path has an encoded slash, backslash or NUL")
            }
            if decoded == [UInt8(ascii: ".")] || decoded == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                return .badRequest("the request path has a \".\" or \"..\" component")
            }
            if decoded.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                return .badRequest("the request path has a control character")
            }
            // Hidden files and folders are never part of the site.
            if decoded.first == UInt8(ascii: ".") { return .notFound }
            components.append(String(decoding: decoded, as: UTF8.self))
            if components.count > maxComponents {
                return .badRequest("the request path has more than \(maxComponents) components")
            }
        }
        let relative = components.joined(separator: "/")
        let asFolder = path.last == UInt8(ascii: "/")  // "/", "/slug/"

        if asFolder || relative.isEmpty {
            let index = relative.isEmpty ? "index.html" : relative + "/index.html"
            return kind(index) == .file ? .file(index) : .notFound
        }
        switch kind(relative) {
        case .file:
            return .file(relative)
        case .directory:
            // /slug → /slug/ (only where there is a page to show).
            guard kind(relative + "/index.html") == .file else { return .notFound }
            return .redirect("/" + components.map(percentEncode).joined(separator: "/") + "/" + query)
        case .missing:
            // Pretty URL for a plain page: /about → about.html.
            if !relative.hasSuffix(".html"), kind(relative + ".html") == .file {
                return .file(relative + ".html")
            }
            return .notFound
        }
    }

    /// Decodes %XX escapes; nil when an escape is malformed or the result is not UTF-8.
    static func percentDecode(_ raw: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let c = raw[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < raw.endIndex,
                      let hi = hexValue(raw[i + 1]), let lo = hexValue(raw[i + 2]) else { return nil }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(c)
                i += 1
            }
        }
        guard String(validating: out, as: UTF8.self) != nil else { return nil }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Encodes a path component for a `Location` header: unreserved characters
    /// and a few safe sub-delimiters stay, everything else becomes %XX.
    static func percentEncode(_ component: String) -> String {
        var out = ""
        for b in component.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "$"),
                 UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                 UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}
