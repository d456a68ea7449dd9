// libFuzzer target: the temporal tagger on arbitrary text. Invariants: every
// expression lies inside the text, on UTF-8 character boundaries, with a
// non-empty span and a value; ranges point forward to a real expression.
import LedeCore
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTagger(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = UnsafeBufferPointer(start: data, count: size)
    // lede never tags invalid UTF-8 (files are checked first), so character
    // boundaries are only defined, and checked, for valid text.
    let valid = UTF8Check.firstInvalidByte(text) == nil
    func isBoundary(_ i: Int) -> Bool { !valid || i == size || (text[i] & 0xC0) != 0x80 }
    for genre in [DocumentGenre.news, .narrative] {
        var tagger = TemporalTagger(referenceDate: DateTime(year: 2020, month: 2, day: 29), genre: genre)
        let found = tagger.tag(text)
        for (k, e) in found.enumerated() {
            precondition(e.start >= 0 && e.start < e.end && e.end <= size, "span \(e.start)..<\(e.end) outside 0..<\(size)")
            precondition(isBoundary(e.start) && isBoundary(e.end), "span \(e.start)..<\(e.end) splits a UTF-8 character")
            precondition(!e.value.isEmpty, "empty value")
            if let r = e.rangeEnd { precondition(r > k && r < found.count, "range end \(r) of \(k) is not a later expression") }
        }
        // Tagging the same text twice in a fresh tagger gives the same result.
        var again = TemporalTagger(referenceDate: DateTime(year: 2020, month: 2, day: 29), genre: genre)
        precondition(again.tag(text) == found, "the tagger is not deterministic")
    }
    return 0
}

// libFuzzer's driver runs the loop; this program is its main().
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    fuzzTagger(data ?? UnsafePointer(bitPattern: 1)!, size)
})
