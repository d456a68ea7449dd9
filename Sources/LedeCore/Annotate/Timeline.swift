/// Ordering, merging and titling of an article's timeline events.
enum Timeline {
    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as", "into",
        "onto", "over", "under", "about", "after", "before", "during", "between", "through", "since", "until", "than",
        "that", "this", "these", "those", "there", "here", "it", "its", "he", "she", "they", "them", "his", "her",
        "their", "we", "our", "you", "your", "i", "was", "were", "is", "are", "be", "been", "being", "had", "has",
        "have", "do", "did", "does", "not", "no", "so", "such", "which", "who", "whom", "whose", "what", "when",
        "where", "why", "how", "also", "then", "more", "most", "very", "just", "only", "all", "any", "some", "each",
        "other", "s", "would", "could", "should", "will", "can", "may", "might", "must", "up", "out", "off", "again",
        "further", "once", "like", "new", "year", "years", "month", "months", "day", "days", "later", "early", "late",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
        "december", "spring", "summer", "autumn", "fall", "winter", "moment", "defining",
    ]

    /// Lowercased words of a text, without stopwords and numbers.
    static func contentWords(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        func flush() {
            if word.count > 1, !stopwords.contains(word), !word.allSatisfy(\.isNumber) { out.append(word) }
            word = ""
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { word.append(ch) } else if ch == "'" || ch == "’" { continue } else { flush() }
        }
        flush()
        return out
    }

    /// Words near a date mention (five on each side), which say what the date is of.
    static func contextWords(_ bytes: [UInt8], around span: Range<Int>, within sentence: Range<Int>) -> Set<String> {
        let before = String(decoding: bytes[sentence.lowerBound..<max(sentence.lowerBound, span.lowerBound)], as: UTF8.self)
        let after = String(decoding: bytes[min(span.upperBound, sentence.upperBound)..<sentence.upperBound], as: UTF8.self)
        let b = before.split(whereSeparator: { $0 == " " }).suffix(5).joined(separator: " ")
        let a = after.split(whereSeparator: { $0 == " " }).prefix(5).joined(separator: " ")
        return Set(contentWords(b + " " + a))
    }

    /// Two mentions of one value are one event when the words around them agree.
    static func sameEvent(_ a: Set<String>, _ b: Set<String>) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
        let shared = a.intersection(b).count
        return Double(shared) / Double(min(a.count, b.count)) >= 0.5
    }

    /// Whether a heading names the event: most of the words of its main part
    /// (before a colon) occur in the event's text.
    static func headingNames(_ heading: String, _ text: String) -> Bool {
        let main = heading.split(separator: ":", maxSplits: 1).first.map(String.init) ?? heading
        let words = contentWords(main)
        guard words.count >= 2 else { return false }
        let eventWords = Set(contentWords(text).map { String($0.prefix(5)) })
        let hits = words.filter { eventWords.contains(String($0.prefix(5))) }.count
        return Double(hits) / Double(words.count) >= 0.6
    }

    /// Adds the front matter's hand-made entries, sorts chronologically (document
    /// order on ties) and titles events whose section heading names them.
    static func merge(_ extracted: [TimelineEvent], manual: [ManualTimelineEntry], headings: [HeadingInfo],
                      sectionOf: [String: Int] = [:]) -> [TimelineEvent] {
        var events = extracted
        var nextOrder = (events.map(\.order).max() ?? 0) + 1
        for entry in manual {
            if entry.remove {
                events.removeAll { $0.value == entry.value }
                continue
            }
            let date = TimexDate(entry.value)
            var display = date?.display ?? entry.value
            if let endValue = entry.endValue, let end = TimexDate(endValue), let date { display = date.rangeDisplay(to: end) }
            if let k = events.firstIndex(where: { $0.value == entry.value }) {
                events[k].text = entry.text ?? events[k].text
                events[k].title = entry.title ?? events[k].title
                events[k].endValue = entry.endValue ?? events[k].endValue
                events[k].display = display
                if let anchor = entry.anchor { events[k].anchor = anchor }
                events[k].source = .frontMatter
            } else {
                events.append(TimelineEvent(value: entry.value, endValue: entry.endValue, display: display,
                                            text: entry.text ?? "", title: entry.title, anchor: entry.anchor ?? "top",
                                            source: .frontMatter, order: nextOrder))
                nextOrder += 1
            }
        }
        return events.sorted { $0.sortKey < $1.sortKey }
    }
}
