import Foundation
import Testing
@testable import LedeCore

/// Article pages waiting for their related explainers: in memory up to a
/// budget, in files beyond it, put and taken by parallel workers.
@Suite struct PageSpoolTests {
    @Test func pagesPutByManyWorkersComeBackWhole() throws {
        let root = NSTemporaryDirectory() + "lede-spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for round in 0..<20 {
            // A budget of a few pages: most go to files, and the first ones
            // to spill do so at once on several workers.
            let spool = PageSpool(folder: root + "/spool-\(round)", budget: 300)
            let pages = (0..<64).map { k in Array("<p>page \(k) of round \(round)</p>".utf8) }
            let failures = FailureBox()
            parallelFor(pages.count, workers: 8) { k in
                do { try spool.put("a\(k).md", pages[k]) } catch { failures.set(error) }
            }
            #expect(failures.error == nil, "\(String(describing: failures.error))")
            for (k, page) in pages.enumerated() {
                #expect(spool.contains("a\(k).md"))
                #expect(try spool.take("a\(k).md") == page)
                #expect(try spool.take("a\(k).md") == nil)  // once
            }
            spool.remove()
            #expect(!FileManager.default.fileExists(atPath: root + "/spool-\(round)"))
        }
    }
}
