import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedeCore

/// `lede build` keeps the site it swapped out (`.public.previous/`) and the
/// next build brings it up to date with what changed instead of linking
/// every file again: the output must still be exactly a full build's, after
/// any sequence of edits, hand changes to public/, failures and kills.
@Suite(.serialized) struct PreviousSiteTests {
    /// Enough articles that an edit rewrites less than half of the site's files.
    static let articles = 30

    static func inode(_ path: String) -> UInt64? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return UInt64(st.st_ino)
    }

    static func linkCount(_ path: String) -> Int {
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        return Int(st.st_nlink)
    }

    /// Every folder under `folder` (the snapshot sees files only).
    static func folders(_ site: TestSite, _ folder: String = "public") -> Set<String> {
        let base = site.root + "/" + folder
        var out: Set<String> = []
        guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
        for case let rel as String in walker {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir), isDir.boolValue { out.insert(rel) }
        }
        return out
    }

    /// The files and folders a full build without cache makes of the sources.
    static func reference(_ site: TestSite) throws -> (files: [String: Data], folders: Set<String>) {
        try BuildSafetyTests.withReference(site) { (try site.snapshot("reference"), folders(site, "reference")) }
    }

    static func expectLikeAFullBuild(_ site: TestSite, _ when: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let want = try reference(site)
        let got = try site.snapshot()
        let same = got == want.files, sameFolders = folders(site) == want.folders
        #expect(same, "\(when): public/ differs from a full build in \(Set(got.keys).symmetricDifference(want.files.keys).sorted().prefix(5)) or the bytes of \(got.keys.filter { want.files[$0] != nil && want.files[$0] != got[$0] }.sorted().prefix(5))", sourceLocation: sourceLocation)
        #expect(sameFolders, "\(when): folders \(folders(site).symmetricDifference(want.folders).sorted())", sourceLocation: sourceLocation)
    }

    /// Edits the sources to each version and builds, expecting a full build's output each time.
    static func expectEditsLikeFullBuilds(_ site: TestSite, _ versions: ClosedRange<Int>, _ after: String,
                                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        for version in versions {
            try BuildSafetyTests.edit(site, version: version, articles: articles)
            try site.build()
            try expectLikeAFullBuild(site, "version \(version) \(after)", sourceLocation: sourceLocation)
        }
    }

    /// A site built three times (the third build has a previous site to take).
    static func cycling(function: String = #function) throws -> TestSite {
        let site = try TestSite(BuildSafetyTests.files(articles: articles), function: function)
        try site.build()
        for version in 1...2 {
            try BuildSafetyTests.edit(site, version: version, articles: articles)
            try site.build()
        }
        #expect(site.exists(".public.previous"), "no previous site kept after three builds")
        return site
    }

    @Test func theSwappedOutSiteIsTakenAndBroughtUpToDate() throws {
        let site = try Self.cycling()
        for version in 3...9 {
            try BuildSafetyTests.edit(site, version: version, articles: Self.articles)
            let kept = Self.inode(site.root + "/.public.previous")
            let current = Self.inode(site.root + "/public")
            try site.build()
            // The two folders swap places: the build wrote into the kept one.
            #expect(kept != nil && Self.inode(site.root + "/public") == kept, "version \(version): the previous site was not taken")
            #expect(Self.inode(site.root + "/.public.previous") == current, "version \(version): the swapped-out site was not kept")
            try Self.expectLikeAFullBuild(site, "version \(version)")
        }
        // Files no build changed are one file in both folders.
        #expect(Self.linkCount(site.root + "/public/images/map.svg") == 2)
        #expect(!site.exists("public/" + PreviousSite.recordName))
    }

    /// The first build records the site's fingerprint, the second keeps the
    /// site it swaps out, the third takes it; a build without cache keeps nothing.
    @Test func theFirstBuildsPrepareThePreviousSite() throws {
        let site = try TestSite(BuildSafetyTests.files(articles: Self.articles))
        try site.build()
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root + "/.public.previous") == [PreviousSite.recordName])
        let first = Self.inode(site.root + "/public")
        try BuildSafetyTests.edit(site, version: 1, articles: Self.articles)
        try site.build()
        #expect(Self.inode(site.root + "/.public.previous") == first)
        #expect(site.exists(".public.previous/index.html") && site.exists(".public.previous/" + PreviousSite.recordName))
        try BuildSafetyTests.edit(site, version: 2, articles: Self.articles)
        try site.build()
        #expect(Self.inode(site.root + "/public") == first)
        try Self.expectLikeAFullBuild(site, "third build")

        var options = BuildOptions(siteRoot: site.root)
        options.workers = 2
        options.useCache = false
        _ = try SiteBuilder.build(options)
        #expect(!site.exists(".public.previous"))
        try Self.expectLikeAFullBuild(site, "without cache")
    }

    /// A build that rewrites every page keeps no copy of the old site (it
    /// would double the disk the site takes); the builds after it are right
    /// and soon keep one again.
    @Test func aBuildThatRewritesTheSiteKeepsNoPreviousSite() throws {
        let site = try Self.cycling()
        var index = try site.read("content/_index.md")
        index = index.replacingOccurrences(of: "title: Desk", with: "title: The Newsdesk")
        try site.write("content/_index.md", index)
        let report = try site.build()
        // Every page, over half of the files (the search index aside).
        let files = try site.snapshot().keys.filter { !$0.hasPrefix("pagefind/") }
        #expect(2 * (report.changedOutputs?.count ?? 0) > files.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root + "/.public.previous") == [PreviousSite.recordName])
        try Self.expectLikeAFullBuild(site, "after the site's title changed")
        try Self.expectEditsLikeFullBuilds(site, 3...5, "after the title change")
        #expect(site.exists(".public.previous/index.html"))
    }

    @Test func aBuildWithNothingChangedKeepsThePreviousSite() throws {
        let site = try Self.cycling()
        let kept = Self.inode(site.root + "/.public.previous")
        let report = try site.build()
        #expect(report.changedOutputs == [])
        #expect(Self.inode(site.root + "/.public.previous") == kept)
        try BuildSafetyTests.edit(site, version: 3, articles: Self.articles)
        try site.build()
        #expect(Self.inode(site.root + "/public") == kept)
        try Self.expectLikeAFullBuild(site, "after a build with nothing to do")
    }

    /// A file added to public/ by hand goes at the next build, as it always
    /// did, and must not come back from the kept site one build later.
    @Test func aFileAddedByHandDoesNotComeBack() throws {
        let site = try Self.cycling()
        try site.write("public/notes.txt", "mine")
        try site.write("public/a1/draft.html", "mine too")
        for version in 3...6 {
            try BuildSafetyTests.edit(site, version: version, articles: Self.articles)
            try site.build()
            #expect(!site.exists("public/notes.txt") && !site.exists("public/a1/draft.html"), "version \(version): a hand-made file is back")
            try Self.expectLikeAFullBuild(site, "version \(version)")
        }
    }

    /// An article deleted with its pages by hand: its pages must not come
    /// back from the previous site, which still has them.
    @Test func aPageDeletedByHandWithItsArticleStaysGone() throws {
        let site = try Self.cycling()
        try site.remove("content/a7.md")
        try site.remove("public/a7")
        try site.build()
        #expect(!site.exists("public/a7"))
        try Self.expectLikeAFullBuild(site, "after deleting a7 and its pages")
        try Self.expectEditsLikeFullBuilds(site, 3...4, "after a7 went")
    }

    /// A page changed in place (the kept site shares the file) is rebuilt,
    /// and the kept copy does not carry the change into a later build.
    @Test func aPageChangedInPlaceByHandIsRebuilt() throws {
        let site = try Self.cycling()
        let page = site.root + "/public/a5/index.html"
        let handle = try #require(FileHandle(forWritingAtPath: page))
        handle.seekToEndOfFile()
        handle.write(Data("<!-- changed by hand -->".utf8))
        try handle.close()
        for version in 3...5 {
            try BuildSafetyTests.edit(site, version: version, articles: Self.articles)
            try site.build()
            #expect(!(try site.read("public/a5/index.html")).contains("changed by hand"), "version \(version)")
            try Self.expectLikeAFullBuild(site, "version \(version)")
        }
    }

    @Test func aFailedBuildLeavesThePreviousSiteForTheNext() throws {
        let site = try Self.cycling()
        let before = try site.snapshot()
        try BuildSafetyTests.edit(site, version: 3, articles: Self.articles)
        try site.write("content/broken.md", "---\ntitle: [unclosed\n---\nText.\n")
        let errors = site.buildErrors()
        #expect(errors.contains { $0.path.hasSuffix("broken.md") }, "\(errors)")
        #expect(try site.snapshot() == before)
        #expect(site.exists(".public.previous"), "the failed build lost the previous site")
        try site.remove("content/broken.md")
        for version in 4...5 {
            try BuildSafetyTests.edit(site, version: version, articles: Self.articles)
            let kept = Self.inode(site.root + "/.public.previous")
            try site.build()
            #expect(Self.inode(site.root + "/public") == kept)
            try Self.expectLikeAFullBuild(site, "version \(version) after a failed build")
        }
    }

    /// The previous site has a file where the new one needs a folder, and back.
    @Test func aFileThatBecomesAFolder() throws {
        let site = try Self.cycling()
        try site.write("static/files/guide", "a file")
        try site.build()
        try Self.expectLikeAFullBuild(site, "a file")
        try site.remove("static/files/guide")
        try site.write("static/files/guide/part.txt", "in a folder")
        try site.build()
        try Self.expectLikeAFullBuild(site, "now a folder")
        try site.build()
        try site.remove("static/files/guide")
        try site.write("static/files/guide", "a file again")
        try site.build()
        try Self.expectLikeAFullBuild(site, "a file again")
        try BuildSafetyTests.edit(site, version: 3, articles: Self.articles)
        try site.build()
        try Self.expectLikeAFullBuild(site, "and one more build")
    }

    /// `lede serve` changes its folder in place: the kept site would no
    /// longer describe it, so it goes.
    @Test func anUpdateInPlaceDropsThePreviousSite() throws {
        let site = try Self.cycling()
        try BuildSafetyTests.edit(site, version: 3, articles: Self.articles)
        var options = BuildOptions(siteRoot: site.root)
        options.workers = 2
        options.updateInPlace = true
        _ = try SiteBuilder.build(options)
        #expect(!site.exists(".public.previous"))
        try Self.expectEditsLikeFullBuilds(site, 4...6, "after an update in place")
    }

    /// Killed while it holds the previous site as its staging folder, or
    /// right after the swap: the next builds are right again.
    @Test(arguments: ["articles", "staged", "swapped"]) func killedWhileHoldingThePreviousSite(_ moment: String) throws {
        let site = try Self.cycling()
        let before = try site.snapshot()
        try BuildSafetyTests.edit(site, version: 3, articles: Self.articles)
        let next = try Self.reference(site).files
        let process = try BuildSafetyTests.startBuild(site, stopAt: moment)
        #expect(BuildSafetyTests.waitUntilStopped(process), "the build did not reach \(moment)")
        BuildSafetyTests.killBuild(process)
        #expect(try site.snapshot() == (moment == "swapped" ? next : before))
        try Self.expectEditsLikeFullBuilds(site, 4...6, "after a kill at \(moment)")
        #expect(try BuildSafetyTests.leftovers(site).isEmpty)
        #expect(site.exists(".public.previous"))
    }

    @Test func theRecordReadsBackAsItWasWritten() throws {
        let record = PreviousSite(targetInode: 42, fingerprint: 0xfeed, folders: ["", "a", "a/b", "été"], holdsSite: true,
                                  changed: ["a/b/index.html", "index.xml"])
        let back = try #require(PreviousSite(decoding: record.encoded()))
        #expect(back.targetInode == 42 && back.fingerprint == 0xfeed && back.holdsSite)
        #expect(back.folders == record.folders && back.changed == record.changed)
        var bare = record
        bare.fingerprint = nil
        bare.holdsSite = false
        bare.changed = []
        let none = try #require(PreviousSite(decoding: bare.encoded()))
        #expect(none.fingerprint == nil && !none.holdsSite && none.changed.isEmpty && none.folders == record.folders)
        // A cut record is no record.
        #expect(PreviousSite(decoding: Array(record.encoded().dropLast(3))) == nil)
        #expect(PreviousSite(decoding: Array("lede-previous 2\u{0}1\u{0}-\u{0}site\u{0}0\u{0}".utf8)) == nil)
    }

    @Test func theFoldersOfASiteAreEveryFolderAboveItsFiles() {
        let folders = PreviousSite.folders(holding: ["index.html", "a/index.html", "a/timeline.json", "tags/x/index.html", "tags/y/page/2/index.html"])
        #expect(folders.first == "")
        #expect(Set(folders) == ["", "a", "tags", "tags/x", "tags/y", "tags/y/page", "tags/y/page/2"])
        #expect(folders.count == Set(folders).count)
    }
}
