import Dispatch
import Foundation
import Hummingbird
import LedeCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// What `lede serve` is asked to do.
public struct ServeOptions: Sendable {
    /// The site folder, holding content/, templates/ and static/.
    public var siteRoot: String
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 8000
    public var drafts = false
    public var future = false
    /// Where the site is built; a new temporary folder (removed on exit) when nil.
    public var output: String?
    public var watchMode: Watcher.Mode = .automatic
    /// How long the sources must be quiet before a burst of saves is rebuilt.
    public var quietMilliseconds = 25
    /// Parallel build workers; all cores by default.
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Seconds between keep-alive comments on open event streams.
    public var pingSeconds = 15
    /// Seconds after which a connection that is not receiving a response and has
    /// not sent a whole request is closed.
    public var idleSeconds = 10
    /// The most pages the search overlay holds (pages changed since the
    /// whole-site index); past it, the site is indexed whole again (see
    /// `SearchOverlayLog`). At 10,000 articles an overlay of 193 pages took
    /// 0.7–1 s and 96 MB of Pagefind, against 37 s and 3.6 GB for the site.
    public var searchOverlayLimit = 200

    public init(siteRoot: String) {
        self.siteRoot = URL(fileURLWithPath: siteRoot).standardizedFileURL.path
    }
}

/// Problems that stop `lede serve` before it serves anything.
public enum ServeError: Error, CustomStringConvertible, Equatable {
    case portInUse(host: String, port: Int)
    case permissionDenied(host: String, port: Int)
    case badHost(String)
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case let .portInUse(host, port):
            return "port \(port) on \(host) is already in use (another lede serve, or another server?); stop that one, or pick another port with --port, e.g. --port \(port == 65535 ? 8001 : port + 1)"
        case let .permissionDenied(host, port):
            return "not allowed to listen on port \(port) of \(host) (ports below 1024 need privileges); pick another port with --port, e.g. --port 8000"
        case let .badHost(host):
            return "cannot listen on host \"\(host)\": it is not a known name or an address of this machine; use --host 127.0.0.1 (the default), ::1 or 0.0.0.0"
        case let .cannotListen(host, port, reason):
            return "cannot listen on \(host):\(port): \(reason); try another --port or --host"
        }
    }
}

/// `lede serve`: builds the site, serves it over HTTP, watches the sources,
/// rebuilds on every save and tells the open pages (server-sent events).
///
/// A `Service`: run it in a `ServiceGroup`, which shuts it down cleanly on
/// SIGINT/SIGTERM (or `triggerGracefulShutdown()` in tests).
public final class DevServer: Service, @unchecked Sendable {
    public let options: ServeOptions
    public let hub = EventHub()
    /// The built site being served.
    public let site: SiteFolder
    /// The folder the site is built into.
    public let outputPath: String
    private let ownsOutput: Bool
    /// Where lines for the terminal go (one per rebuild, errors, the URL).
    private let say: @Sendable (String) -> Void

    private let lock = Lock()
    private var boundPort: Int?
    private var session: SiteSession?
    private var firstBuildDone = false
    private var firstBuildWaiters: [CheckedContinuation<Void, Never>] = []
    private var readyWaiters: [CheckedContinuation<Int, any Error>] = []
    private var startupError: (any Error)?
    private var siteExists = false
    private var errors: [Diagnostic] = []
    private var pendingChanges: Set<String> = []
    private var building = false
    private var watcher: Watcher?
    private var rebuilds = 0
    private let buildQueue = DispatchQueue(label: "lede-serve-build")
    /// The search index is made on its own queue, after the reload went out.
    private let searchQueue = DispatchQueue(label: "lede-serve-search")
    private var searchJob = CoalescedJob()
    /// Rebuilds whose changed pages search has yet to note (`searchChanged`).
    private var searchNoting = 0
    private var stopping = false
    private let searchCancel = SearchCancel()
    /// The search overlay (SearchOverlay.swift): its own queue, so that it
    /// follows saves while a whole-site index is being made.
    private let overlayQueue = DispatchQueue(label: "lede-serve-search-overlay")
    private var overlayLog = SearchOverlayLog()
    private var overlayJob = CoalescedJob()
    private let overlayCancel = SearchCancel()
    /// The overlay served: its generation, its folder (nil: no page to
    /// index) and its `overlay.json`.
    private var overlay: (generation: Int, folder: String?, empty: Bool, json: [UInt8]) =
        (0, nil, true, Array(SearchOverlay.json(generation: 0, bundle: nil, superseded: []).utf8))
    /// The folder before it, still served to a page that is loading it.
    private var previousOverlayFolder: String?
    /// Overlays begun: each is made in a folder of its own (`gN`), while its
    /// generation is given when it is served (a whole-site index that comes
    /// meanwhile empties the overlay, and takes a generation too).
    private var overlaysBegun = 0
    /// Where overlays are made: a temporary folder of this server, outside the site.
    private let overlayRoot: String

    public init(options: ServeOptions, say: @escaping @Sendable (String) -> Void = { print($0) }) throws {
        self.options = options
        self.say = say
        if let output = options.output {
            outputPath = URL(fileURLWithPath: output).standardizedFileURL.path
            ownsOutput = false
        } else {
            let base = URL(fileURLWithPath: NSTemporaryDirectory()).standardizedFileURL.path
            let dir = base + "/lede-serve-\(getpid())-\(UUID().uuidString.prefix(8))"
            try FileIO.makeDirectories(dir)
            outputPath = dir + "/site"
            ownsOutput = true
        }
        site = SiteFolder(root: outputPath)
        overlayRoot = URL(fileURLWithPath: NSTemporaryDirectory()).standardizedFileURL.path
            + "/lede-serve-search-\(getpid())-\(UUID().uuidString.prefix(8))"
    }

    /// The URL the site is served at, once listening.
    public var url: String? {
        lock.withLock { boundPort }.map { Self.url(host: options.host, port: $0) }
    }

    public static func url(host: String, port: Int) -> String {
        var h = host
        if h == "0.0.0.0" || h.isEmpty { h = "localhost" }
        if h == "::" { h = "localhost" }
        if h.contains(":") { h = "[\(h)]" }
        return "http://\(h):\(port)/"
    }

    /// Number of rebuilds finished (successful or not) since the first build.
    public var rebuildCount: Int { lock.withLock { rebuilds } }

    /// Waits until the server listens and the first build is done; returns the port.
    public func waitUntilReady() async throws -> Int {
        try await withCheckedThrowingContinuation { c in
            lock.withLock {
                if let e = startupError { c.resume(throwing: e) }
                else if firstBuildDone, let p = boundPort { c.resume(returning: p) }
                else { readyWaiters.append(c) }
            }
        }
    }

    /// Runs until SIGINT (Ctrl-C) or SIGTERM, then shuts down cleanly: open
    /// connections end, the watcher stops, the temporary build folder goes.
    public func runUntilInterrupted() async throws {
        var logger = Logger(label: "lede-serve")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: self)],
            gracefulShutdownSignals: [.sigint, .sigterm],
            cancellationSignals: [],
            logger: logger))
        try await group.run()
    }

    // MARK: Service

    public func run() async throws {
        var logger = Logger(label: "lede-serve")
        logger.logLevel = .critical
        let app = Application(
            responder: ServeResponder(server: self),
            // A connection that sends nothing, or dribbles a request without ever
            // finishing it (slowloris), is closed after idleSeconds; a response in
            // progress (the live-reload stream) is not idle.
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(options.idleSeconds)))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { [self] channel in
                self.listening(port: channel.localAddress?.port ?? options.port)
            },
            logger: logger)
        let pinger = Task { [hub, options] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(options.pingSeconds))
                hub.ping()
            }
        }
        defer {
            pinger.cancel()
            stopWatching()
            stopSearch()
            try? FileIO.removeTree(overlayRoot)
            hub.closeAll()
            if ownsOutput { try? FileIO.removeTree((outputPath as NSString).deletingLastPathComponent) }
        }
        do {
            try await withGracefulShutdownHandler {
                try await app.run()
            } onGracefulShutdown: { [hub] in
                hub.closeAll()
            }
        } catch {
            let mapped = Self.explain(error, host: options.host, port: options.port)
            let waiters: [CheckedContinuation<Int, any Error>] = lock.withLock {
                startupError = mapped
                defer { readyWaiters = [] }
                return readyWaiters
            }
            for w in waiters { w.resume(throwing: mapped) }
            // Requests can no longer come; release any that wait.
            markFirstBuildDone()
            throw mapped
        }
    }

    /// A bind failure, in words a writer can act on.
    static func explain(_ error: any Error, host: String, port: Int) -> any Error {
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE: return ServeError.portInUse(host: host, port: port)
            case EACCES, EPERM: return ServeError.permissionDenied(host: host, port: port)
            case EADDRNOTAVAIL: return ServeError.badHost(host)
            default: return ServeError.cannotListen(host: host, port: port, reason: io.description)
            }
        }
        if error is SocketAddressError || error is SocketAddressError.UnknownHost { return ServeError.badHost(host) }
        return error
    }

    // MARK: Building

    /// The server listens: build for the first time, then watch.
    private func listening(port: Int) {
        var build = BuildOptions(siteRoot: options.siteRoot, output: outputPath, drafts: options.drafts,
                                 future: options.future, baseURL: Self.url(host: options.host, port: port))
        build.workers = options.workers
        // Only this server reads the folder: rebuilds update it in place, the
        // fast way, and its build cache lives beside it in the temporary folder.
        build.updateInPlace = true
        // The reload goes out when the pages are written; the search index
        // follows (indexSearch).
        build.searchLater = true
        if ownsOutput { build.cacheFolder = (outputPath as NSString).deletingLastPathComponent + "/cache" }
        let session = SiteSession(options: build)
        lock.withLock {
            boundPort = port
            self.session = session
        }
        buildQueue.async { [self] in
            let started = DispatchTime.now().uptimeNanoseconds
            do throws(Diagnostics) {
                let report = try session.build()
                lock.withLock { siteExists = true; errors = [] }
                hub.setErrors([])
                for w in report.warnings where w.severity == .warning { say(w.description) }
                say("\(report.summary) (\(ms(since: started)) ms)")
                if report.searchPending {
                    lock.withLock { overlayLog.note(nil) }  // no index to follow yet: a whole one
                    searchBehind()
                }
            } catch {
                lock.withLock { errors = error.all; siteExists = FileIO.isDirectory(outputPath) }
                hub.setErrors(error.all)
                for d in error.all { say(d.description) }
                say("the site did not build (\(count(error.errors.count, "error"))); serving an error page until you fix \(error.errors.count == 1 ? "it" : "them")")
            }
            startWatching()
            say("serving \(options.siteRoot) at \(Self.url(host: options.host, port: port)) (press Ctrl-C to stop)")
            markFirstBuildDone()
        }
    }

    private func markFirstBuildDone() {
        let (waiters, ready, port): ([CheckedContinuation<Void, Never>], [CheckedContinuation<Int, any Error>], Int?) = lock.withLock {
            firstBuildDone = true
            defer { firstBuildWaiters = []; if boundPort != nil { readyWaiters = [] } }
            return (firstBuildWaiters, boundPort != nil ? readyWaiters : [], boundPort)
        }
        for w in waiters { w.resume() }
        if let port { for r in ready { r.resume(returning: port) } }
    }

    /// Requests wait for the first build, so that nobody sees a half-built site.
    func waitForFirstBuild() async {
        if lock.withLock({ firstBuildDone }) { return }
        await withCheckedContinuation { c in
            let done: Bool = lock.withLock {
                if firstBuildDone { return true }
                firstBuildWaiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }

    /// The errors to show instead of the site, when there is no site at all.
    func errorsIfNoSite() -> [Diagnostic]? {
        lock.withLock { siteExists ? nil : errors }
    }

    private func startWatching() {
        let watcher = Watcher(root: options.siteRoot, mode: options.watchMode, quietMilliseconds: options.quietMilliseconds,
                              onNote: { [say] in say($0) },
                              onChange: { [weak self] in self?.sourcesChanged($0) })
        lock.withLock { self.watcher = watcher }
        watcher.start()
    }

    private func stopWatching() {
        let w = lock.withLock { () -> Watcher? in defer { watcher = nil }; return watcher }
        w?.stop()
    }

    /// How the sources are watched ("inotify" or "polling").
    public var watchMethod: String { lock.withLock { watcher }?.method ?? "" }

    /// Sources changed (paths relative to the site folder): rebuild, one
    /// rebuild at a time, changes that come meanwhile going into the next.
    public func sourcesChanged(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        let start: Bool = lock.withLock {
            pendingChanges.formUnion(paths)
            if building { return false }
            building = true
            return true
        }
        if start { buildQueue.async { [self] in drain() } }
    }

    private func drain() {
        while true {
            let batch: [String]? = lock.withLock {
                if pendingChanges.isEmpty { building = false; return nil }
                defer { pendingChanges = [] }
                return pendingChanges.sorted()
            }
            guard let batch, let session = lock.withLock({ session }) else { return }
            rebuild(batch, session: session)
        }
    }

    private func rebuild(_ batch: [String], session: SiteSession) {
        let started = DispatchTime.now().uptimeNanoseconds
        let what = Self.describe(Self.named(batch, root: options.siteRoot))
        do throws(Diagnostics) {
            let report = try session.rebuild(changed: batch)
            // An editor's temporary files are not named; a batch of nothing
            // but such files rebuilt nothing and says nothing.
            let sources = report.changedSources
            if sources.isEmpty, report.changedOutputs?.isEmpty == true, lock.withLock({ errors.isEmpty }) {
                lock.withLock { rebuilds += 1 }
                return
            }
            let what = sources.isEmpty ? what : Self.describe(sources)
            let stylesOnly = report.stylesOnly || Self.onlyStylesheets(batch)
            let wasBroken: Bool = lock.withLock {
                defer { siteExists = true; errors = []; rebuilds += 1 }
                return !errors.isEmpty
            }
            let elapsed = ms(since: started)
            for w in report.warnings where w.severity == .warning { say(w.description) }
            if stylesOnly && !wasBroken {
                say("\(what): stylesheets swapped in \(elapsed) ms")
            } else {
                let pages = report.changedOutputs.map { $0.filter { $0.hasSuffix(".html") }.count } ?? report.pages
                say("\(what): rebuilt \(count(pages, "page")) in \(elapsed) ms\(wasBroken ? ", errors fixed" : "")")
            }
            // The terminal line first (microseconds), so that whoever gets the
            // event finds the line already there; and the search index marked
            // busy, so that they find that too. Which changed pages search
            // holds is read from them after the event (after a title edit,
            // a dozen 2.7 MB timeline pages at 10,000 articles).
            if report.searchPending { lock.withLock { searchNoting += 1 } }
            hub.rebuilt(changed: report.changedOutputs, stylesOnly: stylesOnly && !wasBroken, sources: sources.isEmpty ? batch : sources,
                        milliseconds: elapsed)
            if report.searchPending { searchChanged(report.changedOutputs) }
        } catch {
            lock.withLock {
                errors = error.all
                siteExists = FileIO.isDirectory(outputPath)
                rebuilds += 1
            }
            for d in error.all { say(d.description) }
            say("\(what): the site did not build (\(count(error.errors.count, "error")), shown in the browser); still serving the last good build")
            hub.failed(error.all)
        }
    }

    // MARK: Search

    /// Whether the search index (or its overlay) is being made, or is to be
    /// made, for pages already served (`searchLater`).
    public var searchBusy: Bool { lock.withLock { searchNoting > 0 || searchJob.busy || overlayJob.busy } }

    /// A rebuild changed `outputs` (nil: it does not say which) and left
    /// the search index behind: the overlay follows, or, when it cannot
    /// (or would grow past its limit), the whole site is indexed again.
    private func searchChanged(_ outputs: [String]?) {
        // Only articles' pages count (the limit is of those): not the home,
        // topic and timeline pages that a save rewrites too.
        let articles = outputs.map { Search.indexablePages(outputPath, $0) }
        // Noted and the job asked for in one hold of the lock, so that search
        // never looks idle between the rebuild and its index.
        let (search, overlay): (Bool, Bool) = lock.withLock {
            defer { searchNoting -= 1 }
            overlayLog.note(articles)
            if overlayLog.needsWhole(limit: options.searchOverlayLimit) { return (searchJob.ask(stopping: stopping), false) }
            if articles.map({ !$0.isEmpty }) ?? false { return (false, overlayJob.ask(stopping: stopping)) }
            return (false, false)
        }
        start(search: search, overlay: overlay)
    }

    /// Starts the loops that their jobs' asks said to start.
    private func start(search: Bool = false, overlay: Bool = false) {
        if search { searchQueue.async { [self] in indexSearch() } }
        if overlay { overlayQueue.async { [self] in indexOverlay() } }
    }

    /// The search index is behind the pages: make it again, after the one
    /// being made (if any), which is behind too.
    private func searchBehind() {
        start(search: lock.withLock { searchJob.ask(stopping: stopping) })
    }

    /// The whole-site index (the overlay's base), in the background.
    private func indexSearch() {
        while true {
            let (session, needed): (SiteSession?, Bool) = lock.withLock {
                guard searchJob.take(stopping: stopping) else { return (nil, false) }
                // Asked for while the overlay could not follow; the index
                // just made may have seen to it.
                return (self.session, overlayLog.needsWhole(limit: options.searchOverlayLimit))
            }
            guard let session else { return }
            guard needed else { continue }
            var outcome = SearchIndexing.superseded
            let started = DispatchTime.now().uptimeNanoseconds
            var mark = 0
            while outcome == .superseded, !lock.withLock({ stopping }) {
                // What the index will hold: the pages as of this change, or newer.
                mark = lock.withLock { overlayLog.mark }
                do throws(Diagnostic) { outcome = try session.indexSearch(cancel: searchCancel) } catch {
                    if !lock.withLock({ stopping }) {
                        say("\(error.description)")
                        say("search: the index is behind the pages until the next save")
                    }
                    break
                }
            }
            let pages: Int
            switch outcome {
            case .indexed(let n), .behind(let n): pages = n
            case .current:  // the index in place holds the pages as they are
                lock.withLock { overlayLog.based(at: mark) }
                continue
            case .superseded: continue
            }
            if lock.withLock({ stopping }) { return }
            // The changes up to the mark are in the new base: the overlay
            // keeps only those after it (none, mostly: then it goes at once,
            // and the pages load the new index only once).
            let empty: Bool = lock.withLock {
                overlayLog.based(at: mark)
                return overlayLog.changes.isEmpty
            }
            if empty { installOverlay(folder: nil, superseded: []) } else { overlayBehind() }
            say("search: indexed \(count(pages, "page")) in \(ms(since: started)) ms")
            hub.searchIndexed(pages: pages)
        }
    }

    /// The overlay is behind the saves: make it again, after the one being
    /// made (if any).
    private func overlayBehind() {
        start(overlay: lock.withLock { overlayJob.ask(stopping: stopping) })
    }

    /// Makes the overlay: the article pages changed since the base, indexed
    /// by Pagefind into a new folder, then served in place of the last.
    private func indexOverlay() {
        while true {
            let job: (log: SearchOverlayLog, pagefind: String?)? = lock.withLock {
                guard overlayJob.take(stopping: stopping) else { return nil }
                return (overlayLog, session?.pagefind)
            }
            guard let job else { return }
            // A whole-site index is coming: the overlay stays as it is till then.
            guard let pagefind = job.pagefind, !job.log.needsWhole(limit: options.searchOverlayLimit) else { continue }
            let started = DispatchTime.now().uptimeNanoseconds
            let serial: Int = lock.withLock { overlaysBegun += 1; return overlaysBegun }
            let folder = overlayRoot + "/g\(serial)"
            let made: (indexed: [String], unmarked: [String])
            do throws(Diagnostic) {
                try? FileIO.removeTree(folder)
                made = try Search.indexOverlay(outputPath, candidates: job.log.paths, output: folder, pagefind: pagefind,
                                               cancel: overlayCancel)
            } catch {
                // A page went while Pagefind read it: the rebuild that took
                // it has asked for the overlay again.
                if !lock.withLock({ stopping || overlayJob.wanted }) {
                    say("\(error.description)")
                    say("search: the overlay is behind the pages until the next save")
                }
                continue
            }
            // Pages without Pagefind's mark (home, tags, timelines) are not
            // in the base: neither they nor their URLs need to be in the overlay.
            let unmarked = Set(made.unmarked)
            lock.withLock { overlayLog.forget(made.unmarked, upTo: job.log.mark) }
            let superseded = SearchOverlayLog.urls(job.log.paths.filter { !unmarked.contains($0) })
            if made.indexed.isEmpty && superseded.isEmpty && lock.withLock({ overlay.empty }) {
                continue  // nothing to search, as before
            }
            installOverlay(folder: made.indexed.isEmpty ? nil : folder, superseded: superseded, serial: serial)
            let deleted = superseded.count - made.indexed.count
            say("search: overlay of \(count(made.indexed.count, "page"))\(deleted > 0 ? " (and \(count(deleted, "page")) gone)" : "") in \(ms(since: started)) ms")
            hub.searchIndexed(pages: made.indexed.count, overlay: true)
        }
    }

    /// Serves a new overlay (`folder`: made and complete; nil: none) in
    /// place of the last, in one step; the one before the last goes.
    private func installOverlay(folder: String?, superseded: [String], serial: Int = 0) {
        let gone: String? = lock.withLock {
            let n = overlay.generation + 1
            let bundle = folder == nil ? nil : SearchOverlay.bundle(serial)
            let old = previousOverlayFolder
            previousOverlayFolder = overlay.folder
            overlay = (n, folder, folder == nil && superseded.isEmpty,
                       Array(SearchOverlay.json(generation: n, bundle: bundle, superseded: superseded).utf8))
            return old
        }
        if let gone { try? FileIO.removeTree(gone) }
    }

    /// A file of the overlay: `overlay.json`, or one of the bundle's
    /// (`gN/...`, of the overlay served or the one before it); nil when none.
    func overlayFile(_ relative: String) -> [UInt8]? {
        let (current, previous) = lock.withLock { (overlay, previousOverlayFolder) }
        if relative == "overlay.json" { return current.json }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("g"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return nil }
        let folder = overlayRoot + "/" + parts[0]
        guard folder == current.folder || folder == previous else { return nil }
        return try? FileIO.readBytes(overlayRoot + "/" + relative)
    }

    /// Ends the Pagefind at work and waits for it to go (before the folder it writes in goes).
    private func stopSearch() {
        lock.withLock { stopping = true }
        searchCancel.cancel()
        overlayCancel.cancel()
        searchQueue.sync {}
        overlayQueue.sync {}
    }

    /// True when every changed source is a stylesheet of the theme or of static/:
    /// pages can then swap their stylesheets instead of reloading.
    static func onlyStylesheets(_ paths: [String]) -> Bool {
        !paths.isEmpty && paths.allSatisfy {
            $0.hasSuffix(".css") && ($0.hasPrefix("templates/assets/") || $0.hasPrefix("static/"))
        }
    }

    /// The changed paths worth naming: not an editor's temporary file under
    /// content/ (a name that is not an article's, gone after the save
    /// renamed it); all of them when nothing else is left.
    static func named(_ paths: [String], root: String) -> [String] {
        let kept = paths.filter { path in
            guard path.hasPrefix("content/") else { return true }
            return ContentScanner.isArticleName(String(path.split(separator: "/").last ?? "")) || FileManager.default.fileExists(atPath: root + "/" + path)
        }
        return kept.isEmpty ? paths : kept
    }

    /// "content/a.md changed", "3 files changed (content/a.md, content/b.md, …)".
    static func describe(_ paths: [String]) -> String {
        if paths.count == 1 { return "\(paths[0]) changed" }
        let shown = paths.prefix(3).joined(separator: ", ")
        return "\(paths.count) files changed (\(shown)\(paths.count > 3 ? ", …" : ""))"
    }
}

func ms(since start: UInt64) -> Int {
    Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
}

func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

/// A background job asked for again and again (the search index, the
/// overlay): asks while it runs are coalesced into one more run. Kept
/// under its owner's lock.
struct CoalescedJob {
    /// Asked for since its last run began.
    private(set) var wanted = false
    /// Its loop is running (on its queue).
    private(set) var running = false

    var busy: Bool { wanted || running }

    /// Asks for a run; true when the caller must start the loop.
    mutating func ask(stopping: Bool) -> Bool {
        wanted = true
        if running || stopping { return false }
        running = true
        return true
    }

    /// At the top of the loop: whether to run again (and the ask is taken),
    /// or to end the loop.
    mutating func take(stopping: Bool) -> Bool {
        guard wanted, !stopping else { running = false; return false }
        wanted = false
        return true
    }
}
