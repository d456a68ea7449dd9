import Foundation
import LedeCore
import Testing
@testable import LedeServe

/// The search overlay's books (which pages changed since which whole-site
/// index) and its `overlay.json`.
struct SearchOverlayTests {
    @Test func theOverlayHoldsEveryPageChangedAddedOrDeletedSinceTheBase() throws {
        var log = SearchOverlayLog()
        #expect(log.followable && log.paths.isEmpty && !log.needsWhole(limit: 2))
        // Two saves: an edit (its page, the home page, a feed), then a
        // deletion (its page, as the rebuild reports removed paths too).
        log.note(["alpha/index.html", "index.html", "feed.xml"])
        log.note(["beta/index.html", "index.html"])
        #expect(log.paths == ["alpha/index.html", "beta/index.html", "index.html"])
        #expect(log.superseded == ["/", "/alpha/", "/beta/"])
        // The home page is found without Pagefind's mark: not an article, out.
        log.forget(["index.html"], upTo: log.mark)
        #expect(log.superseded == ["/alpha/", "/beta/"])
        #expect(SearchOverlay.json(generation: 3, bundle: SearchOverlay.bundle(3), superseded: log.superseded)
                == #"{"generation":3,"bundle":"/_lede/search-overlay/g3/","superseded":["/alpha/","/beta/"]}"#)
        #expect(SearchOverlay.json(generation: 4, bundle: nil, superseded: [])
                == #"{"generation":4,"bundle":null,"superseded":[]}"#)
    }

    @Test func aBaseTakesOutOnlyTheChangesMadeBeforeItStarted() {
        var log = SearchOverlayLog()
        log.note(["a/index.html"])
        let mark = log.mark  // a whole-site index starts
        log.note(["b/index.html"])
        log.note(["a/index.html"])  // saved again while Pagefind reads
        log.based(at: mark)
        #expect(log.paths == ["a/index.html", "b/index.html"])
        log.based(at: log.mark)
        #expect(log.paths.isEmpty)
        // A page found unmarked before a later save of it stays.
        log.note(["c/index.html"])
        let seen = log.mark
        log.note(["c/index.html"])
        log.forget(["c/index.html"], upTo: seen)
        #expect(log.paths == ["c/index.html"])
    }

    @Test func aRebuildOfEveryPageOrTooManyPagesNeedsAWholeIndex() {
        var log = SearchOverlayLog()
        log.note(["a/index.html", "b/index.html"])
        #expect(!log.needsWhole(limit: 2))
        log.note(["c/index.html"])
        #expect(log.needsWhole(limit: 2))
        log.based(at: log.mark)
        #expect(!log.needsWhole(limit: 2))
        log.note(nil)  // a template changed: every page may have
        let whole = log.mark
        #expect(log.needsWhole(limit: 200) && !log.followable)
        log.note(nil)
        log.based(at: whole)  // a base that started before the last one does not do
        #expect(log.needsWhole(limit: 200))
        log.based(at: log.mark)
        #expect(log.followable && !log.needsWhole(limit: 200))
    }

    @Test func pagefindsURLsOfPages() {
        #expect(Search.pageURL("alpha/index.html") == "/alpha/")
        #expect(Search.pageURL("index.html") == "/")
        #expect(Search.pageURL("notes/x.html") == "/notes/x.html")
    }
}

/// The coalescing of asks for the index and the overlay.
@Suite struct CoalescedJobTests {
    @Test func asksWhileItRunsMakeOneMoreRun() {
        var job = CoalescedJob()
        #expect(!job.busy)
        var answers: [Bool] = []
        answers.append(job.ask(stopping: false))    // starts the loop
        answers.append(job.ask(stopping: false))    // running: coalesced
        answers.append(job.take(stopping: false))   // the loop's first run
        answers.append(job.ask(stopping: false))    // asked during the run
        answers.append(job.ask(stopping: false))
        answers.append(job.take(stopping: false))   // one more run for both asks
        #expect(job.busy)
        answers.append(job.take(stopping: false))   // nothing asked: the loop ends
        #expect(!job.busy)
        answers.append(job.ask(stopping: false))    // a later ask starts it again
        answers.append(job.take(stopping: true))    // stopping: the loop ends
        #expect(!job.running)
        answers.append(job.ask(stopping: true))     // and no loop starts while stopping
        #expect(answers == [true, false, true, false, false, true, false, true, false, false])
    }
}
