import HTTPTypes
import Hummingbird
import LedeCore
import NIOCore
import ServiceLifecycle

/// Answers every request of `lede serve`: the live-reload event stream at
/// `/_lede/events`, and the built site's files for everything else.
struct ServeResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let server: DevServer

    func respond(to request: Request, context: Context) async throws -> Response {
        await server.waitForFirstBuild()
        let target = request.head.path ?? "/"
        if target == LiveReload.eventsPath || target.hasPrefix(LiveReload.eventsPath + "?") {
            guard request.method == .get else { return Self.methodNotAllowed(head: request.method == .head) }
            return events()
        }
        let head = request.method == .head
        guard request.method == .get || head else { return Self.methodNotAllowed(head: false) }
        if target.hasPrefix(SearchOverlay.path) { return searchOverlay(target, head: head) }
        return StaticResponse.make(for: target, headers: request.headers, head: head,
                                   site: server.site, noSiteErrors: server.errorsIfNoSite())
    }

    /// The search overlay's files (see `SearchOverlay`): never cached, as
    /// each save makes them anew.
    func searchOverlay(_ target: String, head: Bool) -> Response {
        var relative = String(target.dropFirst(SearchOverlay.path.count))
        if let q = relative.firstIndex(where: { $0 == "?" || $0 == "#" }) { relative = String(relative[..<q]) }
        guard let bytes = server.overlayFile(relative) else {
            var r = StaticResponse.text(.notFound, "404 Not Found: no such file in the search overlay.\n", head: head)
            r.headers[.cacheControl] = "no-store"
            return r
        }
        var r = StaticResponse.bytes(.ok, bytes, type: MIMEType.forPath(relative), head: head)
        r.headers[.cacheControl] = "no-store"
        return r
    }

    static func methodNotAllowed(head: Bool) -> Response {
        var r = StaticResponse.text(.methodNotAllowed, "405 Method Not Allowed: lede serve answers GET and HEAD only.\n", head: head)
        r.headers[.allow] = "GET, HEAD"
        return r
    }

    /// The server-sent event stream: `retry`, `hello`, then every event until
    /// the browser goes away or the server shuts down.
    func events() -> Response {
        let hub = server.hub
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (id, stream) = hub.subscribe()
            defer { hub.unsubscribe(id) }
            try await writer.write(ByteBuffer(string: "retry: 500\n\n"))
            for await message in stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: message))
            }
            try await writer.finish(nil)
        })
    }
}

/// Static file responses: status, headers and conditional requests.
public enum StaticResponse {
    /// The response for a GET (or HEAD) of `target` in `site`.
    /// `noSiteErrors` non-nil means there is no built site yet (the first
    /// build failed): every page then shows those errors.
    public static func make(for target: String, headers: HTTPFields, head: Bool, site: SiteFolder,
                            noSiteErrors: [Diagnostic]?) -> Response {
        if let errors = noSiteErrors {
            var r = bytes(.internalServerError, LiveReload.errorPage(errors), type: "text/html; charset=utf-8", head: head)
            r.headers[.cacheControl] = "no-store"
            r.headers[HTTPField.Name(LiveReload.tagHeader)!] = "build-failed"
            return r
        }
        switch site.resolve(target) {
        case .file(let relative):
            guard let file = site.load(relative) else { return notFound(site: site, head: head) }
            return serve(file, status: .ok, requestHeaders: headers, head: head)
        case .redirect(let location):
            var r = text(.movedPermanently, "Moved to \(location)\n", head: head)
            r.headers[.location] = location
            return r
        case .notFound:
            return notFound(site: site, head: head)
        case .badRequest(let reason):
            return text(.badRequest, "400 Bad Request: \(reason).\n", head: head)
        }
    }

    /// The site's own 404.html, with status 404.
    static func notFound(site: SiteFolder, head: Bool) -> Response {
        if let page = site.load("404.html") {
            var r = serve(page, status: .notFound, requestHeaders: HTTPFields(), head: head)
            r.headers[.eTag] = nil
            r.headers[.lastModified] = nil
            return r
        }
        return text(.notFound, "404 Not Found\n", head: head)
    }

    static func serve(_ file: ServedFile, status: HTTPResponse.Status, requestHeaders: HTTPFields, head: Bool) -> Response {
        var headers = HTTPFields()
        headers.reserveCapacity(8)
        headers[.contentType] = file.contentType
        headers[.eTag] = file.etag
        headers[.lastModified] = file.lastModified
        headers[.cacheControl] = "no-cache"
        headers[.xContentTypeOptions] = "nosniff"
        if let tag = file.tag { headers[HTTPField.Name(LiveReload.tagHeader)!] = tag }
        if status == .ok, notModified(file, requestHeaders) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers, body: .init())
        }
        if head {
            headers[.contentLength] = String(file.body.readableBytes)
            return Response(status: status, headers: headers, body: .init())
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: file.body))
    }

    /// RFC 9110 §13.1: If-None-Match wins over If-Modified-Since.
    static func notModified(_ file: ServedFile, _ headers: HTTPFields) -> Bool {
        if let inm = headers[values: .ifNoneMatch].nonEmpty {
            let tags = inm.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces }
            return tags.contains { $0 == "*" || $0 == file.etag || $0 == "W/" + file.etag }
        }
        if let ims = headers[.ifModifiedSince], let since = HTTPDate.parse(ims) {
            return file.modifiedSeconds <= since
        }
        return false
    }

    static func text(_ status: HTTPResponse.Status, _ message: String, head: Bool) -> Response {
        bytes(status, Array(message.utf8), type: "text/plain; charset=utf-8", head: head)
    }

    static func bytes(_ status: HTTPResponse.Status, _ body: [UInt8], type: String, head: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = "no-cache"
        if head {
            headers[.contentLength] = String(body.count)
            return Response(status: status, headers: headers, body: .init())
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Array {
    var nonEmpty: Self? { isEmpty ? nil : self }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
