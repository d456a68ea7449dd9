import Foundation

/// Publishes to `[user@]host:path` with the system `rsync` over SSH.
///
/// Files are compared by checksum (`--checksum`), not by time, so only files
/// whose bytes changed are sent and unchanged files keep their time on the
/// server; files the site no longer has are deleted (`--delete`).
/// `--delay-updates` keeps every new file in a hidden `.~tmp~` folder until the
/// whole transfer is done and then renames them into place in one quick burst,
/// with deletions after that: while files are being sent, and after a failure
/// or an interruption during sending, readers see the old site. After a failure
/// the hidden folders are removed at once; those of a killed publish by the
/// next one, before it sends anything.
///
/// Before changing anything, a dry run finds out what would change (and
/// whether the server can be reached); that is also what `--dry-run` prints.
struct RsyncTarget {
    let destination: String
    var ssh: String?

    static let partialFolder = ".~tmp~"

    func publish(site: String, dryRun: Bool, force: Bool) throws(PublishError) -> SiteChanges {
        guard let rsync = Command.find("rsync") else {
            throw PublishError("rsync is not installed; install it (apt-get install rsync), or publish to a folder or a git remote")
        }
        let dest = destination.hasSuffix("/") ? destination : destination + "/"
        let shell = ssh ?? "ssh -o ConnectTimeout=30"
        let common = ["--recursive", "--checksum", "--delete", "--delete-delay", "--itemize-changes", "--protect-args", "-e", shell]

        // What would change.
        let preview = try run(rsync, common + ["--dry-run", site + "/", dest], dryRun: true)
        var (changes, leftovers) = Self.parse(preview.stdout)
        let total = (try? SiteFiles.scan(site).digests.count) ?? 0
        changes.unchanged = max(0, total - changes.added.count - changes.changed.count)
        // The folder exists without lede's marker, and publishing would replace or delete what it holds.
        let foreign = changes.deleted + changes.changed
        if changes.added.contains(Publisher.markerName), !foreign.isEmpty, !force {
            let examples = foreign.prefix(3).joined(separator: ", ")
            throw PublishError("\(destination) holds files that lede did not publish (\(examples)\(foreign.count > 3 ? ", ..." : "")), and publishing replaces everything in it. Publish to a new or empty folder, or pass --force to replace its contents with the site. Nothing was changed")
        }
        if dryRun || (changes.isEmpty && !leftovers) { return changes }

        // rsync's partial files of an interrupted publish take room the transfer may need.
        if leftovers { try removePartialFiles(rsync, common, site: site, dest: dest) }
        if !changes.isEmpty {
            let done: Command.Output
            do {
                done = try run(rsync, common + ["--delay-updates", site + "/", dest], dryRun: false)
            } catch {
                // Whatever was sent waits in hidden .~tmp~ folders; take them away too.
                try? removePartialFiles(rsync, common, site: site, dest: dest)
                throw error
            }
            changes = Self.parse(done.stdout).0
            changes.unchanged = max(0, total - changes.added.count - changes.changed.count)
        }
        return changes
    }

    /// Deletes the `.~tmp~` folders that `--delay-updates` leaves when it
    /// cannot finish, and nothing else: `--existing --ignore-existing` sends no
    /// file, the risk rule lets those folders go, and every other file is
    /// protected.
    private func removePartialFiles(_ rsync: String, _ common: [String], site: String, dest: String) throws(PublishError) {
        _ = try run(rsync, common + ["--existing", "--ignore-existing", "--filter=R \(Self.partialFolder)/***", "--filter=P *",
                                     site + "/", dest], dryRun: false)
    }

    private func run(_ rsync: String, _ args: [String], dryRun: Bool) throws(PublishError) -> Command.Output {
        let out: Command.Output
        do { out = try Command.run(rsync, args) } catch {
            throw PublishError("cannot run rsync: \(error.localizedDescription)")
        }
        guard !out.ok else { return out }
        // rsync's reasons are on stderr (stdout holds the list of files); a
        // remote rsync's reason is sometimes lost when the connection drops.
        var reason = out
        reason.stdout = ""
        if reason.stderr.trimmingWhitespace.isEmpty { reason.stderr = "(rsync gave no reason; exit status \(out.status))" }
        let host = destination.split(separator: ":").first.map(String.init) ?? destination
        let unchanged = dryRun ? "Nothing was changed." : "The files on the server are as they were: rsync moves new files into place only at the end."
        switch out.status {
        case 255, 5, 10, 12, 35:
            throw PublishError("cannot reach \(host) over SSH:\n  \(reason.tail)\nCheck the address, and that `ssh \(host)` works (keys, known hosts, port); give another ssh command with --ssh. \(unchanged)")
        case 3:
            throw PublishError("the folder on the server cannot be used:\n  \(reason.tail)\nCreate its parent folder on the server, or check the path. \(unchanged)")
        case 11 where out.stderr.contains("No space left") || out.stderr.contains("Disk quota"):
            throw PublishError("the server's disk is full:\n  \(reason.tail)\nFree some space on \(host) and publish again. \(unchanged)")
        case 11:
            throw PublishError("writing files on the server failed (rsync's file I/O error, most often because the disk is full):\n  \(reason.tail)\nCheck the free space and the permissions on \(host), then publish again. \(unchanged)")
        case 20:
            throw PublishError("rsync was interrupted. \(unchanged) Publish again to finish")
        case 23, 24:
            throw PublishError("some files could not be sent or deleted:\n  \(reason.tail)\nThe files that were sent are in place, so the site on the server may be part old, part new; fix the cause (often permissions on the server) and publish again")
        default:
            throw PublishError("rsync failed (exit status \(out.status)):\n  \(reason.tail)\n\(unchanged) Fix the cause and publish again")
        }
    }

    /// Reads `--itemize-changes` output: files sent (new or changed) and
    /// deleted; and whether rsync's hidden folders of an interrupted run are there.
    static func parse(_ output: String) -> (SiteChanges, leftovers: Bool) {
        var changes = SiteChanges()
        var leftovers = false
        for line in output.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("*deleting ") {
                let path = line.dropFirst("*deleting ".count).drop { $0 == " " }
                if path.split(separator: "/").contains(Substring(partialFolder)) { leftovers = true; continue }
                if !path.hasSuffix("/") { changes.deleted.append(String(path)) }
                continue
            }
            // YXcstpoguax path
            let chars = Array(line.prefix(11))
            guard chars.count == 11, line.count > 12, "<>ch.".contains(chars[0]), chars[1] == "f" else { continue }
            let path = String(line.dropFirst(12))
            guard chars[0] == "<" || chars[0] == ">" else { continue }  // attributes only
            if chars[2...].allSatisfy({ $0 == "+" }) { changes.added.append(path) } else { changes.changed.append(path) }
        }
        changes.added.sort()
        changes.changed.sort()
        changes.deleted.sort()
        return (changes, leftovers)
    }
}
