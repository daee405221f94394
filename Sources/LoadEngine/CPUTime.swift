#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds, to tell how much of the machine the harness itself used.
enum CPUTime {
    /// The calling thread's: run on a thread's event loop, it is that thread's cost alone, apart
    /// from an in-process relay on other threads.
    static func currentThread() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
