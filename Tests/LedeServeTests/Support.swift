import AsyncHTTPClient
import Foundation
import LedeCore
import LedeServe
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing
#if canImport(Glibc)
import Glibc
#endif

// MARK: Sites (copied from LedeCoreTests/Support.swift, trimmed)

/// A site written to a temporary folder from a dictionary of files.
final class TestSite: @unchecked Sendable {
    let root: String

    init(_ files: [String: String], function: String = #function) throws {
        let name = function.filter { $0.isLetter || $0.isNumber }
        root = NSTemporaryDirectory() + "lede-serve-test-\(name.prefix(40))-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    /// Saves the way editors do: a temporary file beside it, renamed over it.
    func save(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        let temp = (full as NSString).deletingLastPathComponent + "/.\((full as NSString).lastPathComponent).tmp\(UUID().uuidString.prefix(4))"
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: temp))
        guard rename(temp, full) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: root + "/" + path) }

    func move(_ from: String, _ to: String) throws {
        guard rename(root + "/" + from, root + "/" + to) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }
}

/// A minimal valid article.
func article(_ title: String, date: String = "2024-01-01", tags: [String] = [], body: String = "Some text.") -> String {
    var s = "---\ntitle: \"\(title)\"\ndate: \(date)\n"
    if !tags.isEmpty { s += "tags: [\(tags.joined(separator: ", "))]\n" }
    s += "---\n\n\(body)\n"
    return s
}

/// A small site with two articles, a stylesheet and a static image.
func smallSite(function: String = #function) throws -> TestSite {
    try TestSite([
        "content/_index.md": "---\ntitle: Test Site\nbase_url: https://example.org/\n---\n\nWelcome.\n",
        "content/alpha.md": article("Alpha", date: "2024-01-02", tags: ["one"], body: "In 1990 the alpha thing happened."),
        "content/beta.md": article("Beta", date: "2024-01-03", body: "Beta text, first version."),
        "templates/assets/extra.css": "body { color: black; }\n",
        "static/images/dot.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n",
        "static/robots.txt": "User-agent: *\n",
    ], function: function)
}

/// The repository's root folder.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `lede` executable, next to the test bundle.
let ledeExecutable: String = {
    var dir = Bundle.main.bundleURL
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("lede").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return repositoryRoot + "/.build/debug/lede"
}()

func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

// MARK: Time limits

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing after `seconds`.
func within<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw TimedOut(what: what)
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}

/// Polls `condition` until it holds.
func eventually(_ seconds: Double = 30, _ what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
    try await within(seconds, what) {
        while try await !condition() { try await Task.sleep(for: .milliseconds(50)) }
    }
}

// MARK: A running server

/// `lede serve` started in-process on a free loopback port.
final class RunningServer: @unchecked Sendable {
    let server: DevServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int
    let lines: LineLog

    static func start(_ site: TestSite, configure: (inout ServeOptions) -> Void = { _ in }) async throws -> RunningServer {
        var options = ServeOptions(siteRoot: site.root)
        options.port = 0
        options.workers = 2
        configure(&options)
        let lines = LineLog()
        let server = try DevServer(options: options, say: { lines.append($0) })
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: logger))
        let task = Task { try await group.run() }
        let port = try await within(60, "the server to start") { try await server.waitUntilReady() }
        return RunningServer(server: server, group: group, task: task, port: port, lines: lines)
    }

    init(server: DevServer, group: ServiceGroup, task: Task<Void, any Error>, port: Int, lines: LineLog) {
        self.server = server
        self.group = group
        self.task = task
        self.port = port
        self.lines = lines
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await within(20, "the server to stop") { [task] in try await task.value }
    }

    /// GET (or another method) with a real HTTP client; redirects are not followed.
    func fetch(_ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = []) async throws -> Fetched {
        var request = HTTPClientRequest(url: url(path))
        request.method = method
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        let response = try await testClient.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Fetched(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    /// Opens the live-reload event stream.
    func events() async throws -> EventStream {
        let request = HTTPClientRequest(url: url(LiveReload.eventsPath))
        let response = try await testClient.execute(request, timeout: .seconds(3600))
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "content-type") == "text/event-stream")
        return EventStream(response.body)
    }
}

struct Fetched: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: String
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// The one HTTP client of the tests (redirects not followed).
let testClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                            configuration: .init(redirectConfiguration: .disallow))

/// Lines the server printed.
final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    /// All but the search index's lines, which come whenever Pagefind is
    /// done in the background (`search: indexed …`).
    var builds: [String] { all.filter { !$0.hasPrefix("search: ") } }
}

/// A server-sent event.
struct ServerEvent: Sendable {
    let name: String
    let data: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]) ?? [:] }
    var sources: [String] { json["sources"] as? [String] ?? [] }
    var errors: [[String: Any]] { json["errors"] as? [[String: Any]] ?? [] }
    var stylesOnly: Bool { json["stylesOnly"] as? Bool ?? false }
}

/// Reads server-sent events off a response body.
final class EventStream: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var buffer = ""

    init(_ body: HTTPClientResponse.Body) { iterator = body.makeAsyncIterator() }

    /// The next event (comments and `retry:` skipped).
    func next(timeout: Double = 60) async throws -> ServerEvent {
        try await within(timeout, "a server-sent event") { try await self.read() }
    }

    /// The next event with this name, skipping others.
    func next(_ name: String, timeout: Double = 60) async throws -> ServerEvent {
        try await within(timeout, "a \"\(name)\" event") {
            while true {
                let e = try await self.read()
                if e.name == name { return e }
            }
        }
    }

    private func read() async throws -> ServerEvent {
        while true {
            if let end = buffer.range(of: "\n\n") {
                let block = String(buffer[..<end.lowerBound])
                buffer.removeSubrange(..<end.upperBound)
                var name = "message", data: [String] = []
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    else if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                }
                if data.isEmpty { continue }  // retry:, comments
                return ServerEvent(name: name, data: data.joined(separator: "\n"))
            }
            guard let chunk = try await iterator.next() else { throw TimedOut(what: "more events (the stream ended)") }
            buffer += String(buffer: chunk)
        }
    }
}

// MARK: Raw HTTP

/// A TCP socket connected to `port` on 127.0.0.1, receiving with a 30 s
/// timeout; -1 when it cannot connect.
func loopbackSocket(port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return -1 }
    var tv = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return -1
    }
    return fd
}

/// Sends `request` byte for byte over a TCP connection (so that no client
/// library tidies the path) and returns the status code and the whole response.
func rawHTTP(port: Int, _ request: String) throws -> (status: Int, response: String) {
    let fd = loopbackSocket(port: port)
    guard fd >= 0 else { throw POSIXError(.ECONNREFUSED) }
    defer { close(fd) }
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let r = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard r > 0 else { throw POSIXError(.EIO) }
        sent += r
    }
    var response = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let r = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if r <= 0 { break }
        response += chunk[..<r]
    }
    let text = String(decoding: response, as: UTF8.self)
    let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
    return (status, text)
}

/// A GET of a raw request target, connection closed after the response.
func rawGET(port: Int, _ target: String) async throws -> (status: Int, response: String) {
    let request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    return try await offThread { try rawHTTP(port: port, request) }
}

/// Runs blocking work on a thread of its own, so that it never holds one of
/// the few threads Swift concurrency (and so the server) runs on.
func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        let thread = Thread { c.resume(with: Result { try work() }) }
        thread.start()
    }
}

// MARK: Child processes

/// A child process started with posix_spawn: a clean signal mask (so that
/// SIGINT reaches it whatever thread started it), nothing of this process but
/// its own pipes, stdout and stderr read to their end on threads of their own,
/// and reaped by its own waitpid (no reliance on SIGCHLD delivery).
final class Child: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var out = [UInt8](), err = [UInt8]()
    private var openStreams = 2
    private var exitStatus: Int32?

    /// `environment` is added to this process's own.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        var o: [Int32] = [-1, -1], e: [Int32] = [-1, -1]
        guard pipe(&o) == 0, pipe(&e) == 0 else { throw POSIXError(.EMFILE) }
        for fd in o + e { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, o[1], 1)
        posix_spawn_file_actions_adddup2(&actions, e[1], 2)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2, !(o + e).contains(fd) { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for v in envp { free(v) } }
        let rc = posix_spawn(&child, executable, &actions, &attr, argv, envp)
        close(o[1]); close(e[1])
        guard rc == 0 else { close(o[0]); close(e[0]); throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        pid = child
        for (fd, isOut) in [(o[0], true), (e[0], false)] {
            Thread { [self] in
                var chunk = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    lock.lock()
                    if isOut { out += chunk[..<n] } else { err += chunk[..<n] }
                    lock.unlock()
                }
                close(fd)
                lock.lock(); openStreams -= 1; lock.unlock()
            }.start()
        }
        Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            lock.lock(); exitStatus = code; lock.unlock()
        }.start()
    }

    var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }
    var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return exitStatus == nil }
    /// Exit status (128 + signal when killed by one) once it exited and its output was read.
    var finished: Int32? { lock.lock(); defer { lock.unlock() }; return openStreams == 0 ? exitStatus : nil }

    func signal(_ sig: Int32) { if isRunning { kill(pid, sig) } }

    func waitForExit(_ seconds: Double = 30) async throws -> Int32 {
        try await within(seconds, "process \(pid) to exit") {
            while true {
                if let s = self.finished { return s }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
