import Foundation
import Testing
@testable import LedeServe

/// The pure path resolver, against a site described in memory.
@Suite struct PathResolverTests {
    static let files: Set<String> = [
        "index.html", "404.html", "berlin-wall/index.html", "assets/style.css", "tags/index.html",
        "tags/cold-war/index.html", "about.html", "café/index.html", "images/a b.svg", "feed.xml",
    ]
    static let folders: Set<String> = ["berlin-wall", "assets", "tags", "tags/cold-war", "café", "images", "empty"]

    static func kind(_ path: String) -> PathResolver.Kind {
        if files.contains(path) { return .file }
        if folders.contains(path) { return .directory }
        return .missing
    }

    func resolve(_ target: String) -> PathResolver.Resolution {
        PathResolver.resolve(target, kind: Self.kind)
    }

    @Test func pagesFoldersAndFiles() {
        #expect(resolve("/") == .file("index.html"))
        #expect(resolve("/berlin-wall/") == .file("berlin-wall/index.html"))
        #expect(resolve("/berlin-wall/index.html") == .file("berlin-wall/index.html"))
        #expect(resolve("/assets/style.css") == .file("assets/style.css"))
        #expect(resolve("/assets/style.css?v=2") == .file("assets/style.css"))
        #expect(resolve("/tags/cold-war/") == .file("tags/cold-war/index.html"))
        #expect(resolve("/caf%C3%A9/") == .file("café/index.html"))
        #expect(resolve("/images/a%20b.svg") == .file("images/a b.svg"))
        #expect(resolve("/about") == .file("about.html"))
        #expect(resolve("//berlin-wall//") == .file("berlin-wall/index.html"))
    }

    @Test func slugWithoutSlashRedirects() {
        #expect(resolve("/berlin-wall") == .redirect("/berlin-wall/"))
        #expect(resolve("/berlin-wall?x=1&y=2") == .redirect("/berlin-wall/?x=1&y=2"))
        #expect(resolve("/tags/cold-war") == .redirect("/tags/cold-war/"))
        #expect(resolve("/caf%c3%a9") == .redirect("/caf%C3%A9/"))
        // A folder without a page is not a page.
        #expect(resolve("/empty") == .notFound)
        #expect(resolve("/assets") == .notFound)
        #expect(resolve("/assets/") == .notFound)
        // "//evil.example" must stay on this host.
        #expect(resolve("//berlin-wall") == .redirect("/berlin-wall/"))
    }

    @Test func missingThingsAreNotFound() {
        #expect(resolve("/nope") == .notFound)
        #expect(resolve("/nope/") == .notFound)
        #expect(resolve("/berlin-wall/nope.png") == .notFound)
        #expect(resolve("/.git/config") == .notFound)
        #expect(resolve("/.public.staging-12/index.html") == .notFound)
        #expect(resolve("/%2egit/config") == .notFound)
    }

    @Test(arguments: [
        "/../etc/passwd", "/berlin-wall/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2E/etc/passwd",
        "/berlin-wall/%2e%2e/%2e%2e/secret", "/./index.html", "/%2e/index.html", "/..", "/%2e%2e",
        "/..%2fetc%2fpasswd", "/%2e%2e%2fetc%2fpasswd", "/berlin-wall%2findex.html", "/a%2Fb",
        "/..%5c..%5cwindows", "/a%5cb", "/index.html%00.css", "/%00", "/%", "/%zz", "/%e", "/%ff%fe",
        "/%c0%ae%c0%ae/etc/passwd", "/a%0d%0aSet-Cookie:x", "etc/passwd", "", "*",
        "http://127.0.0.1/../etc/passwd",
    ])
    func traversalAndMalformedTargetsAreRefused(target: String) {
        guard case .badRequest = resolve(target) else {
            Issue.record("\(target) resolved to \(resolve(target))")
            return
        }
    }

    @Test func absurdlyLongPathsAreRefused() {
        let long = "/" + String(repeating: "a", count: 5000)
        #expect(resolve(long) == .badRequest("the request path is longer than 2048 bytes"))
        let deep = String(repeating: "/a", count: 100)
        guard case .badRequest = resolve(deep) else { Issue.record("deep path accepted"); return }
        // Long query strings count too.
        guard case .badRequest = resolve("/?" + String(repeating: "q", count: 3000)) else { Issue.record("long query accepted"); return }
    }

    @Test func redirectsDropQueriesThatCouldInjectHeaders() {
        #expect(resolve("/berlin-wall?a\r\nSet-Cookie:x") == .redirect("/berlin-wall/"))
    }

    /// A small deterministic fuzzer: whatever the target, the answer keeps the
    /// resolver's promises.
    @Test func randomTargetsKeepTheInvariants() {
        var rng = SplitMix(seed: 0x1ede)
        let alphabet = Array("/%.2eEfF5cC0aA~?#\\:@ab-é\u{0}".unicodeScalars).map(String.init)
            + ["..", "%2e", "%2f", "%2F", "%5c", "%00", "%c3%a9", "berlin-wall", "index.html", "//"]
        for _ in 0..<20_000 {
            var target = rng.next() % 8 == 0 ? "" : "/"
            for _ in 0..<Int(rng.next() % 12) { target += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let result = PathResolver.resolve(target) { path in
                // Every path asked about must already be safe.
                #expect(!path.hasPrefix("/") && !path.contains("//") && !path.contains("\0") && !path.contains("\\"), "asked about \(path)")
                #expect(!path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }, "asked about \(path)")
                return Self.kind(path)
            }
            switch result {
            case .file(let path):
                #expect(Self.files.contains(path), "\(target) → \(path)")
            case .redirect(let location):
                #expect(location.hasPrefix("/") && !location.hasPrefix("//"), "\(target) → \(location)")
                #expect(!location.contains("\r") && !location.contains("\n"))
            case .notFound, .badRequest:
                break
            }
        }
    }

    @Test func mimeTypesCarryUTF8OnText() {
        #expect(MIMEType.forPath("a/index.html") == "text/html; charset=utf-8")
        #expect(MIMEType.forPath("assets/style.css") == "text/css; charset=utf-8")
        #expect(MIMEType.forPath("feed.xml") == "application/xml; charset=utf-8")
        #expect(MIMEType.forPath("search.json") == "application/json; charset=utf-8")
        #expect(MIMEType.forPath("x.svg") == "image/svg+xml; charset=utf-8")
        #expect(MIMEType.forPath("x.JS") == "text/javascript; charset=utf-8")
        #expect(MIMEType.forPath("robots.txt") == "text/plain; charset=utf-8")
        #expect(MIMEType.forPath("x.png") == "image/png")
        #expect(MIMEType.forPath("x.woff2") == "font/woff2")
        #expect(MIMEType.forPath("CNAME") == "application/octet-stream")
        #expect(MIMEType.forPath(".hidden") == "application/octet-stream")
    }

    @Test func httpDatesRoundTrip() {
        #expect(HTTPDate.format(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("garbage") == nil)
    }

    @Test func scriptGoesBeforeTheLastBodyEndTag() {
        let page = Array("<html><body><p>x</p><code>&lt;/body&gt;</code></BODY></html>".utf8)
        let out = String(decoding: LiveReload.inject(into: page, tag: "t1"), as: UTF8.self)
        #expect(out.hasPrefix("<html><body><p>x</p><code>&lt;/body&gt;</code><script data-lede-serve>"))
        #expect(out.hasSuffix("</script>\n</BODY></html>"))
        #expect(out.contains("new EventSource(\"/_lede/events\")"))
        #expect(out.contains("var tag=\"t1\""))
        let fragment = String(decoding: LiveReload.inject(into: Array("<p>no body".utf8), tag: "t"), as: UTF8.self)
        #expect(fragment.hasPrefix("<p>no body<script"))
    }
}

/// A tiny deterministic random number generator.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
