import Yams

/// A Markdown file split into its YAML front matter and its body.
public struct SplitSource: Sendable {
    /// The YAML between the `---` lines, or nil when the file has none.
    public var yaml: String?
    /// The file line on which the YAML starts (the line after the opening `---`).
    public var yamlLine: Int
    /// Byte range of the Markdown body in the source's bytes.
    public var body: Range<Int>
    /// The file line on which the body starts. cmark's line 1 is this line.
    public var bodyLine: Int
}

public enum FrontMatterSplitter {
    /// Splits off YAML front matter: a first line `---`, then YAML, then a line
    /// `---` or `...`. CRLF and CR line endings are accepted.
    public static func split(_ source: SourceFile) throws(Diagnostic) -> SplitSource {
        let b = source.bytes
        let n = b.count
        func lineEnd(from i: Int) -> (end: Int, next: Int) {
            var j = i
            while j < n, b[j] != 0x0A, b[j] != 0x0D { j += 1 }
            if j < n, b[j] == 0x0D, j + 1 < n, b[j + 1] == 0x0A { return (j, j + 2) }
            return (j, j < n ? j + 1 : j)
        }
        func isFence(_ start: Int, _ end: Int, _ chars: [UInt8]) -> Bool {
            var e = end
            while e > start, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
            return e - start == 3 && b[start] == chars[0] && b[start + 1] == chars[1] && b[start + 2] == chars[2]
        }
        let first = lineEnd(from: 0)
        let dashes: [UInt8] = Array("---".utf8), dots: [UInt8] = Array("...".utf8), plus: [UInt8] = Array("+++".utf8)
        if isFence(0, first.end, plus) {
            throw .error(source.path, 1, 1, "TOML front matter (+++) is not supported; write the front matter in YAML between two lines of ---")
        }
        guard isFence(0, first.end, dashes) else {
            return SplitSource(yaml: nil, yamlLine: 1, body: 0..<n, bodyLine: 1)
        }
        var line = 2
        var i = first.next
        while i < n {
            let (end, next) = lineEnd(from: i)
            if isFence(i, end, dashes) || isFence(i, end, dots) {
                let yaml = String(decoding: b[first.next..<i], as: UTF8.self)
                return SplitSource(yaml: yaml, yamlLine: 2, body: next..<n, bodyLine: line + 1)
            }
            line += 1
            i = next
        }
        throw .error(source.path, 1, 1, "the front matter that starts with --- on line 1 never ends; add a line with only --- after the last setting")
    }
}

/// A date, or a date and time, as written in front matter (`2018-07-16`,
/// `2018-07-16T14:30:00+02:00`, `2018-07-16 14:30`).
public struct DateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int = 0
    public var minute: Int = 0
    public var second: Int = 0
    /// Offset from UTC in minutes, when the value gave one.
    public var utcOffset: Int?
    /// True when a time of day was given.
    public var hasTime = false

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, utcOffset: Int? = nil, hasTime: Bool = false) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.utcOffset = utcOffset; self.hasTime = hasTime
    }

    /// Parses `YYYY-MM-DD` with an optional time `[T ]HH:MM[:SS[.fff]]` and zone `Z`/`±HH:MM`.
    public init?(parsing text: String) {
        let s = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= s.count else { return nil }
            var v = 0
            for k in 0..<digits {
                let c = s[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += digits
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect(0x2D), let m = number(2), expect(0x2D), let d = number(2) else { return nil }
        guard (1...12).contains(m), d >= 1, d <= DateTime.daysIn(month: m, year: y) else { return nil }
        year = y; month = m; day = d
        if i == s.count { return }
        guard s[i] == 0x54 || s[i] == 0x20 else { return nil }  // T or space
        i += 1
        guard let hh = number(2), expect(0x3A), let mm = number(2), hh < 24, mm < 60 else { return nil }
        hour = hh; minute = mm; hasTime = true
        if expect(0x3A) {
            guard let ss = number(2), ss < 61 else { return nil }
            second = min(ss, 59)
            if expect(0x2E) { while i < s.count, s[i] >= 0x30 && s[i] <= 0x39 { i += 1 } }
        }
        while i < s.count, s[i] == 0x20 { i += 1 }
        if i == s.count { return }
        if expect(0x5A) { utcOffset = 0 } else if i < s.count, s[i] == 0x2B || s[i] == 0x2D {
            let sign = s[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            _ = expect(0x3A)
            guard let om = number(2) else { return nil }
            utcOffset = sign * (oh * 60 + om)
        } else { return nil }
        guard i == s.count else { return nil }
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z (the zone taken as UTC when none was given).
    public var epochSeconds: Int {
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return days * 86400 + hour * 3600 + minute * 60 + second - (utcOffset ?? 0) * 60
    }

    public static func < (a: DateTime, b: DateTime) -> Bool { a.epochSeconds < b.epochSeconds }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `2018-07-16`.
    public var isoDate: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    /// RFC 3339, as Atom and sitemaps want it: `2018-07-16T00:00:00Z`.
    public var rfc3339: String {
        var s = "\(isoDate)T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
        if let off = utcOffset, off != 0 {
            s += (off < 0 ? "-" : "+") + "\(Self.pad(abs(off) / 60, 2)):\(Self.pad(abs(off) % 60, 2))"
        } else {
            s += "Z"
        }
        return s
    }

    /// The value for `<time datetime>` and JSON-LD: the date alone when no time was given.
    public var iso: String { hasTime ? rfc3339 : isoDate }

    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                    "August", "September", "October", "November", "December"]

    /// `July 16, 2018`.
    public var display: String { "\(Self.monthNames[month - 1]) \(day), \(year)" }

    public var description: String { iso }
}

/// Whether narrative dates like "two weeks later" are read relative to the
/// article's own date (news) or to the last date mentioned (narrative, history).
public enum DocumentGenre: String, Sendable { case news, narrative }

/// An entry of the front matter's `timeline` list.
public struct ManualTimelineEntry: Sendable, Equatable {
    /// A TIMEX3 date value: `1945`, `1945-05`, `1945-05-08`.
    public var value: String
    /// Where a range ends, if it is one.
    public var endValue: String?
    public var text: String?
    public var title: String?
    /// The id of the element the entry links to, if the author names one.
    public var anchor: String?
    /// Removes the extracted events with this value instead of adding one.
    public var remove: Bool
    public var line: Int
}

/// What the front matter says about takeaways.
public enum TakeawaySetting: Sendable, Equatable {
    /// Nothing said: authored takeaways if the article has them.
    case unset
    /// `takeaways: false`: no automatic takeaways for this article.
    case off
    /// `takeaways: [...]`: hand-written takeaways.
    case list([String])
}

/// The settings at the top of an article.
public struct FrontMatter: Sendable {
    public var title: String?
    public var date: DateTime?
    public var updated: DateTime?
    public var author: String?
    public var summary: String?
    public var tags: [String] = []
    public var draft = false
    public var slug: String?
    public var timeline: [ManualTimelineEntry] = []
    public var takeaways: TakeawaySetting = .unset
    public var genre: DocumentGenre?
    /// The line of each key, for messages about its value.
    public var lines: [String: Int] = [:]

    public init() {}

    public static let knownKeys: Set<String> = [
        "title", "date", "updated", "author", "summary", "tags", "draft", "slug",
        "timeline", "takeaways", "genre",
    ]
}

/// Reads YAML into typed settings, with messages that point at the line.
public struct YAMLReader {
    public let path: String
    /// File line of the YAML's line 1.
    public let firstLine: Int
    /// Diagnostics found while reading (warnings, and errors for bad values).
    public private(set) var diagnostics: [Diagnostic] = []
    /// Nodes visited so far; aliases that expand without end are refused.
    private var budget = 20_000

    public init(path: String, firstLine: Int) {
        self.path = path
        self.firstLine = firstLine
    }

    /// Yams's default encoding, looked up once: asking for it reads the whole
    /// process environment, which cost more than parsing small front matter.
    nonisolated(unsafe) static let encoding = Parser.Encoding.default

    /// Parses the YAML text: a mapping, or nothing.
    public func parse(_ yaml: String) throws(Diagnostic) -> Node.Mapping? {
        let root: Node?
        do {
            // Every value is read as text (`string`, `bool`, `date` parse it
            // themselves), so scalars are not resolved to YAML's types: the
            // default resolver tries regular expressions on each one, which
            // was a third of the cost of reading front matter.
            root = try Yams.compose(yaml: yaml, .basic, .default, Self.encoding)
        } catch let error as YamlError {
            throw diagnostic(for: error)
        } catch {
            throw Diagnostic.error(path, firstLine, 1, "cannot read the front matter: \(error)")
        }
        guard let root else { return nil }
        // YAML aliases can make a small text stand for a huge tree ("billion
        // laughs"); refuse front matter that expands beyond any real need.
        var remaining = 20_000
        guard Self.fits(root, &remaining) else {
            throw Diagnostic.error(path, line(root), 1, "the front matter expands to too many values (YAML aliases nested in aliases?); write the values out")
        }
        guard case .mapping(let mapping) = root else {
            throw Diagnostic.error(path, line(root), 1, "the front matter must be a list of `key: value` settings")
        }
        return mapping
    }

    /// Counts nodes, aliases expanded, until `remaining` runs out.
    static func fits(_ node: Node, _ remaining: inout Int) -> Bool {
        remaining -= 1
        if remaining < 0 { return false }
        switch node {
        case .sequence(let seq):
            for item in seq where !fits(item, &remaining) { return false }
        case .mapping(let map):
            for (k, v) in map where !fits(k, &remaining) || !fits(v, &remaining) { return false }
        default: break
        }
        return true
    }

    private func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, yaml), let .parser(context, problem, mark, yaml), let .composer(context, problem, mark, yaml):
            var message = "invalid YAML in the front matter: \(problem)"
            var at = mark
            if let context {
                message += " (\(context.text) on line \(context.mark.line + firstLine - 1))"
                // Past the end of the YAML, the place to look is where the construct began.
                let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
                if mark.line >= lines, context.mark.line < mark.line { at = context.mark }
            }
            return .error(path, at.line + firstLine - 1, at.column, message + "; check the quoting and indentation")
        case let .reader(problem, _, _, _):
            return .error(path, firstLine, 1, "cannot read the front matter: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error(path, context.mark.line + firstLine - 1, context.mark.column,
                          "duplicate front matter key \(duplicates.joined(separator: ", ")); keep one")
        default:
            return .error(path, firstLine, 1, "invalid YAML in the front matter: \(error)")
        }
    }

    public func line(_ node: Node) -> Int { (node.mark?.line ?? 1) + firstLine - 1 }
    public func column(_ node: Node) -> Int { node.mark?.column ?? 1 }

    public mutating func error(_ node: Node, _ message: String) {
        diagnostics.append(.error(path, line(node), column(node), message))
    }

    public mutating func warning(_ node: Node, _ message: String) {
        diagnostics.append(.warning(path, line(node), column(node), message))
    }

    private mutating func spend(_ node: Node) -> Bool {
        budget -= 1
        if budget == 0 {
            error(node, "the front matter expands to too many values (are YAML aliases nested?); write the values out")
        }
        return budget > 0
    }

    /// A scalar's text; an error for lists and maps.
    public mutating func string(_ node: Node, key: String) -> String? {
        guard spend(node) else { return nil }
        switch node {
        case .scalar(let s): return s.string
        case .alias: error(node, "`\(key)` uses a YAML alias; write the value out")
        default: error(node, "`\(key)` must be a single value, not a list or a map")
        }
        return nil
    }

    public mutating func bool(_ node: Node, key: String) -> Bool? {
        guard let s = string(node, key: key) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, "`\(key)` must be true or false, not \"\(s)\"")
            return nil
        }
    }

    public mutating func date(_ node: Node, key: String) -> DateTime? {
        guard let s = string(node, key: key) else { return nil }
        if let d = DateTime(parsing: s.trimmingWhitespace) { return d }
        error(node, "`\(key)` is not a valid date: \"\(s)\"; write it as YYYY-MM-DD, optionally with a time (2018-07-16T14:30:00Z)")
        return nil
    }

    /// A list of strings; a single string counts as a list of one.
    public mutating func strings(_ node: Node, key: String) -> [String] {
        switch node {
        case .scalar:
            return string(node, key: key).map { [$0] } ?? []
        case .sequence(let seq):
            var out: [String] = []
            for item in seq {
                guard spend(item) else { return out }
                if let s = string(item, key: key) { out.append(s) }
            }
            return out
        default:
            error(node, "`\(key)` must be a list, like [one, two]")
            return []
        }
    }

    /// Reads an article's front matter.
    public mutating func frontMatter(_ mapping: Node.Mapping?) -> FrontMatter {
        var fm = FrontMatter()
        guard let mapping else { return fm }
        for (keyNode, value) in mapping {
            guard spend(value) else { break }
            guard let key = keyNode.string else {
                error(keyNode, "front matter keys must be plain words")
                continue
            }
            fm.lines[key] = line(keyNode)
            switch key {
            case "title": fm.title = string(value, key: key)
            case "date": fm.date = date(value, key: key)
            case "updated", "lastmod": fm.updated = date(value, key: key)
            case "author":
                fm.author = strings(value, key: key).joined(separator: " and ")
            case "summary", "description": fm.summary = string(value, key: key)
            case "tags": fm.tags = strings(value, key: key).map(\.trimmingWhitespace).filter { !$0.isEmpty }
            case "draft": fm.draft = bool(value, key: key) ?? false
            case "slug":
                if let s = string(value, key: key) {
                    let slug = Slug.make(s)
                    if slug.isEmpty { error(value, "`slug` must contain letters or digits") } else { fm.slug = slug }
                }
            case "genre":
                if let s = string(value, key: key) {
                    if let g = DocumentGenre(rawValue: s.lowercased()) { fm.genre = g } else {
                        error(value, "`genre` must be news or narrative, not \"\(s)\"")
                    }
                }
            case "takeaways":
                if case .scalar = value, let b = bool(value, key: key) {
                    fm.takeaways = b ? .unset : .off
                } else if case .sequence = value {
                    fm.takeaways = .list(strings(value, key: key).map(\.trimmingWhitespace).filter { !$0.isEmpty })
                } else if case .scalar = value {
                    // bool() reported it.
                } else {
                    error(value, "`takeaways` must be a list of sentences, or false")
                }
            case "timeline": fm.timeline = timeline(value)
            default:
                warning(keyNode, "unknown front matter key `\(key)` is ignored; known keys: \(FrontMatter.knownKeys.sorted().joined(separator: ", "))")
            }
        }
        return fm
    }

    private mutating func timeline(_ node: Node) -> [ManualTimelineEntry] {
        guard case .sequence(let seq) = node else {
            error(node, "`timeline` must be a list of entries like {date: 1945-05-08, text: \"...\"}")
            return []
        }
        var out: [ManualTimelineEntry] = []
        for item in seq {
            guard spend(item) else { break }
            guard case .mapping(let map) = item else {
                error(item, "each `timeline` entry must be a map like {date: 1945-05-08, text: \"...\"}")
                continue
            }
            var entry = ManualTimelineEntry(value: "", endValue: nil, text: nil, title: nil, anchor: nil, remove: false, line: line(item))
            var dateNode: Node?
            for (k, v) in map {
                guard spend(v) else { break }
                switch k.string ?? "" {
                case "date":
                    dateNode = v
                    if let s = string(v, key: "timeline date") { entry.value = s.trimmingWhitespace }
                case "end":
                    if let s = string(v, key: "timeline end"), let value = TimexDate.normalizeDateValue(s.trimmingWhitespace) {
                        entry.endValue = value
                    } else { error(v, "a timeline `end` must be a date like 1945, 1945-05 or 1945-05-08") }
                case "text": entry.text = string(v, key: "timeline text")
                case "title": entry.title = string(v, key: "timeline title")
                case "anchor": entry.anchor = string(v, key: "timeline anchor")
                case "remove": entry.remove = bool(v, key: "timeline remove") ?? false
                default: warning(k, "unknown timeline entry key `\(k.string ?? "")` is ignored; known: date, end, text, title, anchor, remove")
                }
            }
            guard let dateNode else {
                error(item, "a timeline entry needs a `date` (1945, 1945-05 or 1945-05-08)")
                continue
            }
            guard let value = TimexDate.normalizeDateValue(entry.value) else {
                error(dateNode, "a timeline `date` must be a date like 1945, 1945-05 or 1945-05-08, not \"\(entry.value)\"")
                continue
            }
            entry.value = value
            if !entry.remove, (entry.text ?? "").trimmingWhitespace.isEmpty {
                error(item, "a timeline entry needs a `text` saying what happened (or `remove: true` to drop an extracted date)")
                continue
            }
            out.append(entry)
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    public var trimmingWhitespace: String {
        // An ASCII byte that is not white space at both ends: nothing to trim
        // (no grapheme that starts with white space can end or start there).
        if let f = utf8.first, let l = utf8.last, f < 0x80, l < 0x80,
           f != 0x20, l != 0x20, !(0x09...0x0D).contains(f), !(0x09...0x0D).contains(l) {
            return self
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
