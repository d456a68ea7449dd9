@testable import LedeCore

/// What a test sees of one expression: its text, type and value.
struct Found: Equatable, CustomStringConvertible {
    var text: String
    var type: String
    var value: String
    var description: String { "\(text) [\(type) \(value)]" }
}

/// Tags `text` as one document and returns what was found, in order.
func tagged(_ text: String, reference: String? = "2019-03-15", genre: DocumentGenre? = .news) -> [Found] {
    let ref = reference.flatMap { DateTime(parsing: $0) }
    var tagger = TemporalTagger(referenceDate: ref, genre: genre)
    let bytes = Array(text.utf8)
    return tagger.tag(text).map {
        Found(text: String(decoding: bytes[$0.start..<$0.end], as: UTF8.self), type: $0.type.rawValue, value: $0.value)
    }
}

/// The one expression found in `text`, or nil when there is not exactly one.
func only(_ text: String, reference: String? = "2019-03-15", genre: DocumentGenre? = .news) -> Found? {
    let found = tagged(text, reference: reference, genre: genre)
    return found.count == 1 ? found[0] : nil
}
