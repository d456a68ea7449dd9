extension RandomAccessCollection where Index == Int {
    /// The first index whose element `isBefore` is false for, in a
    /// collection ordered so that all elements it is true for come first
    /// (a binary search; `endIndex` when it is true for all).
    func partitionPoint(_ isBefore: (Element) -> Bool) -> Int {
        var lo = startIndex, hi = endIndex
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if isBefore(self[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
