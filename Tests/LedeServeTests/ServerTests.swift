import AsyncHTTPClient
import Foundation
import LedeCore
import NIOHTTP1
import Testing
@testable import LedeServe
#if canImport(Glibc)
import Glibc
#endif

/// The real server on a free loopback port, asked with a real HTTP client.
@Suite(.serialized) struct StaticServingTests {
    @Test func servesPagesWithTypesValidatorsAndTheReloadScript() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }

        let home = try await s.fetch("/")
        #expect(home.status == 200)
        #expect(home.header("content-type") == "text/html; charset=utf-8")
        #expect(home.body.contains("Alpha") && home.body.contains("Beta"))
        #expect(home.header("cache-control") == "no-cache")

        let page = try await s.fetch("/alpha/")
        #expect(page.status == 200)
        #expect(page.body.contains("<h1"))
        #expect(page.body.contains("new EventSource(\"/_lede/events\")"))
        let etag = try #require(page.header("etag"))
        let lastModified = try #require(page.header("last-modified"))
        #expect(HTTPDate.parse(lastModified) != nil)
        #expect(page.header("content-length") == String(page.body.utf8.count))
        // The script is only in what is served, never in the file on disk.
        let onDisk = try String(contentsOfFile: s.server.outputPath + "/alpha/index.html", encoding: .utf8)
        #expect(!onDisk.contains("EventSource"))
        #expect(onDisk.contains("<h1"))
        // Links point at the preview, not at base_url.
        #expect(page.body.contains("href=\"http://127.0.0.1:\(s.port)/alpha/\""))

        // Conditional requests.
        #expect(try await s.fetch("/alpha/", headers: [("If-None-Match", etag)]).status == 304)
        #expect(try await s.fetch("/alpha/", headers: [("If-None-Match", "\"other\", " + etag)]).status == 304)
        #expect(try await s.fetch("/alpha/", headers: [("If-None-Match", "\"other\"")]).status == 200)
        #expect(try await s.fetch("/alpha/", headers: [("If-Modified-Since", lastModified)]).status == 304)
        #expect(try await s.fetch("/alpha/", headers: [("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")]).status == 200)
        let notModified = try await s.fetch("/alpha/", headers: [("If-None-Match", etag)])
        #expect(notModified.body.isEmpty)
        #expect(notModified.header("etag") == etag)

        // HEAD: the same headers, no body.
        let head = try await s.fetch("/alpha/", method: .HEAD)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("content-length") == page.header("content-length"))
        #expect(head.header("etag") == etag)

        // Other types.
        let css = try await s.fetch("/assets/style.css")
        #expect(css.status == 200)
        #expect(css.header("content-type") == "text/css; charset=utf-8")
        #expect(!css.body.contains("EventSource"))
        #expect(try await s.fetch("/assets/extra.css").body.contains("color: black"))
        #expect(try await s.fetch("/images/dot.svg").header("content-type") == "image/svg+xml; charset=utf-8")
        #expect(try await s.fetch("/robots.txt").header("content-type") == "text/plain; charset=utf-8")
        #expect(try await s.fetch("/feed.xml").header("content-type") == "application/xml; charset=utf-8")
        #expect(try await s.fetch("/assets/favicon.svg").status == 200)

        // /slug → /slug/, keeping the query.
        let redirect = try await s.fetch("/alpha?x=1")
        #expect(redirect.status == 301)
        #expect(redirect.header("location") == "/alpha/?x=1")

        // The site's own 404 page, with status 404 and the script.
        let missing = try await s.fetch("/no-such-page/")
        #expect(missing.status == 404)
        #expect(missing.header("content-type") == "text/html; charset=utf-8")
        #expect(missing.body.contains("This page does not exist"))
        #expect(missing.body.contains("EventSource"))
        #expect(try await s.fetch("/no-such-page/", method: .HEAD).status == 404)

        // Only GET and HEAD.
        let post = try await s.fetch("/alpha/", method: .POST)
        #expect(post.status == 405)
        #expect(post.header("allow") == "GET, HEAD")
        try await s.stop()
    }

    @Test func requestsThatTryToLeaveTheSiteGet400Or404() async throws {
        let site = try smallSite()
        // A secret beside the output folder, and symbolic links to it inside.
        let s = try await RunningServer.start(site) { $0.output = site.root + "/out/site" }
        defer { Task { try? await s.stop() } }
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        try site.write("out/secret.txt", secret)
        try site.write("content/secret.txt", secret)
        symlink(site.root + "/out/secret.txt", s.server.outputPath + "/leak.txt")
        symlink(site.root + "/content", s.server.outputPath + "/leakdir")
        symlink("/etc", s.server.outputPath + "/etc")

        let targets = [
            "/../secret.txt", "/../../content/secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/content/secret.txt",
            "/alpha/../../secret.txt", "/alpha/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/alpha%2f..%2f..%2fsecret.txt",
            "/%2e%2e%5csecret.txt", "/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/etc/passwd", "/etc/hostname",
            "/secret.txt%00.html", "/%c0%ae%c0%ae/secret.txt", "/" + String(repeating: "a/", count: 1500) + "x",
            "/" + String(repeating: "%2e%2e/", count: 300) + "etc/passwd", "/.." , "/%2e%2e",
        ]
        for target in targets {
            let r = try await rawGET(port: s.port, target)
            #expect(r.status == 400 || r.status == 404 || r.status == 414 || r.status == 431, "\(target): \(r.status)")
            #expect(!r.response.contains(secret), "\(target) leaked the secret")
            #expect(!r.response.contains("root:x:0:0"), "\(target) leaked /etc/passwd")
        }
        // The server is still fine.
        #expect(try await s.fetch("/alpha/").status == 200)
        try await s.stop()
    }

    @Test func aPortInUseIsAClearError() async throws {
        let site = try smallSite()
        let first = try await RunningServer.start(site)
        defer { Task { try? await first.stop() } }
        var options = ServeOptions(siteRoot: site.root)
        options.port = first.port
        let second = try DevServer(options: options, say: { _ in })
        do {
            try await within(30, "the second server to fail") { try await second.run() }
            Issue.record("the second server started on a port in use")
        } catch let error as ServeError {
            #expect(error == .portInUse(host: "127.0.0.1", port: first.port))
            #expect(error.description.contains("port \(first.port)"))
            #expect(error.description.contains("--port"))
        }
        try await first.stop()
    }
}
