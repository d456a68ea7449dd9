/// A problem found in the site's input, located at `path:line:column`.
///
/// Every error lede reports about content, templates or settings is one of these,
/// so that editors and terminals can jump to the place and the user knows what
/// to fix. `line` and `column` are 1-based; `column` counts bytes, like cmark,
/// gcc and most editors' "go to" commands.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(_ severity: Severity = .error, path: String, line: Int = 1, column: Int = 1, _ message: String) {
        self.severity = severity
        self.path = path
        self.line = max(1, line)
        self.column = max(1, column)
        self.message = message
    }

    public static func error(_ path: String, _ line: Int = 1, _ column: Int = 1, _ message: String) -> Diagnostic {
        Diagnostic(.error, path: path, line: line, column: column, message)
    }

    public static func warning(_ path: String, _ line: Int = 1, _ column: Int = 1, _ message: String) -> Diagnostic {
        Diagnostic(.warning, path: path, line: line, column: column, message)
    }

    /// `path:line:col: error: message`, the form compilers use.
    public var description: String { "\(path):\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Several diagnostics at once: a build reports every error it found, not just the first.
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public var all: [Diagnostic]
    public init(_ all: [Diagnostic]) { self.all = all }
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var description: String { all.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics from the stages of a build. Thread-safe, because pages are
/// built in parallel.
public final class DiagnosticLog: @unchecked Sendable {
    private let lock = Lock()
    private var items: [Diagnostic] = []

    public init() {}

    public func add(_ diagnostic: Diagnostic) { lock.withLock { items.append(diagnostic) } }
    public func add(contentsOf diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        lock.withLock { items.append(contentsOf: diagnostics) }
    }

    /// All diagnostics, sorted by file, then position, so output is the same in every run.
    public var all: [Diagnostic] {
        lock.withLock {
            items.sorted { ($0.path, $0.line, $0.column, $0.message) < ($1.path, $1.line, $1.column, $1.message) }
        }
    }
    public var hasErrors: Bool { lock.withLock { items.contains { $0.severity == .error } } }
}
