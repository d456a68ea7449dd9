import Foundation

import Yams

/// Site-wide settings, from the front matter of `content/_index.md`; its body is
/// the home page's introduction.
public struct SiteConfig: Sendable {
    public var title = "Explainers"
    public var description = ""
    /// The absolute URL the site is served at, ending in "/" (`https://example.org/news/`), if known.
    public var baseURL: String?
    public var language = "en"
    public var author: String?
    public var genre: DocumentGenre?
    public var autoTakeaways = true
    /// `search: false` leaves search out even where Pagefind is installed.
    public var search = true
    /// Articles per page of the home page and of each tag's page; 0 puts
    /// every article on one page.
    public var paginate = 20
    public static let maxPaginate = 100_000
    /// The home page's introduction, rendered.
    public var intro: HTML = .empty
    /// Settings of `lede publish` (`publish: {to: ..., branch: ...}`), as strings.
    public var publish: [String: String] = [:]

    public init() {}

    public static let knownKeys: Set<String> = ["title", "description", "base_url", "baseURL", "language", "author",
                                                "genre", "auto_takeaways", "publish", "search", "paginate"]

    /// The path part of the base URL: "/" or "/news/".
    public var basePath: String {
        guard let base = baseURL, let schemeEnd = base.range(of: "://") else { return "/" }
        let afterHost = base[schemeEnd.upperBound...].drop { $0 != "/" }
        return afterHost.isEmpty ? "/" : String(afterHost)
    }

    /// An absolute URL for a site path ("tags/cold-war/"), or a root-relative one
    /// when the base URL is unknown.
    public func absoluteURL(_ path: String) -> String {
        urlPrefix + path
    }

    /// What `absoluteURL` puts before a path.
    var urlPrefix: String { baseURL ?? "/" }

    /// Checks and normalizes a base URL: http(s), ending in "/".
    public static func normalizeBaseURL(_ raw: String) -> String? {
        var s = raw.trimmingWhitespace
        guard s.hasPrefix("http://") || s.hasPrefix("https://"), s.count > 8,
              !s.contains(" "), !s.contains("?"), !s.contains("#") else { return nil }
        if !s.hasSuffix("/") { s += "/" }
        return s
    }

    /// Reads `content/_index.md`, if it exists.
    public static func load(_ source: SourceFile?) -> (SiteConfig, [Diagnostic]) {
        var config = SiteConfig()
        guard let source else { return (config, []) }
        if let problem = source.utf8Problem() { return (config, [problem]) }
        let split: SplitSource
        do { split = try FrontMatterSplitter.split(source) } catch { return (config, [error]) }
        var reader = YAMLReader(path: source.path, firstLine: split.yamlLine)
        var diagnostics: [Diagnostic] = []
        if let yaml = split.yaml {
            do {
                if let mapping = try reader.parse(yaml) {
                    for (keyNode, value) in mapping {
                        guard let key = keyNode.string else { continue }
                        switch key {
                        case "title": config.title = reader.string(value, key: key) ?? config.title
                        case "description": config.description = reader.string(value, key: key) ?? ""
                        case "base_url", "baseURL":
                            if let raw = reader.string(value, key: key) {
                                if let url = normalizeBaseURL(raw) { config.baseURL = url } else {
                                    reader.error(value, "`\(key)` must be an absolute http(s) URL like https://example.org/, not \"\(raw)\"")
                                }
                            }
                        case "language": config.language = reader.string(value, key: key) ?? "en"
                        case "author": config.author = reader.strings(value, key: key).joined(separator: " and ")
                        case "genre":
                            if let s = reader.string(value, key: key) {
                                if let g = DocumentGenre(rawValue: s.lowercased()) { config.genre = g } else {
                                    reader.error(value, "`genre` must be news or narrative, not \"\(s)\"")
                                }
                            }
                        case "auto_takeaways": config.autoTakeaways = reader.bool(value, key: key) ?? true
                        case "search": config.search = reader.bool(value, key: key) ?? true
                        case "paginate":
                            if let s = reader.string(value, key: key) {
                                if let n = Int(s.trimmingWhitespace), n >= 0, n <= maxPaginate { config.paginate = n } else {
                                    reader.error(value, "`paginate` must be a whole number of articles per page (0 for one page), not \"\(s)\"")
                                }
                            }
                        case "publish":
                            if case .mapping(let m) = value {
                                for (k, v) in m {
                                    if let name = k.string, let s = reader.string(v, key: "publish.\(name)") { config.publish[name] = s }
                                }
                            } else {
                                reader.error(value, "`publish` must be a map like {to: ../site, branch: gh-pages}")
                            }
                        default:
                            reader.warning(keyNode, "unknown site setting `\(key)` is ignored; known settings: \(knownKeys.sorted().joined(separator: ", "))")
                        }
                    }
                }
            } catch {
                return (config, [error])
            }
        }
        diagnostics += reader.diagnostics
        let body = Array(source.bytes[split.body])
        if body.contains(where: { !Sentences.isSpace($0) }) {
            config.intro = HTML(trusted: MarkdownDocument(parsing: body).renderHTML())
        }
        return (config, diagnostics)
    }
}
