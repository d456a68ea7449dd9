import Foundation
import Testing
@testable import LedeCore

/// The answer with the search index's files is read from its bytes: every
/// file's path and base64 content, without a Foundation object tree.
@Suite struct PagefindAnswerTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func base64DecodesAsFoundationDoes() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 3, 4, 5, 63, 64, 65, 1000] {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            for text in [data.base64EncodedString(), data.base64EncodedString().replacingOccurrences(of: "=", with: "")] {
                let decoded = Array(text.utf8).withUnsafeBufferPointer { Base64.decode($0) }
                #expect(decoded == Array(data), "length \(length)")
            }
        }
        for bad in ["a", "ab!d", "abc=d", "a===", "ab-_"] {
            #expect(Array(bad.utf8).withUnsafeBufferPointer { Base64.decode($0) } == nil, "\(bad)")
        }
    }

    @Test func theFilesAnswerGivesPathsAndContents() throws {
        let json = bytes(#"{"message_id": 7, "payload": {"type": "GetFiles", "files": [{"path": "pagefind-entry.json", "content": "eyJ2IjoxfQ=="}, {"extra": [1, {"x": null}], "content": "", "path": "a\/b \"c\".pf"}]}}"#)
        guard case .files(let files) = IndexFiles.read(json, id: 7) else { Issue.record("not read"); return }
        #expect(files.map(\.path) == ["pagefind-entry.json", "a/b \"c\".pf"])
        let first = json.withUnsafeBufferPointer { Base64.decode(UnsafeBufferPointer(rebasing: $0[files[0].content])) }
        #expect(first.map { String(decoding: $0, as: UTF8.self) } == "{\"v\":1}")
        #expect(files[1].content.isEmpty)
    }

    @Test func anErrorOrAnotherAnswerIsNotFiles() {
        #expect(IndexFiles.read(bytes(#"{"message_id":3,"payload":{"type":"Error","message":"no index"}}"#), id: 3) == .error("no index"))
        #expect(IndexFiles.read(bytes(#"{"message_id":4,"payload":{"type":"GetFiles","files":[]}}"#), id: 3) == .unexpected)
        #expect(IndexFiles.read(bytes(#"{"message_id":3,"payload":{"type":"GetFiles"}}"#), id: 3) == .unexpected)
        #expect(IndexFiles.read(bytes(#"{"message_id":3,"payload":{"type":"GetFiles","files":[{"path":"x"}]}}"#), id: 3) == .unexpected)
        #expect(IndexFiles.read(bytes(#"{"message_id":3,"payload":{"type":"GetFiles","files":[{"path":"x","content":"eA=="}"#), id: 3) == .unexpected)
        #expect(IndexFiles.read(bytes(#"{"message_id":3,"payload":{"type":"GetFiles","files":[]}}"#), id: 3) == .files([]))
    }
}
