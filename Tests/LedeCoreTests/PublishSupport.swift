import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedeCore

// Helpers for the publish and check tests: real servers (nginx, sshd) started
// on loopback ports in temporary folders, HTTP fetches, folder snapshots.

/// A free TCP port on 127.0.0.1 (bound, read, released).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
            guard bind(fd, p, len) == 0 else { return -1 }
            return getsockname(fd, p, &len)
        }
    }
    guard bound == 0 else { throw TestFailure("bind: \(errno)") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// True when something accepts TCP connections on 127.0.0.1:port.
func portIsOpen(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// An HTTP response, fetched synchronously.
struct Fetched {
    var status: Int
    var body: Data
    var headers: [String: String]
    var text: String { String(decoding: body, as: UTF8.self) }
}

func httpGet(_ url: String, timeout: Double = 10) throws -> Fetched {
    final class Box: @unchecked Sendable { var result: Result<Fetched, Error> = .failure(TestFailure("no answer")) }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    var request = URLRequest(url: URL(string: url)!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.httpMethod = "GET"
    let session = URLSession(configuration: .ephemeral)
    session.dataTask(with: request) { data, response, error in
        if let http = response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
            box.result = .success(Fetched(status: http.statusCode, body: data ?? Data(), headers: headers))
        } else if let error {
            box.result = .failure(error)
        }
        done.signal()
    }.resume()
    _ = done.wait(timeout: .now() + timeout + 2)
    session.finishTasksAndInvalidate()
    return try box.result.get()
}

/// A server program started by a test, stopped when the value goes away.
///
/// Started with posix_spawn, not Foundation's Process: Process notices that a
/// child ended when a socket the child inherited is closed, and daemons such as
/// sshd close every inherited descriptor at start, after which Process waits
/// for them in a way that stops it from noticing any other child's end.
final class ServerProcess {
    let pid: pid_t
    let directory: String
    let port: Int
    private var stopped = false

    init(_ executable: String, _ arguments: [String], directory: String, port: Int, log: String) throws {
        self.directory = directory
        self.port = port
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process leaks into the server (see above):
        // glibc's posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc
        // module does not export; else every descriptor open now.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        } else {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
                if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
            }
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard status == 0 else { throw TestFailure("cannot start \(executable): \(String(cString: strerror(status)))") }
        pid = child
    }

    var isRunning: Bool {
        guard !stopped else { return false }
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits until the port accepts connections.
    func waitUntilListening(seconds: Double = 10, log: String) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if portIsOpen(port) { return }
            if !isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw TestFailure("the server on port \(port) did not start: \(text)")
    }
}

/// Debian's nginx serving `root` on a loopback port, run by the current user
/// with every path in a temporary folder.
func startNginx(serving root: String) throws -> ServerProcess {
    let nginx = try #require(which("nginx") ?? (FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") ? "/usr/sbin/nginx" : nil),
                             "nginx is needed (apt-get install nginx; .ci/run installs it)")
    let dir = NSTemporaryDirectory() + "lede-nginx-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
    let port = try freePort()
    let mime = FileManager.default.fileExists(atPath: "/etc/nginx/mime.types") ? "include /etc/nginx/mime.types;" : ""
    let user = getuid() == 0 ? "user root root;" : ""
    let config = """
        \(user)
        daemon off;
        master_process on;
        worker_processes 1;
        pid \(dir)/nginx.pid;
        error_log \(dir)/error.log warn;
        events { worker_connections 64; }
        http {
            \(mime)
            default_type application/octet-stream;
            access_log off;
            client_body_temp_path \(dir)/tmp/body;
            proxy_temp_path \(dir)/tmp/proxy;
            fastcgi_temp_path \(dir)/tmp/fastcgi;
            uwsgi_temp_path \(dir)/tmp/uwsgi;
            scgi_temp_path \(dir)/tmp/scgi;
            server {
                listen 127.0.0.1:\(port);
                root \(root);
                index index.html;
                error_page 404 /404.html;
                location /assets/ { expires max; }
            }
        }
        """
    try config.write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
    let server = try ServerProcess(nginx, ["-p", dir, "-c", dir + "/nginx.conf", "-e", dir + "/error.log"],
                                   directory: dir, port: port, log: dir + "/nginx.out")
    try server.waitUntilListening(log: dir + "/error.log")
    return server
}

/// OpenSSH's sshd on a loopback port, with its own host key and a client key
/// that may log in as the current user: a real SSH server for rsync.
final class SSHServer {
    let server: ServerProcess
    let user: String
    /// The ssh command that reaches it: `ssh -p PORT -i KEY ...`.
    let sshCommand: String

    init() throws {
        let sshd = try #require(["/usr/sbin/sshd", "/usr/bin/sshd"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                "sshd is needed (apt-get install openssh-server; .ci/run installs it)")
        let keygen = try #require(which("ssh-keygen"), "ssh-keygen is needed (openssh-client)")
        let dir = NSTemporaryDirectory() + "lede-sshd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o700)
        for key in ["host_key", "client_key"] {
            let r = try run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "lede-test", "-f", dir + "/" + key])
            guard r.status == 0 else { throw TestFailure("ssh-keygen: \(r.stderr)") }
        }
        try FileManager.default.copyItem(atPath: dir + "/client_key.pub", toPath: dir + "/authorized_keys")
        if getuid() == 0 {
            // sshd run by root wants its privilege separation folder (the Debian service makes it at start).
            try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
            chmod("/run/sshd", 0o755)
        }
        let port = try freePort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/host_key
            PidFile \(dir)/sshd.pid
            AuthorizedKeysFile \(dir)/authorized_keys
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            LogLevel ERROR
            """
        try config.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
        server = try ServerProcess(sshd, ["-D", "-e", "-f", dir + "/sshd_config"], directory: dir, port: port, log: dir + "/sshd.log")
        try server.waitUntilListening(log: dir + "/sshd.log")
        user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        sshCommand = "ssh -F /dev/null -p \(port) -i \(dir)/client_key -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    }

    /// `user@127.0.0.1:path`
    func destination(_ path: String) -> String { "\(user)@127.0.0.1:\(path)" }
}

/// Every file below `folder` with its bytes.
func snapshot(_ folder: String) -> [String: Data] {
    var out: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return out }
    for case let rel as String in walker {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
            out[rel] = FileManager.default.contents(atPath: folder + "/" + rel)
        }
    }
    return out
}

/// Inode numbers of the files below `folder`, to tell which files were rewritten.
func inodes(_ folder: String) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return out }
    for case let rel as String in walker {
        var st = stat()
        if lstat(folder + "/" + rel, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { out[rel] = UInt64(st.st_ino) }
    }
    return out
}

extension TestSite {
    /// A production build, checked, published with `options` (target filled in).
    @discardableResult
    func publish(to target: PublishTarget, configure: (inout PublishOptions) -> Void = { _ in }) throws -> PublishResult {
        let build = try Production.build(siteRoot: root, workers: 2)
        defer { build.remove() }
        let check = SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!)
        guard check.passed else { throw TestFailure("check failed: \(check.problems)") }
        var options = PublishOptions(target: target)
        options.sourceRoot = root
        configure(&options)
        return try Publisher.publish(site: build.folder, options: options)
    }
}

/// A small site for publishing, with a stylesheet, an image and a tag.
let publishSite: [String: String] = [
    // No search index: these tests count files, and Pagefind's change with every edit.
    "content/_index.md": "---\ntitle: Desk\ndescription: Background on the news.\nbase_url: https://news.example.org/\nsearch: false\n---\nHello.\n",
    "content/wall.md": article("The Wall falls", date: "1999-11-09", tags: ["berlin"],
                               body: "On November 9, 1989 the wall opened.\n\n![Map](/images/map.svg)\n\n## Key takeaways\n\n- It fell."),
    "content/moon.md": article("Moon landing", date: "2009-07-20", tags: ["space"], body: "In July 1969 Apollo 11 landed. See [the wall](../wall/)."),
    "static/images/map.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n",
]
