/// The words that say what an article is about, found while the article is
/// annotated, so that the site can relate articles without keeping their text.
public enum KeyTerms {
    /// How many terms an article keeps.
    static let count = 24

    /// Content terms (see `Terms`) ranked by how often the article uses them;
    /// the title's words count three times more. A term must occur twice, or be
    /// in the title. Ties go alphabetically, so the result is deterministic.
    public static func of(title: String, blocks: [String]) -> [String] {
        func isNumber(_ t: String) -> Bool { t.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        var frequency: [String: Int] = [:]
        for block in blocks {
            for t in Terms.of(block) where !isNumber(t) { frequency[t, default: 0] += 1 }
        }
        let titleTerms = Set(Terms.of(title))
        for t in titleTerms where !isNumber(t) { frequency[t, default: 0] += 3 }
        return frequency.filter { $0.value >= 2 || titleTerms.contains($0.key) }
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .prefix(count).map(\.key)
    }
}
