// libFuzzer target: the front matter splitter and YAML reading, on any bytes.
// Invariants beyond "no crash": every diagnostic names the file and a line
// inside it (or just past its end).
import LedeCore
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrontMatter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = SourceFile(path: "content/fuzz.md", bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    let lines = LineIndex(source.bytes).lineStarts.count
    func check(_ d: Diagnostic) {
        precondition(d.path == "content/fuzz.md", "diagnostic for another file: \(d)")
        precondition(d.line >= 1 && d.line <= lines + 1, "diagnostic line \(d.line) outside 1...\(lines + 1): \(d)")
    }
    if let problem = source.utf8Problem() { check(problem); return 0 }
    do {
        let split = try FrontMatterSplitter.split(source)
        precondition(split.body.upperBound == source.bytes.count && split.body.lowerBound <= source.bytes.count)
        var reader = YAMLReader(path: source.path, firstLine: split.yamlLine)
        _ = reader.frontMatter(try reader.parse(split.yaml ?? ""))
        reader.diagnostics.forEach(check)
    } catch {
        check(error as! Diagnostic)
    }
    _ = SiteConfig.load(source)
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
    fuzzFrontMatter(data ?? UnsafePointer(bitPattern: 1)!, size)
})
