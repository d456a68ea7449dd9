extension Array {
    /// Puts the elements in the order `order` gives (a permutation of the
    /// indices: the element at `order[k]` comes k-th), in place. Elements
    /// are swapped along each cycle of the permutation, moved and never
    /// copied: sorting events by pairing each with its key and taking them
    /// out again copied every event (six strings) twice.
    mutating func permute(_ order: [Int]) {
        precondition(order.count == count, "a permutation of every index")
        var from = order
        for i in indices where from[i] != i {
            var at = i
            while from[at] != i {
                let next = from[at]
                swapAt(at, next)
                from[at] = at
                at = next
            }
            from[at] = at
        }
    }
}
