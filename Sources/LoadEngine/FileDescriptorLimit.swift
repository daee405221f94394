#if canImport(Glibc)
import Glibc
#endif

/// RLIMIT_NOFILE: every simulated client holds a socket (and, with the in-process relay, its
/// allocation another), so thousands of clients need the limit raised before they start.
public enum FileDescriptorLimit {
    /// Raises the soft limit to the hard one and returns what is now allowed.
    @discardableResult
    public static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// Descriptors a run needs: a socket per client, one per allocation when the relay runs
    /// in this process, and some for everything else.
    public static func needed(clients: Int, inProcessRelay: Bool) -> Int {
        clients * (inProcessRelay ? 2 : 1) + 64
    }
}
