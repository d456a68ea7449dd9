import Foundation
import Testing
@testable import LedeCore

/// The `lede` executable's contract (DESIGN.md): exit codes and output shapes.
@Suite struct CLITests {
    @Test func buildExitsZeroAndPrintsOneSummaryLine() throws {
        let site = try TestSite(["content/a.md": article("Alpha", body: "In 1990 it happened.")])
        let r = try run(ledeExecutable, ["build", "--source", site.root])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        // The article, home, 404, the tag index, the site timeline, and the search page when Pagefind is installed.
        let pages = 5 + (Search.locate() != nil ? 1 : 0)
        #expect(lines.first?.hasPrefix("built \(pages) pages (1 article) with 1 timeline event and 0 takeaways in ") == true)
        #expect(site.exists("public/a/index.html"))
    }

    /// `--timings`: one line per phase on stderr, in build order, each with
    /// seconds and (for phases, not notes) CPU seconds and resident memory;
    /// stdout unchanged.
    @Test func timingsListEveryPhaseWithSecondsAndMemory() throws {
        let site = try TestSite(["content/a.md": article("Alpha", tags: ["x"], body: "In 1990 it happened.\n\nIn 1991 it ended.")])
        let r = try run(ledeExecutable, ["build", "--source", site.root, "--timings"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count == 1)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        func line(_ name: String) -> String? { lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name + " ") } }
        let phases = ["inputs", "cache", "articles", "checks", "timelines: merge", "timelines: layout", "timelines: pages",
                      "features", "site pages", "commit", "cache write"]
        var last = -1
        var cpu = 0.0
        for name in phases {
            let found = try #require(line(name), "no line for \(name) in \(lines)")
            let at = try #require(lines.firstIndex(of: found))
            #expect(at > last, "\(name) is out of order")
            last = at
            // "<name>   0.012 s     0.020 s CPU      35 MB resident"
            let fields = found.dropFirst(36).split(separator: " ")
            #expect(fields.count == 8 && Double(fields[0]) != nil && fields[1] == "s" && Double(fields[2]) ?? -1 >= 0 && fields[3] == "s"
                        && fields[4] == "CPU" && Int(fields[5]) ?? 0 > 0 && fields[6] == "MB" && fields[7] == "resident", "\(found)")
            if fields.count > 2 { cpu += Double(fields[2]) ?? 0 }
        }
        // The build did some work, and its phases say so.
        #expect(cpu > 0, "no CPU time in \(lines)")
        // The tagger's CPU time, a share of the articles' phase, has no memory column.
        let tagger = try #require(line("tagger (CPU, all threads)"))
        #expect(tagger.dropFirst(36).split(separator: " ").count == 2)
        #expect(lines.contains("articles rebuilt: 1"))
    }

    @Test func buildExitsOneWithPositionedErrorsOnBadContent() throws {
        let site = try TestSite(["content/a.md": "---\ntitle: A\ndate: 2020-31-01\n---\n"])
        let r = try run(ledeExecutable, ["build", "--source", site.root])
        #expect(r.status == 1)
        #expect(r.stderr.contains("content/a.md:3:7: error: `date` is not a valid date"))
        #expect(!site.exists("public"))
    }

    @Test func helpAndVersionExitZero() throws {
        for args in [["--help"], [], ["build", "--help"], ["--version"]] {
            let r = try run(ledeExecutable, args)
            #expect(r.status == 0, "lede \(args): \(r.stderr)")
            #expect(!r.stderr.contains("error"), "lede \(args): \(r.stderr)")
        }
        #expect(try run(ledeExecutable, ["--help"]).stdout.contains("SUBCOMMANDS:"))
    }

    @Test func badUsageExitsTwo() throws {
        #expect(try run(ledeExecutable, ["build", "--no-such-flag"]).status == 2)
        #expect(try run(ledeExecutable, ["extract"]).status == 2)
        #expect(try run(ledeExecutable, ["build", "--base-url", "not a url", "--source", "/nonexistent"]).status == 1)
    }

    @Test func outputAndBaseURLOptions() throws {
        let site = try TestSite(["content/a.md": article("Alpha")])
        let out = site.root + "/elsewhere"
        let r = try run(ledeExecutable, ["build", "--source", site.root, "--output", out, "--base-url", "https://x.test/sub"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try site.read("elsewhere/a/index.html").contains("href=\"https://x.test/sub/a/\""))
    }

    @Test func extractPrintsTheDesignJSON() throws {
        let r = try run(ledeExecutable, ["extract", repositoryRoot + "/content/trump-putin-meetings.md", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["title"] as? String == "Trump-Putin Meetings: What You Need To Know")
        #expect(json["date"] as? String == "2025-01-15")
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["value"] as? String } == ["2016", "2017-07", "2018-07"])
        for e in timeline {
            for key in ["value", "display", "text", "anchor"] { #expect(e[key] is String, "timeline entry lacks \(key)") }
        }
        let takeaways = try #require(json["takeaways"] as? [[String: Any]])
        #expect(takeaways.count == 4)
        #expect(takeaways.allSatisfy { $0["source"] as? String == "section" && $0["anchor"] is String && $0["text"] is String })
    }

    @Test func extractOnAMissingFileExitsOne() throws {
        let r = try run(ledeExecutable, ["extract", "/nonexistent/x.md"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/x.md:1:1: error: cannot read the file"))
    }

    #if os(Linux)
    /// lede allocates through tcmalloc (Package.swift, `fastMalloc`): the
    /// dynamic linker binds `malloc` and `free`, for lede and the libraries
    /// it loads, to libtcmalloc, not to libc.
    @Test func mallocAndFreeAreTcmallocs() throws {
        let r = try run("/usr/bin/env", ["LD_DEBUG=bindings", ledeExecutable, "--version"])
        #expect(r.status == 0, "\(r.stderr.suffix(500))")
        for symbol in ["malloc", "free"] {
            let bindings = r.stderr.split(separator: "\n").filter { $0.contains("normal symbol `\(symbol)'") }
            #expect(!bindings.isEmpty, "no binding of \(symbol)")
            // "binding file A [0] to B [0]: normal symbol `malloc'": B is the library that defines it.
            let elsewhere = bindings.filter { line in
                guard let to = line.range(of: " to ") else { return true }
                return !line[to.upperBound...].contains("libtcmalloc_minimal.so")
            }
            #expect(elsewhere.count == 0, "\(symbol) bound elsewhere: \(elsewhere.prefix(2))")
        }
    }
    #endif
}
