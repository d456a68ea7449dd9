import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Checks links to other sites (`lede check --external`): a HEAD request (a GET
/// where HEAD is refused), at most `concurrency` at once and `perHost` per host,
/// each with a timeout, retried with backoff after timeouts, network errors,
/// 429 and 5xx answers, all within a time budget.
struct ExternalLinkChecker {
    enum Result: Sendable, Equatable {
        case ok
        /// Fails the check.
        case broken(String)
        /// Printed, but does not fail the check.
        case doubtful(String)
    }

    let options: CheckOptions

    func check(_ urls: [String]) -> [String: Result] {
        guard !urls.isEmpty else { return [:] }
        let queue = WorkQueue(urls: urls, perHost: max(1, options.perHost))
        let deadline = Date().addingTimeInterval(options.budget)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = options.timeout
        configuration.timeoutIntervalForResource = options.timeout * 2
        configuration.httpMaximumConnectionsPerHost = max(1, options.perHost)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }

        let group = DispatchGroup()
        for _ in 0..<max(1, min(options.concurrency, urls.count)) {
            group.enter()
            let thread = Thread {
                while let (url, host) = queue.next() {
                    let result = checkOne(url, session: session, deadline: deadline)
                    queue.done(url, host: host, result: result)
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return queue.results
    }

    private func checkOne(_ text: String, session: URLSession, deadline: Date) -> Result {
        guard let url = URL(string: text), url.host != nil else {
            return .broken("is not a valid address (spaces and some other characters must be %-escaped)")
        }
        var attempt = 0
        var method = "HEAD"
        while true {
            if Date() >= deadline {
                return .doubtful("not checked: the time for external checks (\(Int(options.budget)) s) ran out; check it by hand or run lede check --external again")
            }
            let answer = fetch(url, method: method, session: session)
            var retryable: String?
            var wait = 0.5 * pow(2.0, Double(attempt))
            switch answer {
            case .status(let code, let retryAfter):
                if method == "HEAD", [403, 404, 405, 501].contains(code) || code >= 500 {
                    // Some servers answer HEAD wrongly; ask again the way a browser does.
                    method = "GET"
                    continue
                }
                switch code {
                case 200..<400: return .ok
                case 401, 403:
                    return .doubtful("the server refused an automated check (HTTP \(code)); open it in a browser to be sure")
                case 404, 410:
                    return .broken("the page is gone (HTTP \(code) \(HTTPURLResponse.localizedString(forStatusCode: code)))")
                case 429, 500..<600:
                    retryable = "HTTP \(code) \(HTTPURLResponse.localizedString(forStatusCode: code))"
                    if let retryAfter { wait = max(wait, min(retryAfter, 10)) }
                default:
                    return .broken("the server answered HTTP \(code) \(HTTPURLResponse.localizedString(forStatusCode: code))")
                }
            case .failure(let message, let permanent):
                if permanent { return .broken(message) }
                retryable = message
            }
            attempt += 1
            if attempt > options.retries {
                return .broken("\(retryable ?? "no answer"), after \(attempt) tr\(attempt == 1 ? "y" : "ies")")
            }
            let remaining = deadline.timeIntervalSinceNow
            Thread.sleep(forTimeInterval: max(0, min(wait, remaining)))
        }
    }

    enum Answer {
        case status(Int, retryAfter: Double?)
        case failure(String, permanent: Bool)
    }

    private func fetch(_ url: URL, method: String, session: URLSession) -> Answer {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: options.timeout)
        request.httpMethod = method
        request.setValue("lede-check/\(LedeVersion.string) (link checker of the lede static site generator)", forHTTPHeaderField: "User-Agent")
        request.setValue("*/*", forHTTPHeaderField: "Accept")
        final class Box: @unchecked Sendable { var answer: Answer = .failure("no answer", permanent: false) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { _, response, error in
            if let http = response as? HTTPURLResponse {
                let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap(Double.init)
                box.answer = .status(http.statusCode, retryAfter: retryAfter)
            } else if let error = error as? URLError {
                box.answer = Self.describe(error, timeout: options.timeout)
            } else if let error {
                box.answer = .failure(error.localizedDescription, permanent: false)
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + options.timeout * 2 + 1) == .timedOut {
            task.cancel()
            return .failure("no answer within \(Int(options.timeout)) s", permanent: false)
        }
        return box.answer
    }

    static func describe(_ error: URLError, timeout: Double) -> Answer {
        switch error.code {
        case .timedOut: return .failure("no answer within \(Int(timeout)) s", permanent: false)
        case .cannotFindHost, .dnsLookupFailed: return .failure("the host name does not exist (DNS lookup failed)", permanent: false)
        case .cannotConnectToHost: return .failure("the server refused the connection", permanent: false)
        case .networkConnectionLost, .notConnectedToInternet: return .failure("the network connection failed", permanent: false)
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot:
            return .failure("the secure connection failed (\(error.localizedDescription))", permanent: true)
        case .httpTooManyRedirects, .redirectToNonExistentLocation: return .failure("it redirects in a loop or to nowhere", permanent: true)
        case .unsupportedURL, .badURL: return .failure("is not an address lede can check", permanent: true)
        default: return .failure(error.localizedDescription, permanent: false)
        }
    }
}

/// URLs to check, handed out so that no host gets more than `perHost` at once.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSCondition()
    private var pending: [(url: String, host: String)]
    private var active: [String: Int] = [:]
    private let perHost: Int
    private(set) var resultsStore: [String: ExternalLinkChecker.Result] = [:]

    init(urls: [String], perHost: Int) {
        pending = urls.sorted().map { ($0, URL(string: $0)?.host?.lowercased() ?? $0) }
        self.perHost = perHost
    }

    /// The next URL whose host has room, waiting while every pending one's host is busy; nil when all are handed out.
    func next() -> (String, String)? {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if pending.isEmpty { return nil }
            if let k = pending.firstIndex(where: { active[$0.host, default: 0] < perHost }) {
                let item = pending.remove(at: k)
                active[item.host, default: 0] += 1
                return (item.url, item.host)
            }
            lock.wait()
        }
    }

    func done(_ url: String, host: String, result: ExternalLinkChecker.Result) {
        lock.lock()
        resultsStore[url] = result
        active[host, default: 1] -= 1
        lock.broadcast()
        lock.unlock()
    }

    var results: [String: ExternalLinkChecker.Result] {
        lock.lock()
        defer { lock.unlock() }
        return resultsStore
    }
}
