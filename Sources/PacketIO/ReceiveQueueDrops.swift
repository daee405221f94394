#if canImport(Glibc)
import Glibc
#endif

/// Datagrams the kernel dropped at a socket because its receive queue was full: the socket's
/// own counter (SK_MEMINFO_DROPS of SO_MEMINFO, Linux 4.6 on), one getsockopt away, so that
/// no read on the packet path needs a control message and a socket about to close can still
/// be asked.
public enum ReceiveQueueDrops {
    /// SO_MEMINFO's value: an array of SK_MEMINFO_VARS counters (linux/sock_diag.h).
    public typealias Memory = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    public static let level = SOL_SOCKET
    /// SO_MEMINFO, which Glibc's headers do not name.
    public static let option: CInt = 55

    /// The drop count of `memory`: SK_MEMINFO_DROPS, the ninth counter.
    public static func count(in memory: Memory) -> Int { Int(memory.8) }

    /// The drops of the socket `descriptor`; 0 if the kernel does not say.
    public static func of(descriptor: CInt) -> Int {
        var memory: Memory = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        var length = socklen_t(MemoryLayout<Memory>.size)
        guard getsockopt(descriptor, level, option, &memory, &length) == 0 else { return 0 }
        return count(in: memory)
    }
}
