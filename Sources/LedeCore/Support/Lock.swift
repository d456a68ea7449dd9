import Foundation

/// A small mutex. (Synchronization.Mutex needs macOS 15; this builds everywhere.)
public final class Lock: @unchecked Sendable {
    private let mutex = NSLock()
    public init() {}
    @inline(__always)
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        mutex.lock()
        defer { mutex.unlock() }
        return try body()
    }
}
