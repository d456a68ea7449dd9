import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedeCore

/// lede publish to a branch of a git remote: a real bare repository in a
/// temporary folder, inspected with the system git.
@Suite struct PublishGitTests {
    let gitPath: String

    init() throws {
        gitPath = try #require(which("git"), "git is needed (apt-get install git; .ci/run installs it)")
    }

    @discardableResult
    func git(_ args: [String], in dir: String? = nil) throws -> String {
        let r = try run(gitPath, ["-c", "user.name=Test Writer", "-c", "user.email=writer@example.org", "-c", "init.defaultBranch=main",
                                  "-c", "advice.detachedHead=false"] + args, in: dir)
        guard r.status == 0 else { throw TestFailure("git \(args.joined(separator: " ")): \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A site whose source is a git repository, and a bare remote that already has its main branch.
    func makeSite() throws -> (TestSite, remote: String) {
        let site = try TestSite(publishSite)
        try site.write(".gitignore", "public/\n")
        try git(["init", "-q"], in: site.root)
        try git(["add", "."], in: site.root)
        try git(["commit", "-q", "-m", "First explainers"], in: site.root)
        let remote = site.root + "/remote/pages.git"
        try git(["init", "-q", "--bare", remote])
        try git(["push", "-q", remote, "main"], in: site.root)
        try site.write(".gitignore", "public/\nremote/\n")
        try git(["commit", "-q", "-am", "Ignore the remote"], in: site.root)
        return (site, remote)
    }

    @Test func publishesOneCommitPerPublishNamingTheSourceCommit() throws {
        let (site, remote) = try makeSite()
        let mainBefore = try git(["--git-dir", remote, "rev-parse", "main"])
        let source = try git(["rev-parse", "HEAD"], in: site.root)

        let first = try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        let commit = try #require(first.commit)
        #expect(try git(["--git-dir", remote, "rev-parse", "gh-pages"]) == commit)
        #expect(try git(["--git-dir", remote, "rev-list", "--count", "gh-pages"]) == "1")
        let message = try git(["--git-dir", remote, "log", "-1", "--format=%B", "gh-pages"])
        #expect(message.hasPrefix("Publish the site built from \(source.prefix(12))"))
        #expect(message.contains("Source commit: \(source) (Ignore the remote)"))
        #expect(!message.contains("uncommitted"))

        // The branch's tree is the production build, plus .nojekyll.
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        let built = snapshot(build.folder)
        let tree = try git(["--git-dir", remote, "ls-tree", "-r", "--name-only", "gh-pages"]).split(separator: "\n").map(String.init)
        #expect(Set(tree) == Set(built.keys).union([".nojekyll"]))
        #expect(!tree.contains(Publisher.markerName))
        for path in ["index.html", "wall/index.html", "feed.xml", "robots.txt"] {
            let blob = try run(gitPath, ["--git-dir", remote, "show", "gh-pages:" + path]).stdout
            #expect(Data(blob.utf8) == built[path], "\(path) differs from the build")
        }
        #expect(try git(["--git-dir", remote, "rev-parse", "main"]) == mainBefore, "main was changed")

        // An edit, committed: the second publish adds exactly one commit on top.
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", tags: ["space"], body: "In July 1969 Apollo 11 landed on the Moon."))
        try git(["commit", "-q", "-am", "Say where it landed"], in: site.root)
        let second = try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        #expect(second.changes.changed.contains("moon/index.html"))
        #expect(!second.changes.changed.contains("wall/index.html"))
        #expect(try git(["--git-dir", remote, "rev-list", "--count", "gh-pages"]) == "2")
        #expect(try git(["--git-dir", remote, "rev-parse", "gh-pages^"]) == commit)
        #expect(try git(["--git-dir", remote, "log", "-1", "--format=%B", "gh-pages"]).contains("(Say where it landed)"))
        let diff = try git(["--git-dir", remote, "diff", "--name-only", "gh-pages^", "gh-pages"]).split(separator: "\n").map(String.init)
        #expect(Set(diff) == Set(second.changes.changed + second.changes.added + second.changes.deleted))

        // Nothing changed: no empty commit.
        let third = try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        #expect(third.changes.isEmpty && third.commit == nil)
        #expect(try git(["--git-dir", remote, "rev-list", "--count", "gh-pages"]) == "2")
    }

    @Test func uncommittedChangesAndCustomDomainsAreNamed() throws {
        let (site, remote) = try makeSite()
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", body: "Not committed yet."))
        try site.publish(to: .git(remote: remote, branch: "pages")) { $0.cname = "news.example.org" }
        #expect(try git(["--git-dir", remote, "show", "pages:CNAME"]) == "news.example.org")
        #expect(try git(["--git-dir", remote, "log", "-1", "--format=%B", "pages"]).contains("The source had uncommitted changes, which are included."))
    }

    @Test func aSourceOutsideGitIsSaidSo() throws {
        let site = try TestSite(publishSite)
        let remote = site.root + "/r.git"
        try git(["init", "-q", "--bare", remote])
        try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        #expect(try git(["--git-dir", remote, "log", "-1", "--format=%B", "gh-pages"]).contains("The source is not in a git repository"))
    }

    @Test func dryRunShowsTheDiffAndPushesNothing() throws {
        let (site, remote) = try makeSite()
        let fresh = try site.publish(to: .git(remote: remote, branch: "gh-pages")) { $0.dryRun = true }
        #expect(fresh.changes.added.contains("index.html") && fresh.changes.added.contains(".nojekyll"))
        #expect(throws: TestFailure.self) { try git(["--git-dir", remote, "rev-parse", "--verify", "gh-pages"]) }
        try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        let head = try git(["--git-dir", remote, "rev-parse", "gh-pages"])
        try site.remove("static/images/map.svg")
        try site.write("content/wall.md", article("The Wall falls", date: "1999-11-09", tags: ["berlin"], body: "No map. In 1989 the wall fell."))
        let dry = try site.publish(to: .git(remote: remote, branch: "gh-pages")) { $0.dryRun = true }
        #expect(dry.changes.deleted == ["images/map.svg"])
        #expect(dry.changes.changed.contains("wall/index.html"))
        #expect(try git(["--git-dir", remote, "rev-parse", "gh-pages"]) == head)
    }

    @Test func aRejectedPushLeavesTheBranchAsItWas() throws {
        let (site, remote) = try makeSite()
        try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        let head = try git(["--git-dir", remote, "rev-parse", "gh-pages"])
        let hook = remote + "/hooks/pre-receive"
        try "#!/bin/sh\necho 'gh-pages is protected' >&2\nexit 1\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", body: "Changed."))
        do {
            try site.publish(to: .git(remote: remote, branch: "gh-pages"))
            Issue.record("the push should have been refused")
        } catch let error as PublishError {
            #expect(error.message.contains("the push to \(remote) failed"))
            #expect(error.message.contains("gh-pages is protected"))
            #expect(error.message.contains("The branch gh-pages is as it was"))
        }
        #expect(try git(["--git-dir", remote, "rev-parse", "gh-pages"]) == head)
    }

    @Test func aBranchThatMovesMeanwhileIsNotOverwrittenUnlessForced() throws {
        let (site, remote) = try makeSite()
        try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        // Someone else publishes between lede's fetch and its push.
        let other = site.root + "/other"
        try git(["clone", "-q", "--branch", "gh-pages", remote, other])
        let gitPath = self.gitPath
        let theirs = site.root + "/theirs"
        let push: @Sendable () throws -> Void = {
            func git(_ args: [String]) throws {
                let r = try run(gitPath, ["-c", "user.name=Other", "-c", "user.email=o@example.org"] + args, in: other)
                guard r.status == 0 else { throw TestFailure(r.stderr) }
            }
            try git(["fetch", "-q", "origin"])
            try git(["reset", "-q", "--hard", "origin/gh-pages"])
            try "by hand \(UUID())\n".write(toFile: other + "/note.txt", atomically: true, encoding: .utf8)
            try git(["add", "note.txt"])
            try git(["commit", "-q", "-m", "Someone else's change"])
            try git(["push", "-q", "origin", "HEAD:gh-pages"])
            try run(gitPath, ["-C", other, "rev-parse", "HEAD"]).stdout.write(toFile: theirs, atomically: true, encoding: .utf8)
        }
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", body: "Changed."))
        do {
            try site.publish(to: .git(remote: remote, branch: "gh-pages")) { $0.beforePush = push }
            Issue.record("the push should have been refused")
        } catch let error as PublishError {
            #expect(error.message.contains("because gh-pages changed since lede read it"), "\(error.message)")
            #expect(error.message.contains("Publish again to build on the new state, or pass --force"))
        }
        let theirCommit = try String(contentsOfFile: theirs, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try git(["--git-dir", remote, "rev-parse", "gh-pages"]) == theirCommit)
        // Publishing again builds on their commit (their file goes: the branch holds the site).
        let again = try site.publish(to: .git(remote: remote, branch: "gh-pages"))
        #expect(try git(["--git-dir", remote, "rev-parse", "gh-pages^"]) == theirCommit)
        #expect(again.changes.deleted.contains("note.txt"))
        // With --force, a branch that moved meanwhile is replaced.
        try site.write("content/moon.md", article("Moon landing", date: "2009-07-20", body: "Changed again."))
        let forced = try site.publish(to: .git(remote: remote, branch: "gh-pages")) { $0.force = true; $0.beforePush = push }
        #expect(try git(["--git-dir", remote, "rev-parse", "gh-pages"]) == forced.commit)
    }

    @Test func anUnreachableRemoteIsAClearError() throws {
        let site = try TestSite(publishSite)
        for remote in [site.root + "/no/such/remote.git", "http://127.0.0.1:\(try freePort())/site.git"] {
            do {
                try site.publish(to: .git(remote: remote, branch: "gh-pages"))
                Issue.record("expected an error for \(remote)")
            } catch let error as PublishError {
                #expect(error.message.hasPrefix("cannot reach the git remote \(remote):"), "\(error.message)")
                #expect(error.message.contains("Nothing was published"))
            }
        }
    }

    @Test func publishCommandToAGitRemote() throws {
        let (site, remote) = try makeSite()
        let r = try run(ledeExecutable, ["publish", "--source", site.root, "--to", remote, "--branch", "site"])
        #expect(r.status == 0, "\(r.stderr)")
        let head = try git(["--git-dir", remote, "rev-parse", "site"])
        #expect(r.stdout.contains("published to \(remote) (branch site): "))
        #expect(r.stdout.contains("; commit \(head.prefix(12))"))
    }
}
