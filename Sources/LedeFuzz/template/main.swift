// libFuzzer target: the template parser and filler. The input is a template
// text; it is parsed with a fixed slot set and filled with values that contain
// no braces. Invariants: the output never contains a slot tag `{{name}}` that
// the template had (each is replaced), and text values come out escaped.
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
    let out = template.render(["title": .text("<b>&\"'"), "body": .text("B"), "url": .text("u"), "x": .text("")]).raw
    precondition(!out.contains("<b>&"), "a text value was not escaped")
    for name in slots {
        // The literal parts of the template cannot contain `{{name}}` (the parser
        // would have made it a slot), and no value has braces.
        precondition(!out.contains("{{\(name)}}"), "slot {{\(name)}} left in the output")
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
    fuzzTemplate(data ?? UnsafePointer(bitPattern: 1)!, size)
})
