import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Pagefind run as a service (`pagefind --service`, the protocol its Node and
/// Python libraries speak): lede hands it the site's HTML files one by one,
/// in path order, and has it write the index.
///
/// Why not `pagefind --site DIR`: that reads the files in the order the file
/// system lists them, and the index's bytes follow that order. On tmpfs the
/// order is the order the files were made in, which differs between a full
/// build, an incremental one and a parallel one; so would the index. Handed
/// over in path order, the index is the same whatever made the files and
/// wherever they are.
///
/// The protocol: each message is JSON, base64-encoded and followed by a
/// comma, on standard input; each answer comes the same way on standard
/// output, with the `message_id` of its request.
struct PagefindService {
    let executable: String
    /// Above 0: Pagefind runs under `nice -n niceness`.
    var niceness = 0
    var cancel: SearchCancel?

    /// Indexes the HTML files of the site in `site` (every `*.html` below it,
    /// but not in `skip`) and writes the index into `output`; returns how
    /// many pages it indexed.
    func index(site: String, skip: String, output: String) throws(Diagnostic) -> Int {
        let pages: [String]
        do { pages = try Self.indexedFiles(site, skip: skip) } catch {
            throw .error(site, 1, 1, "cannot list the site's pages for the search index: \(error.localizedDescription)")
        }
        return try index(site: site, pages: pages, output: output)
    }

    /// Indexes `pages` (paths relative to `site`, in the order given) and
    /// writes the index into `output`; returns how many pages it indexed.
    func index(site: String, pages: [String], output: String) throws(Diagnostic) -> Int {
        signal(SIGPIPE, SIG_IGN)  // a service that died is an error to report, not a reason to die
        let process = Process()
        let nice = "/usr/bin/nice"
        if niceness > 0, FileManager.default.isExecutableFile(atPath: nice) {
            process.executableURL = URL(fileURLWithPath: nice)
            process.arguments = ["-n", String(niceness), executable, "--service"]
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--service"]
        }
        let input = Pipe(), answers = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = answers
        process.standardError = errors
        do { try process.run() } catch {
            throw .error(executable, 1, 1, "cannot run Pagefind to build the search index: \(error.localizedDescription); reinstall it (pip install pagefind-bin) or set LEDE_PAGEFIND=off")
        }
        if let cancel, !cancel.attach(process) {
            Self.kill(process)
            process.waitUntilExit()
            throw .error(site, 1, 1, "the search index was not made: stopped")
        }
        // Whatever happens, the service goes when we are done with it.
        defer {
            cancel?.detach()
            if process.isRunning { Self.kill(process) }
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        final class Text: @unchecked Sendable { var bytes = Data() }
        let stderr = Text()
        let stderrDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            stderr.bytes = errors.fileHandleForReading.readDataToEndOfFile()
            stderrDone.signal()
        }
        func failure(_ what: String) -> Diagnostic {
            if process.isRunning { Self.kill(process) }
            _ = stderrDone.wait(timeout: .now() + 2)
            let detail = String(decoding: stderr.bytes, as: UTF8.self).trimmingWhitespace
                .split(separator: "\n").suffix(5).joined(separator: " / ")
            if cancel?.isCancelled == true { return .error(site, 1, 1, "the search index was not made: stopped") }
            return .error(executable, 1, 1, "Pagefind failed building the search index: \(what)\(detail.isEmpty ? "" : " (\(detail))"); fix it, or build without search: LEDE_PAGEFIND=off")
        }
        let reader = Answers(answers.fileHandleForReading)
        let writer = input.fileHandleForWriting

        func send(_ id: Int, _ payload: [(String, JSON)]) throws(Diagnostic) {
            if let problem = Self.send(id, payload, to: writer) { throw failure("it stopped reading (\(problem))") }
        }
        func answer(_ id: Int) throws(Diagnostic) -> [String: Any] {
            guard let message = reader.next() else { throw failure("it ended without answering") }
            guard let payload = message["payload"] as? [String: Any], message["message_id"] as? Int == id else {
                throw failure("it answered something unexpected")
            }
            if payload["type"] as? String == "Error" { throw failure(payload["message"] as? String ?? "an error") }
            return payload
        }

        try send(0, [("type", "NewIndex"), ("config", .null)])
        guard let indexID = try answer(0)["index_id"] as? Int else { throw failure("it made no index") }
        // The pages, read and sent by one thread while this one takes the answers.
        final class Problem: @unchecked Sendable { var diagnostic: Diagnostic? }
        let problem = Problem()
        let sent = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { sent.signal() }
            for (k, page) in pages.enumerated() {
                let bytes: [UInt8]
                do { bytes = try FileIO.readBytes(site + "/" + page) } catch {
                    problem.diagnostic = .error(page, 1, 1, "cannot read the page for the search index: \(error.localizedDescription)")
                    return
                }
                let payload: [(String, JSON)] = [("type", "AddFile"), ("index_id", .int(indexID)), ("file_path", .string(page)),
                                                  ("url", .null), ("file_contents", .string(String(decoding: bytes, as: UTF8.self)))]
                if let error = Self.send(k + 1, payload, to: writer) {
                    problem.diagnostic = .error(executable, 1, 1, "Pagefind stopped reading the pages for the search index (\(error)); fix it, or build without search: LEDE_PAGEFIND=off")
                    return
                }
            }
        }
        var failed: Diagnostic?
        for k in pages.indices {
            do throws(Diagnostic) { _ = try answer(k + 1) } catch {
                failed = error
                break
            }
        }
        if failed != nil { try? writer.close() }
        sent.wait()
        if let error = problem.diagnostic ?? failed { throw error }
        // The files of the index come back in the answer, and lede writes
        // them: Pagefind's own WriteFiles may still be writing the last of
        // them (through buffers it does not flush) when the service ends, so
        // a file such as pagefind-entry.json could come out empty.
        // That answer holds every index file, base64-encoded (tens of
        // megabytes at 10,000 pages): it is read as bytes, not made into
        // Foundation objects, and each file decoded as it is written.
        try send(pages.count + 1, [("type", "GetFiles"), ("index_id", .int(indexID))])
        guard let json = reader.nextBytes() else { throw failure("it ended without answering") }
        let files: [IndexFiles.File]
        switch IndexFiles.read(json, id: pages.count + 1) {
        case .files(let list): files = list
        case .error(let message): throw failure(message)
        case .unexpected: throw failure("it answered something unexpected")
        }
        try? writer.close()
        for file in files {
            let path = file.path
            guard let bytes = json.withUnsafeBufferPointer({ Base64.decode(UnsafeBufferPointer(rebasing: $0[file.content])) }),
                  !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw failure("it sent an index file that cannot be read")
            }
            let target = output + "/" + path
            do {
                try FileIO.makeDirectories((target as NSString).deletingLastPathComponent)
                try FileIO.write(bytes, to: target)
            } catch {
                throw .error(target, 1, 1, "cannot write the search index: \(error.localizedDescription)")
            }
        }
        return pages.count
    }

    /// Ends the service. Not with SIGTERM (`terminate()`): a child of a
    /// process that ignores it, as `lede serve` does so as to take it as a
    /// request to shut down (ServiceLifecycle), ignores it too.
    static func kill(_ process: Process) {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// Sends one message; returns what went wrong, if anything.
    static func send(_ id: Int, _ payload: [(String, JSON)], to writer: FileHandle) -> String? {
        let message = JSON.object([("message_id", .int(id)), ("payload", .object(payload))]).serialized()
        do { try writer.write(contentsOf: Data(message.utf8).base64EncodedData() + Data([0x2C])) } catch {
            return error.localizedDescription
        }
        return nil
    }

    /// The pages Pagefind indexes: once some page marks its body with
    /// `data-pagefind-body`, Pagefind leaves out every page without it, so
    /// those are not sent (at 10,000 articles the timeline pages alone are
    /// 450 MB of HTML it would parse for nothing); else every page.
    static func indexedFiles(_ site: String, skip: String) throws -> [String] {
        let all = try htmlFiles(site, skip: skip)
        let marked = try all.filter { marksBody(try FileIO.readBytes(site + "/" + $0)) }
        return marked.isEmpty ? all : marked
    }

    /// Whether a page marks its body for Pagefind (`data-pagefind-body`).
    static func marksBody(_ page: [UInt8]) -> Bool { HTMLScanner.find(page, "data-pagefind-body", from: 0) != nil }

    /// `*.html` files below `site`, relative to it and sorted, but for those in `skip`.
    static func htmlFiles(_ site: String, skip: String) throws -> [String] {
        var out: [String] = []
        func walk(_ relative: String) throws {
            let dir = relative.isEmpty ? site : site + "/" + relative
            for (name, isDirectory) in try FileIO.listDirectoryTyped(dir) {
                let path = relative.isEmpty ? name : relative + "/" + name
                if isDirectory {
                    if path != skip { try walk(path) }
                } else if name.hasSuffix(".html") {
                    out.append(path)
                }
            }
        }
        try walk("")
        return out.sorted()
    }

    /// The service's answers, one at a time.
    final class Answers {
        private let handle: FileHandle
        private var buffer: [UInt8] = []
        private var start = 0
        /// Where the search for the next comma goes on: an answer can be
        /// tens of megabytes (the index files), read 64 KB at a time, and
        /// searching it again from its start after each read is quadratic.
        private var scanned = 0

        init(_ handle: FileHandle) { self.handle = handle }

        func next() -> [String: Any]? {
            guard let json = nextBytes() else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any]
        }

        /// The next answer's JSON, decoded from its base64 where it was read.
        func nextBytes() -> [UInt8]? {
            while true {
                if let comma = buffer[max(start, scanned)...].firstIndex(of: 0x2C) {
                    let json = buffer.withUnsafeBufferPointer { Base64.decode(UnsafeBufferPointer(rebasing: $0[start..<comma])) }
                    start = comma + 1
                    scanned = start
                    // Let a big answer's bytes go, capacity and all.
                    if start > 1 << 16 { buffer = Array(buffer[start...]); start = 0; scanned = 0 }
                    return json
                }
                scanned = buffer.count
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                buffer += chunk
            }
        }
    }
}

/// Pagefind's answer with the index files (`GetFiles`), read from its JSON
/// bytes: each file's path, and where its base64 content is in the bytes.
enum IndexFiles {
    struct File: Equatable {
        var path: String
        var content: Range<Int>
    }

    enum Answer: Equatable {
        case files([File])
        case error(String)
        case unexpected
    }

    /// The answer `{"message_id": id, "payload": {"type": "GetFiles", "files": [{"path", "content"}]}}`,
    /// or its `Error` payload's message.
    static func read(_ json: [UInt8], id: Int) -> Answer {
        json.withUnsafeBufferPointer { p in
            var scan = JSONScanner(p)
            var messageID: Int?
            var type: String?, message: String?
            var files: [File]?
            let ok = scan.object { scan, key in
                switch key {
                case "message_id": messageID = scan.integer(); return messageID != nil
                case "payload":
                    return scan.object { scan, key in
                        switch key {
                        case "type": type = scan.string(); return type != nil
                        case "message": message = scan.string(); return message != nil
                        case "files":
                            var list: [File] = []
                            let ok = scan.array { scan in
                                var path: String?, content: Range<Int>?
                                guard scan.object({ scan, key in
                                    switch key {
                                    case "path": path = scan.string(); return path != nil
                                    case "content": content = scan.stringBytes(); return content != nil
                                    default: return scan.skipValue()
                                    }
                                }), let path, let content else { return false }
                                list.append(File(path: path, content: content))
                                return true
                            }
                            files = list
                            return ok
                        default: return scan.skipValue()
                        }
                    }
                default: return scan.skipValue()
                }
            }
            guard ok, messageID == id else { return .unexpected }
            if type == "Error" { return .error(message ?? "an error") }
            guard let files else { return .unexpected }
            return .files(files)
        }
    }
}

/// Just enough of a JSON reader for `IndexFiles`: objects and arrays walked
/// in place, strings as byte ranges (decoded only when asked for).
struct JSONScanner {
    let p: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    mutating func space() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    mutating func take(_ c: UInt8) -> Bool {
        space()
        guard i < p.count, p[i] == c else { return false }
        i += 1
        return true
    }

    /// `{ "key": value, … }`, each value read by `member` (which returns false on a bad one).
    mutating func object(_ member: (inout JSONScanner, String) -> Bool) -> Bool {
        guard take(0x7B) else { return false }
        if take(0x7D) { return true }
        repeat {
            guard let key = string(), take(0x3A), member(&self, key) else { return false }
        } while take(0x2C)
        return take(0x7D)
    }

    mutating func array(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard take(0x5B) else { return false }
        if take(0x5D) { return true }
        repeat {
            guard element(&self) else { return false }
        } while take(0x2C)
        return take(0x5D)
    }

    /// A string's bytes between its quotes, escapes left as they are.
    mutating func stringBytes() -> Range<Int>? {
        guard take(0x22) else { return nil }
        let start = i
        while i < p.count, p[i] != 0x22 {
            i += p[i] == 0x5C ? 2 : 1
        }
        guard i < p.count else { return nil }
        i += 1
        return start..<(i - 1)
    }

    /// A string, unescaped (by Foundation's parser, when it has escapes).
    mutating func string() -> String? {
        guard let range = stringBytes() else { return nil }
        let raw = UnsafeBufferPointer(rebasing: p[range])
        guard raw.contains(0x5C) else { return String(decoding: raw, as: UTF8.self) }
        let quoted = Data([0x5B, 0x22] + raw + [0x22, 0x5D])
        return ((try? JSONSerialization.jsonObject(with: quoted)) as? [String])?.first
    }

    mutating func integer() -> Int? {
        space()
        let start = i
        if i < p.count, p[i] == 0x2D { i += 1 }
        while i < p.count, p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
        return Int(String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self))
    }

    mutating func skipValue() -> Bool {
        space()
        guard i < p.count else { return false }
        switch p[i] {
        case 0x22: return stringBytes() != nil
        case 0x7B: return object { scan, _ in scan.skipValue() }
        case 0x5B: return array { $0.skipValue() }
        default:
            // A number, true, false or null.
            let start = i
            while i < p.count, p[i] != 0x2C, p[i] != 0x7D, p[i] != 0x5D, p[i] > 0x20 { i += 1 }
            return i > start
        }
    }
}

/// Standard base64 (RFC 4648, padded or not), decoded from bytes in place:
/// Foundation's decoder wants a `Data` or `String` copy of tens of megabytes.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (k, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(k) }
        return table
    }()

    /// Nil when `text` is not base64.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var n = text.count
        while n > 0, text[n - 1] == 0x3D { n -= 1 }
        guard text.count - n <= 2, n % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(n * 3 / 4)
        return values.withUnsafeBufferPointer { table -> [UInt8]? in
            var i = 0
            while i + 4 <= n {
                let a = table[Int(text[i])], b = table[Int(text[i + 1])], c = table[Int(text[i + 2])], d = table[Int(text[i + 3])]
                guard (a | b | c | d) & 0xC0 == 0 else { return nil }
                out.append(a << 2 | b >> 4)
                out.append(b << 4 | c >> 2)
                out.append(c << 6 | d)
                i += 4
            }
            let rest = n - i
            if rest >= 2 {
                let a = table[Int(text[i])], b = table[Int(text[i + 1])]
                guard (a | b) & 0xC0 == 0 else { return nil }
                out.append(a << 2 | b >> 4)
                if rest == 3 {
                    let c = table[Int(text[i + 2])]
                    guard c & 0xC0 == 0 else { return nil }
                    out.append(b << 4 | c >> 2)
                }
            }
            return out
        }
    }
}

/// Stops a search index being made: its Pagefind ends, and the index
/// (`Search.reindex`) fails without touching the site.
public final class SearchCancel: @unchecked Sendable {
    private let lock = Lock()
    private var process: Process?
    private var cancelled = false

    public init() {}

    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Ends the Pagefind at work, if any, and any started after this.
    public func cancel() {
        let running: Process? = lock.withLock {
            cancelled = true
            return process
        }
        if let running, running.isRunning { PagefindService.kill(running) }
    }

    /// The Pagefind at work; false when cancelled already.
    func attach(_ process: Process) -> Bool {
        lock.withLock {
            if cancelled { return false }
            self.process = process
            return true
        }
    }

    func detach() { lock.withLock { process = nil } }
}
