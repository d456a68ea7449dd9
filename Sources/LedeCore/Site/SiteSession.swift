import Foundation

/// A site that stays loaded between builds, for `lede serve`: the first
/// `build()` is a full build; `rebuild(changed:)` brings the output up to date
/// after some source files changed, with the same result as a full build.
///
/// (Today a rebuild is a full build; the incremental engine replaces that
/// without changing this API.)
public final class SiteSession: @unchecked Sendable {
    public let options: BuildOptions
    private let lock = NSLock()

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Builds everything.
    public func build() throws(Diagnostics) -> BuildReport {
        lock.lock()
        defer { lock.unlock() }
        return try SiteBuilder.build(options)
    }

    /// Rebuilds after the files at `changed` (paths relative to the site folder:
    /// `content/x.md`, `templates/article.html`, `static/images/y.png`) were
    /// added, edited or deleted.
    public func rebuild(changed: [String]) throws(Diagnostics) -> BuildReport {
        var report = try build()
        report.changedSources = changed
        return report
    }
}
