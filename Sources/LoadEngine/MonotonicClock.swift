import NIOCore

/// Nanoseconds on the monotonic clock that every send and receive time is read from: one
/// clock in one process, so one-way delay needs no clock sync.
@inline(__always)
public func monotonicNanoseconds() -> Int64 {
    Int64(truncatingIfNeeded: NIODeadline.now().uptimeNanoseconds)
}
