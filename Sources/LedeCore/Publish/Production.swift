import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The production build that `lede check` verifies and `lede publish` ships:
/// the site's base URL in canonical links, the feed, the sitemap and Open Graph
/// tags; no drafts and no future-dated articles; fingerprinted theme assets; a
/// robots.txt naming the sitemap. Built into a temporary folder, so `public/`
/// is never touched. Two builds of the same input give the same bytes.
public enum Production {
    /// The site settings from `content/_index.md`, with `baseURL` overriding its
    /// `base_url`. A production build needs a base URL: canonical links, the
    /// feed and the sitemap must be absolute.
    public static func settings(siteRoot: String, baseURL: String? = nil) throws(Diagnostics) -> SiteConfig {
        let indexPath = siteRoot + "/content/_index.md"
        var source: SourceFile?
        if FileIO.exists(indexPath) {
            do throws(Diagnostic) {
                source = try SourceFile.read(path: indexPath, displayPath: "content/_index.md")
            } catch {
                throw Diagnostics([error])
            }
        }
        var (config, problems) = SiteConfig.load(source)
        // Errors in the settings are reported by the build, with everything else.
        if problems.contains(where: { $0.severity == .error }) { throw Diagnostics(problems) }
        if let override = baseURL {
            guard let url = SiteConfig.normalizeBaseURL(override) else {
                throw Diagnostics([.error("--base-url", 1, 1, "\"\(override)\" is not an absolute http(s) URL like https://example.org/")])
            }
            config.baseURL = url
        }
        guard config.baseURL != nil else {
            throw Diagnostics([.error("content/_index.md", 1, 1, "a production build needs the address the site is served at, for canonical links, the feed and the sitemap; add `base_url: https://example.org/` to the front matter of content/_index.md, or pass --base-url URL")])
        }
        return config
    }

    /// Builds the site for production into a new temporary folder. The caller
    /// removes it with `ProductionBuild.remove()`.
    public static func build(siteRoot: String, baseURL: String? = nil, workers: Int? = nil) throws(Diagnostics) -> ProductionBuild {
        let root = URL(fileURLWithPath: siteRoot).standardizedFileURL.path
        let config = try settings(siteRoot: root, baseURL: baseURL)
        let temp: String
        do { temp = try TemporaryFolder.make("lede-build") } catch {
            throw Diagnostics([.error(NSTemporaryDirectory(), 1, 1, "cannot create a temporary folder for the build: \(error.localizedDescription); free some space or set TMPDIR to a folder with room")])
        }
        var options = BuildOptions(siteRoot: root, output: temp + "/site", drafts: false, future: false, baseURL: config.baseURL)
        options.production = true
        // No build cache: production output must not share .lede-cache/ with
        // public/'s builds, and a fresh temporary folder is built whole anyway.
        options.useCache = false
        if let workers { options.workers = workers }
        do {
            let report = try SiteBuilder.build(options)
            return ProductionBuild(folder: temp + "/site", temporaryRoot: temp, report: report, config: config)
        } catch {
            try? FileIO.removeTree(temp)
            throw error
        }
    }

    /// robots.txt: everything may be crawled, and here is the sitemap. (Crawlers
    /// read it only at the root of a host; for a site below a path it is written
    /// anyway, for a proxy or the host's own robots.txt to use.)
    public static func robots(_ config: SiteConfig) -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(config.absoluteURL("sitemap.xml"))\n"
    }

    /// The production steps of a build, called by `SiteBuilder` when
    /// `BuildOptions.production` is set: the theme's assets under fingerprinted
    /// names, and the theme with its `{{root}}assets/...` references mapped.
    static func prepare(theme: Theme, templatesDir: String, config: SiteConfig) throws(Diagnostics) -> (Theme, AssetFingerprints) {
        let assets = try AssetFingerprints.load(templatesDir: FileIO.isDirectory(templatesDir) ? templatesDir : nil,
                                                basePath: config.basePath)
        return (theme.mappingAssets(assets.urls), assets)
    }

    /// Writes what a production build adds after static/ is copied: robots.txt,
    /// unless static/ has its own.
    static func finish(_ output: OutputFolder, config: SiteConfig) throws {
        if !output.exists("robots.txt") { try output.write("robots.txt", robots(config)) }
    }
}

/// A production build in a temporary folder.
public struct ProductionBuild: Sendable {
    /// The built site.
    public let folder: String
    /// The temporary folder holding it (removed by `remove()`).
    public let temporaryRoot: String
    public let report: BuildReport
    /// The settings it was built with (`baseURL` is set).
    public let config: SiteConfig

    public func remove() { try? FileIO.removeTree(temporaryRoot) }
}

/// Uniquely named folders under the system's temporary folder (TMPDIR), with
/// the process id in the name so that folders of killed runs can be cleaned up.
public enum TemporaryFolder {
    public static func make(_ prefix: String) throws -> String {
        let base = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        let dir = URL(fileURLWithPath: base).standardizedFileURL.path
        removeStale(prefix, in: dir)
        var template = Array("\(dir)/\(prefix)-\(getpid())-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw FileIO.Failure(path: dir, operation: "create a temporary folder in", code: errno) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Folders `prefix-PID-xxxxxx` whose process is gone.
    static func removeStale(_ prefix: String, in dir: String) {
        guard let names = try? FileIO.listDirectory(dir) else { return }
        for name in names where name.hasPrefix(prefix + "-") {
            let parts = name.dropFirst(prefix.count + 1).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            try? FileIO.removeTree(dir + "/" + name)
        }
    }
}
