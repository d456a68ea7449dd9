import Foundation
import Testing
@testable import LedeCore

/// A published folder served by a real nginx on a loopback port: pages,
/// fingerprinted assets, the 404 page, and no gap while a publish switches.
@Suite(.serialized) struct PublishServeTests {
    func stylesheet(in html: String) throws -> String {
        let start = try #require(html.range(of: "<link rel=\"stylesheet\" href=\""))
        let end = try #require(html[start.upperBound...].firstIndex(of: "\""))
        return String(html[start.upperBound..<end])
    }

    @Test func nginxServesThePublishedSite() throws {
        var files = publishSite
        files["templates/assets/style.css"] = "body { color: #222; }\n"
        let site = try TestSite(files)
        let target = site.root + "/www"
        try site.publish(to: .folder(target))
        let nginx = try startNginx(serving: target)
        let base = "http://127.0.0.1:\(nginx.port)"

        let home = try httpGet(base + "/")
        #expect(home.status == 200)
        #expect(home.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(home.text.contains("<title>Desk</title>"))
        let css = try stylesheet(in: home.text)
        #expect(css.hasPrefix("./assets/style.") && css.hasSuffix(".css"))
        let style = try httpGet(base + "/" + css.dropFirst(2))
        #expect(style.status == 200)
        #expect(style.headers["content-type"]?.hasPrefix("text/css") == true)
        #expect(style.text == "body { color: #222; }\n")
        #expect(style.headers["cache-control"] == "max-age=315360000", "fingerprinted assets can be cached for ever")

        let page = try httpGet(base + "/wall/")
        #expect(page.status == 200)
        #expect(page.text.contains("<h1 class=\"article-title\">The Wall falls</h1>"))
        #expect(try stylesheet(in: page.text) == "../" + css.dropFirst(2))
        let image = try httpGet(base + "/images/map.svg")
        #expect(image.status == 200 && image.headers["content-type"] == "image/svg+xml")
        #expect(try httpGet(base + "/robots.txt").text.contains("Sitemap: https://news.example.org/sitemap.xml"))
        #expect(try httpGet(base + "/feed.xml").text.contains("<title>Moon landing</title>"))
        #expect(try httpGet(base + "/sitemap.xml").text.contains("<loc>https://news.example.org/wall/</loc>"))
        let icon = try #require(home.text.range(of: "./assets/favicon.")).lowerBound
        let iconPath = home.text[icon...].prefix { $0 != "\"" }.dropFirst(2)
        #expect(try httpGet(base + "/" + iconPath).status == 200)
        let missing = try httpGet(base + "/no-such-explainer/")
        #expect(missing.status == 404)
        #expect(missing.text.contains("This page does not exist"))
        #expect(missing.text.contains("href=\"/" + css.dropFirst(2) + "\""), "the 404 page's stylesheet works at any depth")
    }

    @Test func readersNeverSeeAGapWhileAPublishSwitches() throws {
        var files = publishSite
        files["templates/assets/style.css"] = "body { color: #000; }\n"
        let site = try TestSite(files)
        let target = site.root + "/www"
        try site.publish(to: .folder(target))
        let nginx = try startNginx(serving: target)
        let base = "http://127.0.0.1:\(nginx.port)"
        let oldCSS = try stylesheet(in: try httpGet(base + "/").text)

        // Fetch the home page without pause while the site is published ten times.
        final class Watch: @unchecked Sendable {
            let lock = NSLock()
            var statuses: [Int: Int] = [:]
            var stop = false
        }
        let watch = Watch()
        let done = DispatchSemaphore(value: 0)
        Thread {
            while !watch.lock.withLock({ watch.stop }) {
                let status = (try? httpGet(base + "/wall/", timeout: 5).status) ?? -1
                watch.lock.withLock { watch.statuses[status, default: 0] += 1 }
            }
            done.signal()
        }.start()
        for k in 0..<10 {
            try site.write("templates/assets/style.css", "body { color: #\(k)\(k)\(k); }\n")
            try site.write("content/wall.md", article("The Wall falls", date: "1999-11-09", tags: ["berlin"], body: "Version \(k)."))
            try site.publish(to: .folder(target))
        }
        watch.lock.withLock { watch.stop = true }
        done.wait()
        let statuses = watch.lock.withLock { watch.statuses }
        #expect(statuses.keys.sorted() == [200], "answers while publishing: \(statuses)")
        #expect(statuses[200, default: 0] > 10)

        let home = try httpGet(base + "/").text
        let newCSS = try stylesheet(in: home)
        #expect(newCSS != oldCSS)
        #expect(try httpGet(base + "/" + newCSS.dropFirst(2)).text == "body { color: #999; }\n")
        #expect(try httpGet(base + "/" + oldCSS.dropFirst(2)).status == 404)
        #expect(try httpGet(base + "/wall/").text.contains("Version 9."))
    }
}
