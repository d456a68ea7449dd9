import AsyncHTTPClient
import Foundation
import LedeCore
import Testing
@testable import LedeServe

/// Edit the sources of a running server; watch the events and the pages change.
@Suite(.serialized) struct LiveReloadTests {
    @Test func editsAddsDeletesAndRenamesRebuildAndNotify() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        let events = try await s.events()
        let hello = try await events.next()
        #expect(hello.name == "hello")
        #expect(hello.json["status"] as? String == "ok")

        // Edit (the editor way: temp file + rename).
        try site.save("content/beta.md", article("Beta", date: "2024-01-03", body: "Beta text, second version."))
        var e = try await events.next("rebuilt")
        #expect(e.sources == ["content/beta.md"])
        #expect(e.stylesOnly == false)
        #expect(try await s.fetch("/beta/").body.contains("second version"))

        // Saved through a visible temporary file, as `sed -i` does: only the article is named.
        try site.write("content/sedAB12", article("Beta", date: "2024-01-03", body: "Beta text, second version, saved again."))
        #expect(rename(site.root + "/content/sedAB12", site.root + "/content/beta.md") == 0)
        e = try await events.next("rebuilt")
        #expect(e.sources == ["content/beta.md"])
        #expect(try await s.fetch("/beta/").body.contains("saved again"))
        #expect(s.lines.all.last { $0.contains("rebuilt") }?.hasPrefix("content/beta.md changed: rebuilt ") == true)
        #expect(!s.lines.all.contains { $0.contains("sedAB12") })

        // Add.
        try site.write("content/gamma.md", article("Gamma", body: "A new one."))
        e = try await events.next("rebuilt")
        #expect(e.sources.contains("content/gamma.md"))
        #expect(try await s.fetch("/gamma/").status == 200)
        #expect(try await s.fetch("/").body.contains("Gamma"))

        // Delete.
        try site.remove("content/gamma.md")
        e = try await events.next("rebuilt")
        #expect(e.sources == ["content/gamma.md"])
        #expect(try await s.fetch("/gamma/").status == 404)
        #expect(try await !s.fetch("/").body.contains("Gamma"))

        // Rename.
        try site.move("content/beta.md", "content/beta-renamed.md")
        e = try await events.next("rebuilt")
        #expect(Set(e.sources) == ["content/beta.md", "content/beta-renamed.md"])
        #expect(try await s.fetch("/beta/").status == 404)
        #expect(try await s.fetch("/beta-renamed/").body.contains("second version"))

        // A whole folder appears (moved in from elsewhere), then goes.
        let outside = site.root + "/incoming"
        try FileManager.default.createDirectory(atPath: outside + "/deep", withIntermediateDirectories: true)
        try Data(article("Delta", body: "Delta text.").utf8).write(to: URL(fileURLWithPath: outside + "/delta.md"))
        try Data(article("Epsilon", body: "Epsilon text.").utf8).write(to: URL(fileURLWithPath: outside + "/deep/epsilon.md"))
        try site.move("incoming", "content/section")
        e = try await events.next("rebuilt")
        #expect(Set(e.sources) == ["content/section/delta.md", "content/section/deep/epsilon.md"])
        #expect(try await s.fetch("/delta/").status == 200)
        #expect(try await s.fetch("/epsilon/").status == 200)
        // A file saved in the new folder is seen (the folder is watched too).
        try site.save("content/section/deep/epsilon.md", article("Epsilon", body: "Epsilon, edited."))
        e = try await events.next("rebuilt")
        #expect(e.sources == ["content/section/deep/epsilon.md"])
        #expect(try await s.fetch("/epsilon/").body.contains("Epsilon, edited."))
        try site.move("content/section", "gone")
        e = try await events.next("rebuilt")
        #expect(Set(e.sources) == ["content/section/delta.md", "content/section/deep/epsilon.md"])
        #expect(try await s.fetch("/delta/").status == 404)

        // Static files and templates are watched too.
        try site.write("static/images/new.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        e = try await events.next("rebuilt")
        #expect(e.sources == ["static/images/new.svg"])
        #expect(try await s.fetch("/images/new.svg").status == 200)
        try site.write("templates/404.html", "<h1>Lost {{site_title}}</h1>")
        e = try await events.next("rebuilt")
        #expect(e.sources == ["templates/404.html"])
        let missing = try await s.fetch("/nowhere/")
        #expect(missing.status == 404 && missing.body.contains("Lost Test Site"))

        // Every rebuild printed one line saying what changed and how long it took.
        let lines = s.lines.all.filter { $0.contains("changed") }
        #expect(lines.count == 10, "\(lines)")
        #expect(lines.first?.hasPrefix("content/beta.md changed: rebuilt ") == true)
        #expect(lines.allSatisfy { $0.hasSuffix(" ms") })
        try await s.stop()
    }

    @Test func aStylesheetChangeIsStylesOnly() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        let events = try await s.events()
        _ = try await events.next("hello")
        try site.save("templates/assets/extra.css", "body { color: navy; }\n")
        let e = try await events.next("rebuilt")
        #expect(e.stylesOnly)
        #expect(e.sources == ["templates/assets/extra.css"])
        #expect(try await s.fetch("/assets/extra.css").body.contains("navy"))
        #expect(s.lines.builds.last?.hasPrefix("templates/assets/extra.css changed: stylesheets swapped in ") == true)
        try await s.stop()
    }

    @Test func aBurstOfSavesIsOneRebuild() async throws {
        let site = try smallSite()
        // A generous quiet period, so that a slow test machine still sees one burst.
        let s = try await RunningServer.start(site) { $0.quietMilliseconds = 400 }
        defer { Task { try? await s.stop() } }
        let events = try await s.events()
        _ = try await events.next("hello")
        for k in 1...5 {
            try site.save("content/beta.md", article("Beta", date: "2024-01-03", body: "Version \(k)."))
            try site.write("content/alpha.md~", "backup \(k)")  // editor droppings are ignored
        }
        try site.write("content/new.md", article("New"))
        let e = try await events.next("rebuilt")
        #expect(Set(e.sources) == ["content/beta.md", "content/new.md"])
        #expect(try await s.fetch("/beta/").body.contains("Version 5."))
        try await Task.sleep(for: .milliseconds(1200))
        #expect(s.server.rebuildCount == 1)
        try await s.stop()
    }

    /// With search, every save here indexes the whole site again (an
    /// overlay limit of 0 pages), so that the index too is a full build's.
    @Test func theResultIsTheSameAsAFullBuild() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site) { $0.searchOverlayLimit = 0 }
        defer { Task { try? await s.stop() } }
        let events = try await s.events()
        _ = try await events.next("hello")
        try site.save("content/alpha.md", article("Alpha", date: "2024-01-02", tags: ["one", "two"], body: "In 1991 it changed."))
        _ = try await events.next("rebuilt")
        try site.write("content/zeta.md", article("Zeta", date: "2024-02-01", tags: ["two"], body: "Zeta in 2001."))
        _ = try await events.next("rebuilt")
        try site.save("templates/assets/extra.css", "p { margin: 0 }\n")
        _ = try await events.next("rebuilt")

        var options = BuildOptions(siteRoot: site.root, output: site.root + "/fresh", baseURL: "http://127.0.0.1:\(s.port)/")
        options.workers = 2
        try SiteBuilder.build(options)
        // The search index (with Pagefind installed) follows the pages.
        try await eventually(60, "the search index") { !s.server.searchBusy }
        #expect(try snapshot(s.server.outputPath) == snapshot(site.root + "/fresh"))
        #expect(!s.lines.all.contains { $0.hasPrefix("search: overlay") }, "\(s.lines.all)")
        try await s.stop()
    }

    /// With the overlay (by default), the site's files are a full build's
    /// but for the index, which is the first build's; the overlay, outside
    /// the site, holds the changed pages and names them.
    @Test(.enabled(if: Search.locate() != nil, "needs Pagefind (bash .ci/deps installs it)"))
    func theOverlayHoldsWhatTheIndexDoesNot() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        try await eventually(60, "the first search index") { !s.server.searchBusy }
        let empty = try await s.fetch("/_lede/search-overlay/overlay.json")
        #expect(empty.body == #"{"generation":1,"bundle":null,"superseded":[]}"#)
        let events = try await s.events()
        _ = try await events.next("hello")
        try site.save("content/alpha.md", article("Alpha", date: "2024-01-02", tags: ["one", "two"], body: "In 1991 it changed."))
        _ = try await events.next("rebuilt")
        let search = try await events.next("search")
        #expect(search.json["overlay"] as? Bool == true && search.json["pages"] as? Int == 1)
        let manifest = try await s.fetch("/_lede/search-overlay/overlay.json")
        #expect(manifest.body == #"{"generation":2,"bundle":"/_lede/search-overlay/g1/","superseded":["/alpha/"]}"#)
        #expect(manifest.header("Content-Type") == "application/json; charset=utf-8")
        let entry = try await s.fetch("/_lede/search-overlay/g1/pagefind-entry.json")
        #expect(entry.status == 200 && entry.body.contains("\"page_count\":1"), "\(entry.body)")
        #expect(try await s.fetch("/_lede/search-overlay/g1/pagefind.js").status == 200)
        #expect(try await s.fetch("/_lede/search-overlay/g2/pagefind.js").status == 404)
        #expect(try await rawGET(port: s.port, "/_lede/search-overlay/g1/../../../etc/passwd").status == 404)
        #expect(!FileManager.default.fileExists(atPath: s.server.outputPath + "/_lede"))

        var options = BuildOptions(siteRoot: site.root, output: site.root + "/fresh", baseURL: "http://127.0.0.1:\(s.port)/")
        options.workers = 2
        try SiteBuilder.build(options)
        let served = try snapshot(s.server.outputPath), fresh = try snapshot(site.root + "/fresh")
        #expect(served.filter { !$0.key.hasPrefix("pagefind/") } == fresh.filter { !$0.key.hasPrefix("pagefind/") })
        #expect(served["pagefind/pagefind-entry.json"] != nil)
        #expect(s.lines.all.filter { $0.hasPrefix("search: indexed ") }.count == 1, "\(s.lines.all)")
        try await s.stop()
    }

    @Test func aBuildErrorShowsAndThePageRecovers() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        let events = try await s.events()
        _ = try await events.next("hello")

        // Saved through a visible temporary file, as `sed -i` does.
        try site.write("content/sedQ1w2e3", "---\ntitle: \"Beta\ndate: 2024-01-03\n---\n\nBroken.\n")
        #expect(rename(site.root + "/content/sedQ1w2e3", site.root + "/content/beta.md") == 0)
        let failed = try await events.next("failed")
        let error = try #require(failed.errors.first)
        #expect(error["path"] as? String == "content/beta.md")
        #expect((error["line"] as? Int ?? 0) >= 1)
        #expect((error["column"] as? Int ?? 0) >= 1)
        #expect(!(error["message"] as? String ?? "").isEmpty)
        // The terminal says it too, as path:line:col.
        #expect(s.lines.all.contains { $0.hasPrefix("content/beta.md:") && $0.contains(": error: ") })
        #expect(s.lines.all.contains { $0.hasPrefix("content/beta.md changed: the site did not build (1 error") })
        #expect(!s.lines.all.contains { $0.contains("sedQ1w2e3") })
        // The last good site is still served, and a new page learns about the error at once.
        #expect(try await s.fetch("/beta/").body.contains("first version"))
        let late = try await s.events()
        let hello = try await late.next("hello")
        #expect(hello.json["status"] as? String == "error")
        #expect(hello.errors.first?["path"] as? String == "content/beta.md")

        // A bad template is an error too.
        try site.write("templates/article.html", "<h1>{{no_such_slot}}</h1>")
        let failed2 = try await events.next("failed")
        #expect(failed2.errors.contains { ($0["path"] as? String ?? "").hasPrefix("templates/article.html") })
        try site.remove("templates/article.html")
        _ = try await events.next("failed")  // the article is still broken (a search event may come between)

        // Fixed: rebuilt, and the new content is there.
        try site.save("content/beta.md", article("Beta", date: "2024-01-03", body: "Beta, fixed."))
        let fixed = try await events.next("rebuilt")
        #expect(fixed.sources == ["content/beta.md"])
        #expect(try await s.fetch("/beta/").body.contains("Beta, fixed."))
        #expect(s.lines.builds.last?.contains("errors fixed") == true)
        try await s.stop()
    }

    @Test func aSiteThatNeverBuiltShowsItsErrorsUntilFixed() async throws {
        let site = try TestSite(["content/a.md": "---\ntitle: A\ndate: 2020-31-01\n---\n\nText.\n"])
        let s = try await RunningServer.start(site)
        defer { Task { try? await s.stop() } }
        let page = try await s.fetch("/a/")
        #expect(page.status == 500)
        #expect(page.body.contains("content/a.md:3:7"))
        #expect(page.body.contains("EventSource"))
        let events = try await s.events()
        let hello = try await events.next("hello")
        #expect(hello.errors.first?["line"] as? Int == 3)
        try site.save("content/a.md", article("A", body: "Fixed."))
        _ = try await events.next("rebuilt")
        let fixed = try await s.fetch("/a/")
        #expect(fixed.status == 200)
        #expect(fixed.body.contains("Fixed."))
        try await s.stop()
    }

    @Test func thePollingWatcherWorksToo() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site) { $0.watchMode = .polling(milliseconds: 50) }
        defer { Task { try? await s.stop() } }
        #expect(s.server.watchMethod == "polling")
        let events = try await s.events()
        _ = try await events.next("hello")
        try site.save("content/beta.md", article("Beta", date: "2024-01-03", body: "Polled."))
        var e = try await events.next("rebuilt")
        #expect(e.sources == ["content/beta.md"])
        #expect(try await s.fetch("/beta/").body.contains("Polled."))
        try site.remove("content/alpha.md")
        e = try await events.next("rebuilt")
        #expect(e.sources == ["content/alpha.md"])
        try await s.stop()
    }

    @Test func shutdownEndsOpenEventStreams() async throws {
        let site = try smallSite()
        let s = try await RunningServer.start(site)
        // The first build's search index, if any, has said so before the stream opens.
        try await eventually(60, "the first search index") { !s.server.searchBusy }
        let events = try await s.events()
        _ = try await events.next("hello")
        let output = s.server.outputPath
        try await s.stop()
        // The stream ends rather than hanging, and the temporary build folder is gone.
        await #expect(throws: (any Error).self) { _ = try await events.next(timeout: 10) }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

/// Every file under a folder with its bytes.
func snapshot(_ base: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
    for case let rel as String in walker {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
            out[rel] = FileManager.default.contents(atPath: base + "/" + rel)
        }
    }
    return out
}
