import LedeCore

/// Server-sent events for the pages open in browsers: one stream per
/// connection, every message sent to all of them. It also remembers the
/// site's current state (built, or failed with these errors), which every new
/// connection gets first as a `hello` event.
public final class EventHub: @unchecked Sendable {
    private let lock = Lock()
    private var clients: [Int: AsyncStream<String>.Continuation] = [:]
    private var nextID = 0
    private var currentErrors: [Diagnostic] = []
    private var sent = 0
    private var closed = false

    public init() {}

    /// The site's state changed: it built, or failed with `errors`.
    public func setErrors(_ errors: [Diagnostic]) {
        lock.withLock { currentErrors = errors }
    }

    /// A new connection: its stream starts with `hello`. Call `unsubscribe`
    /// when the connection ends.
    public func subscribe() -> (id: Int, stream: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let id: Int = lock.withLock {
            nextID += 1
            if closed { continuation.finish() } else { clients[nextID] = continuation }
            continuation.yield(Self.message("hello", Self.state(currentErrors)))
            return nextID
        }
        return (id, stream)
    }

    public func unsubscribe(_ id: Int) {
        let c = lock.withLock { clients.removeValue(forKey: id) }
        c?.finish()
    }

    /// Number of open connections.
    public var connections: Int { lock.withLock { clients.count } }
    /// Number of events broadcast so far (not counting hellos and pings).
    public var eventsSent: Int { lock.withLock { sent } }

    /// A rebuild finished: `changed` are the output files that changed, nil
    /// for all of them; `milliseconds` is how long the rebuild took.
    public func rebuilt(changed: [String]?, stylesOnly: Bool, sources: [String], milliseconds: Int = 0) {
        let data: JSON = .object([
            ("changed", changed.map { .array($0.map { .string($0) }) } ?? .null),
            ("stylesOnly", .bool(stylesOnly)),
            ("sources", .array(sources.map { .string($0) })),
            ("ms", .int(milliseconds)),
        ])
        setErrors([])
        broadcast(Self.message("rebuilt", data), counts: true)
    }

    /// The search index (or, with `overlay`, its overlay of the pages saved
    /// since) was made anew: pages that use it load it again.
    public func searchIndexed(pages: Int, overlay: Bool = false) {
        var data: [(String, JSON)] = [("pages", .int(pages))]
        if overlay { data.append(("overlay", .bool(true))) }
        broadcast(Self.message("search", .object(data)), counts: false)
    }

    /// A rebuild failed.
    public func failed(_ errors: [Diagnostic]) {
        setErrors(errors)
        broadcast(Self.message("failed", Self.state(errors)), counts: true)
    }

    /// A comment line, so that connections whose browser went away are noticed.
    public func ping() {
        broadcast(": ping\n\n", counts: false)
    }

    /// Ends every stream (the server is shutting down); new ones end at once.
    public func closeAll() {
        let all: [AsyncStream<String>.Continuation] = lock.withLock {
            closed = true
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for c in all { c.finish() }
    }

    private func broadcast(_ message: String, counts: Bool) {
        let all: [AsyncStream<String>.Continuation] = lock.withLock {
            if counts { sent += 1 }
            return Array(clients.values)
        }
        for c in all { c.yield(message) }
    }

    static func state(_ errors: [Diagnostic]) -> JSON {
        .object([
            ("status", .string(errors.isEmpty ? "ok" : "error")),
            ("errors", .array(errors.filter { $0.severity == .error }.map { e in
                .object([("path", .string(e.path)), ("line", .int(e.line)), ("column", .int(e.column)),
                         ("message", .string(e.message))])
            })),
        ])
    }

    /// One SSE message; JSON has no raw line breaks, so one `data:` line.
    static func message(_ event: String, _ data: JSON) -> String {
        "event: \(event)\ndata: \(data.serialized())\n\n"
    }
}
