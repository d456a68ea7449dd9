import Foundation
import Testing
@testable import LedeCore

/// The production build that lede check verifies and lede publish ships.
@Suite struct PublishProductionTests {
    static let site: [String: String] = publishSite.merging([
        "content/draft.md": article("Unfinished", extra: "draft: true\n"),
        "content/future.md": article("Tomorrow", date: "2999-01-01"),
    ]) { a, _ in a }

    @Test func leavesOutDraftsAndFutureArticlesAndUsesTheBaseURL() throws {
        let site = try TestSite(Self.site)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        #expect(build.report.articles == 2)
        #expect(build.report.drafts == 1 && build.report.futureArticles == 1)
        let files = snapshot(build.folder)
        #expect(files["unfinished/index.html"] == nil && files["tomorrow/index.html"] == nil)
        let page = String(decoding: try #require(files["wall/index.html"]), as: UTF8.self)
        #expect(page.contains("<link rel=\"canonical\" href=\"https://news.example.org/wall/\">"))
        #expect(page.contains("<meta property=\"og:url\" content=\"https://news.example.org/wall/\">"))
        let feed = String(decoding: try #require(files["feed.xml"]), as: UTF8.self)
        #expect(feed.contains("<id>https://news.example.org/wall/</id>"))
        #expect(!feed.contains("Unfinished") && !feed.contains("Tomorrow"))
        let sitemap = String(decoding: try #require(files["sitemap.xml"]), as: UTF8.self)
        #expect(sitemap.contains("<loc>https://news.example.org/moon/</loc>"))
        #expect(!sitemap.contains("unfinished") && !sitemap.contains("tomorrow"))
        // Every page of the site is in the sitemap (the timelines and the
        // search page included), and nothing else.
        let listed = Set(sitemap.components(separatedBy: "<loc>https://news.example.org/").dropFirst()
            .map { String($0.prefix { $0 != "<" }) + "index.html" })
        let pages = Set(files.keys.filter { $0.hasSuffix("index.html") })
        #expect(listed == pages, "not listed: \(pages.subtracting(listed).sorted()), not pages: \(listed.subtracting(pages).sorted())")
        #expect(listed.contains("timeline/index.html"))
        // public/ is never touched.
        #expect(!site.exists("public"))
    }

    @Test func fingerprintsThemeAssetsAndRewritesEveryReference() throws {
        let site = try TestSite(Self.site)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        let files = snapshot(build.folder)
        let assets = files.keys.filter { $0.hasPrefix("assets/") }.sorted()
        // Every file of the theme's assets/, each under its fingerprinted name.
        #expect(assets.count == Theme.builtInAssets.count)
        let css = try #require(assets.first { $0.hasSuffix(".css") })
        let icon = try #require(assets.first { $0.hasSuffix(".svg") })
        // style.<8 hex digits of the SHA-256 of the bytes>.css
        let cssBytes = try #require(files[css])
        #expect(css == "assets/style.\(SHA256.hex(cssBytes).prefix(8)).css")
        #expect(icon.hasPrefix("assets/favicon.") && icon.count == "assets/favicon.12345678.svg".count)
        #expect(files["assets/style.css"] == nil && files["assets/favicon.svg"] == nil)
        let page = String(decoding: try #require(files["wall/index.html"]), as: UTF8.self)
        #expect(page.contains("<link rel=\"stylesheet\" href=\"../\(css)\">"))
        #expect(page.contains("<link rel=\"icon\" href=\"../\(icon)\""))
        let notFound = String(decoding: try #require(files["404.html"]), as: UTF8.self)
        #expect(notFound.contains("href=\"/\(css)\""))
        // static/ files keep their names.
        #expect(files["images/map.svg"] != nil)
    }

    @Test func robotsTxtNamesTheSitemapUnlessStaticHasOne() throws {
        let site = try TestSite(Self.site)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        #expect(try String(contentsOfFile: build.folder + "/robots.txt", encoding: .utf8)
                == "User-agent: *\nAllow: /\n\nSitemap: https://news.example.org/sitemap.xml\n")
        try site.write("static/robots.txt", "User-agent: *\nDisallow: /\n")
        let own = try Production.build(siteRoot: site.root, workers: 2)
        defer { own.remove() }
        #expect(try String(contentsOfFile: own.folder + "/robots.txt", encoding: .utf8) == "User-agent: *\nDisallow: /\n")
    }

    @Test func twoBuildsOfTheSameInputAreByteForByteIdentical() throws {
        let site = try TestSite(Self.site)
        let first = try Production.build(siteRoot: site.root, workers: 2)
        defer { first.remove() }
        let second = try Production.build(siteRoot: site.root, workers: 1)
        defer { second.remove() }
        #expect(first.folder != second.folder)
        let a = snapshot(first.folder), b = snapshot(second.folder)
        #expect(a.count > 10)
        #expect(a == b)
    }

    @Test func needsABaseURL() throws {
        var files = Self.site
        files["content/_index.md"] = "---\ntitle: Desk\n---\n"
        let site = try TestSite(files)
        do {
            let build = try Production.build(siteRoot: site.root)
            build.remove()
            Issue.record("a production build without a base URL should fail")
        } catch {
            #expect(error.all.first?.path == "content/_index.md")
            #expect(error.all.first?.message.contains("base_url: https://example.org/") == true)
            #expect(error.all.first?.message.contains("--base-url") == true)
        }
        let build = try Production.build(siteRoot: site.root, baseURL: "https://elsewhere.test/sub")
        defer { build.remove() }
        #expect(try String(contentsOfFile: build.folder + "/wall/index.html", encoding: .utf8)
            .contains("href=\"https://elsewhere.test/sub/wall/\""))
    }

    @Test func siteTemplatesAndStylesheetReferencesAreRewrittenToo() throws {
        var files = Self.site
        files["templates/assets/style.css"] = "@import \"fonts.css\";\nbody { background: url(img/paper.png) }\n/* url(not-this.png) */\n"
        files["templates/assets/fonts.css"] = "@font-face { src: url('fonts/serif.woff2?v=2#x') }\n"
        files["templates/assets/fonts/serif.woff2"] = "FONT"
        files["templates/assets/img/paper.png"] = "PNG"
        files["templates/assets/logo.svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        files["templates/404.html"] = "<p><img src=\"{{root}}assets/logo.svg\" alt=\"\"> Not here. <a href=\"{{root}}\">{{site_title}}</a></p>\n"
        let site = try TestSite(files)
        let build = try Production.build(siteRoot: site.root, workers: 2)
        defer { build.remove() }
        let out = snapshot(build.folder)
        func named(_ prefix: String, _ ext: String) throws -> String {
            try #require(out.keys.first { $0.hasPrefix(prefix + ".") && $0.hasSuffix(ext) && $0.count == prefix.count + 9 + ext.count })
        }
        let font = try named("assets/fonts/serif", ".woff2")
        let paper = try named("assets/img/paper", ".png")
        let fonts = try named("assets/fonts", ".css")
        let style = try named("assets/style", ".css")
        let logo = try named("assets/logo", ".svg")
        let fontsCSS = String(decoding: out[fonts]!, as: UTF8.self)
        #expect(fontsCSS == "@font-face { src: url('fonts/\(font.split(separator: "/").last!)?v=2#x') }\n")
        let styleCSS = String(decoding: out[style]!, as: UTF8.self)
        #expect(styleCSS.contains("@import \"\(fonts.split(separator: "/").last!)\";"))
        #expect(styleCSS.contains("url(img/\(paper.split(separator: "/").last!))"))
        #expect(styleCSS.contains("/* url(not-this.png) */"))
        // The stylesheet's name follows what it refers to.
        #expect(style == "assets/style.\(SHA256.hex(out[style]!).prefix(8)).css")
        #expect(String(decoding: out["404.html"]!, as: UTF8.self).contains("<img src=\"/\(logo)\""))
        let check = SiteChecker.check(folder: build.folder, baseURL: build.config.baseURL!)
        #expect(check.problems.isEmpty, "\(check.problems)")
    }

    @Test func stylesheetsThatImportEachOtherAreAnError() throws {
        var files = Self.site
        files["templates/assets/style.css"] = "@import url(a.css);\n"
        files["templates/assets/a.css"] = "@import 'style.css';\n"
        let site = try TestSite(files)
        do {
            let build = try Production.build(siteRoot: site.root)
            build.remove()
            Issue.record("expected an error")
        } catch {
            #expect(error.all.first?.message.contains("loop") == true)
            #expect(error.all.first?.message.contains("templates/assets/a.css") == true)
        }
    }

    @Test func fingerprintedNames() {
        #expect(AssetFingerprints.fingerprintedPath("assets/style.css", digest: "3f9a1c2e77") == "assets/style.3f9a1c2e.css")
        #expect(AssetFingerprints.fingerprintedPath("assets/js/a.min.js", digest: "0123456789") == "assets/js/a.min.01234567.js")
        #expect(AssetFingerprints.fingerprintedPath("assets/LICENSE", digest: "abcdef0123") == "assets/LICENSE.abcdef01")
        #expect(AssetFingerprints.fingerprintedPath("assets/.x", digest: "abcdef0123") == "assets/.x.abcdef01")
    }

    @Test func sha256MatchesKnownVectorsAndSha256sum() throws {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var incremental = SHA256()
        for _ in 0..<1000 { incremental.update([UInt8](repeating: 0x61, count: 1000)) }
        #expect(incremental.finish().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Lengths around the block and padding boundaries, against coreutils.
        let sha256sum = try #require(which("sha256sum"))
        for length in [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let file = NSTemporaryDirectory() + "lede-sha-\(length)-\(getpid())"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let expected = try run(sha256sum, [file]).stdout.prefix(64)
            #expect(SHA256.hex(bytes) == String(expected), "length \(length)")
        }
    }
}
