import Foundation
import LedeCore
import Testing
@testable import LedeServe
#if canImport(Glibc)
import Glibc
#endif

/// `lede serve` as a writer runs it: a process that prints its URL and a line
/// per rebuild, and stops cleanly on Ctrl-C (SIGINT).
@Suite(.serialized) struct ServeCommandTests {
    /// `lede serve` in a process of its own.
    final class ServeProcess: @unchecked Sendable {
        let child: Child

        init(_ arguments: [String], environment: [String: String] = [:]) throws {
            child = try Child(ledeExecutable, ["serve"] + arguments, environment: environment)
        }

        var stdout: String { child.stdout }
        var stderr: String { child.stderr }
        var isRunning: Bool { child.isRunning }
        func interrupt() { child.signal(SIGINT) }
        func stop() { child.signal(SIGKILL) }

        /// The URL from the "serving … at URL" line.
        func url() async throws -> String {
            try await within(60, "lede serve to print its URL") {
                while true {
                    if let line = self.stdout.split(separator: "\n").first(where: { $0.hasPrefix("serving ") }),
                       let at = line.range(of: " at http://") {
                        return String(line[at.upperBound...].prefix { $0 != " " })
                    }
                    if !self.isRunning { throw TimedOut(what: "a URL; lede serve exited: \(self.stderr)") }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }

        func waitForExit(_ seconds: Double = 30) async throws -> Int32 {
            try await child.waitForExit(seconds)
        }
    }

    @Test func printsItsURLAndALinePerRebuildAndStopsOnCtrlC() async throws {
        let site = try smallSite()
        let serve = try ServeProcess(["--source", site.root, "--port", "0"])
        defer { serve.stop() }
        let url = "http://" + (try await serve.url())
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(serve.stdout.hasPrefix("built ") && serve.stdout.contains(" (2 articles) "))
        let port = Int(url.split(separator: ":").last!.trimmingCharacters(in: CharacterSet(charactersIn: "/")))!

        // A page, with a real client; an open event stream that Ctrl-C must not hang on.
        let page = try await rawGET(port: port, "/alpha/")
        #expect(page.status == 200)
        #expect(page.response.contains("EventSource"))
        let events = try await testClient.execute(.init(url: url + "_lede/events"), timeout: .seconds(60))
        #expect(events.status == .ok)

        try site.save("content/alpha.md", article("Alpha", date: "2024-01-02", body: "Edited."))
        try await eventually(30, "a rebuild line") { serve.stdout.contains("content/alpha.md changed: rebuilt ") }
        let line = serve.stdout.split(separator: "\n").first { $0.hasPrefix("content/alpha.md changed") }
        #expect(line?.hasSuffix(" ms") == true)

        // public/ is never written by serve.
        #expect(!FileManager.default.fileExists(atPath: site.root + "/public"))

        serve.interrupt()
        let status = try await serve.waitForExit(15)
        #expect(status == 0, "\(serve.stderr)")
        #expect(serve.stdout.hasSuffix("stopped\n"))
    }

    @Test func aPortInUseExitsOneNamingThePort() async throws {
        let site = try smallSite()
        let first = try ServeProcess(["--source", site.root, "--port", "0"])
        defer { first.stop() }
        let url = try await first.url()
        let port = url.split(separator: ":").last!.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let second = try ServeProcess(["--source", site.root, "--port", port])
        #expect(try await second.waitForExit() == 1)
        #expect(second.stderr.contains("port \(port)"))
        #expect(second.stderr.contains("already in use"))
        #expect(second.stderr.contains("--port"))
        first.interrupt()
        #expect(try await first.waitForExit() == 0)
    }

    /// Pagefind takes about 30 s over 10,000 articles: the reload must not
    /// wait for it. Here Pagefind waits behind a gate that the test opens.
    @Test(.enabled(if: Search.locate() != nil, "needs Pagefind (bash .ci/deps installs it)"))
    func theReloadDoesNotWaitForTheSearchIndex() async throws {
        let site = try smallSite()
        let gate = site.root + "/gate"
        try site.write("slow-pagefind", "#!/bin/sh\nwhile [ ! -e '\(gate)' ]; do sleep 0.05; done\nexec '\(Search.locate()!)' \"$@\"\n")
        #expect(chmod(site.root + "/slow-pagefind", 0o755) == 0)
        let served = site.root + "/served"
        let serve = try ServeProcess(["--source", site.root, "--port", "0", "--output", served],
                                     environment: ["LEDE_PAGEFIND": site.root + "/slow-pagefind"])
        defer { serve.stop() }
        let url = "http://" + (try await serve.url())
        let port = Int(url.split(separator: ":").last!.trimmingCharacters(in: CharacterSet(charactersIn: "/")))!

        // Served at once, with the search page, while the index waits.
        #expect(try await rawGET(port: port, "/alpha/").status == 200)
        #expect(try await rawGET(port: port, "/search/").status == 200)
        #expect(try await rawGET(port: port, "/pagefind/pagefind-entry.json").status == 404)

        // A save: the rebuild's event comes while Pagefind still waits.
        let response = try await testClient.execute(.init(url: url + "_lede/events"), timeout: .seconds(120))
        let events = EventStream(response.body)
        _ = try await events.next("hello")
        try site.save("content/alpha.md", article("Alpha", date: "2024-01-02", tags: ["one"], body: "Zanzibar joined in 1964."))
        let rebuilt = try await events.next("rebuilt", timeout: 60)
        #expect(rebuilt.sources == ["content/alpha.md"])
        #expect(try await rawGET(port: port, "/alpha/").response.contains("Zanzibar"))
        #expect(!serve.stdout.contains("search: indexed"))
        #expect(!FileManager.default.fileExists(atPath: served + "/pagefind"))

        // The gate opens: the index follows (the one begun for the first
        // build is behind the pages and is made again), and pages that use
        // it hear of it.
        #expect(FileManager.default.createFile(atPath: gate, contents: Data()))
        let search = try await events.next("search", timeout: 120)
        #expect(search.json["pages"] as? Int == 2)
        // Said before the event is sent, but read from the process's pipe
        // on another thread: the event can come first.
        try await eventually(30, "the search line") { serve.stdout.contains("search: indexed 2 pages in ") }
        #expect(!serve.stdout.contains("behind the pages"), "\(serve.stdout)")
        #expect(try await rawGET(port: port, "/pagefind/pagefind-entry.json").status == 200)

        // What is served is then what a full build makes, index included.
        var options = BuildOptions(siteRoot: site.root, output: site.root + "/fresh", baseURL: url)
        options.useCache = false
        _ = try SiteBuilder.build(options)
        #expect(FileManager.default.fileExists(atPath: site.root + "/fresh/pagefind/pagefind-entry.json"))
        #expect(try snapshot(served) == snapshot(site.root + "/fresh"))

        serve.interrupt()
        #expect(try await serve.waitForExit(30) == 0, "\(serve.stderr)")
    }

    /// Ctrl-C while Pagefind is at work ends it, and the server, at once.
    @Test(.enabled(if: Search.locate() != nil, "needs Pagefind (bash .ci/deps installs it)"))
    func ctrlCEndsAPagefindAtWork() async throws {
        let site = try smallSite()
        // A Pagefind that never starts (its gate is never opened) and, as a
        // child of a process that ignores SIGTERM does, ignores SIGTERM.
        try site.write("stuck-pagefind", "#!/bin/sh\ntrap '' TERM\nwhile [ ! -e '\(site.root)/gate' ]; do sleep 0.05; done\nexec '\(Search.locate()!)' \"$@\"\n")
        #expect(chmod(site.root + "/stuck-pagefind", 0o755) == 0)
        let serve = try ServeProcess(["--source", site.root, "--port", "0"], environment: ["LEDE_PAGEFIND": site.root + "/stuck-pagefind"])
        defer { serve.stop() }
        _ = try await serve.url()
        serve.interrupt()
        #expect(try await serve.waitForExit(15) == 0, "\(serve.stderr)")
        #expect(serve.stdout.hasSuffix("stopped\n"))
        #expect(!serve.stdout.contains("search: "), "\(serve.stdout)")
    }

    @Test func badUsageExitsTwoAndAMissingSiteOne() async throws {
        let site = try smallSite()
        let badPort = try ServeProcess(["--source", site.root, "--port", "70000"])
        #expect(try await badPort.waitForExit() == 2)
        #expect(badPort.stderr.contains("--port"))
        let intoContent = try ServeProcess(["--source", site.root, "--output", site.root + "/content"])
        #expect(try await intoContent.waitForExit() == 2)
        #expect(intoContent.stderr.contains("content/"))
        let nowhere = try ServeProcess(["--source", site.root + "/nope", "--port", "0"])
        #expect(try await nowhere.waitForExit() == 1)
        #expect(nowhere.stderr.contains("no content/ folder"))
    }
}
