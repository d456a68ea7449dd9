import Foundation
import Testing
@testable import LedeCore

/// lede publish to user@host:path: the system rsync, over SSH to a real sshd
/// that the test starts on a loopback port with its own keys.
@Suite(.serialized) struct PublishRsyncTests {
    @Test func publishesOverSSHWithChecksumsAndDeletes() throws {
        let ssh = try SSHServer()
        let site = try TestSite(publishSite)
        let served = site.root + "/server/www"
        let target = PublishTarget.rsync(ssh.destination(served))

        let dry = try site.publish(to: target) { $0.ssh = ssh.sshCommand; $0.dryRun = true }
        #expect(dry.changes.added.contains("index.html") && dry.changes.added.contains("images/map.svg"))
        #expect(!FileManager.default.fileExists(atPath: served))

        try FileManager.default.createDirectory(atPath: site.root + "/server", withIntermediateDirectories: true)
        let first = try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        #expect(first.changes.added.count == dry.changes.added.count)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        var expected = snapshot(build.folder)
        expected[Publisher.markerName] = Data(Publisher.markerText.utf8)
        #expect(snapshot(served) == expected)
        let nodes = inodes(served)

        // Again: nothing to send, nothing touched.
        let second = try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        #expect(second.changes.isEmpty)
        #expect(second.changes.unchanged == expected.count)
        #expect(inodes(served) == nodes)

        // An edit and a deletion: only those files move.
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", tags: ["space"], body: "In July 1969 Apollo 11 landed on the Moon."))
        try site.remove("static/images/map.svg")
        try site.write("content/wall.md", article("The Wall falls", date: "1999-11-09", tags: ["berlin"], body: "On November 9, 1989 the wall opened."))
        let before = snapshot(served)
        let third = try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        let after = snapshot(served)
        #expect(third.changes.deleted == ["images/map.svg"])
        #expect(Set(third.changes.changed) == Set(after.keys.filter { before[$0] != nil && before[$0] != after[$0] }))
        #expect(third.changes.changed.contains("moon/index.html"))
        let nodesAfter = inodes(served)
        for path in after.keys where !third.changes.changed.contains(path) {
            #expect(nodesAfter[path] == nodes[path], "\(path) did not change but was rewritten")
        }
        #expect(!FileManager.default.fileExists(atPath: served + "/images/map.svg"))
    }

    @Test func leftoversOfAnInterruptedPublishAreRemoved() throws {
        let ssh = try SSHServer()
        let site = try TestSite(publishSite)
        let served = site.root + "/www"
        let target = PublishTarget.rsync(ssh.destination(served))
        try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        // What rsync --delay-updates leaves when it is killed before the end.
        try site.write("www/.~tmp~/index.html", "half a page")
        try site.write("www/wall/.~tmp~/index.html", "half")
        let result = try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        #expect(result.changes.isEmpty, "rsync's own folders are not part of the site: \(result.changes)")
        #expect(!site.exists("www/.~tmp~") && !site.exists("www/wall/.~tmp~"))
    }

    @Test func refusesToReplaceFilesItDidNotPublish() throws {
        let ssh = try SSHServer()
        let site = try TestSite(publishSite)
        try site.write("www/index.html", "<h1>Someone else's site</h1>")
        let target = PublishTarget.rsync(ssh.destination(site.root + "/www"))
        #expect(throws: PublishError.self) { try site.publish(to: target) { $0.ssh = ssh.sshCommand } }
        try site.write("www/index.nginx-debian.html", "Welcome to nginx!")
        try site.remove("www/index.html")
        do {
            try site.publish(to: target) { $0.ssh = ssh.sshCommand }
            Issue.record("expected a refusal")
        } catch let error as PublishError {
            #expect(error.message.contains("holds files that lede did not publish (index.nginx-debian.html)"))
            #expect(error.message.contains("--force"))
        }
        #expect(site.exists("www/index.nginx-debian.html") && !site.exists("www/index.html"))
        try site.publish(to: target) { $0.ssh = ssh.sshCommand; $0.force = true }
        #expect(!site.exists("www/index.nginx-debian.html") && site.exists("www/index.html"))
    }

    /// The server's disk fills up during the transfer: a 1 MiB tmpfs (needs root and mount).
    @Test(.enabled(if: canMountTmpfs())) func aFullDiskOnTheServerLeavesTheServedFilesAsTheyWere() throws {
        let ssh = try SSHServer()
        let site = try TestSite(publishSite)
        let disk = site.root + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        #expect(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk]).status == 0)
        defer { unmount(disk) }
        let served = disk + "/www"
        let target = PublishTarget.rsync(ssh.destination(served))
        try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        let before = snapshot(served)

        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", tags: ["space"], body: "Changed text."))
        var noise = [UInt8](repeating: 0, count: 1_200_000)
        var x: UInt64 = 88172645463325252
        for k in noise.indices { x ^= x << 13; x ^= x >> 7; x ^= x << 17; noise[k] = UInt8(truncatingIfNeeded: x) }
        try site.write("static/zz-big.bin", Data(noise))
        do {
            try site.publish(to: target) { $0.ssh = ssh.sshCommand }
            Issue.record("the publish should have failed")
        } catch let error as PublishError {
            // rsync's reason ("No space left on device") sometimes does not make it back over the connection.
            #expect(error.message.contains("disk is full"), "\(error.message)")
            #expect(error.message.contains("The files on the server are as they were"))
        }
        #expect(snapshot(served) == before, "the server's folder is not as it was (a reader could see part of the new site)")

        // With room again, the next publish completes.
        try site.remove("static/zz-big.bin")
        let result = try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        #expect(result.changes.changed.contains("moon/index.html"))
        #expect(snapshot(served).keys.allSatisfy { !$0.contains(".~tmp~") })

        // A publish killed in the middle leaves partial files; the next one
        // removes them before it sends anything, so they cost no room.
        try FileManager.default.createDirectory(atPath: served + "/.~tmp~", withIntermediateDirectories: true)
        try Data(noise.prefix(700_000)).write(to: URL(fileURLWithPath: served + "/.~tmp~/zz-big.bin"))
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", tags: ["space"], body: "Changed again."))
        let afterKill = try site.publish(to: target) { $0.ssh = ssh.sshCommand }
        #expect(afterKill.changes.changed.contains("moon/index.html"))
        #expect(snapshot(served).keys.allSatisfy { !$0.contains(".~tmp~") })
    }

    @Test func anUnreachableServerChangesNothingAndSaysWhatToDo() throws {
        let site = try TestSite(publishSite)
        let port = try freePort()
        let target = PublishTarget.rsync("nobody@127.0.0.1:\(site.root)/www")
        do {
            try site.publish(to: target) { $0.ssh = "ssh -F /dev/null -p \(port) -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null" }
            Issue.record("expected an error")
        } catch let error as PublishError {
            #expect(error.message.hasPrefix("cannot reach nobody@127.0.0.1 over SSH:"), "\(error.message)")
            #expect(error.message.contains("Connection refused"))
            #expect(error.message.contains("Nothing was changed."))
        }
        #expect(!site.exists("www"))
    }

    @Test func publishCommandOverSSH() throws {
        let ssh = try SSHServer()
        let site = try TestSite(publishSite)
        let dest = ssh.destination(site.root + "/www")
        let dry = try run(ledeExecutable, ["publish", "--source", site.root, "--to", dest, "--ssh", ssh.sshCommand, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("dry run: publishing to \(dest) would add "))
        #expect(dry.stdout.contains("added    wall/index.html"))
        #expect(!site.exists("www"))
        let real = try run(ledeExecutable, ["publish", "--source", site.root, "--to", dest, "--ssh", ssh.sshCommand, "-v"])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.contains("published to \(dest): "))
        #expect(real.stdout.contains("added    wall/index.html"))
        #expect(site.exists("www/wall/index.html"))
    }
}
