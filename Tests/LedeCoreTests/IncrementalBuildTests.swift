import Foundation
import Testing
@testable import LedeCore

/// Rebuilds — in a running session, and in a new process through the build
/// cache — must give exactly the site a full build gives, while writing only
/// what changed.
@Suite struct IncrementalBuildTests {
    static let site: [String: String] = [
        "content/_index.md": "---\ntitle: Desk\nbase_url: https://example.org/\n---\nHello.\n",
        "content/berlin.md": article("The Wall falls", date: "1999-11-09", tags: ["cold-war", "germany"],
                                     body: "On November 9, 1989 the wall opened.\n\n## Key takeaways\n\n- It fell.\n- It mattered."),
        "content/moon.md": article("Moon landing", date: "2009-07-20", tags: ["space", "cold-war"],
                                   body: "In July 1969 Apollo 11 landed.\n\n> [!NOTE]\n> A note."),
        "content/cuba.md": article("Cuba", date: "2012-10-16", tags: ["cold-war"],
                                   body: "In October 1962 the crisis began.\n\n## Aftermath\n\nIn 1963 a hotline was set up."),
        "content/sub/airlift.md": article("Airlift", date: "2008-06-24", body: "On 24 June 1948 the blockade began."),
        "content/draft.md": article("Unfinished", extra: "draft: true\n"),
        "static/robots.txt": "User-agent: *\n",
    ]

    /// The site a full build without any cache makes from the same sources.
    func fullBuild(_ site: TestSite, drafts: Bool = false) throws -> [String: Data] {
        var options = BuildOptions(siteRoot: site.root, output: site.root + "/full", drafts: drafts)
        options.useCache = false
        options.workers = 2
        try? FileManager.default.removeItem(atPath: site.root + "/full")
        _ = try SiteBuilder.build(options)
        return try site.snapshot("full")
    }

    func session(_ site: TestSite, drafts: Bool = false) -> SiteSession {
        var options = BuildOptions(siteRoot: site.root, drafts: drafts)
        options.workers = 2
        return SiteSession(options: options)
    }

    /// Applies `change`, rebuilds through a session told what changed, and
    /// through a new session (as a new `lede build` would), and compares both
    /// with a full build.
    @discardableResult
    func expectRebuild(_ site: TestSite, _ live: SiteSession, changed: [String], drafts: Bool = false,
                       _ change: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) throws -> BuildReport {
        try change()
        let report = try live.rebuild(changed: changed)
        let expected = try fullBuild(site, drafts: drafts)
        let got = try site.snapshot()
        #expect(got.keys.sorted() == expected.keys.sorted(), sourceLocation: sourceLocation)
        for (path, data) in expected where got[path] != data {
            Issue.record("public/\(path) differs from a full build after changing \(changed)", sourceLocation: sourceLocation)
        }
        // A new process, through the cache, has nothing left to do.
        let again = try session(site, drafts: drafts).build()
        #expect(again.changedOutputs == [], "a cold rebuild after \(changed) still wrote \(again.changedOutputs ?? ["everything"])", sourceLocation: sourceLocation)
        #expect(again.articlesRebuilt == 0, sourceLocation: sourceLocation)
        #expect(try site.snapshot() == expected, sourceLocation: sourceLocation)
        return report
    }

    @Test func secondBuildWritesNothingAndReadsNothing() throws {
        let site = try TestSite(Self.site)
        let first = try site.build()
        #expect(first.changedOutputs == nil)  // the whole folder was made
        #expect(first.articlesRebuilt == 5)
        let before = try FileManager.default.attributesOfItem(atPath: site.root + "/public/moon/index.html")
        let second = try site.build()
        #expect(second.changedOutputs == [])
        #expect(second.articlesRebuilt == 0)
        #expect((second.articles, second.pages, second.timelineEvents, second.takeaways, second.drafts) ==
                (first.articles, first.pages, first.timelineEvents, first.takeaways, first.drafts))
        let after = try FileManager.default.attributesOfItem(atPath: site.root + "/public/moon/index.html")
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
        #expect(try site.snapshot() == fullBuild(site))
    }

    /// Sources written just before a build are read again by the next one
    /// (they may change again within the clock's tick), which logs their
    /// records again: tests that count what is read or logged date them well before.
    func writtenLongAgo(_ site: TestSite, _ paths: some Sequence<String>) throws {
        let past = Date(timeIntervalSinceNow: -60)
        for path in paths {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: site.root + "/" + path)
        }
    }

    /// The cache log of a build that changed nothing grows only by the
    /// output folder's new owner token, not by the site record again.
    @Test func aBuildWithNothingChangedAppendsNoSiteRecord() throws {
        let site = try TestSite(Self.site)
        try writtenLongAgo(site, Self.site.keys)
        try site.build()
        func logSize() throws -> Int {
            let folder = site.root + "/.lede-cache"
            let logs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".log") }
            try #require(logs.count == 1)
            return try #require(try FileManager.default.attributesOfItem(atPath: folder + "/" + logs[0])[.size] as? Int)
        }
        let before = try logSize()
        let again = try site.build()
        #expect(again.changedOutputs == [])
        let after = try logSize()
        #expect(after - before <= 32, "a build with nothing changed appended \(after - before) bytes to the cache log")
        // An edit still records the site pages it changed, for a new process.
        try site.write("content/cuba.md", article("Cuba crisis", date: "2012-10-16", tags: ["cold-war"], body: "In October 1962 it began."))
        try site.build()
        #expect(try logSize() - after > 32)
        let cold = try session(site).build()
        #expect(cold.changedOutputs == [] && cold.articlesRebuilt == 0)
        #expect(try site.snapshot() == fullBuild(site))
    }

    /// A build that reads every article again (here after a change of the
    /// site's settings) writes the cache log whole, as the first build
    /// does: appended, it would leave the log twice its size, every record
    /// in it twice, for each later build to load.
    @Test func aFullRebuildRewritesTheCacheLog() throws {
        let site = try TestSite(Self.site)
        // Else a fast machine's third build reads all five again, as racy, and rewrites the log.
        try writtenLongAgo(site, Self.site.keys)
        func log() throws -> (size: Int, inode: UInt64) {
            let folder = site.root + "/.lede-cache"
            let logs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".log") }
            try #require(logs.count == 1)
            let stamp = try #require(FileIO.stamp(folder + "/" + logs[0]))
            return (Int(stamp.size), stamp.inode)
        }
        try site.build()
        let first = try log()
        try site.write("content/_index.md", "---\ntitle: The Desk\nbase_url: https://example.org/\n---\nHello.\n")
        let full = try site.build()
        #expect(full.articlesRebuilt == 5)
        let rebuilt = try log()
        #expect(rebuilt.inode != first.inode && rebuilt.size < first.size + first.size / 4,
                "the cache log went from \(first.size) to \(rebuilt.size) bytes with a full rebuild")
        // One article changed is still appended.
        try site.write("content/cuba.md", article("Cuba crisis", date: "2012-10-16", tags: ["cold-war"], body: "In October 1962 it began."))
        try site.build()
        #expect(try log().inode == rebuilt.inode)
        let cold = try session(site).build()
        #expect(cold.changedOutputs == [] && cold.articlesRebuilt == 0)
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func warningsAreReportedAgainWhenNothingChanged() throws {
        var files = Self.site
        files["content/moon.md"] = article("Moon landing", extra: "colour: blue\n")
        let site = try TestSite(files)
        let first = try site.build()
        let second = try site.build()
        #expect(first.warnings.count == 1)
        #expect(second.warnings == first.warnings)
    }

    @Test func editingABodyRewritesOnlyThatPageAndTheFeed() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        let report = try expectRebuild(site, live, changed: ["content/cuba.md"]) {
            try site.write("content/cuba.md", article("Cuba", date: "2012-10-16", tags: ["cold-war"],
                                                      body: "In October 1962 the crisis began.\n\n## Aftermath\n\nIn 1963 a hotline was set up between the capitals."))
        }
        #expect(report.articlesRebuilt == 1)
        // The edited sentence is the text of a timeline event: the article's
        // timeline, and the site's and its topic's timelines that show it, change too.
        #expect(Set(report.changedOutputs ?? []) == ["cuba/index.html", "feed.xml", "cuba/timeline.json",
                                                     "timeline/index.html", "timeline/timeline.json",
                                                     "tags/cold-war/timeline/index.html", "tags/cold-war/timeline/timeline.json"])
        // An edit outside the timeline's text touches only the page and the feed.
        let undated = try expectRebuild(site, live, changed: ["content/cuba.md"]) {
            try site.write("content/cuba.md", article("Cuba", date: "2012-10-16", tags: ["cold-war"],
                                                      body: "In October 1962 the crisis began.\n\n## Aftermath\n\nIn 1963 a hotline was set up between the capitals.\n\nIt still works."))
        }
        #expect(Set(undated.changedOutputs ?? []) == ["cuba/index.html", "feed.xml"])
    }

    /// Editors save through temporary files ("sed -i" makes content/sedAB12,
    /// vim probes with content/4913): such a file is not named as a change
    /// and does not make the session look at the whole content folder again,
    /// but a folder that comes or goes does.
    @Test func anEditorsTemporaryFileIsNotAChangeButAFolderIs() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        let edit = try expectRebuild(site, live, changed: ["content/sedAB12", "content/cuba.md", "content/4913"]) {
            try site.write("content/sedAB12", article("Cuba", date: "2012-10-16", tags: ["cold-war"], body: "In October 1962 the crisis began. Edited."))
            #expect(rename(site.root + "/content/sedAB12", site.root + "/content/cuba.md") == 0)
            try site.write("content/4913", "")
        }
        #expect(edit.changedSources == ["content/cuba.md"])
        #expect(edit.ignoredSources == ["content/sedAB12", "content/4913"])
        #expect(edit.articlesRebuilt == 1)
        try site.remove("content/4913")

        // A folder of articles arrives: named by the folder alone, it is looked into.
        let added = try expectRebuild(site, live, changed: ["content/later"]) {
            try site.write("content/later/berlin-airlift.md", article("Berlin airlift ends", date: "2013-05-12", body: "In May 1949 the blockade ended."))
        }
        #expect(added.ignoredSources.isEmpty)
        #expect(try site.read("public/berlin-airlift/index.html").contains("blockade ended"))
        // A folder that held articles goes: its articles go with it.
        let removed = try expectRebuild(site, live, changed: ["content/sub"]) { try site.remove("content/sub") }
        #expect(removed.ignoredSources.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: site.root + "/public/airlift/index.html"))
    }

    /// A running session takes the timeline pages it wrote for current
    /// without looking each up, but not once another build has used the
    /// output folder: then it reads the cache again and checks the folder,
    /// and a page deleted by hand meanwhile is written again.
    @Test func aSessionChecksItsTimelinePagesAgainAfterAnotherBuild() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        let berlin = { (year: Int) in
            article("The Wall falls", date: "1999-11-09", tags: ["cold-war", "germany"],
                    body: "On November 9, \(year) the wall opened.\n\n## Key takeaways\n\n- It fell.\n- It mattered.")
        }
        try site.write("content/berlin.md", berlin(1988))
        _ = try live.rebuild(changed: ["content/berlin.md"])
        #expect(live.state.pagePlan != nil, "the session trusts its manifest")

        // Another build (a `lede build` beside `lede serve`), then a topic
        // page that Berlin is not on is deleted by hand.
        _ = try session(site).build()
        try site.remove("public/tags/space/timeline/index.html")
        try site.write("content/berlin.md", berlin(1989))
        let report = try live.rebuild(changed: ["content/berlin.md"])
        #expect(report.changedOutputs?.contains("tags/space/timeline/index.html") == true)
        #expect(site.exists("public/tags/space/timeline/index.html"))
        let expected = try fullBuild(site), got = try site.snapshot()
        #expect(got.keys.sorted() == expected.keys.sorted())
        for (path, data) in expected where got[path] != data { Issue.record("public/\(path) differs from a full build") }
    }

    @Test func editingATitleUpdatesListPages() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        let report = try expectRebuild(site, live, changed: ["content/moon.md"]) {
            try site.write("content/moon.md", article("First steps on the Moon", date: "2009-07-20", tags: ["space", "cold-war"],
                                                      body: "In July 1969 Apollo 11 landed."))
        }
        let changed = Set(report.changedOutputs ?? [])
        #expect(changed.isSuperset(of: ["moon/index.html", "index.html", "tags/space/index.html", "tags/cold-war/index.html", "feed.xml"]))
        #expect(!changed.contains("berlin/index.html"))
        #expect(!changed.contains("tags/germany/index.html"))
    }

    /// A timeline long enough to be split into decade pages: a title edit
    /// renders again only the pages that show the article's events.
    @Test func aTitleEditRewritesOnlyTheTimelinePagesThatShowTheArticle() throws {
        // 32 articles of 50 events each, one decade apiece: 1600 events on the
        // site's timeline and on the "history" tag's, more than one page holds.
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        var files: [String: String] = ["content/_index.md": "---\ntitle: Mills\nbase_url: https://example.org/\n---\nHello.\n"]
        func mill(_ i: Int, title: String) -> String {
            let body = (0..<50).map { e in "In \(months[e % 12]) \(1700 + 10 * i + e / 12) the mill of town \(i) opened gate \(e)." }
            return article(title, date: "2020-01-\(10 + i % 18)", tags: ["history", i % 2 == 0 ? "even" : "odd"],
                           body: body.joined(separator: "\n\n"))
        }
        for i in 0..<32 { files["content/mill\(i).md"] = mill(i, title: "Mill \(i)") }
        let site = try TestSite(files)
        let live = session(site)
        _ = try live.build()
        #expect(site.exists("public/timeline/1750s/index.html"))
        #expect(site.exists("public/tags/history/timeline/1750s/timeline.json"))
        #expect(live.state.timelinePagesWritten.count > 60)
        let before = try site.read("public/timeline/1760s/index.html")
        let report = try expectRebuild(site, live, changed: ["content/mill5.md"]) {
            try site.write("content/mill5.md", mill(5, title: "The old mill"))
        }
        #expect(live.state.timelinePagesWritten.sorted() == [
            "tags/history/timeline/1750s/index.html", "tags/history/timeline/1750s/timeline.json",
            "tags/odd/timeline/index.html", "tags/odd/timeline/timeline.json",
            "timeline/1750s/index.html", "timeline/1750s/timeline.json",
        ])
        // Each made from the page as it was, the mill's items replaced.
        #expect(live.state.timelinePagesSpliced.sorted() == live.state.timelinePagesWritten.sorted())
        #expect(Set(report.changedOutputs ?? []).isSuperset(of: ["timeline/1750s/index.html", "tags/odd/timeline/timeline.json"]))
        #expect(try site.read("public/timeline/1750s/index.html").contains("The old mill"))
        #expect(try site.read("public/timeline/1760s/index.html") == before)
        // A page changed behind the session's back is not what it wrote: it
        // is rendered whole, and what was put in it is gone.
        try site.write("public/timeline/1750s/index.html", try site.read("public/timeline/1750s/index.html") + "<!-- mine -->")
        try expectRebuild(site, live, changed: ["content/mill5.md"]) {
            try site.write("content/mill5.md", mill(5, title: "The older mill"))
        }
        #expect(live.state.timelinePagesWritten.contains("timeline/1750s/index.html"))
        #expect(!live.state.timelinePagesSpliced.contains("timeline/1750s/index.html"))
        #expect(live.state.timelinePagesSpliced.contains("tags/odd/timeline/index.html"))
        #expect(try !site.read("public/timeline/1750s/index.html").contains("<!-- mine -->"))
        // An edit that changes no event renders no timeline page.
        try expectRebuild(site, live, changed: ["content/mill7.md"]) {
            try site.write("content/mill7.md", mill(7, title: "Mill 7") + "\nNo dates here.\n")
        }
        #expect(live.state.timelinePagesWritten.isEmpty)
    }

    /// An event told by two articles of different topics shows on each topic's
    /// timeline naming only that topic's article (a restricted copy). A title
    /// edit updates the copies in the session's kept layout, without laying
    /// the timelines out again; a tag edit lays them out anew.
    @Test func aTitleEditUpdatesEventsSharedAcrossTopics() throws {
        let wall = "On November 9, 1989 the Berlin Wall opened after weeks of protest."
        var files = Self.site
        files["content/fall.md"] = article("The fall", date: "2019-11-09", tags: ["germany"], body: wall + "\n\nIn 1990 Germany was one again.")
        files["content/europe.md"] = article("Europe's year", date: "2019-11-10", tags: ["europe"], body: wall + "\n\nIn 1991 the Soviet Union ended.")
        let site = try TestSite(files)
        let live = session(site)
        _ = try live.build()
        func item(_ page: String) throws -> String {
            let html = try site.read(page)
            let start = try #require(html.range(of: "datetime=\"1989-11-09\""))
            return String(html[start.lowerBound...].prefix(1500))
        }
        // One merged event naming both; on germany's timeline, a copy naming one.
        #expect(try item("public/timeline/index.html").contains("The fall") && item("public/timeline/index.html").contains("Europe"))
        #expect(try item("public/tags/germany/timeline/index.html").contains("The fall"))
        #expect(try !item("public/tags/germany/timeline/index.html").contains("Europe&#39;s year") && !item("public/tags/germany/timeline/index.html").contains("Europe's year"))
        try expectRebuild(site, live, changed: ["content/fall.md"]) {
            try site.write("content/fall.md", article("When the Wall fell", date: "2019-11-09", tags: ["germany"],
                                                      body: wall + "\n\nIn 1990 Germany was one again."))
        }
        #expect(live.state.merged?.changedEvents?.isEmpty == false, "the title edit did not take the kept layout")
        #expect(live.state.timelinePagesSpliced.contains("tags/germany/timeline/index.html"))
        #expect(try item("public/tags/germany/timeline/index.html").contains("When the Wall fell"))
        #expect(try item("public/timeline/index.html").contains("When the Wall fell"))
        try expectRebuild(site, live, changed: ["content/europe.md"]) {
            try site.write("content/europe.md", article("Europe's year", date: "2019-11-10", tags: ["europe", "germany"],
                                                        body: wall + "\n\nIn 1991 the Soviet Union ended."))
        }
        #expect(live.state.merged?.changedEvents == nil, "a tag edit must lay the timelines out anew")
    }

    /// A topic is named as the site's newest article spells its tag; two
    /// articles of one day go by title, so a title edit can change which
    /// spelling names the topic's timeline, as a full build would.
    @Test func aTitleEditThatReordersSpellingsOfATagNamesItsTimelineAsAFullBuild() throws {
        var files = Self.site
        files["content/b.md"] = article("B wall", date: "2019-11-09", tags: ["Cold War"], body: "On November 9, 1989 the Berlin Wall opened.")
        files["content/c.md"] = article("C wall", date: "2019-11-09", tags: ["cold war"], body: "In 1961 the wall went up.")
        let site = try TestSite(files)
        let live = session(site)
        _ = try live.build()
        #expect(try site.read("public/tags/cold-war/timeline/index.html").contains("Timeline: Cold War"))
        try expectRebuild(site, live, changed: ["content/c.md"]) {
            try site.write("content/c.md", article("A wall", date: "2019-11-09", tags: ["cold war"], body: "In 1961 the wall went up."))
        }
        #expect(try site.read("public/tags/cold-war/timeline/index.html").contains("Timeline: cold war"))
    }

    /// A title decides the order of articles of one day, which the home page
    /// follows, but not the sitemap: it lists articles in the order of their
    /// files, so that retitling one does not write its every entry again.
    @Test func aTitleEditThatReordersADayLeavesTheSitemap() throws {
        var files = Self.site
        files["content/b.md"] = article("B wall", date: "2019-11-09", tags: ["cold-war"], body: "On November 9, 1989 the Berlin Wall opened.")
        files["content/c.md"] = article("C wall", date: "2019-11-09", tags: ["cold-war"], body: "In 1961 the wall went up.")
        let site = try TestSite(files)
        let live = session(site)
        _ = try live.build()
        func order(_ page: String) throws -> [String] {
            let html = try site.read(page)
            return ["/b/", "/c/"].sorted { html.range(of: $0)!.lowerBound < html.range(of: $1)!.lowerBound }
        }
        #expect(try order("public/index.html") == ["/b/", "/c/"])
        let sitemap = try site.read("public/sitemap.xml")
        let report = try expectRebuild(site, live, changed: ["content/c.md"]) {
            try site.write("content/c.md", article("A wall", date: "2019-11-09", tags: ["cold-war"], body: "In 1961 the wall went up."))
        }
        #expect(try order("public/index.html") == ["/c/", "/b/"], "the home page follows the new title")
        #expect(try order("public/sitemap.xml") == ["/b/", "/c/"])
        #expect(report.changedOutputs?.contains("index.html") == true)
        #expect(report.changedOutputs?.contains("sitemap.xml") == false, "wrote \(report.changedOutputs ?? [])")
        #expect(try site.read("public/sitemap.xml") == sitemap)
    }

    /// Related explainers chosen again in a running session, after edits of
    /// titles, tags and words, are what a full build chooses.
    @Test func relatedExplainersAfterEditsAreWhatAFullBuildChooses() throws {
        let site = try TestSite(RelatedTests.files)
        let live = session(site)
        _ = try live.build()
        let count = live.state.related?.paths.count ?? 0
        #expect(count == 5)
        try expectRebuild(site, live, changed: ["content/wall.md"]) {
            try site.write("content/wall.md", article("A wall through Berlin", date: "2020-01-04", tags: ["cold-war", "germany"],
                                                      body: "In August 1961 East Germany sealed the border through Berlin with a wall."))
        }
        #expect(live.state.relatedChosenAgain?.isEmpty == false, "chosen again for all after a title edit")
        try expectRebuild(site, live, changed: ["content/cuba.md"]) {
            try site.write("content/cuba.md", article("The Cuban Missile Crisis", date: "2020-01-02", tags: ["cold-war", "space"],
                                                      body: "In October 1962 American planes found Soviet missiles in Cuba. Rockets and the Moon."))
        }
        try expectRebuild(site, live, changed: ["content/apollo.md"]) {
            try site.write("content/apollo.md", article("Apollo 11", date: "2020-01-01", tags: ["space", "germany"],
                                                        body: "In July 1969 two astronauts walked on the Moon. Berlin watched the wall of screens."))
        }
        #expect(live.state.related?.paths.count == count)
    }

    @Test func addingDeletingAndRenamingArticles() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        try expectRebuild(site, live, changed: ["content/korea.md"]) {
            try site.write("content/korea.md", article("Korea", date: "2010-06-25", tags: ["war"], body: "On June 25, 1950 war began."))
        }
        #expect(site.exists("public/korea/index.html"))
        #expect(site.exists("public/tags/war/index.html"))
        let removal = try expectRebuild(site, live, changed: ["content/korea.md"]) { try site.remove("content/korea.md") }
        #expect(!site.exists("public/korea"))
        #expect(!site.exists("public/tags/war"))
        #expect(Set(removal.changedOutputs ?? []).isSuperset(of: ["korea/index.html", "tags/war/index.html"]))
        try expectRebuild(site, live, changed: ["content/sub/airlift.md"]) {
            try site.write("content/sub/airlift.md", article("Airlift", date: "2008-06-24", extra: "slug: berlin-airlift\n",
                                                             body: "On 24 June 1948 the blockade began."))
        }
        #expect(site.exists("public/berlin-airlift/index.html"))
        #expect(!site.exists("public/airlift"))
    }

    @Test func publishingADraft() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        try expectRebuild(site, live, changed: ["content/draft.md"]) {
            try site.write("content/draft.md", article("Finished", date: "2011-01-01", body: "In 2010 it was done."))
        }
        #expect(site.exists("public/draft/index.html"))
        try expectRebuild(site, live, changed: ["content/draft.md"]) {
            try site.write("content/draft.md", article("Unfinished again", extra: "draft: true\n"))
        }
        #expect(!site.exists("public/draft"))
    }

    @Test func templateAndSettingsChangesRebuildEverything() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        let report = try expectRebuild(site, live, changed: ["templates/parts/dek.html"]) {
            try site.write("templates/parts/dek.html", "<p class=\"custom-dek\">{{summary}}</p>\n")
        }
        #expect(report.articlesRebuilt == 5)
        #expect(try site.read("public/moon/index.html").contains("custom-dek"))
        try expectRebuild(site, live, changed: ["content/_index.md"]) {
            try site.write("content/_index.md", "---\ntitle: Another Desk\nbase_url: https://example.com/news/\n---\nHi.\n")
        }
        #expect(try site.read("public/moon/index.html").contains("https://example.com/news/moon/"))
        try expectRebuild(site, live, changed: ["templates/parts/dek.html"]) { try site.remove("templates/parts/dek.html") }
        #expect(try !site.read("public/moon/index.html").contains("custom-dek"))
    }

    @Test func staticFilesAndStylesheets() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        let css = try expectRebuild(site, live, changed: ["templates/assets/style.css"]) {
            try site.write("templates/assets/style.css", "body { color: red; }\n")
        }
        #expect(css.stylesOnly)
        #expect(css.changedOutputs == ["assets/style.css"])
        let added = try expectRebuild(site, live, changed: ["static/images/x.svg"]) {
            try site.write("static/images/x.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        }
        #expect(!added.stylesOnly)
        #expect(added.changedOutputs == ["images/x.svg"])
        try expectRebuild(site, live, changed: ["static/robots.txt"]) { try site.remove("static/robots.txt") }
        #expect(!site.exists("public/robots.txt"))
        // A static file takes the place of a page of the same path.
        try expectRebuild(site, live, changed: ["static/404.html"]) { try site.write("static/404.html", "gone\n") }
        #expect(try site.read("public/404.html") == "gone\n")
        try expectRebuild(site, live, changed: ["static/404.html"]) { try site.remove("static/404.html") }
        #expect(try site.read("public/404.html").contains("<!doctype html>"))
    }

    @Test func aSessionRebuildsAnOutputFolderDeletedUnderIt() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        try site.remove("public")
        try expectRebuild(site, live, changed: [site.root + "/content/cuba.md"]) {  // an absolute path is fine too
            try site.write("content/cuba.md", article("Cuba", date: "2012-10-16", body: "In 1962."))
        }
    }

    @Test func aNewProcessFindsWhatChangedWithoutBeingTold() throws {
        let site = try TestSite(Self.site)
        try site.build()
        try site.write("content/berlin.md", article("The Wall falls", date: "1999-11-09", tags: ["germany"], body: "In 1989 it fell."))
        try site.remove("content/moon.md")
        try site.write("content/new.md", article("New", date: "2020-02-02", body: "In 2019 things happened."))
        try site.write("static/robots.txt", "User-agent: *\nDisallow: /x\n")
        let report = try site.build()
        #expect(report.articlesRebuilt == 2)
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func failedRebuildKeepsTheSiteAndTheNextOneRecovers() throws {
        let site = try TestSite(Self.site)
        let live = session(site)
        _ = try live.build()
        let before = try site.snapshot()
        try site.write("content/moon.md", "---\ntitle: [unclosed\n---\nx\n")
        #expect(throws: Diagnostics.self) { try live.rebuild(changed: ["content/moon.md"]) }
        #expect(try site.snapshot() == before)
        #expect(throws: Diagnostics.self) { try site.build() }  // a new process sees the error too
        #expect(try site.snapshot() == before)
        try expectRebuild(site, live, changed: ["content/moon.md"]) {
            try site.write("content/moon.md", article("Moon again", date: "2009-07-20", body: "In 1969 they landed."))
        }
    }

    @Test func outputChangedByHandIsRepaired() throws {
        let site = try TestSite(Self.site)
        try site.build()
        try site.write("public/moon/index.html", "vandalized")
        try site.remove("public/berlin/index.html")
        let report = try site.build()
        #expect(Set(report.changedOutputs ?? []) == ["moon/index.html", "berlin/index.html"])
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func switchingOptionsOnOneOutputFolderStaysExact() throws {
        let site = try TestSite(Self.site)
        try site.build()
        try site.build(drafts: true)
        #expect(site.exists("public/draft/index.html"))
        try site.build()  // its cache remembers a folder the drafts build has changed since
        #expect(!site.exists("public/draft"))
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func damagedCacheIsIgnored() throws {
        let site = try TestSite(Self.site)
        try site.build()
        let cacheDir = site.root + "/.lede-cache"
        for name in try FileManager.default.contentsOfDirectory(atPath: cacheDir) where name.hasSuffix(".log") {
            let path = cacheDir + "/" + name
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for k in stride(from: bytes.count / 2, to: bytes.count, by: 7) { bytes[k] ^= 0x5A }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        try site.write("content/cuba.md", article("Cuba", date: "2012-10-16", body: "In 1962."))
        try site.build()
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func cacheLogRoundTripsEveryRecord() throws {
        let folder = NSTemporaryDirectory() + "lede-cache-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var state = CacheState()
        state.siteKey = 42
        state.owner = 7
        let summary = ArticleSummary(
            path: "content/a.md", slug: "a", title: "A “title”", summary: "S", date: DateTime(parsing: "2018-07-16T14:30:00+02:00"),
            updated: nil, author: "Ann", tags: ["x", "y"], readingMinutes: 3,
            timeline: [TimelineEvent(value: "2018-07", endValue: "2019", display: "July 2018–2019", text: "T.", title: "H",
                                     anchor: "intro-1", source: .frontMatter, order: 2)],
            takeaways: [Takeaway(text: "K", source: .auto, anchor: "takeaway-1")], keyTerms: ["wall", "berlin"])
        let stamp = FileIO.Stamp(size: 10, mtime: -5, ctime: 1 << 40, inode: .max)
        state.articles["a.md"] = ArticleRecord(
            stamp: stamp, readAt: 99, contentHash: 1234, diagnostics: [.warning("content/a.md", 4, 1, "w")],
            info: .init(slug: "a", isDraft: false, date: summary.date, timelineCount: 1, takeawayCount: 1, pageHash: 77,
                        cardHash: summary.cardHash, profileHash: summary.relatedProfileHash, timelineHash: summary.timelineHash,
                        relatedSlot: 1234, summary: summary, encodedSummary: nil))
        state.articles["bad.md"] = ArticleRecord(stamp: stamp, readAt: 1, contentHash: 5, diagnostics: [.error("content/bad.md", 2, 3, "e")], info: nil)
        state.outputs["a/index.html"] = OutputEntry(hash: 77, stamp: stamp)
        state.sources["static/x"] = CopiedSource(stamp: stamp, readAt: 3, hash: 9)
        state.site = SiteRecord(inputsHash: 11, pages: 4, feedBodies: ["a.md": FeedBody(contentHash: 1234, body: "<p>b</p>")], pagePaths: ["index.html"],
                                feedInputs: 12, feedPaths: ["a.md"], tagInputs: ["tags/x/index.html": 13], sitemapInputs: 14,
                                featurePaths: ["timeline/index.html"], featurePages: 1, timelineInputs: 15, relatedInputs: 16,
                                searchStamp: stamp)
        state.fills["a.md"] = RelatedFill(pageHash: 77, relatedHash: 17, relatedLength: 300, related: ["b.md", "c.md"], outputHash: 78)
        state.fills["gone.md"] = RelatedFill(pageHash: 1, relatedHash: 2, relatedLength: 0, related: [], outputHash: 3)
        let cache = BuildCache(folder: folder, key: "test")
        cache.rewrite(state)
        var more = BuildCache.Batch()
        more.outputRemoved("a/index.html")
        more.articleRemoved("bad.md")
        more.fillRemoved("gone.md")
        cache.append(more) { state }
        let loaded = BuildCache(folder: folder, key: "test").load()
        #expect(loaded.siteKey == 42 && loaded.owner == 7)
        #expect(loaded.outputs.isEmpty)
        #expect(loaded.articles["bad.md"] == nil)
        let a = try #require(loaded.articles["a.md"])
        #expect(a.stamp == stamp && a.readAt == 99 && a.contentHash == 1234 && a.diagnostics == [.warning("content/a.md", 4, 1, "w")])
        let decoded = try #require(a.info?.decodedSummary())
        #expect(decoded.title == summary.title && decoded.date == summary.date && decoded.date?.utcOffset == 120)
        #expect(decoded.timeline == summary.timeline && decoded.takeaways == summary.takeaways && decoded.tags == summary.tags)
        #expect(loaded.sources["static/x"] == state.sources["static/x"])
        #expect(loaded.site.inputsHash == 11 && loaded.site.pages == 4 && loaded.site.pagePaths == ["index.html"])
        #expect(loaded.site.feedBodies["a.md"]?.body == "<p>b</p>")
        #expect(loaded.site.feedInputs == 12 && loaded.site.feedPaths == ["a.md"] && loaded.site.tagInputs == ["tags/x/index.html": 13])
        #expect(a.info?.cardHash == summary.cardHash && a.info?.pageHash == 77)
        #expect(a.info?.profileHash == summary.relatedProfileHash && a.info?.timelineHash == summary.timelineHash && a.info?.relatedSlot == 1234)
        #expect(decoded.keyTerms == ["wall", "berlin"])
        #expect(loaded.site.sitemapInputs == 14 && loaded.site.featurePaths == ["timeline/index.html"] && loaded.site.featurePages == 1)
        #expect(loaded.site.timelineInputs == 15 && loaded.site.relatedInputs == 16 && loaded.site.searchStamp == stamp)
        #expect(loaded.fills == ["a.md": state.fills["a.md"]!])
        #expect(loaded.site == state.site)
    }

    /// A record torn by a crash ends the log: loading keeps what came
    /// before it and cuts the file there, so that the next append follows
    /// a whole record.
    @Test func aTornRecordEndsTheCacheLog() throws {
        let folder = NSTemporaryDirectory() + "lede-cache-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var state = CacheState()
        state.siteKey = 42
        state.outputs["a/index.html"] = OutputEntry(hash: 77, stamp: FileIO.Stamp(size: 10, mtime: 5, ctime: 6, inode: 7))
        let cache = BuildCache(folder: folder, key: "test")
        cache.rewrite(state)
        let whole = try #require(FileIO.stamp(cache.path)).size
        var more = BuildCache.Batch()
        more.output("b/index.html", OutputEntry(hash: 78, stamp: FileIO.Stamp(size: 11, mtime: 5, ctime: 6, inode: 8)))
        let torn = Array(more.writer.bytes.dropLast(3))
        let handle = try #require(FileHandle(forWritingAtPath: cache.path))
        handle.seekToEndOfFile()
        handle.write(Data(torn))
        try handle.close()
        let loaded = BuildCache(folder: folder, key: "test").load()
        #expect(loaded.siteKey == 42 && loaded.outputs.keys.sorted() == ["a/index.html"])
        #expect(FileIO.stamp(cache.path)?.size == whole)
    }

    /// A log loaded with most of it replaced by later records is compacted
    /// at the next append, as one that grew so in this process would be:
    /// loading counts only what is live.
    @Test func aLogMostlyReplacedIsCompactedAfterLoading() throws {
        let folder = NSTemporaryDirectory() + "lede-cache-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stamp = FileIO.Stamp(size: 10, mtime: 5, ctime: 6, inode: 7)
        func record(_ n: Int) -> ArticleRecord {
            let summary = ArticleSummary(path: "content/a.md", slug: "a", title: "A \(n)", summary: String(repeating: "x", count: 100_000),
                                         date: nil, updated: nil, author: nil, tags: [], readingMinutes: 1, timeline: [], takeaways: [],
                                         keyTerms: [])
            return ArticleRecord(stamp: stamp, readAt: 99, contentHash: UInt64(n), diagnostics: [],
                                 info: .init(slug: "a", isDraft: false, date: nil, timelineCount: 0, takeawayCount: 0, pageHash: 1,
                                             cardHash: 2, profileHash: 3, timelineHash: 4, relatedSlot: 0, summary: summary, encodedSummary: nil))
        }
        var state = CacheState()
        state.siteKey = 42
        state.articles["a.md"] = record(0)
        BuildCache(folder: folder, key: "test").rewrite(state)
        // 50 edits of the article, each appended by a new process.
        for n in 1...50 {
            let cache = BuildCache(folder: folder, key: "test")
            var loaded = cache.load()
            loaded.articles["a.md"] = record(n)
            var batch = BuildCache.Batch()
            batch.article("a.md", loaded.articles["a.md"]!)
            cache.append(batch) { loaded }
        }
        let size = try #require(FileIO.stamp(folder + "/build-test.log")).size
        #expect(size < 1_000_000, "the log of one 100 KB record grew to \(size) bytes")
        let final = BuildCache(folder: folder, key: "test").load()
        #expect(final.articles["a.md"]?.contentHash == 50 && final.siteKey == 42)
    }

    /// A build appends the site record only when it differs from the last
    /// one, so `==` must see every field: one changed at a time, each makes
    /// the records differ. A field added to `SiteRecord` fails the count
    /// below until it is added here.
    @Test func siteRecordsDifferInEachField() throws {
        let stamp = FileIO.Stamp(size: 10, mtime: -5, ctime: 1 << 40, inode: .max)
        let base = SiteRecord(inputsHash: 11, pages: 4, feedBodies: ["a.md": FeedBody(contentHash: 1234, body: "<p>b</p>")], pagePaths: ["index.html"],
                              feedInputs: 12, feedPaths: ["a.md"], tagInputs: ["tags/x/index.html": 13], sitemapInputs: 14,
                              featurePaths: ["timeline/index.html"], featurePages: 1, timelineInputs: 15, relatedInputs: 16,
                              searchStamp: stamp)
        #expect(Mirror(reflecting: base).children.count == 13)
        #expect(base == base)
        let changes: [(String, (inout SiteRecord) -> Void)] = [
            ("inputsHash", { $0.inputsHash += 1 }), ("pages", { $0.pages += 1 }),
            ("feedBodies hash", { $0.feedBodies["a.md"] = FeedBody(contentHash: 1235, body: "<p>b</p>") }), ("feedBodies body", { $0.feedBodies["a.md"] = FeedBody(contentHash: 1234, body: "<p>c</p>") }),
            ("feedBodies path", { $0.feedBodies = ["b.md": FeedBody(contentHash: 1234, body: "<p>b</p>")] }), ("pagePaths", { $0.pagePaths.append("page/2/index.html") }),
            ("feedInputs", { $0.feedInputs += 1 }), ("feedPaths", { $0.feedPaths = ["b.md"] }), ("tagInputs", { $0.tagInputs["tags/x/index.html"] = 0 }),
            ("sitemapInputs", { $0.sitemapInputs += 1 }), ("featurePaths", { $0.featurePaths = [] }), ("featurePages", { $0.featurePages += 1 }),
            ("timelineInputs", { $0.timelineInputs += 1 }), ("relatedInputs", { $0.relatedInputs += 1 }), ("searchStamp", { $0.searchStamp = nil }),
        ]
        for (field, change) in changes {
            var other = base
            change(&other)
            #expect(other != base, "records that differ in \(field) compare equal")
        }
    }
}

/// The output folder's commit protocol.
@Suite struct OutputFolderTests {
    func folder() throws -> String {
        let root = NSTemporaryDirectory() + "lede-out-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/public/old", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: root + "/public/old/index.html"))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: root + "/public/keep.txt"))
        return root
    }

    func contents(_ dir: String) -> [String: String] {
        var out: [String: String] = [:]
        for case let rel as String in FileManager.default.enumerator(atPath: dir) ?? FileManager.default.enumerator(atPath: "/nonexistent")! {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = String(decoding: FileManager.default.contents(atPath: dir + "/" + rel) ?? Data(), as: UTF8.self)
            }
        }
        return out
    }

    @Test func updateWritesChangedFilesAndRemovesGoneOnes() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = try OutputFolder(target: root + "/public", mode: .update)
        try out.write("new/index.html", "new")
        try out.write("keep.txt", "kept, changed")
        out.remove("old/index.html")
        #expect(contents(root + "/public") == ["old/index.html": "old", "keep.txt": "keep"])  // nothing before the commit
        try out.commit()
        #expect(contents(root + "/public") == ["new/index.html": "new", "keep.txt": "kept, changed"])
        #expect(!FileManager.default.fileExists(atPath: root + "/public/old"))  // its folder went with it
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["public"])
    }

    @Test func anUpdateReplacesWhatIsInTheWayOfItsFiles() throws {
        // A file where a folder was, a folder where a file was, a file in
        // folders that are not there yet: the quick rename fails for each.
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = try OutputFolder(target: root + "/public", mode: .update)
        try out.write("old", "a file now")
        try out.write("keep.txt/index.html", "a folder now")
        try out.write("a/b/c/index.html", "deep")
        try out.write("plain.txt", "plain")
        try out.commit()
        #expect(contents(root + "/public") == ["old": "a file now", "keep.txt/index.html": "a folder now",
                                               "a/b/c/index.html": "deep", "plain.txt": "plain"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["public"])
    }

    @Test func discardedUpdateChangesNothing() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = try OutputFolder(target: root + "/public", mode: .update)
        try out.write("keep.txt", "changed")
        out.remove("old/index.html")
        out.discard()
        #expect(contents(root + "/public") == ["old/index.html": "old", "keep.txt": "keep"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["public"])
    }

    /// A pid no process can have (above Linux's largest pid_max).
    static let deadPID = 4_194_305

    @Test func aCommitKilledAfterItsJournalIsFinishedByTheNextBuild() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // What a build killed right after renaming its journal into place leaves.
        let staging = root + "/.public.staging-\(Self.deadPID)"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data("new".utf8).write(to: URL(fileURLWithPath: staging + "/f0"))
        try Data("kept, changed".utf8).write(to: URL(fileURLWithPath: staging + "/f1"))
        var journal: [UInt8] = []
        for field in ["W", "f0", "new/index.html", "W", "f1", "keep.txt", "D", "old/index.html"] { journal += Array(field.utf8) + [0] }
        try Data(journal).write(to: URL(fileURLWithPath: root + "/.public.journal-\(Self.deadPID)"))
        // Half of it was done already.
        try FileManager.default.removeItem(atPath: root + "/public/keep.txt")
        try FileManager.default.moveItem(atPath: staging + "/f1", toPath: root + "/public/keep.txt")
        let next = try OutputFolder(target: root + "/public", mode: .update)
        next.discard()
        #expect(contents(root + "/public") == ["new/index.html": "new", "keep.txt": "kept, changed"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["public"])
    }

    @Test func aBuildKilledBeforeItsCommitLeavesNothing() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let staging = root + "/.public.staging-\(Self.deadPID)"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: staging + "/f0"))
        try Data("W\0f0\0keep.txt\0".utf8).write(to: URL(fileURLWithPath: root + "/.public.journal-\(Self.deadPID).tmp"))
        let next = try OutputFolder(target: root + "/public", mode: .update)
        next.discard()
        #expect(contents(root + "/public") == ["old/index.html": "old", "keep.txt": "keep"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["public"])
    }
}
