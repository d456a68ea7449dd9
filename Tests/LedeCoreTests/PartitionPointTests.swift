import Testing
@testable import LedeCore

@Suite struct PartitionPointTests {
    /// The binary search finds what a walk from the start finds, for every
    /// place the ordered elements can be split at, in arrays and slices.
    @Test func theSearchFindsTheFirstElementNotBefore() {
        for n in 0..<40 {
            let sorted = (0..<n).map { $0 * 2 }  // even numbers: odd keys fall between
            for key in -1...(2 * n + 1) {
                let walked = sorted.firstIndex { !($0 < key) } ?? sorted.count
                #expect(sorted.partitionPoint { $0 < key } == walked, "n \(n), key \(key)")
            }
        }
        let slice = [1, 3, 5, 7, 9][1...]
        #expect(slice.partitionPoint { $0 < 6 } == 3)
        #expect(slice.partitionPoint { $0 < 0 } == 1)
        #expect(slice.partitionPoint { $0 < 10 } == 5)
    }
}
