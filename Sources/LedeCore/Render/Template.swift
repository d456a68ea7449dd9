/// The value of one template slot: text, which is always escaped, or `HTML`,
/// which only lede's renderers make.
public enum SlotValue: Sendable, ExpressibleByStringLiteral {
    case text(String)
    case html(HTML)
    /// `HTML` as UTF-8, which lede's renderers put together as bytes (the
    /// items of a timeline page): filled into bytes (`Template.renderBytes`)
    /// it is copied as it is, where making it a `String` would read every
    /// byte to check it.
    case htmlBytes([UInt8])

    public init(stringLiteral value: String) { self = .text(value) }

    var rendered: String {
        switch self {
        case .text(let s): return HTML.escape(s)
        case .html(let h): return h.raw
        case .htmlBytes(let b): return String(decoding: b, as: UTF8.self)
        }
    }

    /// Bytes it takes at most before escaping (to size an output once).
    var byteCount: Int {
        switch self {
        case .text(let s): return s.utf8.count
        case .html(let h): return h.raw.utf8.count
        case .htmlBytes(let b): return b.count
        }
    }

    /// Appends it to `out`, text escaped.
    func append(to out: inout String) {
        switch self {
        case .text(let s): HTML.escape(s, into: &out)
        case .html(let h): out += h.raw
        case .htmlBytes(let b): out += String(decoding: b, as: UTF8.self)
        }
    }

    /// Appends it to `out` as UTF-8, text escaped.
    func append(to out: inout [UInt8]) {
        switch self {
        case .text(let s): HTML.escape(s, into: &out)
        case .html(let h): out.append(contentsOf: h.raw.utf8)
        case .htmlBytes(let b): out.append(contentsOf: b)
        }
    }
}

/// An HTML (or XML) file with named slots, `{{title}}`, filled by Swift.
///
/// There is no logic in a template. `{{> parts/header.html}}` includes another
/// file where it stands (once, when the template is parsed) and `{{! ... }}` is
/// a comment. Anything else between `{{` and `}}` is a slot, and must be one
/// the template's kind provides, or parsing fails with the file, line and column.
public struct Template: Sendable {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case slot(String)
    }

    public let name: String
    public let segments: [Segment]

    /// The values of a fill by slot name, as written at the call: a fill
    /// names a handful, each looked up by comparing names (a dictionary made
    /// and hashed for every fill cost more than many fills' text).
    public typealias Values = KeyValuePairs<String, SlotValue>

    /// Bytes of literal text, to size the output once.
    private let literalBytes: Int

    public init(name: String, segments: [Segment]) {
        self.name = name
        self.segments = segments
        var n = 0
        for case .literal(let s) in segments { n += s.utf8.count }
        literalBytes = n
    }

    /// Where template text comes from: the site's `templates/` folder or the
    /// built-in theme. Returns the text and the path to show in messages.
    public typealias Loader = (_ name: String) throws(Diagnostic) -> (text: String, path: String)?

    /// Parses template text. `slots` are the slot names this kind of template
    /// gets; `load` resolves `{{> name}}` includes.
    public static func parse(name: String, text: String, path: String, slots: Set<String>,
                             load: Loader) throws(Diagnostics) -> Template {
        var segments: [Segment] = []
        var problems: [Diagnostic] = []
        parse(text: text, path: path, slots: slots, load: load, depth: 0, into: &segments, problems: &problems)
        if !problems.isEmpty { throw Diagnostics(problems) }
        // Merge neighbouring literals.
        var merged: [Segment] = []
        for s in segments {
            if case .literal(let b) = s, case .literal(let a)? = merged.last {
                merged[merged.count - 1] = .literal(a + b)
            } else {
                merged.append(s)
            }
        }
        return Template(name: name, segments: merged)
    }

    private static func parse(text: String, path: String, slots: Set<String>, load: Loader, depth: Int,
                              into segments: inout [Segment], problems: inout [Diagnostic]) {
        let b = Array(text.utf8)
        var i = 0
        var literalStart = 0
        var line = 1, lineStart = 0
        func flush(_ end: Int) {
            if end > literalStart { segments.append(.literal(String(decoding: b[literalStart..<end], as: UTF8.self))) }
        }
        while i < b.count {
            if b[i] == 0x0A { line += 1; lineStart = i + 1; i += 1; continue }
            guard b[i] == 0x7B, i + 1 < b.count, b[i + 1] == 0x7B else { i += 1; continue }
            let column = i - lineStart + 1
            let openLine = line
            // Find the closing braces on the same or a later line.
            var j = i + 2
            while j + 1 < b.count, !(b[j] == 0x7D && b[j + 1] == 0x7D) { j += 1 }
            guard j + 1 < b.count else {
                problems.append(.error(path, openLine, column, "`{{` is never closed with `}}`"))
                return
            }
            flush(i)
            let inner = String(decoding: b[(i + 2)..<j], as: UTF8.self).trimmingWhitespace
            // Count lines inside the tag.
            for k in (i + 2)..<j where b[k] == 0x0A { line += 1; lineStart = k + 1 }
            i = j + 2
            literalStart = i
            if inner.hasPrefix("!") { continue }
            if inner.hasPrefix(">") {
                let include = String(inner.dropFirst()).trimmingWhitespace
                guard depth < 8 else {
                    problems.append(.error(path, openLine, column, "includes nest more than 8 deep at `\(include)`; does it include itself?"))
                    continue
                }
                do throws(Diagnostic) {
                    guard let (subText, subPath) = try load(include) else {
                        problems.append(.error(path, openLine, column, "included template `\(include)` does not exist; create templates/\(include) or remove the include"))
                        continue
                    }
                    parse(text: subText, path: subPath, slots: slots, load: load, depth: depth + 1, into: &segments, problems: &problems)
                } catch {
                    problems.append(error)
                }
                continue
            }
            guard isSlotName(inner) else {
                problems.append(.error(path, openLine, column, "`{{\(inner)}}` is not a slot name; slots are written {{name}} with lowercase letters, digits and _"))
                continue
            }
            guard slots.contains(inner) else {
                let known = slots.sorted().map { "{{\($0)}}" }.joined(separator: ", ")
                problems.append(.error(path, openLine, column, "unknown slot {{\(inner)}}; this template can use \(known)"))
                continue
            }
            segments.append(.slot(inner))
        }
        flush(b.count)
    }

    static func isSlotName(_ s: String) -> Bool {
        guard let f = s.utf8.first, (f >= 0x61 && f <= 0x7A) || f == 0x5F else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// The slots the template uses.
    public var usedSlots: Set<String> {
        var s = Set<String>()
        for case .slot(let name) in segments { s.insert(name) }
        return s
    }

    /// Fills the slots. A slot without a value renders as nothing (a name
    /// given twice: the first value).
    public func render(_ values: Values) -> HTML {
        var out = ""
        out.reserveCapacity(size(values))
        for segment in segments {
            switch segment {
            case .literal(let s): out += s
            case .slot(let name): Self.value(name, in: values)?.append(to: &out)
            }
        }
        return HTML(trusted: out)
    }

    /// `render` into UTF-8, for pages put together as bytes.
    public func renderBytes(_ values: Values) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(size(values))
        renderBytes(values, into: &out, streaming: nil) { _ in }
        return out
    }

    /// `renderBytes` appended to `out`, with `emit` writing the value of the
    /// slot `streaming` into `out` wherever the template shows it (and its
    /// value in `values`, if any, unused): a long part, such as a timeline
    /// page's thousand items, goes straight into the page instead of being
    /// put together on its own and copied in, once for each enclosing template.
    public func renderBytes(_ values: Values, into out: inout [UInt8], streaming: String?, _ emit: (inout [UInt8]) -> Void) {
        for segment in segments {
            switch segment {
            case .literal(let s): out.append(contentsOf: s.utf8)
            case .slot(let name):
                if name == streaming { emit(&out) } else { Self.value(name, in: values)?.append(to: &out) }
            }
        }
    }

    @inline(__always)
    static func value(_ name: String, in values: Values) -> SlotValue? {
        for (key, value) in values where key == name { return value }
        return nil
    }

    /// Room for a fill: the literal text, the values and some for escapes.
    private func size(_ values: Values) -> Int {
        var size = literalBytes
        for (_, v) in values { size += v.byteCount }
        return size + size / 16
    }

    /// The template with its slots numbered by their place in `names`, for
    /// one filled many times over (a timeline's items): values then go by
    /// position, and no dictionary is made or searched for each fill. A slot
    /// not in `names` renders as nothing, as one without a value does.
    public func positional(_ names: [String]) -> Positional {
        Positional(parts: segments.compactMap { segment in
            switch segment {
            case .literal(let s): return .literal(Array(s.utf8))
            case .slot(let name): return names.firstIndex(of: name).map { .slot($0) }
            }
        }, literalBytes: literalBytes, count: names.count)
    }

    public struct Positional: Sendable {
        enum Part: Sendable {
            case literal([UInt8])
            case slot(Int)
        }
        let parts: [Part]
        let literalBytes: Int
        /// How many values a fill takes.
        let count: Int

        /// How many times the template shows the value numbered `k`.
        public func uses(_ k: Int) -> Int {
            parts.reduce(0) { n, part in
                if case .slot(let j) = part, j == k { return n + 1 }
                return n
            }
        }

        /// Fills the slots with `values`, in the order of the names the template was numbered by.
        public func render(_ values: [SlotValue]) -> HTML {
            // Into bytes, made a String once: a fill appends a dozen pieces,
            // and each String append cost more than the bytes it copied.
            var out: [UInt8] = []
            renderBytes(values, into: &out)
            return HTML(trusted: String(decoding: out, as: UTF8.self))
        }

        /// Appends the fill to `out` as UTF-8 (for what is put together as bytes).
        public func renderBytes(_ values: [SlotValue], into out: inout [UInt8]) {
            precondition(values.count == count, "a positional template takes \(count) values")
            if out.isEmpty {
                var size = literalBytes
                for v in values { size += v.byteCount }
                out.reserveCapacity(size + size / 16)
            }
            for part in parts {
                switch part {
                case .literal(let s): out.append(contentsOf: s)
                case .slot(let k): values[k].append(to: &out)
                }
            }
        }
    }

    /// Fills the slots and cuts the result where `slot` stands: the markup
    /// before it and after it (for boxes whose content cmark renders).
    public func render(_ values: Values, splitAt slot: String) -> (before: HTML, after: HTML) {
        var before = "", out = ""
        var seen = false
        for segment in segments {
            switch segment {
            case .literal(let s): out += s
            case .slot(let name):
                if name == slot && !seen {
                    seen = true
                    before = out
                    out = ""
                } else if let v = Self.value(name, in: values) {
                    out += v.rendered
                }
            }
        }
        return seen ? (HTML(trusted: before), HTML(trusted: out)) : (HTML(trusted: out), .empty)
    }
}
