import Foundation
import Testing
@testable import LedeCore

/// How lede runs git and rsync: output, status, input, and no waiting for
/// processes a command leaves behind.
@Suite struct PublishRunnerTests {
    @Test func collectsOutputStatusAndInput() throws {
        let r = try Command.run("/bin/sh", ["-c", "cat; echo out; echo err >&2; exit 3"], input: "in\n")
        #expect(r.status == 3)
        #expect(r.stdout == "in\nout\n")
        #expect(r.stderr == "err\n")
        #expect(r.tail == "err")
        let env = try Command.run("/bin/sh", ["-c", "echo \"$LEDE_A-${LEDE_B:-unset}\""], environment: ["LEDE_A": "x", "LEDE_B": nil])
        #expect(env.stdout == "x-unset\n")
        let big = try Command.run("/bin/sh", ["-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"])
        #expect(big.stdout.utf8.count == 300000 && big.stderr.utf8.count == 300000)
        let killed = try Command.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(killed.status == 128 + 9)
        #expect(throws: (any Error).self) { try Command.run("/no/such/program", []) }
    }

    @Test func doesNotWaitForProcessesTheCommandLeavesRunning() throws {
        // Like git's credential-cache daemon or an ssh ControlPersist master.
        let started = Date()
        let r = try Command.run("/bin/sh", ["-c", "sleep 20 & echo $!"])
        #expect(r.ok)
        #expect(Date().timeIntervalSince(started) < 5)
        if let pid = Int32(r.stdout.trimmingWhitespace) { kill(pid, SIGTERM) }
    }
}
