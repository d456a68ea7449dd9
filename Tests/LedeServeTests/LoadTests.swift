import Foundation
import Testing
@testable import LedeCore
@testable import LedeServe
#if canImport(Glibc)
import Glibc
#endif

/// `lede serve` under a burst of connections and slow clients (loopback only,
/// bounded in count and time): it keeps answering everyone else, cuts off
/// clients that never finish a request, and gives its memory back.
@Suite(.serialized) struct LoadTests {
    /// Resident memory of a process, in MiB.
    static func residentMiB(_ pid: pid_t) -> Int? {
        let bytes = PhaseClock.residentBytes(pid: pid)
        return bytes > 0 ? bytes >> 20 : nil
    }

    static func send(_ fd: Int32, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == text.utf8.count
    }

    @Test func fiveHundredConnectionsAndSlowClientsDoNotStopTheServer() async throws {
        let site = try smallSite()
        let serve = try ServeCommandTests.ServeProcess(["--source", site.root, "--port", "0"])
        defer { serve.stop() }
        let url = try await serve.url()
        let port = Int(url.split(separator: ":").last!.trimmingCharacters(in: CharacterSet(charactersIn: "/")))!
        for _ in 0..<50 { #expect(try await rawGET(port: port, "/alpha/").status == 200) }
        let baseline = try #require(Self.residentMiB(serve.child.pid))

        // 200 slow clients: a request line, then a header they never finish.
        var slow: [Int32] = []
        for _ in 0..<200 {
            let fd = loopbackSocket(port: port)
            #expect(fd >= 0)
            if fd >= 0, Self.send(fd, "GET /alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") { slow.append(fd) }
        }
        defer { for fd in slow { close(fd) } }

        // 300 ordinary requests at once, on threads of their own.
        let burst = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<300 { group.addTask { try await rawGET(port: port, "/beta/").status } }
            var statuses: [Int] = []
            for try await s in group { statuses.append(s) }
            return statuses
        }
        #expect(burst.count == 300 && burst.allSatisfy { $0 == 200 })

        // Meanwhile, and while the slow clients dribble on, another client is answered.
        for round in 0..<14 {
            for fd in slow { _ = Self.send(fd, "a") }
            let page = try await rawGET(port: port, round % 2 == 0 ? "/alpha/" : "/")
            #expect(page.status == 200)
            try await Task.sleep(for: .seconds(1))
        }
        // After ServeOptions.idleSeconds (10) without a whole request, they are cut off.
        var closedByServer = 0
        for fd in slow {
            var byte: UInt8 = 0
            var tv = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            if recv(fd, &byte, 1, 0) == 0 { closedByServer += 1 }
        }
        #expect(closedByServer == slow.count, "\(slow.count - closedByServer) slow clients still connected")
        for fd in slow { close(fd) }
        slow = []

        // Memory comes back: within 32 MiB of where it started.
        try await Task.sleep(for: .seconds(2))
        let after = try #require(Self.residentMiB(serve.child.pid))
        #expect(after <= baseline + 32, "resident memory \(baseline) MiB before, \(after) MiB after")
        #expect(try await rawGET(port: port, "/alpha/").status == 200)
        serve.interrupt()
        #expect(try await serve.waitForExit(15) == 0)
    }
}
