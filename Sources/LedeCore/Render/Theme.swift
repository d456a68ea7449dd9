/// The set of templates a site is rendered with: the site's own `templates/`
/// files where they exist, the built-in theme's otherwise. Parsed once per build.
public struct Theme: Sendable {
    /// Every template lede fills, and the slots each one gets.
    public static let kinds: [String: Set<String>] = {
        let page: Set<String> = ["root", "lang", "site_title", "site_url", "page_title", "description",
                                 "canonical_url", "head", "feed_url", "stylesheet", "favicon", "body_class", "content",
                                 "year", "author", "search", "generator"]
        return [
            // Page layout around every HTML page.
            "base.html": page,
            // The parts inside base.html's {{content}}.
            "article.html": ["root", "kicker", "title", "dek", "byline", "takeaways_summary", "toc", "body", "timeline",
                             "related", "url"],
            "home.html": ["root", "site_title", "intro", "articles", "count", "timeline_link", "pagination"],
            "tag.html": ["root", "tag", "count", "articles", "timeline_link", "pagination"],
            "tags.html": ["root", "tags", "count"],
            "404.html": ["root", "site_title"],
            // The site's and each tag's timeline page, and the search page.
            "timeline.html": ["root", "title", "kicker", "intro", "count", "articles", "span", "index", "filter", "groups",
                              "json_url"],
            "search.html": ["root", "site_title", "bundle"],
            // Parts: repeated or optional pieces, rendered by Swift only where they apply.
            "parts/kicker.html": ["tags"],
            "parts/dek.html": ["summary"],
            "parts/byline.html": ["author", "published", "updated", "reading_time", "word_count"],
            "parts/author.html": ["name"],
            "parts/published.html": ["date", "date_iso"],
            "parts/updated.html": ["date", "date_iso"],
            "parts/article-card.html": ["root", "url", "title", "summary", "published", "reading_time", "tags"],
            "parts/card-tags.html": ["tags"],
            "parts/tag-link.html": ["root", "url", "name", "count"],
            "parts/toc.html": ["items"],
            "parts/toc-item.html": ["id", "text", "children"],
            "parts/timeline.html": ["items", "count", "json_url"],
            "parts/timeline-item.html": ["datetime", "value", "display", "title", "text", "anchor", "end_datetime", "source"],
            "parts/timeline-title.html": ["title"],
            "parts/takeaways-summary.html": ["items", "count", "label", "source"],
            "parts/takeaways-summary-item.html": ["anchor", "text", "number"],
            "parts/takeaway.html": ["id", "label_id", "label", "number", "source", "content"],
            "parts/callout.html": ["id", "label_id", "label", "kind", "content"],
            "parts/related.html": ["items"],
            // Navigation between the pages of a long list (home, a tag).
            "parts/pagination.html": ["page", "pages", "prev", "next", "items"],
            "parts/pagination-prev.html": ["url"],
            "parts/pagination-next.html": ["url"],
            "parts/pagination-item.html": ["url", "number"],
            "parts/pagination-current.html": ["url", "number"],
            "parts/pagination-gap.html": [],
            "parts/timeline-link.html": ["url", "label"],
            "parts/timeline-kicker.html": ["url", "label"],
            "parts/timeline-index-item.html": ["url", "label", "count"],
            "parts/timeline-decade.html": ["id", "label", "count", "years"],
            "parts/timeline-year.html": ["id", "label", "count", "level", "items"],
            "parts/site-timeline-item.html": ["datetime", "value", "display", "end_datetime", "title", "text", "url",
                                              "sources", "tags"],
            "parts/timeline-source.html": ["url", "title"],
            "parts/timeline-filter.html": ["items"],
            "parts/timeline-filter-item.html": ["url", "name", "tag", "count"],
            "parts/search-box.html": ["root", "action"],
            // Feeds.
            "feed.xml": ["site_title", "site_url", "feed_url", "updated", "author", "entries", "id", "lang"],
            "parts/feed-entry.xml": ["title", "url", "id", "published", "updated", "summary", "author", "content", "categories"],
            "sitemap.xml": ["urls"],
            "parts/sitemap-url.xml": ["loc", "lastmod"],
            "parts/sitemap-lastmod.xml": ["date"],
        ]
    }()

    public internal(set) var templates: [String: Template] = [:]

    /// Where the theme's assets are served: "assets/style.css" →
    /// "assets/style.3f9a1c2e.css" in a production build (see
    /// `mappingAssets`); empty, so every asset keeps its name, otherwise.
    public internal(set) var assetURLs: [String: String] = [:]

    /// The site path an asset of the theme is served at.
    public func assetURL(_ path: String) -> String { assetURLs[path] ?? path }

    public subscript(name: String) -> Template {
        guard let t = templates[name] else { preconditionFailure("template \(name) was not loaded") }
        return t
    }

    /// Loads every template. `siteTemplates` is the site's `templates/` folder
    /// (it may not exist); `displayPrefix` is how its paths are shown.
    public static func load(siteTemplates: String?, displayPrefix: String = "templates") throws(Diagnostics) -> Theme {
        let loader: Template.Loader = { (name: String) throws(Diagnostic) -> (text: String, path: String)? in
            try Theme.text(of: name, siteTemplates: siteTemplates, displayPrefix: displayPrefix)
        }
        var theme = Theme()
        var problems: [Diagnostic] = []
        for (name, slots) in kinds.sorted(by: { $0.key < $1.key }) {
            do throws(Diagnostics) {
                guard let (text, path) = try wrap({ () throws(Diagnostic) in try loader(name) }) else {
                    problems.append(.error("\(displayPrefix)/\(name)", 1, 1, "template \(name) is missing; lede has no built-in copy of it"))
                    continue
                }
                theme.templates[name] = try Template.parse(name: name, text: text, path: path, slots: slots, load: loader)
            } catch {
                problems.append(contentsOf: error.all)
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return theme
    }

    private static func wrap<T>(_ body: () throws(Diagnostic) -> T) throws(Diagnostics) -> T {
        do { return try body() } catch { throw Diagnostics([error]) }
    }

    /// A template's text: the site's file if there is one, else the built-in one.
    static func text(of name: String, siteTemplates: String?, displayPrefix: String) throws(Diagnostic) -> (text: String, path: String)? {
        guard !name.contains(".."), !name.hasPrefix("/") else {
            throw Diagnostic.error("\(displayPrefix)/\(name)", 1, 1, "template names must stay inside templates/")
        }
        if let dir = siteTemplates {
            let path = dir + "/" + name
            if FileIO.exists(path) {
                let display = "\(displayPrefix)/\(name)"
                let bytes: [UInt8]
                do { bytes = try FileIO.readBytes(path) } catch {
                    throw Diagnostic.error(display, 1, 1, "cannot read the template: \(error.localizedDescription)")
                }
                let source = SourceFile(path: display, bytes: bytes)
                if let problem = source.utf8Problem() { throw problem }
                return (String(decoding: source.bytes, as: UTF8.self), display)
            }
        }
        guard let bytes = EmbeddedTemplates.files[name] else { return nil }
        return (String(decoding: bytes, as: UTF8.self), "(built-in) templates/\(name)")
    }

    /// Files under `assets/` of the built-in theme, for sites that have no
    /// `templates/assets/` of their own.
    public static var builtInAssets: [(path: String, bytes: [UInt8])] {
        EmbeddedTemplates.files.filter { $0.key.hasPrefix("assets/") }
            .map { (String($0.key.dropFirst("assets/".count)), $0.value) }
            .sorted { $0.path < $1.path }
    }
}
