// libFuzzer target: the template parser and filler. The input is a template
// text; it is parsed with a fixed slot set and filled with values that contain
// no braces. Invariants: no literal part of the parsed template holds a slot
// tag `{{name}}` (the parser made each a slot), the filled output is exactly
// the literal parts with each slot's value escaped in its place, and an
// escaped value holds no markup character. (The output itself is not searched
// for the raw value: a literal "<b>" before `{{title}}` makes "<b>&lt;..." ,
// which holds "<b>&" although the value was escaped.)
import LedeCore
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) let slots: Set<String> = ["title", "body", "url", "x"]
nonisolated(unsafe) let none: Template.Loader = { (_: String) throws(Diagnostic) -> (text: String, path: String)? in
    ("<i>{{title}}</i>", "templates/parts/inc.html")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let template: Template
    do {
        template = try Template.parse(name: "fuzz.html", text: text, path: "templates/fuzz.html", slots: slots, load: none)
    } catch {
        for d in error.all { precondition(d.path.hasPrefix("templates/") && d.line >= 1) }
        return 0
    }
    let values: Template.Values = ["title": .text("<b>&\"'"), "body": .text("B"), "url": .text("u"), "x": .text("")]
    func valueText(_ name: String) -> String {
        guard case .text(let s)? = values.first(where: { $0.key == name })?.value else { return "" }
        return s
    }
    let out = template.render(values).raw
    var expected = ""
    for segment in template.segments {
        switch segment {
        case .literal(let literal):
            for name in slots { precondition(!literal.contains("{{\(name)}}"), "slot {{\(name)}} left in a literal part") }
            expected += literal
        case .slot(let name):
            expected += HTML.escape(valueText(name))
        }
    }
    precondition(out == expected, "the output is not the literal parts with the values escaped")
    precondition(!HTML.escape(valueText("title")).contains(where: { "<>\"'".contains($0) }), "a text value was not escaped")
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
    fuzzTemplate(data ?? UnsafePointer(bitPattern: 1)!, size)
})
