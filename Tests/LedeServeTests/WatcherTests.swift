import Foundation
import Testing
@testable import LedeServe
#if canImport(Glibc)
import Glibc
#endif

/// The watcher alone: what counts as a change, and how bursts are batched.
@Suite(.serialized) struct WatcherTests {
    final class Batches: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [[String]] = []
        func add(_ b: [String]) { lock.lock(); items.append(b); lock.unlock() }
        var all: [[String]] { lock.lock(); defer { lock.unlock() }; return items }
    }

    func watch(_ site: TestSite, _ mode: Watcher.Mode = .automatic) -> (Watcher, Batches) {
        let batches = Batches()
        let w = Watcher(root: site.root, mode: mode, quietMilliseconds: 100) { batches.add($0) }
        w.start()
        return (w, batches)
    }

    @Test func aSlowWriterIsOneChangeOnceTheFileIsClosed() async throws {
        let site = try smallSite()
        let (w, batches) = watch(site)
        defer { w.stop() }
        #expect(w.method == "inotify")
        let fd = open(site.root + "/content/slow.md", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #expect(fd >= 0)
        let opened = ContinuousClock.now
        _ = "---\ntitle: Slow\n".withCString { write(fd, $0, strlen($0)) }
        try await Task.sleep(for: .milliseconds(400))  // longer than the quiet period
        // The watcher waits for an open file the quiet period and a grace after the last
        // write, never past Watcher.maxWriteWaitMilliseconds; on a loaded machine the
        // sleep above can outlast that, and then a report is right.
        let wait = min(100 + Watcher.openWriterGraceMilliseconds, Watcher.maxWriteWaitMilliseconds)
        let withinWait = ContinuousClock.now - opened < .milliseconds(wait - 200)
        let early = batches.all
        if withinWait { #expect(early.isEmpty, "a file still being written was reported: \(early)") }
        _ = "---\n\nDone.\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        try await eventually(10, "the batch") { batches.all.count > early.count }
        try await Task.sleep(for: .milliseconds(300))
        #expect(batches.all == early + [["content/slow.md"]])
    }

    @Test func aCloseWithoutAWriteIsNoChange() async throws {
        let site = try smallSite()
        let (w, batches) = watch(site)
        defer { w.stop() }
        let fd = open(site.root + "/content/alpha.md", O_WRONLY | O_CLOEXEC)
        close(fd)
        let readOnly = open(site.root + "/content/beta.md", O_RDONLY | O_CLOEXEC)
        close(readOnly)
        try await Task.sleep(for: .milliseconds(500))
        #expect(batches.all.isEmpty)
        // touch(1) is a change (a way to ask for a rebuild).
        var times = [timespec(tv_sec: 0, tv_nsec: (1 << 30) - 1 /* UTIME_NOW */), timespec(tv_sec: 0, tv_nsec: (1 << 30) - 1 /* UTIME_NOW */)]
        utimensat(AT_FDCWD, site.root + "/content/alpha.md", &times, 0)
        try await eventually(10, "the touch") { batches.all == [["content/alpha.md"]] }
    }

    @Test func editorSavesAndDroppingsMakeOneBatchOfRealFiles() async throws {
        let site = try smallSite()
        let (w, batches) = watch(site)
        defer { w.stop() }
        // vim's dance: a probe file, a backup by rename, the new file, the backup removed.
        try site.write("content/4913", "")
        try site.remove("content/4913")
        try site.move("content/beta.md", "content/beta.md~")
        try site.write("content/beta.md", article("Beta", body: "New."))
        try site.write("content/.beta.md.swp", "swap")
        try site.remove("content/beta.md~")
        try site.save("static/robots.txt", "User-agent: none\n")
        try await eventually(10, "the batch") { !batches.all.isEmpty }
        try await Task.sleep(for: .milliseconds(300))
        #expect(batches.all == [["content/beta.md", "static/robots.txt"]])
    }

    @Test func foldersCreatedLaterAreWatched() async throws {
        let site = try TestSite(["content/a.md": article("A")])
        let (w, batches) = watch(site)
        defer { w.stop() }
        // templates/ did not exist when watching started.
        try site.write("templates/assets/site.css", "p {}")
        try await eventually(10, "the new folder") { batches.all.flatMap { $0 }.contains("templates/assets/site.css") }
        try site.save("templates/assets/site.css", "p { margin: 0 }")
        try await eventually(10, "a change in the new folder") { batches.all.count >= 2 }
        #expect(batches.all.last == ["templates/assets/site.css"])
    }

    @Test func pollingSeesAddsEditsAndDeletes() async throws {
        let site = try smallSite()
        let (w, batches) = watch(site, .polling(milliseconds: 40))
        defer { w.stop() }
        #expect(w.method == "polling")
        try site.write("content/new.md", article("New"))
        try site.save("content/alpha.md", article("Alpha", body: "Edited."))
        try site.remove("static/robots.txt")
        try await eventually(10, "the batch") { Set(batches.all.flatMap { $0 }) == ["content/new.md", "content/alpha.md", "static/robots.txt"] }
    }
}
