import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real headless Chromium driven over the DevTools protocol, through
/// `--remote-debugging-pipe` (JSON messages ending in a NUL byte on file
/// descriptors 3 and 4), so no WebSocket client is needed. Enough of the
/// protocol for tests: open a page, evaluate JavaScript, press keys.
final class Browser {
    struct Failure: Error, CustomStringConvertible { var description: String }

    private var pid: pid_t = 0
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var session: String?
    private let profile: String

    /// Starts Chromium (`chromium`, `chromium-browser` or `google-chrome` on PATH).
    init(executable: String) throws {
        profile = NSTemporaryDirectory() + "lede-search-test-browser-\(UUID().uuidString.prefix(8))"
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw Failure(description: "pipe() failed") }
        // Every end closes on exec (other children must not hold them), and the
        // browser's ends move above 4, so that placing them at 3 and 4 (which
        // clears close-on-exec there) cannot clobber one another.
        for k in 0..<2 {
            for pair in [0, 1] {
                let fd = pair == 0 ? input[k] : output[k]
                let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
                Glibc.close(fd)
                if pair == 0 { input[k] = moved } else { output[k] = moved }
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 3)
        posix_spawn_file_actions_adddup2(&actions, output[1], 4)
        let devnull = Glibc.open("/dev/null", O_WRONLY)
        posix_spawn_file_actions_adddup2(&actions, devnull, 1)
        posix_spawn_file_actions_adddup2(&actions, devnull, 2)
        let args = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--no-default-browser-check", "--remote-debugging-pipe",
                    "--user-data-dir=" + profile, "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let status = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        Glibc.close(devnull)
        Glibc.close(input[0])
        Glibc.close(output[1])
        toBrowser = input[1]
        fromBrowser = output[0]
        guard status == 0 else { throw Failure(description: "cannot start \(executable): error \(status)") }
        // One page, attached with a flat session.
        let target = try call("Target.createTarget", ["url": "about:blank"], session: false)
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target: \(target)") }
        let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], session: false)
        session = attached["sessionId"] as? String
        _ = try call("Page.enable")
        _ = try call("Runtime.enable")
    }

    deinit { close() }

    func close() {
        guard pid != 0 else { return }
        _ = try? call("Browser.close", session: false, timeout: 5)
        var status: Int32 = 0
        for _ in 0..<50 where waitpid(pid, &status, WNOHANG) == 0 { usleep(100_000) }
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        pid = 0
        Glibc.close(toBrowser)
        Glibc.close(fromBrowser)
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Sends one command and waits for its answer (events in between are dropped).
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], session useSession: Bool = true,
              timeout: Double = 30) throws -> [String: Any] {
        nextID += 1
        let id = nextID
        // LEDE_BROWSER_DEBUG=1 shows the conversation.
        if ProcessInfo.processInfo.environment["LEDE_BROWSER_DEBUG"] != nil { FileHandle.standardError.write(Data("browser> \(method)\n".utf8)) }
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if useSession, let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "the browser closed its pipe") }
            sent += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let data = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let reply = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                      reply["id"] as? Int == id else { continue }
                if let error = reply["error"] as? [String: Any] {
                    throw Failure(description: "\(method): \(error["message"] ?? error)")
                }
                return reply["result"] as? [String: Any] ?? [:]
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "\(method) got no answer in \(timeout) s") }
            var fd = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&fd, 1, Int32(min(left, 1) * 1000)) >= 0 else { continue }
            if fd.revents == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fromBrowser, &chunk, chunk.count)
            guard n > 0 else { throw Failure(description: "the browser quit") }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// Opens a URL and waits until the page has loaded.
    func open(_ url: String) throws {
        _ = try call("Page.navigate", ["url": url])
        try waitFor("document.readyState === 'complete' && location.href !== 'about:blank'")
    }

    /// The value of a JavaScript expression (promises are awaited).
    func evaluate(_ expression: String) throws -> Any? {
        let r = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let e = r["exceptionDetails"] as? [String: Any] { throw Failure(description: "JavaScript error: \(e)") }
        return (r["result"] as? [String: Any])?["value"]
    }

    /// Waits until a JavaScript expression is true.
    func waitFor(_ condition: String, timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var lastError: (any Error)?
        while Date() < deadline {
            // A page that is navigating (after a form is sent, say) answers
            // "Inspected target navigated or closed": ask again once it has.
            do {
                if try evaluate("!!(\(condition))") as? Bool == true { return }
                lastError = nil
            } catch {
                guard "\(error)".contains("navigated") || "\(error)".contains("context") else { throw error }
                lastError = error
            }
            usleep(100_000)
        }
        throw Failure(description: "timed out waiting for \(condition)\(lastError.map { " (last: \($0))" } ?? "")")
    }

    /// Types text into the focused element, one key press per character, as a reader would.
    func type(_ text: String) throws {
        for ch in text {
            let s = String(ch)
            try call("Input.dispatchKeyEvent", ["type": "keyDown", "text": s, "unmodifiedText": s, "key": s])
            try call("Input.dispatchKeyEvent", ["type": "keyUp", "key": s])
        }
    }

    /// Presses Enter in the focused element.
    func pressEnter() throws {
        try call("Input.dispatchKeyEvent", ["type": "keyDown", "key": "Enter", "code": "Enter", "text": "\r",
                                            "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13])
        try call("Input.dispatchKeyEvent", ["type": "keyUp", "key": "Enter", "code": "Enter",
                                            "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13])
    }
}

/// A static file server for a folder (`python3 -m http.server`) on a free port.
final class StaticServer {
    let url: String
    private let process: Process

    init(folder: String) throws {
        guard let python = which("python3") else { throw Browser.Failure(description: "python3 is needed to serve the site") }
        let port = try StaticServer.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", folder]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        url = "http://127.0.0.1:\(port)/"
        // Wait until it answers.
        for _ in 0..<100 {
            if StaticServer.accepts(port) { return }
            usleep(100_000)
        }
        process.terminate()
        throw Browser.Failure(description: "the test web server did not start")
    }

    deinit {
        // SIGKILL: the test runner's blocked signals are inherited, so SIGTERM may never arrive.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw Browser.Failure(description: "no free port") }
        return UInt16(bigEndian: addr.sin_port)
    }

    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
