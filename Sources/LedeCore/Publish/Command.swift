import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a system program (git, rsync) and collects what it printed.
struct Command {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var ok: Bool { status == 0 }

        /// The last lines of stderr (or stdout), for a message.
        var tail: String {
            let text = stderr.trimmingWhitespace.isEmpty ? stdout : stderr
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return lines.suffix(6).joined(separator: "\n  ")
        }
    }

    /// The full path of a program on PATH.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and waits for it to end. `environment`
    /// adds to (or, with a nil value, removes from) the inherited environment.
    ///
    /// posix_spawn and waitpid rather than Foundation's Process: on Linux,
    /// Process learns that a child ended when a socket the child inherited is
    /// closed, so it also waits for any process the child left running with
    /// that socket: git's credential-cache daemon or an ssh ControlPersist
    /// master would hold lede for minutes. Here the child inherits nothing but
    /// its three pipes, and lede stops reading when the child has ended.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:],
                    input: String? = nil) throws -> Output {
        signal(SIGPIPE, SIG_IGN)
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw FileIO.Failure(path: executable, operation: "create pipes for", code: errno)
        }
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        closeInheritedDescriptors(&actions)

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard spawned == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw FileIO.Failure(path: executable, operation: "run", code: spawned)
        }
        if let input {
            var bytes = Array(input.utf8)
            bytes.withUnsafeMutableBytes { buf in
                var offset = 0
                while offset < buf.count {
                    let r = write(stdinPipe[1], buf.baseAddress! + offset, buf.count - offset)
                    if r < 0 { if errno == EINTR { continue }; break }
                    offset += r
                }
            }
        }
        close(stdinPipe[1])

        // Read both pipes until they end or the child has ended.
        var out: [UInt8] = [], err: [UInt8] = []
        var open = [stdoutPipe[0], stderrPipe[0]]
        var status: Int32 = 0
        var reaped = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        func drain(_ fd: Int32) -> Bool {  // false at end of file
            while true {
                let r = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if r > 0 {
                    if fd == stdoutPipe[0] { out += buffer[0..<r] } else { err += buffer[0..<r] }
                    continue
                }
                if r < 0 && errno == EINTR { continue }
                return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
            }
        }
        for fd in open { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 100)
            for p in fds where p.revents != 0 && !drain(p.fd) {
                close(p.fd)
                open.removeAll { $0 == p.fd }
            }
            if !reaped, waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                // The child has ended: take what is left, and do not wait for
                // processes it left behind to close the pipes.
                for fd in open { _ = drain(fd); close(fd) }
                open = []
            }
        }
        while !reaped {
            if waitpid(pid, &status, 0) == pid { reaped = true } else if errno != EINTR { break }
        }
        let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Output(status: code, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Closes every descriptor above 2 in the child: glibc's
    /// posix_spawn_file_actions_addclosefrom_np (which Swift's Glibc module does
    /// not export), else each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        // Without it, the pipes are close-on-exec and so are lede's own files.
    }
}

/// Why a publish failed: what happened, and what to do. The target is as it
/// was unless the message says otherwise.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
