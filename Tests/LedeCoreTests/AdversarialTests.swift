import Foundation
import Testing
@testable import LedeCore

/// Hostile and broken input: each case gets a correct page or a clear error
/// naming the file, never a crash, a hang or a damaged public/. The builds run
/// in the real `lede` executable, so that a crash shows as a signal.
@Suite struct AdversarialTests {
    /// Builds with the executable; returns status and stderr.
    func build(_ site: TestSite) throws -> (status: Int32, stderr: String) {
        let r = try run(ledeExecutable, ["build", "--quiet", "--source", site.root])
        #expect(r.status == 0 || r.status == 1, "lede died: status \(r.status)\n\(r.stderr.suffix(2000))")
        return (r.status, r.stderr)
    }

    /// A previous good site, then the hostile file: the build either succeeds
    /// or fails with a message about `path`, and a failure leaves public/ as it was.
    func expectHandled(_ path: String, _ bytes: [UInt8], builds: Bool, message: String? = nil) throws {
        let site = try TestSite(["content/good.md": article("Good", body: "In 1990 a thing happened.")])
        #expect(try build(site).status == 0)
        let before = try site.snapshot()
        try site.write(path, Data(bytes))
        let (status, stderr) = try build(site)
        if builds {
            #expect(status == 0, "\(path) should build: \(stderr)")
        } else {
            #expect(status == 1, "\(path) should be refused")
            let name = path.split(separator: "/").last.map(String.init) ?? path
            #expect(stderr.contains(name), "the error does not name \(path): \(stderr)")
            if let message { #expect(stderr.contains(message), "expected “\(message)” in: \(stderr)") }
            #expect(try site.snapshot() == before, "public/ changed after a failed build")
        }
    }

    static func front(_ title: String = "T") -> [UInt8] { Array("---\ntitle: \(title)\ndate: 2020-01-01\n---\n".utf8) }

    // MARK: Very large inputs

    @Test func aTwentyMegabyteArticle() throws {
        var body = ""
        let paragraph = "On 9 November 1989 the wall opened, and in 1990 Germany was united. Crowds gathered; leaders spoke. "
        while body.utf8.count < 20_000_000 { body += paragraph + paragraph + "\n\n" }
        try expectHandled("content/huge.md", Self.front() + Array(body.utf8), builds: true)
    }

    @Test func aListOfTwoHundredThousandLines() throws {
        var body = ""
        for k in 0..<200_000 { body += "- item \(k) in \(1800 + k % 200)\n" }
        try expectHandled("content/list.md", Self.front() + Array(body.utf8), builds: true)
    }

    @Test func tenThousandHeadingsWithTheSameTitle() throws {
        let body = String(repeating: "## Background\n\nText.\n\n", count: 10_000)
        let site = try TestSite(["content/h.md": String(decoding: Self.front() + Array(body.utf8), as: UTF8.self)])
        #expect(try build(site).status == 0)
        let page = try site.read("public/h/index.html")
        #expect(page.contains("id=\"background-9999\""))
    }

    @Test func aOneMegabyteLine() throws {
        let line = String(repeating: "word 1999 and March 3, 2001, ", count: 1_000_000 / 28)
        try expectHandled("content/line.md", Self.front() + Array(line.utf8) + [0x0A], builds: true)
    }

    // MARK: Pathological Markdown

    static let nested: [String] = [
        String(repeating: ">", count: 50_000) + " deep\n",
        String(repeating: "- ", count: 20_000) + "deep\n",
        String(repeating: "*", count: 100_000) + "x" + String(repeating: "*", count: 100_000) + "\n",
        String(repeating: "[", count: 50_000) + "x" + String(repeating: "](u)", count: 50_000) + "\n",
        String(repeating: "*a **b ", count: 30_000) + "\n",
        String(repeating: "<div>", count: 30_000) + "\n",
        String(repeating: "`", count: 60_000) + "\n",
        "> [!NOTE]\n" + String(repeating: "> > [!TIP]\n", count: 5_000),
    ]

    /// By index, so that test names stay short.
    @Test(arguments: nested.indices)
    func pathologicalNesting(_ index: Int) throws {
        try expectHandled("content/nest.md", Self.front() + Array(Self.nested[index].utf8), builds: true)
    }

    // MARK: Bytes and line endings

    @Test func invalidAndOverlongUTF8AreRefusedWithTheirPosition() throws {
        try expectHandled("content/bad.md", Self.front() + Array("ok\nx ".utf8) + [0xC0, 0xAF] + [0x0A], builds: false,
                          message: "bad.md:6:3: error: the file is not valid UTF-8")
        try expectHandled("content/bad2.md", Self.front() + [0xED, 0xA0, 0x80], builds: false, message: "not valid UTF-8")
        try expectHandled("content/bad3.md", Self.front() + [0xF4, 0x90, 0x80, 0x80], builds: false, message: "not valid UTF-8")
    }

    @Test func byteOrderMarkCRLFAndLoneCR() throws {
        let site = try TestSite([:])
        try site.write("content/bom.md", Data([0xEF, 0xBB, 0xBF] + Self.front("BOM") + Array("In 1990 it ended.\n".utf8)))
        try site.write("content/crlf.md", Data(Array("---\r\ntitle: CRLF\r\ndate: 2020-01-01\r\n---\r\nIn 1991 it began.\r\n\r\n## Part\r\n".utf8)))
        try site.write("content/cr.md", Data(Array("---\rtitle: CR\rdate: 2020-01-01\r---\rIn 1992 it went on.\r\r## Part\r".utf8)))
        #expect(try build(site).status == 0)
        #expect(try site.read("public/bom/index.html").contains("<h1 class=\"article-title\">BOM</h1>"))
        #expect(try site.read("public/crlf/index.html").contains("<h2 id=\"part\">"))
        #expect(try site.read("public/cr/index.html").contains("<time datetime=\"1992\""))
    }

    @Test func nulBytesBecomeReplacementCharacters() throws {
        let site = try TestSite([:])
        try site.write("content/nul.md", Data(Self.front("Nul") + Array("a\u{0}b in 1990\n".utf8)))
        #expect(try build(site).status == 0)
        #expect(try site.read("public/nul/index.html").contains("a\u{FFFD}b"))
    }

    // MARK: Front matter

    @Test func frontMatterThatNeverCloses() throws {
        try expectHandled("content/open.md", Array("---\ntitle: Open\nbody text\n".utf8), builds: false, message: "never ends")
    }

    @Test func billionLaughsIsRefused() throws {
        var yaml = "---\ntitle: Laughs\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for k in 1...9 { yaml += "a\(k): &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "tags: *a9\n---\nBody.\n"
        try expectHandled("content/laughs.md", Array(yaml.utf8), builds: false, message: "too many values")
    }

    @Test func datesOutOfRange() throws {
        try expectHandled("content/feb.md", Array("---\ntitle: F\ndate: 2021-02-30\n---\n".utf8), builds: false,
                          message: "feb.md:3:7: error: `date` is not a valid date")
        try expectHandled("content/y5.md", Array("---\ntitle: F\ndate: 99999-01-01\n---\n".utf8), builds: false,
                          message: "`date` is not a valid date")
        try expectHandled("content/text.md", Self.front() + Array("In the year 0, in 99999, on February 30, 2021 and in year 10000 BC.\n".utf8), builds: true)
    }

    // MARK: Files and folders

    @Test func oddFileNames() throws {
        let site = try TestSite([
            "content/with space.md": article("Spaces"),
            "content/Zürich café.md": article("Unicode"),
            "content/.hidden.md": article("Hidden"),
            "content/.drafts/x.md": article("In a hidden folder"),
        ])
        #expect(try build(site).status == 0)
        #expect(site.exists("public/with-space/index.html"))
        #expect(site.exists("public/zurich-cafe/index.html"))
        #expect(!site.exists("public/hidden/index.html") && !site.exists("public/x/index.html"))
    }

    @Test func aSymlinkLoopIsAnError() throws {
        let site = try TestSite(["content/good.md": article("Good")])
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/loop", withDestinationPath: site.root + "/content")
        let (status, stderr) = try build(site)
        #expect(status == 1)
        #expect(stderr.contains("content/loop"), "\(stderr)")
    }

    @Test func unreadableAndSpecialFilesAreErrorsNotHangs() throws {
        let site = try TestSite(["content/good.md": article("Good")])
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/dangling.md", withDestinationPath: site.root + "/nowhere.md")
        #expect(mkfifo(site.root + "/content/pipe.md", 0o644) == 0)
        let (status, stderr) = try build(site)
        #expect(status == 1)
        #expect(stderr.contains("content/dangling.md:1:1: error: cannot read"), "\(stderr)")
        #expect(stderr.contains("content/pipe.md:1:1: error:"), "\(stderr)")
    }
}
