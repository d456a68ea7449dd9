/// The theme's assets (`templates/assets/`, else the built-in ones) under
/// fingerprinted names for a production build: `assets/style.css` is written as
/// `assets/style.3f9a1c2e.css`, the first 8 hex digits of the SHA-256 of its
/// bytes, so that a server can let browsers cache it for ever and a new version
/// is a new address.
///
/// References are rewritten: pages get the new names through `PageRenderer`'s
/// `stylesheet` and `favicon` slots and through `{{root}}assets/NAME` in any
/// template (see `Theme.mappingAssets`); a stylesheet's `url(...)` and
/// `@import` references to other assets are rewritten before it is hashed, so
/// its name changes when something it uses changes.
///
/// `static/` files keep their names: writers and other sites link to them
/// (`/images/map.svg`, `CNAME`, `robots.txt`).
public struct AssetFingerprints: Sendable {
    /// Site path → fingerprinted site path: "assets/style.css" → "assets/style.3f9a1c2e.css".
    public private(set) var urls: [String: String] = [:]
    /// What to write: fingerprinted site path and bytes, sorted by path.
    public private(set) var files: [(path: String, bytes: [UInt8])] = []

    /// Reads the assets a build would copy: the site's `templates/assets/`
    /// (if `templatesDir` has one) and the built-in ones it does not override.
    /// `basePath` ("/" or "/news/") resolves root-absolute references in CSS.
    public static func load(templatesDir: String?, basePath: String) throws(Diagnostics) -> AssetFingerprints {
        var originals: [String: [UInt8]] = [:]
        if let dir = templatesDir.map({ $0 + "/assets" }), FileIO.isDirectory(dir) {
            do {
                try collect(dir, prefix: "assets", into: &originals)
            } catch {
                throw Diagnostics([.error("templates/assets", 1, 1, "cannot read the theme's assets: \(error.localizedDescription)")])
            }
        }
        for (path, bytes) in Theme.builtInAssets where originals["assets/" + path] == nil {
            originals["assets/" + path] = bytes
        }
        return try fingerprint(originals, basePath: basePath)
    }

    static func collect(_ dir: String, prefix: String, into out: inout [String: [UInt8]]) throws {
        for name in try FileIO.listDirectory(dir) where !name.hasPrefix(".") {
            let full = dir + "/" + name
            if FileIO.isDirectory(full) {
                try collect(full, prefix: prefix + "/" + name, into: &out)
            } else {
                out[prefix + "/" + name] = try FileIO.readBytes(full)
            }
        }
    }

    /// Fingerprints a set of assets given as site path → bytes.
    public static func fingerprint(_ originals: [String: [UInt8]], basePath: String) throws(Diagnostics) -> AssetFingerprints {
        var result = AssetFingerprints()
        var final: [String: [UInt8]] = [:]
        var visiting: [String] = []
        var problems: [Diagnostic] = []

        func resolve(_ path: String) {
            if result.urls[path] != nil { return }
            guard var bytes = originals[path] else { return }
            if isStylesheet(path) {
                if let k = visiting.firstIndex(of: path) {
                    let cycle = (visiting[k...] + [path]).map { "templates/" + $0 }.joined(separator: " → ")
                    problems.append(.error("templates/" + path, 1, 1, "stylesheets refer to each other in a loop (\(cycle)), so they cannot be fingerprinted; remove one of the references"))
                    return
                }
                visiting.append(path)
                // Assets this stylesheet refers to get their names first.
                let refs = CSSReferences.find(in: bytes)
                for ref in refs {
                    if let target = CSSReferences.resolve(ref.value, from: path, basePath: basePath), originals[target] != nil {
                        resolve(target)
                    }
                }
                visiting.removeLast()
                bytes = CSSReferences.rewrite(bytes, refs: refs) { value in
                    guard let target = CSSReferences.resolve(value, from: path, basePath: basePath),
                          let renamed = result.urls[target] else { return nil }
                    return CSSReferences.renaming(value, to: fileName(renamed))
                }
            }
            let named = fingerprintedPath(path, digest: SHA256.hex(bytes))
            result.urls[path] = named
            final[named] = bytes
        }
        for path in originals.keys.sorted() { resolve(path) }
        if !problems.isEmpty { throw Diagnostics(problems) }
        result.files = final.map { ($0.key, $0.value) }.sorted { $0.path < $1.path }
        return result
    }

    static func isStylesheet(_ path: String) -> Bool { path.lowercased().hasSuffix(".css") }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// "assets/style.css" → "assets/style.3f9a1c2e.css"; "assets/LICENSE" → "assets/LICENSE.3f9a1c2e".
    static func fingerprintedPath(_ path: String, digest: String) -> String {
        let print = String(digest.prefix(8))
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return String(path[..<dot]) + "." + print + String(path[dot...])
        }
        return path + "." + print
    }

    /// Writes the fingerprinted files into a build's output.
    func write(to output: OutputFolder) throws {
        for file in files { try output.write(file.path, file.bytes) }
    }
}

/// `url(...)` and `@import "..."` references in a stylesheet.
enum CSSReferences {
    struct Reference: Equatable {
        /// Byte range of the reference's text (without quotes).
        var range: Range<Int>
        var value: String
    }

    static func find(in css: [UInt8]) -> [Reference] {
        var refs: [Reference] = []
        var i = 0
        let n = css.count
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
        func matches(_ word: String, at k: Int) -> Bool {
            let w = Array(word.utf8)
            guard k + w.count <= n else { return false }
            for j in 0..<w.count where lower(css[k + j]) != w[j] { return false }
            return true
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
        /// A quoted string starting at k (a quote); returns the range inside the quotes and the index after it.
        func quoted(_ k: Int) -> (Range<Int>, Int)? {
            let q = css[k]
            var j = k + 1
            while j < n, css[j] != q, css[j] != 0x0A {
                if css[j] == 0x5C { j += 1 }  // backslash escape
                j += 1
            }
            guard j < n, css[j] == q else { return nil }
            return (k + 1..<j, j + 1)
        }
        while i < n {
            let b = css[i]
            if b == 0x2F, i + 1 < n, css[i + 1] == 0x2A {  // /* comment */
                i += 2
                while i + 1 < n, !(css[i] == 0x2A && css[i + 1] == 0x2F) { i += 1 }
                i += 2
                continue
            }
            if b == 0x22 || b == 0x27 {  // a string outside url(): skip it whole
                i = quoted(i)?.1 ?? i + 1
                continue
            }
            if lower(b) == 0x75, matches("url(", at: i), i == 0 || !isIdentifier(css[i - 1]) {
                var j = i + 4
                while j < n, isSpace(css[j]) { j += 1 }
                if j < n, css[j] == 0x22 || css[j] == 0x27 {
                    if let (range, after) = quoted(j) {
                        refs.append(Reference(range: range, value: String(decoding: css[range], as: UTF8.self)))
                        i = after
                        continue
                    }
                } else {
                    var e = j
                    while e < n, css[e] != 0x29, !isSpace(css[e]) { e += 1 }
                    if e > j { refs.append(Reference(range: j..<e, value: String(decoding: css[j..<e], as: UTF8.self))) }
                    i = e
                    continue
                }
            }
            if b == 0x40, matches("@import", at: i) {
                var j = i + 7
                while j < n, isSpace(css[j]) { j += 1 }
                if j < n, css[j] == 0x22 || css[j] == 0x27, let (range, after) = quoted(j) {
                    refs.append(Reference(range: range, value: String(decoding: css[range], as: UTF8.self)))
                    i = after
                    continue
                }
                i = j
                continue
            }
            i += 1
        }
        return refs
    }

    static func isIdentifier(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
    }

    /// The site path a reference in the stylesheet at `from` points to, or nil
    /// for data: URLs, other sites and fragments.
    static func resolve(_ value: String, from: String, basePath: String) -> String? {
        var v = value.trimmingWhitespace
        if let cut = v.firstIndex(where: { $0 == "?" || $0 == "#" }) { v = String(v[..<cut]) }
        guard !v.isEmpty, !v.hasPrefix("//"), !SiteURL.hasScheme(v) else { return nil }
        if v.hasPrefix("/") {
            guard v.hasPrefix(basePath) else { return nil }
            return SiteURL.normalize(String(v.dropFirst(basePath.count)))
        }
        let dir = from.split(separator: "/").dropLast().joined(separator: "/")
        return SiteURL.normalize(dir.isEmpty ? v : dir + "/" + v)
    }

    /// The reference with its file name replaced, keeping folders, query and fragment.
    static func renaming(_ value: String, to name: String) -> String {
        let cut = value.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? value.endIndex
        let path = value[..<cut]
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        return String(value[..<slash]) + name + String(value[cut...])
    }

    static func rewrite(_ css: [UInt8], refs: [Reference], _ replacement: (String) -> String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(css.count + 16 * refs.count)
        var at = 0
        for ref in refs {
            guard let new = replacement(ref.value) else { continue }
            out += css[at..<ref.range.lowerBound]
            out += Array(new.utf8)
            at = ref.range.upperBound
        }
        out += css[at...]
        return out
    }
}

extension Theme {
    /// The theme with `{{root}}assets/NAME` references in its templates turned
    /// into the fingerprinted names (production builds).
    public func mappingAssets(_ urls: [String: String]) -> Theme {
        guard !urls.isEmpty else { return self }
        let keys = urls.keys.sorted { $0.count > $1.count }  // longest name first
        var mapped = self
        mapped.assetURLs = urls
        for (name, template) in templates {
            var segments = template.segments
            var changed = false
            for k in segments.indices.dropFirst() {
                guard case .slot("root") = segments[k - 1], case .literal(let text) = segments[k] else { continue }
                for key in keys where text.hasPrefix(key) {
                    let rest = text.dropFirst(key.count)
                    // The name must end there: a quote, a query, a fragment, a space or the end.
                    if let next = rest.first, !"\"'?#) \n\t>".contains(next) { continue }
                    segments[k] = .literal(urls[key]! + rest)
                    changed = true
                    break
                }
            }
            if changed { mapped.templates[name] = Template(name: template.name, segments: segments) }
        }
        return mapped
    }
}
