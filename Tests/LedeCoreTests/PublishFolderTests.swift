import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CLedeSys
import Testing
@testable import LedeCore

/// lede publish to a folder: only changed files written, removed files deleted,
/// one atomic switch, and the old site intact after any failure.
@Suite struct PublishFolderTests {
    @Test func publishingTwiceChangesNothingTheSecondTime() throws {
        let site = try TestSite(publishSite)
        let target = site.root + "/www"
        let first = try site.publish(to: .folder(target))
        #expect(first.changes.added.contains("index.html"))
        #expect(first.changes.added.contains(Publisher.markerName))
        #expect(first.changes.changed.isEmpty && first.changes.deleted.isEmpty)
        let files = snapshot(target)
        let nodes = inodes(target)
        var rootStat = stat()
        stat(target, &rootStat)

        let second = try site.publish(to: .folder(target))
        #expect(second.changes.isEmpty)
        #expect(second.changes.unchanged == files.count)
        #expect(second.summary == "\(target) is already up to date (\(files.count) files); nothing was changed")
        #expect(snapshot(target) == files)
        #expect(inodes(target) == nodes, "unchanged files were rewritten")
        var again = stat()
        stat(target, &again)
        #expect(again.st_ino == rootStat.st_ino, "the folder was swapped although nothing changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root).filter { $0.contains("staging") }.isEmpty)
    }

    @Test func afterAnEditExactlyTheChangedFilesChange() throws {
        let site = try TestSite(publishSite)
        let target = site.root + "/www"
        try site.publish(to: .folder(target))
        let before = snapshot(target)
        let nodesBefore = inodes(target)

        // Edit one article's text; delete the other (and with it its tag page).
        try site.write("content/wall.md", article("The Wall falls", date: "1999-11-09", tags: ["berlin"],
                                                  body: "On November 9, 1989 the wall opened. Crowds gathered.\n\n![Map](/images/map.svg)\n\n## Key takeaways\n\n- It fell."))
        try site.remove("content/moon.md")
        let result = try site.publish(to: .folder(target))
        let after = snapshot(target)

        let changed = Set(after.keys.filter { before[$0] != nil && before[$0] != after[$0] })
        let added = Set(after.keys.filter { before[$0] == nil })
        let deleted = Set(before.keys.filter { after[$0] == nil })
        #expect(Set(result.changes.changed) == changed)
        #expect(Set(result.changes.added) == added)
        #expect(Set(result.changes.deleted) == deleted)
        #expect(deleted == ["moon/index.html", "moon/timeline.json", "tags/space/index.html",
                            "tags/space/timeline/index.html", "tags/space/timeline/timeline.json"])
        #expect(changed.contains("wall/index.html") && changed.contains("feed.xml") && changed.contains("index.html"))
        #expect(!changed.contains("images/map.svg") && !changed.contains("robots.txt"))
        // The footer's year is the newest article's: with moon (2009) gone it is 1999 on every page.
        #expect(changed.contains("404.html"))
        #expect(added.isEmpty)
        // Unchanged files are the same files (hard links), changed ones are new.
        let nodesAfter = inodes(target)
        for path in after.keys {
            if changed.contains(path) {
                #expect(nodesAfter[path] != nodesBefore[path], "\(path) changed but kept its inode")
            } else {
                #expect(nodesAfter[path] == nodesBefore[path], "\(path) did not change but was rewritten")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: target + "/moon"))
    }

    @Test func dryRunListsChangesAndTouchesNothing() throws {
        let site = try TestSite(publishSite)
        let target = site.root + "/www"
        let fresh = try site.publish(to: .folder(target)) { $0.dryRun = true }
        #expect(fresh.dryRun && fresh.changes.added.count > 10)
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(!FileManager.default.fileExists(atPath: site.root + "/.www.lede-lock"))
        try site.publish(to: .folder(target))
        let before = snapshot(target)
        try site.write("static/images/new.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        try site.remove("static/images/map.svg")
        try site.write("content/wall.md", article("The Wall falls", date: "1999-11-09", tags: ["berlin"], body: "In 1989 the wall fell."))
        let dry = try site.publish(to: .folder(target)) { $0.dryRun = true }
        #expect(dry.changes.added == ["images/new.svg"])
        #expect(dry.changes.deleted == ["images/map.svg"])
        #expect(dry.changes.changed.contains("wall/index.html"))
        #expect(dry.summary.hasPrefix("dry run: publishing to \(target) would add 1, change \(dry.changes.changed.count) and delete 1 files"))
        #expect(dry.changes.listing.first == "added    images/new.svg")
        #expect(dry.changes.listing.last == "deleted  images/map.svg")
        #expect(snapshot(target) == before)
    }

    @Test func aFailureInTheMiddleLeavesTheOldSiteIntact() throws {
        let site = try TestSite(publishSite)
        let target = site.root + "/www"
        try site.publish(to: .folder(target))
        let before = snapshot(target)
        try site.write("content/wall.md", article("The Wall falls, again", date: "1999-11-09", body: "Changed."))
        try site.write("static/images/new.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")

        // The disk fills up after two files were written.
        final class Counter: @unchecked Sendable { var n = 0 }
        let counter = Counter()
        do {
            try site.publish(to: .folder(target)) { options in
                options.beforeWrite = { path in
                    counter.n += 1
                    if counter.n == 3 { throw FileIO.Failure(path: target + "/" + path, operation: "write", code: ENOSPC) }
                }
            }
            Issue.record("the publish should have failed")
        } catch let error as PublishError {
            #expect(error.message.contains("No space left on device"))
            #expect(error.message.contains("Nothing was changed: \(target) still holds the previous site"))
            #expect(error.message.contains("is full: free some space and publish again"))
        }
        #expect(counter.n == 3)
        #expect(snapshot(target) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root).filter { $0.contains("staging") }.isEmpty)
        // And the next publish goes through.
        let result = try site.publish(to: .folder(target))
        #expect(result.changes.added == ["images/new.svg"])
    }

    /// Really out of space: a 1 MiB tmpfs (needs root and mount, as on the CI machine).
    @Test(.enabled(if: canMountTmpfs())) func aFullDiskLeavesTheOldSiteIntact() throws {
        let site = try TestSite(publishSite)
        let mountPoint = site.root + "/disk"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        #expect(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]).status == 0)
        defer { unmount(mountPoint) }
        let target = mountPoint + "/www"
        try site.publish(to: .folder(target))
        let before = snapshot(target)
        // Incompressible bytes, more than the disk holds.
        var noise = [UInt8](repeating: 0, count: 1_200_000)
        var x: UInt64 = 88172645463325252
        for k in noise.indices { x ^= x << 13; x ^= x >> 7; x ^= x << 17; noise[k] = UInt8(truncatingIfNeeded: x) }
        try site.write("static/big.bin", Data(noise))
        do {
            try site.publish(to: .folder(target))
            Issue.record("the publish should have failed")
        } catch let error as PublishError {
            #expect(error.message.contains("No space left on device"), "\(error.message)")
            #expect(error.message.contains("still holds the previous site"))
        }
        #expect(snapshot(target) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint) == ["www"] ||
                FileManager.default.contentsOfDirectory(atPath: mountPoint).sorted() == [".www.lede-lock", "www"])
    }

    @Test func killedPublishesLeaveTheOldSiteOrTheNewOneNeverAMix() throws {
        // Two versions of a site; lede publish is killed at random moments while
        // replacing one with the other. The folder must always be one of them.
        let site = try TestSite(publishSite)
        let target = site.root + "/www"
        var files = publishSite
        for k in 0..<40 { files["content/extra-\(k).md"] = article("Extra \(k)", date: "2001-01-\(String(format: "%02d", k % 28 + 1))", body: "Text \(k).") }
        for (path, text) in files { try site.write(path, text) }
        let versionA = try publishVersion(site, target, "A")
        let versionB = try publishVersion(site, target, "B")
        #expect(versionA != versionB)

        // How long one publish takes, to spread the kills over it.
        // lede's temporary builds go to a folder of the test, to see that killed ones are cleaned up.
        let temp = site.root + "/tmp"
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        let started = Date()
        try setVersion(site, "A")
        #expect(try run("/usr/bin/env", ["TMPDIR=" + temp, ledeExecutable, "publish", "--source", site.root, "--to", target, "-q"]).status == 0)
        let duration = Date().timeIntervalSince(started)
        var current = "A"
        for attempt in 0..<8 {
            let next = current == "A" ? "B" : "A"
            try setVersion(site, next)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ledeExecutable)
            process.arguments = ["publish", "--source", site.root, "--to", target, "-q"]
            process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temp]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: duration * (0.55 + 0.07 * Double(attempt)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = snapshot(target)
            #expect(now == versionA || now == versionB, "after a kill at attempt \(attempt) the folder is a mix")
            current = now == versionA ? "A" : "B"
        }
        // The next publish cleans up and completes.
        try setVersion(site, "B")
        #expect(try run("/usr/bin/env", ["TMPDIR=" + temp, ledeExecutable, "publish", "--source", site.root, "--to", target, "-q"]).status == 0)
        #expect(snapshot(target) == versionB)
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root).filter { $0.contains("staging") }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp).isEmpty, "killed publishes' temporary builds were left behind")
    }

    func setVersion(_ site: TestSite, _ v: String) throws {
        try site.write("content/moon.md", article("Moon landing \(v)", date: "2009-07-20", tags: ["space"], body: "Version \(v) of the text."))
        try site.write("static/images/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>\(v)</title></svg>\n")
    }

    func publishVersion(_ site: TestSite, _ target: String, _ v: String) throws -> [String: Data] {
        try setVersion(site, v)
        try site.publish(to: .folder(target))
        return snapshot(target)
    }

    @Test func refusesToReplaceAFolderLedeDidNotPublishUnlessForced() throws {
        let site = try TestSite(publishSite)
        let target = site.root + "/www"
        try site.write("www/index.nginx-debian.html", "Welcome to nginx!")
        do {
            try site.publish(to: .folder(target))
            Issue.record("expected a refusal")
        } catch let error as PublishError {
            #expect(error.message == "\(target) holds 1 file that lede did not publish (index.nginx-debian.html), and publishing replaces everything in it. Publish to a new or empty folder, or pass --force to replace its contents with the site")
        }
        #expect(snapshot(target).keys.sorted() == ["index.nginx-debian.html"])
        let forced = try site.publish(to: .folder(target)) { $0.force = true }
        #expect(forced.changes.deleted == ["index.nginx-debian.html"])
        #expect(!site.exists("www/index.nginx-debian.html") && site.exists("www/index.html"))
    }

    @Test func aSymbolicLinkTargetKeepsPointingAtTheNewSite() throws {
        let site = try TestSite(publishSite)
        try FileManager.default.createDirectory(atPath: site.root + "/releases/live", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.root + "/www", withDestinationPath: site.root + "/releases/live")
        try site.publish(to: .folder(site.root + "/www"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: site.root + "/www") == site.root + "/releases/live")
        #expect(site.exists("releases/live/index.html"))
    }

    @Test func onePublishToAFolderAtATime() throws {
        let site = try TestSite(publishSite)
        try site.publish(to: .folder(site.root + "/www"))
        // Another publish holds the lock.
        let fd = open(site.root + "/.www.lede-lock", O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", body: "Changed."))
        do {
            try site.publish(to: .folder(site.root + "/www"))
            Issue.record("expected the lock to stop the publish")
        } catch let error as PublishError {
            #expect(error.message == "another lede publish to \(site.root)/www is running; wait for it to finish and publish again")
        }
        close(fd)
        #expect(try site.publish(to: .folder(site.root + "/www")).changes.changed.contains("moon/index.html"))
    }

    @Test func aFileWhereTheFolderShouldBeIsAClearError() throws {
        let site = try TestSite(publishSite)
        try site.write("www", "not a folder")
        #expect(throws: PublishError.self) { try site.publish(to: .folder(site.root + "/www")) }
        do { try site.publish(to: .folder(site.root + "/www")) } catch let error as PublishError {
            #expect(error.message.contains("is a file, not a folder"))
        }
    }

    /// The atomic switch of folder publishes (and of lede build's output folder).
    @Test func exchangeSwapsTwoFoldersInOneStep() throws {
        let site = try TestSite(["a/one": "1", "b/two": "2"])
        #expect(lede_exchange_paths(site.root + "/a", site.root + "/b") == 0, "renameat2(RENAME_EXCHANGE): errno \(errno)")
        #expect(site.exists("a/two") && site.exists("b/one"))
        #expect(!site.exists("a/one") && !site.exists("b/two"))
    }

    @Test func targetsAreReadFromToValues() throws {
        #expect(try PublishTarget.parse("../site", branch: nil, relativeTo: "/a/b") == .folder("/a/site"))
        #expect(try PublishTarget.parse("/srv/www/", branch: nil, relativeTo: "/x") == .folder("/srv/www"))
        #expect(try PublishTarget.parse("deploy@example.org:/var/www/site", branch: nil, relativeTo: "/") == .rsync("deploy@example.org:/var/www/site"))
        #expect(try PublishTarget.parse("example.org:site", branch: nil, relativeTo: "/") == .rsync("example.org:site"))
        #expect(try PublishTarget.parse("git@github.com:org/site.git", branch: nil, relativeTo: "/") == .git(remote: "git@github.com:org/site.git", branch: "gh-pages"))
        #expect(try PublishTarget.parse("https://github.com/org/site", branch: "main", relativeTo: "/") == .git(remote: "https://github.com/org/site", branch: "main"))
        #expect(try PublishTarget.parse("../pages.git", branch: nil, relativeTo: "/a/b") == .git(remote: "/a/pages.git", branch: "gh-pages"))
        #expect(throws: PublishError.self) { try PublishTarget.parse("deploy@example.org:", branch: nil, relativeTo: "/") }
        #expect(throws: PublishError.self) { try PublishTarget.parse("/srv/www", branch: "main", relativeTo: "/") }
        #expect(throws: PublishError.self) { try PublishTarget.parse("x.git", branch: "bad..name", relativeTo: "/") }
        #expect(throws: PublishError.self) { try PublishTarget.parse("  ", branch: nil, relativeTo: "/") }
    }

    // MARK: The command

    @Test func publishCommandUsesThePublishBlockAndPrintsADryRun() throws {
        let site = try TestSite(publishSite)
        // A relative `to:` is relative to the site folder, not to where lede runs.
        let name = "served-" + (site.root as NSString).lastPathComponent
        let served = (site.root as NSString).deletingLastPathComponent + "/" + name
        try site.write("content/_index.md", "---\ntitle: Desk\ndescription: News.\nbase_url: https://news.example.org/\npublish:\n  to: ../\(name)\n---\n")
        defer { try? FileManager.default.removeItem(atPath: served) }
        let dry = try run(ledeExecutable, ["publish", "--source", site.root, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let lines = dry.stdout.split(separator: "\n").map(String.init)
        let summary = try #require(lines.first { $0.hasPrefix("dry run:") })
        #expect(summary.hasPrefix("dry run: publishing to \(served) would add "))
        #expect(lines.contains("added    index.html"))
        #expect(lines.contains("added    images/map.svg"))
        #expect(!FileManager.default.fileExists(atPath: served))
        let real = try run(ledeExecutable, ["publish", "--source", site.root])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.contains("published to \(served): "))
        #expect(FileManager.default.fileExists(atPath: served + "/index.html"))
        let again = try run(ledeExecutable, ["publish", "--source", site.root])
        #expect(again.stdout.contains("\(served) is already up to date"))
    }

    @Test func publishCommandShipsNothingWhenTheCheckFails() throws {
        var files = CheckTests.broken
        files["content/_index.md"] = "---\ntitle: Desk\ndescription: x\nbase_url: https://news.example.org/\n---\n"
        let site = try TestSite(files)
        let r = try run(ledeExecutable, ["publish", "--source", site.root, "--to", site.root + "/www"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("wall/index.html → /images/gone.png: no such file in the site"))
        #expect(r.stderr.contains("fix them and run lede publish again (nothing was published)"))
        #expect(!site.exists("www"))
    }

    @Test func publishCommandUsage() throws {
        let site = try TestSite(publishSite)
        let noTarget = try run(ledeExecutable, ["publish", "--source", site.root])
        #expect(noTarget.status == 2)
        #expect(noTarget.stderr.contains("say where to publish"))
        let badBranch = try run(ledeExecutable, ["publish", "--source", site.root, "--to", site.root + "/www", "--branch", "main"])
        #expect(badBranch.status == 2)
        #expect(badBranch.stderr.contains("--branch is for git targets"))
        try site.write("content/_index.md", "---\ntitle: Desk\n---\n")
        let noBase = try run(ledeExecutable, ["publish", "--source", site.root, "--to", site.root + "/www"])
        #expect(noBase.status == 1)
        #expect(noBase.stderr.contains("needs the address the site is served at"))
    }
}

/// Whether this process may mount a tmpfs (root, with mount allowed).
func canMountTmpfs() -> Bool {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
    let dir = NSTemporaryDirectory() + "lede-mount-probe-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    guard (try? run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]))?.status == 0 else { return false }
    _ = try? run("/bin/umount", [dir])
    return true
}

/// Unmounts a test's tmpfs; a server process that is still ending may hold it
/// for a moment, so try again, then detach it lazily.
func unmount(_ path: String) {
    for _ in 0..<20 {
        if (try? run("/bin/umount", [path]))?.status == 0 { return }
        Thread.sleep(forTimeInterval: 0.1)
    }
    _ = try? run("/bin/umount", ["-l", path])
}
