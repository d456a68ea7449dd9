/// The `lede extract` view of an article (DESIGN.md's contract).
public enum ExtractOutput {
    public static func json(_ a: Article) -> JSON {
        .object([
            ("title", .string(a.title)),
            ("date", .optional(a.date?.iso)),
            ("slug", .string(a.slug)),
            ("word_count", .int(a.wordCount)),
            ("reading_minutes", .int(a.readingMinutes)),
            ("headings", .array(a.headings.map { .object([("level", .int($0.level)), ("id", .string($0.id)), ("text", .string($0.text))]) })),
            ("timeline", .array(a.timeline.map { e in
                .object([
                    ("value", .string(e.value)), ("end", .optional(e.endValue)), ("display", .string(e.display)),
                    ("text", .string(e.text)), ("title", .optional(e.title)), ("anchor", .string(e.anchor)),
                    ("source", .string(e.source.rawValue)),
                ])
            })),
            ("takeaways", .array(a.takeaways.map { t in
                .object([("text", .string(t.text)), ("source", .string(t.source.rawValue)), ("anchor", .string(t.anchor))])
            })),
        ])
    }

    public static func text(_ a: Article) -> String {
        var out = "\(a.title)\n"
        if let d = a.date { out += "date: \(d.iso)\n" }
        out += "\ntimeline (\(a.timeline.count)):\n"
        for e in a.timeline { out += "  \(e.value)\t\(e.display)\t\(e.text)  [#\(e.anchor)]\n" }
        out += "\ntakeaways (\(a.takeaways.count)):\n"
        for t in a.takeaways { out += "  [\(t.source.rawValue)] \(t.text)  [#\(t.anchor)]\n" }
        return out
    }
}
