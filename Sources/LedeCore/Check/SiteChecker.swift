import Dispatch
import Foundation

/// One thing wrong with a built site: `page → link: reason`.
public struct LinkProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file it was found in, relative to the site ("berlin/index.html").
    public var page: String
    /// The link as written, or what is missing ("<title>").
    public var link: String
    public var reason: String
    /// How often the same link has the same problem on the page.
    public var count = 1

    public init(page: String, link: String, reason: String, count: Int = 1) {
        self.page = page
        self.link = link
        self.reason = reason
        self.count = count
    }

    public var description: String {
        "\(page) → \(link): \(reason)" + (count > 1 ? " (\(count) times)" : "")
    }
}

/// How `lede check` checks links to other sites (`--external`).
public struct CheckOptions: Sendable {
    /// Also check links to other sites.
    public var external = false
    /// Seconds to wait for one answer.
    public var timeout = 10.0
    /// Requests at once, in all.
    public var concurrency = 8
    /// Requests at once to one host.
    public var perHost = 2
    /// Further tries after a timeout, a network error, 429 or a 5xx answer.
    public var retries = 2
    /// Seconds for all external checks together; links not checked by then are
    /// reported as warnings.
    public var budget = 120.0

    public init(external: Bool = false) { self.external = external }
}

/// What `lede check` found.
public struct CheckReport: Sendable {
    /// Broken links and missing titles or descriptions: each fails the check.
    public var problems: [LinkProblem] = []
    /// Things to look at that do not fail the check (an external site that
    /// refuses automated requests, a link not checked in time).
    public var warnings: [LinkProblem] = []
    public var pages = 0
    public var links = 0
    public var externalLinks = 0
    public var externalChecked = false
    public var seconds = 0.0

    public var passed: Bool { problems.isEmpty }

    public var summary: String {
        func n(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        var s = "checked \(n(pages, "page")) and \(n(links, "link"))"
        if externalChecked { s += " (\(n(externalLinks, "external address")))" } else if externalLinks > 0 {
            s += " (\(externalLinks) to other sites not checked; --external checks them)"
        }
        s += problems.isEmpty ? ": no problems" : ": \(n(problems.count, "problem"))"
        if !warnings.isEmpty { s += ", \(n(warnings.count, "warning"))" }
        return s + " in \(String(format: "%.2f", seconds)) s"
    }
}

/// Verifies a built site in a folder: every internal link and `src` resolves
/// to a file of the site, every `#fragment` to an id on its target page, every
/// page has a title and a description, every feed, sitemap and robots.txt
/// entry exists; with `external`, links to other sites answer.
public enum SiteChecker {
    public static func check(folder: String, baseURL: String, options: CheckOptions = CheckOptions()) -> CheckReport {
        let started = DispatchTime.now().uptimeNanoseconds
        var report = CheckReport()
        let site: SiteIndex
        do { site = try SiteIndex(folder: folder, baseURL: baseURL) } catch {
            report.problems = [LinkProblem(page: ".", link: folder, reason: "cannot read the built site: \(error.localizedDescription)")]
            return report
        }
        report.pages = site.pages.count

        var problems: [LinkProblem] = []
        var external: [String: [(page: String, link: String)]] = [:]
        for path in site.files.sorted() {
            var found: [LinkProblem] = []
            guard let refs = site.references[path] else { continue }
            for ref in refs {
                report.links += 1
                switch site.resolve(ref.value, from: path) {
                case .ok, .ignored: break
                case .external(let url): external[url, default: []].append((path, ref.value))
                case .broken(let reason): found.append(LinkProblem(page: path, link: ref.value, reason: reason))
                }
            }
            if let page = site.pages[path] {
                found += page.missingMetadata(path)
                for (id, count) in page.ids.sorted(by: { $0.key < $1.key }) where count > 1 {
                    found.append(LinkProblem(page: path, link: "#" + id, reason: "\(count) elements have this id, so links to it are ambiguous; give each a different id"))
                }
            }
            problems += merged(found)
        }
        report.externalLinks = external.count
        if options.external {
            report.externalChecked = true
            let results = ExternalLinkChecker(options: options).check(Array(external.keys))
            var byPage: [String: [LinkProblem]] = [:]
            var warnings: [LinkProblem] = []
            for (url, uses) in external {
                guard let result = results[url] else { continue }
                for use in uses {
                    switch result {
                    case .ok: break
                    case .broken(let reason): byPage[use.page, default: []].append(LinkProblem(page: use.page, link: use.link, reason: reason))
                    case .doubtful(let reason): warnings.append(LinkProblem(page: use.page, link: use.link, reason: reason))
                    }
                }
            }
            for (_, list) in byPage { problems += merged(list.sorted { $0.link < $1.link }) }
            report.warnings = merged(warnings.sorted { ($0.page, $0.link) < ($1.page, $1.link) })
        }
        report.problems = problems.sorted { ($0.page, $0.link, $0.reason) < ($1.page, $1.link, $1.reason) }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }

    /// The same link with the same problem on one page, counted once.
    static func merged(_ list: [LinkProblem]) -> [LinkProblem] {
        var out: [LinkProblem] = []
        var index: [String: Int] = [:]
        for p in list {
            let key = p.page + "\u{0}" + p.link + "\u{0}" + p.reason
            if let k = index[key] { out[k].count += 1 } else {
                index[key] = out.count
                out.append(p)
            }
        }
        return out
    }
}

/// What one HTML page holds, for the checks.
struct PageFacts: Sendable {
    var ids: [String: Int] = [:]
    var title: String?
    var description: String?
    var bodyClass = ""

    func missingMetadata(_ path: String) -> [LinkProblem] {
        var out: [LinkProblem] = []
        let hint: (title: String, description: String)
        switch bodyClass.split(separator: " ").first.map(String.init) {
        case "page-article": hint = ("give the article a `title:` in its front matter",
                                     "give the article a `summary:` in its front matter, or start it with a paragraph")
        case "page-home": hint = ("add `title:` to the front matter of content/_index.md",
                                  "add `description:` to the front matter of content/_index.md")
        default: hint = ("the page's template must fill <title> (templates/base.html)",
                         "the page's template must fill <meta name=\"description\"> (templates/base.html)")
        }
        if title == nil {
            out.append(LinkProblem(page: path, link: "<title>", reason: "the page has no title; \(hint.title)"))
        } else if title!.trimmingWhitespace.isEmpty {
            out.append(LinkProblem(page: path, link: "<title>", reason: "the page's title is empty; \(hint.title)"))
        }
        if description == nil {
            out.append(LinkProblem(page: path, link: "<meta name=\"description\">", reason: "the page has no description; \(hint.description)"))
        } else if description!.trimmingWhitespace.isEmpty {
            out.append(LinkProblem(page: path, link: "<meta name=\"description\">", reason: "the page's description is empty; \(hint.description)"))
        }
        return out
    }
}

/// A reference found in a file: a link, a `src`, a feed or sitemap entry.
struct Reference: Sendable {
    var value: String
}

/// The files of a built site, and what each page holds and links to.
struct SiteIndex: Sendable {
    let folder: String
    let baseURL: String
    let base: (scheme: String, host: String, path: String)
    var files: Set<String> = []
    var directories: Set<String> = []
    var pages: [String: PageFacts] = [:]
    var references: [String: [Reference]] = [:]

    init(folder: String, baseURL: String) throws {
        self.folder = folder
        self.baseURL = baseURL
        base = SiteURL.parts(baseURL) ?? ("https", "", "/")
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? folder : folder + "/" + relative
            for name in try FileIO.listDirectory(full) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                if FileIO.isDirectory(folder + "/" + rel) {
                    directories.insert(rel)
                    try walk(rel)
                } else {
                    files.insert(rel)
                }
            }
        }
        try walk("")

        // Read and scan the files that hold links, in parallel.
        let scanned = files.filter { Self.kind(of: $0) != nil }.sorted()
        let results = ScanResults(count: scanned.count)
        let next = AtomicCounter()
        let folder = self.folder
        DispatchQueue.concurrentPerform(iterations: max(1, min(ProcessInfo.processInfo.activeProcessorCount, scanned.count))) { _ in
            while true {
                let k = next.increment()
                guard k < scanned.count else { break }
                let path = scanned[k]
                guard let bytes = try? FileIO.readBytes(folder + "/" + path) else {
                    results.set(k, nil, [])
                    continue
                }
                switch Self.kind(of: path)! {
                case .html:
                    let (facts, refs) = Self.scanPage(bytes)
                    results.set(k, facts, refs)
                case .css: results.set(k, nil, CSSReferences.find(in: bytes).map { Reference(value: $0.value) })
                case .xml: results.set(k, nil, Self.scanXML(bytes))
                case .robots: results.set(k, nil, Self.scanRobots(bytes))
                }
            }
        }
        for (k, path) in scanned.enumerated() {
            let (facts, refs) = results.get(k)
            if let facts { pages[path] = facts }
            references[path] = refs
        }
    }

    enum Kind { case html, css, xml, robots }

    static func kind(of path: String) -> Kind? {
        let lower = path.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return .html }
        if lower.hasSuffix(".css") { return .css }
        if lower.hasSuffix(".xml") { return .xml }
        if lower == "robots.txt" { return .robots }
        return nil
    }

    /// Attributes that hold an address to check, by element.
    static let linkAttributes: [String: [String]] = [
        "a": ["href"], "area": ["href"], "link": ["href"], "img": ["src", "srcset"], "source": ["src", "srcset"],
        "script": ["src"], "iframe": ["src"], "video": ["src", "poster"], "audio": ["src"], "track": ["src"],
        "embed": ["src"], "object": ["data"], "input": ["src"], "image": ["href", "xlink:href"], "use": ["href", "xlink:href"],
    ]

    /// Relations of `<link>` whose href is not an address of a resource to fetch.
    static let ignoredLinkRelations: Set<String> = ["preconnect", "dns-prefetch"]

    static func scanPage(_ bytes: [UInt8]) -> (PageFacts, [Reference]) {
        var facts = PageFacts()
        var refs: [Reference] = []
        var inTitle = false
        var baseHref: String?
        HTMLScanner.scan(bytes) { token in
            switch token {
            case .start(let tag):
                if let id = tag["id"] { facts.ids[id, default: 0] += 1 }
                if tag.name == "a", let name = tag["name"], tag["id"] != name { facts.ids[name, default: 0] += 1 }
                switch tag.name {
                case "title": inTitle = true; if facts.title == nil { facts.title = "" }
                case "meta":
                    if tag["name"]?.lowercased() == "description" { facts.description = tag["content"] ?? "" }
                    if let property = tag["property"]?.lowercased(), ["og:url", "og:image", "og:audio", "og:video"].contains(property),
                       let content = tag["content"] {
                        refs.append(Reference(value: content))
                    }
                case "body": facts.bodyClass = tag["class"] ?? ""
                case "base": baseHref = tag["href"]
                default: break
                }
                if tag.name == "link", let rel = tag["rel"]?.lowercased(),
                   rel.split(separator: " ").contains(where: { ignoredLinkRelations.contains(String($0)) }) {
                    return
                }
                for attribute in linkAttributes[tag.name] ?? [] {
                    guard let value = tag[attribute] else { continue }
                    if attribute == "srcset" {
                        for candidate in value.split(separator: ",") {
                            if let url = candidate.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first {
                                refs.append(Reference(value: String(url)))
                            }
                        }
                    } else {
                        refs.append(Reference(value: value))
                    }
                }
            case .end(let name):
                if name == "title" { inTitle = false }
            case .text(let range):
                if inTitle { facts.title = (facts.title ?? "") + HTMLScanner.decodeReferences(bytes[range]) }
            }
        }
        if let baseHref {
            // Relative addresses resolve against <base href>; keep it simple: prefix it.
            refs = refs.map { ref in
                let v = ref.value.trimmingWhitespace
                if v.isEmpty || v.hasPrefix("#") || v.hasPrefix("/") || SiteURL.hasScheme(v) { return ref }
                return Reference(value: baseHref + v)
            }
        }
        return (facts, refs)
    }

    /// Feed and sitemap entries: `<loc>` and RSS `<link>` text, Atom `<link href>`.
    static func scanXML(_ bytes: [UInt8]) -> [Reference] {
        var refs: [Reference] = []
        var textOf: String?
        var text = ""
        HTMLScanner.scan(bytes, html: false) { token in
            switch token {
            case .start(let tag):
                let local = tag.name.split(separator: ":").last.map(String.init) ?? tag.name
                if local == "link", let href = tag["href"] {
                    refs.append(Reference(value: href))
                } else if (local == "loc" || local == "link") && !tag.selfClosing {
                    textOf = local
                    text = ""
                }
            case .text(let range):
                if textOf != nil { text += HTMLScanner.decodeReferences(bytes[range]) }
            case .end(let name):
                let local = name.split(separator: ":").last.map(String.init) ?? name
                if local == textOf {
                    let value = text.trimmingWhitespace
                    if !value.isEmpty { refs.append(Reference(value: value)) }
                    textOf = nil
                }
            }
        }
        return refs
    }

    /// `Sitemap:` lines of robots.txt.
    static func scanRobots(_ bytes: [UInt8]) -> [Reference] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "sitemap" else { return nil }
            return Reference(value: parts[1].trimmingCharacters(in: .whitespaces))
        }
    }

    // MARK: Resolving

    enum Resolution: Equatable {
        case ok
        /// Not an address to check (mailto:, data:, javascript:, ...).
        case ignored
        /// On another site: the absolute URL without its fragment.
        case external(String)
        case broken(String)
    }

    /// Resolves a reference found in the file at `from` ("berlin/index.html").
    func resolve(_ raw: String, from: String) -> Resolution {
        let value = raw.trimmingWhitespace
        if value.isEmpty { return .ok }  // the page itself
        var sitePath: String
        let (pathPart, fragment) = SiteURL.split(value)
        if let scheme = SiteURL.scheme(value) {
            guard scheme == "http" || scheme == "https" else { return .ignored }
            return resolveAbsolute(value, fragment: fragment, from: from)
        } else if value.hasPrefix("//") {
            return resolveAbsolute(base.scheme + ":" + value, fragment: fragment, from: from)
        } else if pathPart.hasPrefix("/") {
            guard pathPart.hasPrefix(base.path) || pathPart + "/" == base.path else {
                return .broken("goes outside the site, which is served at \(baseURL); start it with \(base.path) or make it relative")
            }
            sitePath = String(pathPart.dropFirst(min(base.path.count, pathPart.count)))
        } else if pathPart.isEmpty {
            sitePath = from  // "#fragment" or "?query": this page
        } else {
            let dir = from.split(separator: "/").dropLast().joined(separator: "/")
            sitePath = dir.isEmpty ? pathPart : dir + "/" + pathPart
        }
        return resolveSitePath(sitePath, fragment: fragment, from: from, written: value)
    }

    private func resolveAbsolute(_ url: String, fragment: String?, from: String) -> Resolution {
        guard let parts = SiteURL.parts(url) else { return .broken("is not a valid address") }
        let (pathPart, _) = SiteURL.split(parts.path)
        if parts.host == base.host, pathPart.hasPrefix(base.path) || pathPart + "/" == base.path {
            let sitePath = String(pathPart.dropFirst(min(base.path.count, pathPart.count)))
            return resolveSitePath(sitePath, fragment: fragment, from: from, written: url)
        }
        guard !parts.host.isEmpty else { return .broken("has no host name") }
        let withoutFragment = url.firstIndex(of: "#").map { String(url[..<$0]) } ?? url
        return .external(withoutFragment)
    }

    private func resolveSitePath(_ raw: String, fragment: String?, from: String, written: String) -> Resolution {
        guard let decoded = SiteURL.percentDecode(raw) else { return .broken("has a malformed %-escape") }
        guard let path = SiteURL.normalize(decoded) else { return .broken("climbs above the site's root folder") }
        // The file a server sends for this address.
        var file = path
        if path.isEmpty || path.hasSuffix("/") {
            file = path + "index.html"
            guard files.contains(file) else {
                return .broken(path.isEmpty ? "the site has no home page (index.html)" : "no such page: the site has no \(file)")
            }
        } else if !files.contains(path) {
            if directories.contains(path), files.contains(path + "/index.html") {
                file = path + "/index.html"  // servers redirect folder → folder/
            } else {
                return .broken("no such file in the site" + fingerprintHint(path))
            }
        }
        guard let fragment, !fragment.isEmpty, let target = pages[file] else { return .ok }
        let id = SiteURL.percentDecode(fragment) ?? fragment
        if target.ids[id] != nil || id.lowercased() == "top" { return .ok }
        return .broken(file == from ? "no element on this page has id=\"\(id)\""
                                    : "no element on \(file) has id=\"\(id)\"")
    }

    /// A hint when a theme asset is asked for by its plain name in a production build.
    private func fingerprintHint(_ path: String) -> String {
        guard path.hasPrefix("assets/") else { return "" }
        let name = AssetFingerprints.fileName(path)
        let dot = name.lastIndex(of: ".")
        let stem = dot.map { String(name[..<$0]) } ?? name
        let dir = String(path.dropLast(name.count))
        let renamed = files.first { f in
            f.hasPrefix(dir) && !f.dropFirst(dir.count).contains("/")
                && AssetFingerprints.fileName(f).hasPrefix(stem + ".") && f.count == path.count + 9
        }
        guard let renamed else { return "" }
        return "; published theme assets have fingerprinted names (here \(renamed)): refer to it in a template as {{root}}\(path), which lede rewrites"
    }
}

/// Per-file scan results of the parallel phase.
final class ScanResults: @unchecked Sendable {
    private let lock = Lock()
    private var items: [(PageFacts?, [Reference])]
    init(count: Int) { items = Array(repeating: (nil, []), count: count) }
    func set(_ k: Int, _ facts: PageFacts?, _ refs: [Reference]) { lock.withLock { items[k] = (facts, refs) } }
    func get(_ k: Int) -> (PageFacts?, [Reference]) { lock.withLock { items[k] } }
}
