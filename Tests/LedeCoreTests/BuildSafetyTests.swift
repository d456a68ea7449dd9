import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedeCore

/// A build may be killed at any moment, run twice at once, or find its disk
/// full or read-only: `public/` must always be a whole site — the previous
/// complete build, or the new one — and the next build must be right.
@Suite(.serialized) struct BuildSafetyTests {
    /// A site big enough that a build takes a moment.
    static func files(articles: Int) -> [String: String] {
        var files: [String: String] = [
            "content/_index.md": "---\ntitle: Desk\nbase_url: https://example.org/\n---\nHello.\n",
            "static/images/map.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        ]
        for k in 0..<articles {
            files["content/a\(k).md"] = article(
                "Article \(k)", date: "20\(String(format: "%02d", 10 + k % 10))-0\(1 + k % 9)-1\(k % 10)",
                tags: ["topic-\(k % 7)", "desk"],
                body: "On March \(1 + k % 27), 19\(50 + k % 40) the council met.\n\n## Background\n\nIn 19\(40 + k % 30) the story began, and \(k) people came.\n\n- First, a point.\n- Then, another.")
        }
        return files
    }

    /// A new version of the sources: one title edited, one article added, one removed.
    static func edit(_ site: TestSite, version: Int, articles: Int) throws {
        let k = version % articles
        try site.write("content/a\(k).md", article("Article \(k), version \(version)", date: "2015-05-05", tags: ["topic-\(version % 5)"],
                                                   body: "In May 2015 version \(version) was written."))
        try site.write("content/new-\(version).md", article("New \(version)", date: "2016-01-0\(1 + version % 9)", body: "In 1999 it began."))
        if version > 0, site.exists("content/new-\(version - 1).md") { try site.remove("content/new-\(version - 1).md") }
    }

    /// What a full build without cache makes of the current sources.
    static func reference(_ site: TestSite) throws -> [String: Data] {
        try withReference(site) { try site.snapshot("reference") }
    }

    /// Builds the current sources without cache into `reference/`, reads
    /// it with `body`, then removes it.
    static func withReference<T>(_ site: TestSite, _ body: () throws -> T) throws -> T {
        var options = BuildOptions(siteRoot: site.root, output: site.root + "/reference")
        options.useCache = false
        options.workers = 2
        try? FileManager.default.removeItem(atPath: site.root + "/reference")
        _ = try SiteBuilder.build(options)
        defer { try? FileManager.default.removeItem(atPath: site.root + "/reference") }
        return try body()
    }

    /// Starts `lede build` on the site; with `stopAt`, the build stops itself
    /// (SIGSTOP) at that moment of the build (see `BuildOptions.checkpoint`).
    static func startBuild(_ site: TestSite, stopAt: String? = nil, stderr: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ledeExecutable)
        process.arguments = ["build", "--source", site.root]
        var environment = ProcessInfo.processInfo.environment
        environment["LEDE_TEST_STOP_AT"] = stopAt
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until the process has stopped itself; false if it ended instead.
    static func waitUntilStopped(_ process: Process, seconds: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let state = stat[stat.index(close, offsetBy: 2)]
            if state == "T" || state == "t" { return true }
            if state == "Z" || !process.isRunning { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// The processes whose parent is `pid` (the Pagefind a build may be running).
    static func children(of pid: pid_t) -> [pid_t] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return all.compactMap { Int32($0) }.filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == pid
        }
    }

    /// SIGKILLs a build, then waits for it and for any helper it had started
    /// (a killed build's Pagefind runs on into the abandoned staging folder).
    static func killBuild(_ process: Process) {
        let helpers = children(of: process.processIdentifier)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        for helper in helpers {
            while kill(helper, 0) == 0 || errno == EPERM { Thread.sleep(forTimeInterval: 0.02) }
        }
    }

    /// What a killed build may leave beside public/ until the next build
    /// (the lock and the site the last build swapped out stay on purpose).
    static func leftovers(_ site: TestSite) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: site.root).filter {
            $0.hasPrefix(".public.") && $0 != ".public.lock" && $0 != ".public.previous"
        }
    }

    @Test func twoBuildsAtOnceOneWaitsForTheOther() throws {
        let site = try TestSite(Self.files(articles: 30))
        try site.build()
        try Self.edit(site, version: 1, articles: 30)
        // The first build stops while it holds the lock...
        let first = try Self.startBuild(site, stopAt: "articles")
        #expect(Self.waitUntilStopped(first))
        // ... so the second, started meanwhile, must wait for it.
        let errors = Pipe()
        let second = try Self.startBuild(site, stderr: errors)
        Thread.sleep(forTimeInterval: 2)
        #expect(second.isRunning, "the second build did not wait for the first")
        kill(first.processIdentifier, SIGCONT)
        first.waitUntilExit()
        second.waitUntilExit()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        #expect(said.contains("waiting for another lede build of \(site.root)/public (process \(first.processIdentifier)) to finish"), "\(said)")
        #expect(try site.snapshot() == Self.reference(site))
        #expect(try Self.leftovers(site).isEmpty)
    }

    /// Killed at each named moment: before the new site is complete beside
    /// public/, when it is complete (before the swap) and right after the swap.
    @Test(arguments: ["articles", "staged", "swapped"]) func killedAtAMomentOfTheBuild(_ moment: String) throws {
        let site = try TestSite(Self.files(articles: 12))
        try site.build()
        let previous = try site.snapshot()
        try Self.edit(site, version: 1, articles: 12)
        let next = try Self.reference(site)
        #expect(next != previous)

        let process = try Self.startBuild(site, stopAt: moment)
        #expect(Self.waitUntilStopped(process), "the build did not reach \(moment)")
        Self.killBuild(process)
        // Before the swap, the previous site; after it, the new one; never a mix.
        #expect(try site.snapshot() == (moment == "swapped" ? next : previous))

        try site.build()
        #expect(try site.snapshot() == next)
        let left = try Self.leftovers(site)
        #expect(left.isEmpty, "\(left)")
    }

    /// The first build of a site killed at any moment leaves no public/ at all.
    @Test func aFirstBuildKilledLeavesNothing() throws {
        let site = try TestSite(Self.files(articles: 12))
        let process = try Self.startBuild(site, stopAt: "staged")
        #expect(Self.waitUntilStopped(process))
        Self.killBuild(process)
        #expect(!site.exists("public"))
        try site.build()
        #expect(try site.snapshot() == Self.reference(site))
        #expect(try Self.leftovers(site).isEmpty)
    }

    @Test func killedAtRandomMoments() throws {
        let articles = 150
        let site = try TestSite(Self.files(articles: articles))
        try site.build()
        var complete = try site.snapshot()
        // How long a rebuild takes, to spread the kills over it.
        try Self.edit(site, version: 1, articles: articles)
        let started = Date()
        try site.build()
        let duration = Date().timeIntervalSince(started)
        complete = try site.snapshot()
        var generator = SystemRandomNumberGenerator()
        for version in 2..<10 {
            try Self.edit(site, version: version, articles: articles)
            let next = try Self.reference(site)
            let delay = Double.random(in: 0.05...(duration * 1.3 + 0.1), using: &generator)
            let process = try Self.startBuild(site)
            Thread.sleep(forTimeInterval: delay)
            Self.killBuild(process)
            let now = try site.snapshot()
            let which = now == complete ? "the previous site" : now == next ? "the new site" : nil
            #expect(which != nil, "killed after \(String(format: "%.3f", delay)) s (a build takes \(String(format: "%.3f", duration)) s), public/ is a mix")
            if now == next { complete = next }
        }
        try site.build()
        #expect(try site.snapshot() == Self.reference(site))
        #expect(try Self.leftovers(site).isEmpty)
    }

    // MARK: Disks that say no

    /// Builds into `output` through the library, as `lede build --output` does.
    static func build(_ site: TestSite, into output: String, beforeWrite: (@Sendable (String) throws -> Void)? = nil) throws -> BuildReport {
        var options = BuildOptions(siteRoot: site.root, output: output)
        options.workers = 2
        options.beforeWrite = beforeWrite
        return try SiteBuilder.build(options)
    }

    static func expectFailure(_ body: () throws -> Void, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("the build should have failed", sourceLocation: sourceLocation)
        } catch let error as Diagnostics {
            let text = error.all.map(\.description).joined(separator: "\n")
            for word in words { #expect(text.contains(word), "\(text)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// A 16 MB tmpfs at `disk/` in the site folder, for output that runs
    /// into the limits of a real file system; the caller unmounts it.
    static func mountSmallDisk(_ site: TestSite) throws -> String {
        let disk = site.root + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        #expect(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", disk]).status == 0)
        return disk
    }

    @Test(.enabled(if: canMountTmpfs())) func aReadOnlyOutputFolderIsAClearErrorAndTheSiteStays() throws {
        let site = try TestSite(Self.files(articles: 5))
        let disk = try Self.mountSmallDisk(site)
        defer { unmount(disk) }
        let output = disk + "/www"
        try Self.build(site, into: output)
        let before = try site.snapshot("disk/www")
        try Self.edit(site, version: 1, articles: 5)
        #expect(try run("/bin/mount", ["-o", "remount,ro", disk]).status == 0)
        Self.expectFailure({ try Self.build(site, into: output) }, mentioning: [disk, "Read-only file system", "the previous site is unchanged"])
        #expect(try site.snapshot("disk/www") == before)
        #expect(try run("/bin/mount", ["-o", "remount,rw", disk]).status == 0)
        try Self.build(site, into: output)
        let got = try site.snapshot("disk/www"), want = try Self.reference(site)
        #expect(got == want, "differ: \(Set(got.keys).symmetricDifference(want.keys).sorted()) \(got.keys.filter { want[$0] != nil && want[$0] != got[$0] }.sorted())")
    }

    /// The same, simulated: every write refused as a read-only folder refuses it.
    @Test func anOutputFolderThatRefusesWritesIsAClearErrorAndTheSiteStays() throws {
        let site = try TestSite(Self.files(articles: 5))
        try site.build()
        let before = try site.snapshot()
        try Self.edit(site, version: 1, articles: 5)
        let output = site.root + "/public"
        Self.expectFailure({
            try Self.build(site, into: output) { path in throw FileIO.Failure(path: output + "/" + path, operation: "create", code: EACCES) }
        }, mentioning: [output, "Permission denied", "the previous site is unchanged"])
        #expect(try site.snapshot() == before)
        #expect(try Self.leftovers(site).isEmpty)
        try site.build()
        #expect(try site.snapshot() == Self.reference(site))
    }

    @Test(.enabled(if: canMountTmpfs())) func aFullDiskIsAClearErrorAndTheSiteStays() throws {
        let site = try TestSite(Self.files(articles: 5))
        let disk = try Self.mountSmallDisk(site)
        defer { unmount(disk) }
        let output = disk + "/www"
        try Self.build(site, into: output)
        let before = try site.snapshot("disk/www")
        // Shrink the disk to what the site uses and a little more, then make
        // the site need much more: a big article (its page is written anew).
        var fs = statvfs()
        #expect(statvfs(disk, &fs) == 0)
        let used = (Int(fs.f_blocks) - Int(fs.f_bfree)) * Int(fs.f_frsize)
        #expect(try run("/bin/mount", ["-o", "remount,size=\(used + 256 * 1024)", disk]).status == 0)
        let paragraph = "In 1961 the wall was built, and the city was divided for years to come.\n\n"
        try site.write("content/long.md", article("Long", date: "2020-01-01", body: String(repeating: paragraph, count: 12_000)))
        Self.expectFailure({ try Self.build(site, into: output) }, mentioning: [disk, "No space left on device", "the previous site is unchanged"])
        #expect(try site.snapshot("disk/www") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk).filter { !$0.hasSuffix(".lock") && $0 != ".www.previous" } == ["www"])
        #expect(try run("/bin/mount", ["-o", "remount,size=64m", disk]).status == 0)
        try Self.build(site, into: output)
        #expect(try site.snapshot("disk/www") == Self.reference(site))
    }

    /// The same, simulated: the disk fills up after a few files were written.
    @Test func aSimulatedFullDiskIsAClearErrorAndTheSiteStays() throws {
        let site = try TestSite(Self.files(articles: 5))
        try site.build()
        let before = try site.snapshot()
        try Self.edit(site, version: 1, articles: 5)
        let output = site.root + "/public"
        final class Counter: @unchecked Sendable { let lock = Lock(); var n = 0 }
        let counter = Counter()
        Self.expectFailure({
            try Self.build(site, into: output) { path in
                let n = counter.lock.withLock { counter.n += 1; return counter.n }
                if n == 3 { throw FileIO.Failure(path: output + "/" + path, operation: "write", code: ENOSPC) }
            }
        }, mentioning: [output, "No space left on device", "the previous site is unchanged"])
        #expect(try site.snapshot() == before)
        #expect(try Self.leftovers(site).isEmpty)
        try site.build()
        #expect(try site.snapshot() == Self.reference(site))
    }
}
