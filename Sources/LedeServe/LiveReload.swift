import LedeCore

/// The script that `lede serve` adds to every HTML page it serves (never to
/// the files on disk), and the page it shows when there is no site to show.
///
/// The script listens to the server's events with `EventSource`:
/// - `hello` (on every connection and reconnection): the current state. With
///   errors it shows the overlay; without, it asks the server (a HEAD request)
///   whether this page changed since it was loaded, and reloads if so — that
///   covers rebuilds that finished while the page was loading or the server
///   was restarting.
/// - `rebuilt`: reloads (or, for a stylesheet-only change, swaps the
///   stylesheets in place, keeping the scroll position). When the rebuild
///   says which files changed, a page that did not change stays as it is.
/// - `failed`: shows the errors (`path:line:col` and message) in an overlay.
///   The next successful rebuild reloads the page.
public enum LiveReload {
    public static let eventsPath = "/_lede/events"
    /// The response header carrying a page's tag (see `ServedFile.tag`).
    public static let tagHeader = "X-Lede-Tag"

    /// The `<script>` element for a page whose built bytes hash to `tag`.
    public static func snippet(tag: String) -> String {
        "<script data-lede-serve>\n(function(){var tag=\"\(tag)\";\n" + script + "})();\n</script>\n"
    }

    /// `html` with the snippet before its last `</body>` (or `</html>`, or at the end).
    public static func inject(into html: [UInt8], tag: String) -> [UInt8] {
        let snippet = Array(snippet(tag: tag).utf8)
        let at = lastIndex(of: "</body", in: html) ?? lastIndex(of: "</html", in: html) ?? html.count
        var out = [UInt8]()
        out.reserveCapacity(html.count + snippet.count)
        out.append(contentsOf: html[..<at])
        out.append(contentsOf: snippet)
        out.append(contentsOf: html[at...])
        return out
    }

    /// Last position of an ASCII needle, ignoring case.
    static func lastIndex(of needle: String, in bytes: [UInt8]) -> Int? {
        let n = Array(needle.lowercased().utf8)
        guard bytes.count >= n.count else { return nil }
        var i = bytes.count - n.count
        while i >= 0 {
            var match = true
            for k in 0..<n.count {
                var c = bytes[i + k]
                if c >= 65 && c <= 90 { c += 32 }
                if c != n[k] { match = false; break }
            }
            if match { return i }
            i -= 1
        }
        return nil
    }

    /// The shared part of the script (runs inside a function that defines `tag`).
    static let script = #"""
    "use strict";
    // The search page (search.js) also asks the overlay of the pages saved
    // since the last whole-site search index (SearchOverlay.swift).
    window.__ledeSearchOverlay = "/_lede/search-overlay/overlay.json";
    if (window.__ledeServe) return;
    var state = window.__ledeServe = { error: false, events: 0 };
    var es = new EventSource("/_lede/events");
    function reload() { location.reload(); }
    function selfCheck() {
      fetch(location.href, { method: "HEAD", cache: "no-store" }).then(function (r) {
        var t = r.headers.get("X-Lede-Tag");
        if (t && t !== tag) reload();
      }, function () {});
    }
    function swapStyles() {
      var links = document.querySelectorAll('link[rel~="stylesheet"]');
      Array.prototype.forEach.call(links, function (link) {
        var url = new URL(link.href, location.href);
        if (url.origin !== location.origin) return;
        url.searchParams.set("lede", String(Date.now()));
        var fresh = link.cloneNode(false);
        fresh.href = url.href;
        fresh.onload = fresh.onerror = function () { link.remove(); };
        link.after(fresh);
      });
    }
    function hideErrors() {
      var old = document.getElementById("lede-error-overlay");
      if (old) old.remove();
    }
    function showErrors(errors) {
      state.error = true;
      hideErrors();
      var host = document.createElement("div");
      host.id = "lede-error-overlay";
      var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
      var style = document.createElement("style");
      style.textContent = ":host{all:initial}" +
        ".bg{position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.72);overflow:auto;font:15px/1.5 system-ui,sans-serif}" +
        ".box{max-width:56rem;margin:8vh auto;background:#fff;color:#1a1a1a;border-top:6px solid #c0262d;border-radius:6px;padding:1.5rem 2rem;box-shadow:0 10px 40px rgba(0,0,0,.4)}" +
        "h2{margin:0 0 1rem;font-size:1.25rem;color:#c0262d}" +
        "ol{margin:0;padding:0;list-style:none}li{margin:0 0 1rem}" +
        "code{display:block;font:600 14px/1.4 ui-monospace,monospace;color:#333}" +
        "p{margin:.25rem 0 0;white-space:pre-wrap}.hint{color:#555;margin-top:1rem;font-size:13px}" +
        "button{float:right;border:0;background:none;font-size:1.5rem;line-height:1;cursor:pointer;color:#555}";
      var bg = document.createElement("div");
      bg.className = "bg";
      bg.setAttribute("role", "alertdialog");
      bg.setAttribute("aria-labelledby", "t");
      var box = document.createElement("div");
      box.className = "box";
      var close = document.createElement("button");
      close.textContent = "\u00d7";
      close.setAttribute("aria-label", "Hide");
      close.onclick = function () { host.remove(); };
      var h = document.createElement("h2");
      h.id = "t";
      h.textContent = "lede: the site did not build (" + errors.length + " error" + (errors.length === 1 ? "" : "s") + ")";
      var list = document.createElement("ol");
      errors.forEach(function (e) {
        var li = document.createElement("li");
        li.className = "error";
        var where = document.createElement("code");
        where.textContent = e.path + ":" + e.line + ":" + e.column;
        var msg = document.createElement("p");
        msg.textContent = e.message;
        li.appendChild(where); li.appendChild(msg); list.appendChild(li);
      });
      var hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = "Fix the file and save it: this page reloads by itself. The last good version of the site is still served.";
      box.appendChild(close); box.appendChild(h); box.appendChild(list); box.appendChild(hint);
      bg.appendChild(box); root.appendChild(style); root.appendChild(bg);
      (document.body || document.documentElement).appendChild(host);
    }
    es.addEventListener("hello", function (e) {
      var d = JSON.parse(e.data);
      if (d.errors && d.errors.length) { showErrors(d.errors); return; }
      if (state.error) { reload(); return; }
      selfCheck();
    });
    es.addEventListener("rebuilt", function (e) {
      state.events++;
      var d = JSON.parse(e.data);
      if (state.error) { reload(); return; }
      if (d.stylesOnly) { swapStyles(); return; }
      if (!d.changed) { reload(); return; }
      var css = false, pages = false, other = false;
      d.changed.forEach(function (p) {
        if (/\.css$/.test(p)) css = true;
        else if (/\.(html|xml|json|txt)$/.test(p)) pages = true;
        else other = true;
      });
      if (other) { reload(); return; }
      if (css) swapStyles();
      if (pages) selfCheck();
    });
    es.addEventListener("failed", function (e) { showErrors(JSON.parse(e.data).errors); });
    // A new search index, or overlay: a page that loaded the old one (its
    // files are named by their content, and the old ones are gone) loads it again.
    es.addEventListener("search", function () {
      if (state.error || !window.performance || !performance.getEntriesByType) return;
      var used = performance.getEntriesByType("resource").some(function (r) { return /\/pagefind\/|\/_lede\/search-overlay\//.test(r.name); });
      if (used) reload();
    });

    """#

    /// The page served for every HTML request while there is no site at all
    /// (the first build failed): the errors, and the script that reloads it
    /// once they are fixed.
    public static func errorPage(_ errors: [Diagnostic]) -> [UInt8] {
        var items = ""
        for e in errors where e.severity == .error {
            items += "<li><code>\(HTML.escape("\(e.path):\(e.line):\(e.column)"))</code><p>\(HTML.escape(e.message))</p></li>\n"
        }
        let page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Build failed · lede serve</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:3rem auto;padding:0 1rem}
            h1{color:#c0262d;font-size:1.5rem}code{font-weight:600}li{margin-bottom:1rem}p{margin:.25rem 0}</style>
            </head>
            <body>
            <h1>lede: the site did not build</h1>
            <ol class="errors">
            \(items)</ol>
            <p>Fix the files and save: this page reloads by itself.</p>
            </body>
            </html>

            """
        return inject(into: Array(page.utf8), tag: "build-failed")
    }
}
