extension String {
    /// `body` over the string's UTF-8 bytes, read where they are.
    ///
    /// `withUTF8` is mutating, so calling it on a borrowed string meant a
    /// copy first (`var s = s`): a retain and a release of the storage for
    /// every field escaped, quoted or hashed, millions a build. A native
    /// string (every string here: nothing is bridged on Linux) hands out its
    /// contiguous storage without a copy; any other falls back to the copy.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return try copy.withUTF8(body)
    }
}
