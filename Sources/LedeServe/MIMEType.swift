/// Content types by file extension, with `charset=utf-8` on every text type
/// (lede writes all its text as UTF-8).
public enum MIMEType {
    static let byExtension: [String: String] = [
        "html": "text/html", "htm": "text/html",
        "css": "text/css",
        "js": "text/javascript", "mjs": "text/javascript",
        "json": "application/json", "map": "application/json",
        "webmanifest": "application/manifest+json",
        "xml": "application/xml", "xsl": "application/xml",
        "atom": "application/atom+xml", "rss": "application/rss+xml",
        "txt": "text/plain", "md": "text/markdown", "csv": "text/csv", "ics": "text/calendar",
        "svg": "image/svg+xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "bmp": "image/bmp",
        "tif": "image/tiff", "tiff": "image/tiff",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav", "m4a": "audio/mp4",
        "mp4": "video/mp4", "webm": "video/webm", "ogv": "video/ogg",
        "pdf": "application/pdf", "zip": "application/zip", "gz": "application/gzip",
        "wasm": "application/wasm",
    ]

    static let textual: Set<String> = [
        "application/json", "application/manifest+json", "application/xml",
        "application/atom+xml", "application/rss+xml", "image/svg+xml",
    ]

    /// The `Content-Type` for a file name ("index.html" → "text/html; charset=utf-8").
    public static func forPath(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        let ext = name[name.index(after: dot)...].lowercased()
        guard let type = byExtension[ext] else { return "application/octet-stream" }
        return isText(type) ? type + "; charset=utf-8" : type
    }

    static func isText(_ type: String) -> Bool {
        type.hasPrefix("text/") || textual.contains(type)
    }
}
