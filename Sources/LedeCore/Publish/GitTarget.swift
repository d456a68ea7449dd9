import Foundation

/// Publishes to a branch of a git remote with the system `git`: the branch's
/// history is kept, each publish adds one commit whose message names the source
/// commit, and the push is a plain fast-forward (a force-push only with
/// `--force`). A push updates the branch all at once or not at all, so a
/// failure leaves the branch as it was.
///
/// Works in a temporary repository: fetches only the branch's last commit,
/// builds the new tree from the site with a private index, and commits with
/// `git commit-tree`, so no hook, no user's ignore rules and no line-ending
/// conversion can change what is published.
struct GitTarget {
    let remote: String
    let branch: String
    var ssh: String?
    var beforePush: (@Sendable () throws -> Void)?

    func publish(site: String, sourceRoot: String?, dryRun: Bool, force: Bool) throws(PublishError) -> (SiteChanges, String?) {
        guard let git = Command.find("git") else {
            throw PublishError("git is not installed; install it (apt-get install git), or publish to a folder or with rsync")
        }
        let temp: String
        do { temp = try TemporaryFolder.make("lede-git") } catch {
            throw PublishError("cannot create a temporary folder: \(error.localizedDescription); free some space or set TMPDIR")
        }
        defer { try? FileIO.removeTree(temp) }
        let repo = GitRepository(git: git, gitDir: temp + "/repo.git", index: temp + "/index", workTree: site,
                                 hooks: temp + "/no-hooks", ssh: ssh)
        try repo.run(["init", "-q", "--bare", repo.gitDir], what: "create a temporary git repository", plain: true)
        try? FileManager.default.createDirectory(atPath: repo.hooks, withIntermediateDirectories: true)

        // Where the branch is now.
        let refName = "refs/heads/\(branch)"
        let listed = repo.output(["ls-remote", "--exit-code", remote, refName])
        var parent: String?
        switch listed.status {
        case 0:
            try repo.run(["fetch", "-q", "--no-tags", "--depth=1", remote, "+\(refName):refs/lede/published"],
                         what: "fetch \(branch) from \(remote)")
            parent = try repo.value(["rev-parse", "--verify", "refs/lede/published^{commit}"], what: "read the fetched branch")
        case 2:
            parent = nil  // a new branch
        default:
            throw PublishError("cannot reach the git remote \(remote):\n  \(listed.tail)\nCheck the address, and that you may read and push it (try: git ls-remote \(remote)). Nothing was published")
        }

        // The new tree: exactly the site's files.
        try repo.run(["add", "--all", "--force", "."], what: "add the site's files to a git tree")
        let tree = try repo.value(["write-tree"], what: "write the git tree")
        let files = try repo.value(["ls-tree", "-r", "-z", "--name-only", tree], what: "list the git tree")
            .split(separator: "\0").count
        var changes = SiteChanges()
        if let parent {
            let diff = try repo.value(["diff-tree", "-r", "-z", "--no-renames", "--name-status", parent, tree], what: "compare with the branch")
            let fields = diff.split(separator: "\0", omittingEmptySubsequences: true)
            var k = 0
            while k + 1 < fields.count {
                let path = String(fields[k + 1])
                switch fields[k].first {
                case "A": changes.added.append(path)
                case "D": changes.deleted.append(path)
                default: changes.changed.append(path)
                }
                k += 2
            }
        } else {
            changes.added = try repo.value(["ls-tree", "-r", "-z", "--name-only", tree], what: "list the git tree")
                .split(separator: "\0").map(String.init)
        }
        changes.unchanged = files - changes.added.count - changes.changed.count
        if dryRun || changes.isEmpty { return (changes, nil) }

        // One commit on top of the branch, naming the source commit.
        let message = Self.commitMessage(source: sourceRoot.flatMap { SourceCommit.find(in: $0, git: git) })
        var commitArgs = ["commit-tree", tree, "-F", "-"]
        if let parent { commitArgs += ["-p", parent] }
        let commit = try repo.value(commitArgs, what: "create the commit", input: message, identity: true)

        do { try beforePush?() } catch { throw PublishError("stopped before the push: \(error)") }
        var pushArgs = ["push", "-q", "--no-verify", remote, "\(commit):\(refName)"]
        if force { pushArgs.insert("--force", at: 1) }
        let pushed = repo.output(pushArgs)
        guard pushed.ok else {
            let text = pushed.stderr.lowercased()
            if text.contains("non-fast-forward") || text.contains("fetch first") || text.contains("rejected") && text.contains("stale") {
                throw PublishError("the remote refused the push because \(branch) changed since lede read it (did someone else publish?):\n  \(pushed.tail)\nThe branch is as it was. Publish again to build on the new state, or pass --force to replace it")
            }
            throw PublishError("the push to \(remote) failed:\n  \(pushed.tail)\nThe branch \(branch) is as it was. Check that you may push to it (a protected branch, a hook or credentials may refuse it), then publish again")
        }
        return (changes, commit)
    }

    static func commitMessage(source: SourceCommit?) -> String {
        guard let source else {
            return "Publish the site\n\nThe source is not in a git repository, so no source commit can be named.\nBuilt by lede \(LedeVersion.string).\n"
        }
        var s = "Publish the site built from \(source.sha.prefix(12))\n\nSource commit: \(source.sha)"
        if !source.subject.isEmpty { s += " (\(source.subject))" }
        s += "\n"
        if source.dirty { s += "The source had uncommitted changes, which are included.\n" }
        return s + "Built by lede \(LedeVersion.string).\n"
    }
}

/// The git commit the site's source is at.
struct SourceCommit: Sendable {
    var sha: String
    var subject: String
    var dirty: Bool

    static func find(in folder: String, git: String) -> SourceCommit? {
        let env: [String: String?] = ["GIT_DIR": nil, "GIT_WORK_TREE": nil, "GIT_INDEX_FILE": nil, "LC_ALL": "C"]
        guard let head = try? Command.run(git, ["-C", folder, "rev-parse", "--verify", "-q", "HEAD"], environment: env), head.ok else { return nil }
        let subject = (try? Command.run(git, ["-C", folder, "log", "-1", "--format=%s"], environment: env))?.stdout.trimmingWhitespace ?? ""
        let status = try? Command.run(git, ["-C", folder, "status", "--porcelain", "--untracked-files=normal", "--", "."], environment: env)
        return SourceCommit(sha: head.stdout.trimmingWhitespace, subject: subject,
                            dirty: !(status?.stdout.trimmingWhitespace.isEmpty ?? true))
    }
}

/// git commands against the temporary repository, with settings that keep the
/// user's configuration from changing what is published.
private struct GitRepository {
    let git: String
    let gitDir: String
    let index: String
    let workTree: String
    let hooks: String
    let ssh: String?

    var environment: [String: String?] {
        var env: [String: String?] = [
            "GIT_DIR": gitDir, "GIT_WORK_TREE": workTree, "GIT_INDEX_FILE": index,
            "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OBJECT_DIRECTORY": nil, "GIT_ALTERNATE_OBJECT_DIRECTORIES": nil,
        ]
        if let ssh { env["GIT_SSH_COMMAND"] = ssh }
        return env
    }

    var settings: [String] {
        ["-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.excludesFile=/dev/null",
         "-c", "core.hooksPath=\(hooks)", "-c", "gc.auto=0", "-c", "core.fsmonitor=false", "-c", "advice.detachedHead=false"]
    }

    func output(_ args: [String], input: String? = nil, identity: Bool = false, plain: Bool = false) -> Command.Output {
        var env = environment
        if plain { env["GIT_DIR"] = nil; env["GIT_WORK_TREE"] = nil; env["GIT_INDEX_FILE"] = nil }
        if identity {
            // The user's git identity if there is one, else lede's.
            let name = (try? Command.run(git, ["config", "user.name"]))?.stdout.trimmingWhitespace ?? ""
            let email = (try? Command.run(git, ["config", "user.email"]))?.stdout.trimmingWhitespace ?? ""
            env["GIT_AUTHOR_NAME"] = name.isEmpty ? "lede" : name
            env["GIT_AUTHOR_EMAIL"] = email.isEmpty ? "lede@localhost" : email
            env["GIT_COMMITTER_NAME"] = env["GIT_AUTHOR_NAME"]!
            env["GIT_COMMITTER_EMAIL"] = env["GIT_AUTHOR_EMAIL"]!
        }
        do {
            return try Command.run(git, (plain ? [] : ["-C", workTree]) + settings + args, environment: env, input: input)
        } catch {
            return Command.Output(status: -1, stdout: "", stderr: "cannot run \(git): \(error.localizedDescription)")
        }
    }

    func run(_ args: [String], what: String, plain: Bool = false) throws(PublishError) {
        let out = output(args, plain: plain)
        guard out.ok else { throw PublishError("cannot \(what):\n  \(out.tail)\nNothing was published") }
    }

    func value(_ args: [String], what: String, input: String? = nil, identity: Bool = false) throws(PublishError) -> String {
        let out = output(args, input: input, identity: identity)
        guard out.ok else { throw PublishError("cannot \(what):\n  \(out.tail)\nNothing was published") }
        return out.stdout.trimmingCharacters(in: .newlines)
    }
}
