/// Temporal expressions in the prose of a Markdown file, with byte offsets into
/// the file.
///
/// The file's bytes are copied into a buffer of spaces (line breaks kept), text
/// node by text node, using cmark's source positions. What is not prose — front
/// matter, code spans and blocks, raw HTML, link destinations, autolinks, image
/// descriptions — stays blank, so the tagger never sees it and every offset it
/// reports is an offset into the file.
public enum ProseDates {
    /// The file's bytes (without a BOM) with everything but prose replaced by spaces.
    ///
    /// `document` is the cmark parse of the body (`source.bytes[split.body]`), if the
    /// caller has one already; source positions do not depend on the parse options.
    public static func proseBytes(_ source: SourceFile, split: SplitSource, document: MarkdownDocument? = nil) -> [UInt8] {
        let bytes = source.bytes
        var out = [UInt8](repeating: 0x20, count: bytes.count)
        for i in bytes.indices where bytes[i] == 0x0A || bytes[i] == 0x0D { out[i] = bytes[i] }
        let body = split.body
        guard !body.isEmpty else { return out }
        let bodyBytes = Array(bytes[body])
        let lines = LineIndex(bodyBytes)
        let doc = document ?? MarkdownDocument(parsing: bodyBytes, options: [.unsafe])
        func offset(_ line: Int, _ column: Int) -> Int {
            let l = min(max(line, 1), lines.lineStarts.count) - 1
            return min(lines.lineStarts[l] + max(column, 1) - 1, bodyBytes.count)
        }
        doc.root.walk { node, event in
            guard event == .enter else { return .continue }
            switch node.kind {
            case .codeBlock, .htmlBlock, .htmlInline, .code, .image, .thematicBreak:
                return .skipChildren
            case .link:
                // Autolinks (<https://...>) show their URL as text: not prose. (cmark's column for an
                // autolink after other inlines can be off, so compare the text with the URL instead.)
                if let child = node.firstChild, child.kind == .text, child.next == nil, let text = child.literal,
                   let url = node.url, text == url || "mailto:" + text == url {
                    return .skipChildren
                }
                return .continue
            case .text:
                guard node.startLine > 0 else { return .continue }
                let s = offset(node.startLine, node.startColumn)
                let e = offset(node.endLine, node.endColumn + 1)
                if s < e {
                    for k in s..<e { out[body.lowerBound + k] = bodyBytes[k] }
                }
                return .continue
            default:
                return .continue
            }
        }
        // Never leave half a UTF-8 character at the edge of a copied range.
        var i = 0
        let n = out.count
        while i < n {
            let b = out[i]
            if b >= 0xC0 {
                var len = 2
                if b >= 0xF0 { len = 4 } else if b >= 0xE0 { len = 3 }
                var ok = i + len <= n
                if ok { for k in 1..<len where out[i + k] & 0xC0 != 0x80 { ok = false } }
                if !ok { out[i] = 0x20 }
                i += ok ? len : 1
            } else if b >= 0x80 {
                out[i] = 0x20
                i += 1
            } else {
                i += 1
            }
        }
        return out
    }

    /// The reference date and genre a Markdown file's front matter gives.
    public static func frontMatterSettings(_ source: SourceFile, split: SplitSource) -> (DateTime?, DocumentGenre?) {
        guard let yaml = split.yaml else { return (nil, nil) }
        var reader = YAMLReader(path: source.path, firstLine: split.yamlLine)
        guard let mapping = try? reader.parse(yaml) else { return (nil, nil) }
        let fm = reader.frontMatter(mapping)
        return (fm.date, fm.genre)
    }

    /// Tags the prose of a Markdown file. Offsets are UTF-8 byte offsets into the
    /// file as stored (a byte-order mark counts). `referenceDate` overrides the
    /// front matter's `date`; `genre`, or else the front matter's `genre`, forces
    /// news or narrative. Pass the body's cmark `document` when you have parsed it already.
    public static func tagMarkdown(_ source: SourceFile, referenceDate: DateTime? = nil, genre: DocumentGenre? = nil,
                                   document: MarkdownDocument? = nil) throws(Diagnostic) -> [TemporalExpression] {
        let split = try FrontMatterSplitter.split(source)
        let (date, frontGenre) = frontMatterSettings(source, split: split)
        let prose = proseBytes(source, split: split, document: document)
        var tagger = TemporalTagger(referenceDate: referenceDate ?? date, genre: genre ?? frontGenre)
        let found = prose.withUnsafeBufferPointer { tagger.tag($0) }
        return shifted(found, by: source.bomLength)
    }

    /// Tags a plain text file. Offsets are into the file as stored.
    public static func tagText(_ source: SourceFile, referenceDate: DateTime?, genre: DocumentGenre? = nil) -> [TemporalExpression] {
        var tagger = TemporalTagger(referenceDate: referenceDate, genre: genre)
        let found = source.bytes.withUnsafeBufferPointer { tagger.tag($0) }
        return shifted(found, by: source.bomLength)
    }

    /// Offsets into `SourceFile.bytes` moved to offsets into the file (past its byte-order mark).
    private static func shifted(_ found: [TemporalExpression], by bom: Int) -> [TemporalExpression] {
        guard bom > 0 else { return found }
        return found.map { var e = $0; e.start += bom; e.end += bom; return e }
    }

    /// Whether a path names a Markdown file.
    public static func isMarkdown(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".md") || lower.hasSuffix(".markdown") || lower.hasSuffix(".mdown") || lower.hasSuffix(".mkd")
    }
}

extension TemporalExpression {
    /// One JSON object: `{"start":…,"end":…,"text":…,"type":…,"value":…}` (and `mod` when set).
    public func json(text: UnsafeBufferPointer<UInt8>) -> String {
        var s = "{\"start\": \(start), \"end\": \(end), \"text\": "
        JSONText.append(text, start..<end, to: &s)
        s += ", \"type\": \"\(type.rawValue)\", \"value\": "
        JSONText.append(value, to: &s)
        if let mod {
            s += ", \"mod\": "
            JSONText.append(mod, to: &s)
        }
        s += "}"
        return s
    }
}

/// JSON string escaping without Foundation.
enum JSONText {
    static func append(_ value: String, to out: inout String) {
        value.withUTF8Bytes { append($0, 0..<$0.count, to: &out) }
    }

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout String) {
        var buf: [UInt8] = [0x22]
        buf.reserveCapacity(range.count + 2)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for i in range {
            let b = bytes[i]
            switch b {
            case 0x22: buf += [0x5C, 0x22]
            case 0x5C: buf += [0x5C, 0x5C]
            case 0x0A: buf += [0x5C, 0x6E]
            case 0x0D: buf += [0x5C, 0x72]
            case 0x09: buf += [0x5C, 0x74]
            case 0..<0x20: buf += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: buf.append(b)
            }
        }
        buf.append(0x22)
        out += String(decoding: buf, as: UTF8.self)
    }
}
