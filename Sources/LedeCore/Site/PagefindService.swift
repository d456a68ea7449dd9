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
        signal(SIGPIPE, SIG_IGN)  // a service that died is an error to report, not a reason to die
        let pages: [String]
        do { pages = try Self.indexedFiles(site, skip: skip) } catch {
            throw .error(site, 1, 1, "cannot list the site's pages for the search index: \(error.localizedDescription)")
        }
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
        try send(pages.count + 1, [("type", "GetFiles"), ("index_id", .int(indexID))])
        guard let files = try answer(pages.count + 1)["files"] as? [[String: Any]] else { throw failure("it sent no index files") }
        try? writer.close()
        for file in files {
            guard let path = file["path"] as? String, let encoded = file["content"] as? String,
                  let bytes = Data(base64Encoded: encoded),
                  !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw failure("it sent an index file that cannot be read")
            }
            let target = output + "/" + path
            do {
                try FileIO.makeDirectories((target as NSString).deletingLastPathComponent)
                try FileIO.write(Array(bytes), to: target)
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
        let marked = try all.filter { HTMLScanner.find(try FileIO.readBytes(site + "/" + $0), "data-pagefind-body", from: 0) != nil }
        return marked.isEmpty ? all : marked
    }

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
            while true {
                if let comma = buffer[max(start, scanned)...].firstIndex(of: 0x2C) {
                    let encoded = Data(buffer[start..<comma])
                    start = comma + 1
                    scanned = start
                    if start > 1 << 16 { buffer.removeFirst(start); start = 0; scanned = 0 }
                    guard let json = Data(base64Encoded: encoded),
                          let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else { return nil }
                    return object
                }
                scanned = buffer.count
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                buffer += chunk
            }
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
