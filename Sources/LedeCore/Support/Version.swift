#if canImport(Glibc)
import Glibc
#endif

/// lede's version. Part of every build cache key, so a new lede rebuilds everything.
public enum LedeVersion {
    public static let string = "0.1.0"

    /// The running executable's identity (size, modification time, inode),
    /// also part of the cache key: a lede built from other sources under the
    /// same version number — every build of a development checkout — may
    /// write different bytes, so it must not trust what another one cached.
    public static let executableStamp: UInt64 = {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return 0 }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in [UInt64(bitPattern: Int64(st.st_size)), UInt64(bitPattern: Int64(st.st_mtim.tv_sec)),
                  UInt64(bitPattern: Int64(st.st_mtim.tv_nsec)), UInt64(st.st_ino)] {
            h = (h ^ v) &* 0x0000_0100_0000_01B3
        }
        return h
    }()
}
