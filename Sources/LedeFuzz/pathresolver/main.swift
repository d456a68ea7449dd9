// libFuzzer target: the HTTP path resolver of `lede serve`, on any request
// target. Invariants (PathResolver's documented guarantees): a file path is
// relative, made of non-empty components that are never ".", ".." or hidden,
// with no NUL, backslash or "//"; a redirect stays on this host.
import LedeServe
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPathResolver(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let target = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // A pretend site: every path ending in ".html" is a file, names without a dot are folders.
    let result = PathResolver.resolve(target) { path in
        if path.hasSuffix(".html") || path.hasSuffix(".css") { return .file }
        if path.isEmpty || !(path.split(separator: "/").last ?? "").contains(".") { return .directory }
        return .missing
    }
    switch result {
    case .file(let path):
        precondition(!path.hasPrefix("/") && !path.contains("//") && !path.contains("\\") && !path.contains("\0"),
                     "unsafe file path \(path) for \(target)")
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            precondition(!component.isEmpty && component != "." && component != ".." && !component.hasPrefix("."),
                         "bad component in \(path) for \(target)")
        }
    case .redirect(let location):
        precondition(location.hasPrefix("/") && !location.hasPrefix("//") && !location.hasPrefix("/\\"),
                     "redirect \(location) can leave the site")
        precondition(!location.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "control character in Location")
    case .notFound, .badRequest:
        break
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
    fuzzPathResolver(data ?? UnsafePointer(bitPattern: 1)!, size)
})
