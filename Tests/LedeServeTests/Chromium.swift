import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven through the DevTools protocol over a pipe
/// (`--remote-debugging-pipe`: JSON messages ending in NUL on fds 3 and 4),
/// so no WebSocket client is needed.
final class Chromium: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: String
    private var nextID = 0
    private var buffer = [UInt8]()
    private let lock = NSLock()

    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    init(executable: String) throws {
        profile = NSTemporaryDirectory() + "lede-chromium-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        var commands: [Int32] = [-1, -1], replies: [Int32] = [-1, -1]
        guard pipe(&commands) == 0, pipe(&replies) == 0 else { throw Failure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, commands[0], 3)
        posix_spawn_file_actions_adddup2(&actions, replies[1], 4)
        for fd in commands + replies { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let devnull = Glibc.open("/dev/null", O_WRONLY | O_CLOEXEC)
        posix_spawn_file_actions_adddup2(&actions, devnull, 1)
        posix_spawn_file_actions_adddup2(&actions, devnull, 2)
        // Nothing else of this process leaks into the browser (another test's
        // pipes would never see their end while the browser runs).
        let mine = Set(commands + replies + [devnull])
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 4, !mine.contains(fd) {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
        let args = [executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--mute-audio",
                    "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                    "--user-data-dir=" + profile, "--window-size=1000,700", "about:blank"]
        var cArgs = args.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, &cArgs, environ)
        close(devnull)
        close(commands[0]); close(replies[1])
        guard rc == 0 else {
            close(commands[1]); close(replies[0])
            throw Failure(description: "could not start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        toBrowser = commands[1]
        fromBrowser = replies[0]
    }

    deinit { quit() }

    private var quitted = false
    func quit() {
        lock.lock()
        defer { lock.unlock() }
        guard !quitted else { return }
        quitted = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(toBrowser); close(fromBrowser)
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Sends a command and waits (blocking, so call it off the concurrency pool) for its answer.
    func sendBlocking(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: Double = 30) throws -> [String: Any] {
        lock.lock()
        defer { lock.unlock() }
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let r = write(toBrowser, raw.baseAddress! + off, raw.count - off)
                if r <= 0 { throw Failure(description: "the browser went away") }
                off += r
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let zero = buffer.firstIndex(of: 0) {
                let one = Data(buffer[..<zero])
                buffer.removeSubrange(...zero)
                guard let reply = try JSONSerialization.jsonObject(with: one) as? [String: Any] else { continue }
                guard reply["id"] as? Int == id else { continue }  // events and other replies
                if let error = reply["error"] as? [String: Any] {
                    throw Failure(description: "\(method): \(error["message"] ?? error)")
                }
                return reply["result"] as? [String: Any] ?? [:]
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "\(method): no answer from the browser") }
            var pfd = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, Int32(min(left, 1) * 1000))
            var chunk = [UInt8](repeating: 0, count: 65536)
            if pfd.revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
                if n <= 0 { throw Failure(description: "the browser closed the pipe") }
                buffer += chunk[..<n]
            }
        }
    }

    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil) async throws -> [String: Any] {
        let box = UncheckedBox(params)
        let result = try await offThread { [self] in UncheckedBox(try sendBlocking(method, box.value, session: session)) }
        return result.value
    }

    /// Opens a tab at `url`; returns its session id.
    func open(_ url: String) async throws -> String {
        let target = try await send("Target.createTarget", ["url": url])
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target id") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw Failure(description: "no session id") }
        // Wait for the page to load: until it has, an evaluation can land in the blank page a new
        // tab starts with and fail with "Inspected target navigated or closed" when the page commits.
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                if try await evaluate("document.readyState === 'complete' && location.href !== 'about:blank'", session: session) == "true" {
                    return session
                }
            } catch where "\(error)".contains("navigated") || "\(error)".contains("context") {
                // the page is committing; ask again
            }
            guard Date() < deadline else { throw Failure(description: "\(url) did not load in 30 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Evaluates a JavaScript expression (not statements) in the page; returns its value as JSON text
    /// (`"\"Beta\""`, `"800"`, `"true"`; `"null"` for undefined).
    func evaluate(_ expression: String, session: String) async throws -> String {
        let wrapped = "JSON.stringify((function(){ return (\(expression)); })()) ?? 'null'"
        let r = try await send("Runtime.evaluate", ["expression": wrapped, "returnByValue": true, "awaitPromise": true], session: session)
        if let exception = r["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "\(expression): \((exception["exception"] as? [String: Any])?["description"] ?? exception)")
        }
        return (r["result"] as? [String: Any])?["value"] as? String ?? "null"
    }

    /// Evaluates a JavaScript string expression.
    func string(_ expression: String, session: String) async throws -> String {
        let json = try await evaluate(expression, session: session)
        return (try? JSONDecoder().decode(String.self, from: Data(json.utf8))) ?? ""
    }

    /// A screenshot of the page, as PNG bytes.
    func screenshot(session: String) async throws -> Data {
        let r = try await send("Page.captureScreenshot", ["format": "png"], session: session)
        return Data(base64Encoded: r["data"] as? String ?? "") ?? Data()
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
