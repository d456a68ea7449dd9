import Testing
@testable import LedeCore

/// `Array.permute`, which puts a timeline's events in date order in place:
/// the same order as taking the elements out by the permutation.
@Suite struct PermuteTests {
    @Test func permutingInPlaceIsTakingTheElementsInThatOrder() {
        var rng = SystemRandomNumberGenerator()
        for n in [0, 1, 2, 3, 7, 64, 301] {
            for _ in 0..<20 {
                let original = (0..<n).map { "event \($0) " + String(repeating: "x", count: Int.random(in: 0...30, using: &rng)) }
                let order = Array(0..<n).shuffled(using: &rng)
                var permuted = original
                permuted.permute(order)
                #expect(permuted == order.map { original[$0] }, "n = \(n), order \(order.prefix(12))")
            }
        }
        // The identity and a reversal, as edge cases of the cycles.
        var list = Array(0..<10)
        list.permute(Array(0..<10))
        #expect(list == Array(0..<10))
        list.permute(Array((0..<10).reversed()))
        #expect(list == Array((0..<10).reversed()))
    }
}
