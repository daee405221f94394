import CPacketIO
import Foundation
import Synchronization

/// What a packet loop drives: its sockets' reads and its own timer. Called on the loop's
/// thread only.
public protocol PacketLoopHandler: AnyObject {
    /// A watched descriptor, by the token it was watched with, is readable or has an error.
    func readable(token: UInt64)
    /// The loop's deadline passed: do what was due, and say when to come back (monotonic
    /// nanoseconds, the clock of `PacketLoop.now`), or nil to wait for reads only.
    func deadlineReached(now: Int64) -> Int64?
    /// A wakeup's reads and deadline are done: send what they queued, in one go.
    func wakeupHandled()
}

extension PacketLoopHandler {
    public func wakeupHandled() {}
}

/// One thread with its own epoll set, for sockets read and written with plain system calls
/// rather than through a per-channel pipeline: the thread a client thread's or a relay loop's media runs on. Work from
/// other threads arrives with `execute` or `submit` (the control plane, a few times a second),
/// never per packet.
/// Unchecked Sendable: `jobs` and `stopped` are locked; the rest is its own thread's, which NIO does not own.
public final class PacketLoop: @unchecked Sendable {
    private let epoll: CInt
    private let wakeup: CInt
    /// Work for the thread; nil once it has ended.
    private let jobs = Mutex<[@Sendable () -> Void]?>([])
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Owned by the thread: set through `execute`.
    private var handler: PacketLoopHandler?
    private var deadline: Int64?
    /// Reads wait for the deadline rather than wake the loop: their sockets stamp arrivals.
    private var readsWaitForDeadline = false
    /// The thread's name, as `top -H` shows it (15 characters at most).
    private let name: String
    private static let wakeupToken = UInt64.max

    public init(name: String) throws(SocketError) {
        epoll = pio_epoll_create()
        guard epoll >= 0 else { throw SocketError(errno: errno, operation: "epoll_create1") }
        wakeup = pio_eventfd_create()
        guard wakeup >= 0 else {
            let code = errno
            close(epoll)
            throw SocketError(errno: code, operation: "eventfd")
        }
        _ = pio_epoll_add(epoll, wakeup, Self.wakeupToken)
        self.name = String(name.prefix(15))
        Thread { [self] in run() }.start()
    }

    /// The clock every deadline is on: CLOCK_MONOTONIC, which NIO's deadlines read too.
    @inline(__always)
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Runs `job` on the loop's thread, soon; once the thread has ended, on the caller's (no
    /// one else touches the loop's state then), so that nothing waits forever on a stopped loop.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        let queued = jobs.withLock { jobs in
            guard jobs != nil else { return false }
            jobs!.append(job)
            return true
        }
        guard queued else { return job() }
        pio_eventfd_signal(wakeup)
    }

    /// Runs `body` on the loop's thread and returns what it returns.
    public func submit<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            execute { continuation.resume(with: Result { try body() }) }
        }
    }

    // MARK: on the loop's thread

    /// Who is told of reads and of the deadline.
    public func setHandler(_ handler: PacketLoopHandler?) { self.handler = handler }

    /// Comes back to the handler at `deadline` (monotonic nanoseconds), or never when nil.
    public func setDeadline(_ deadline: Int64?) { self.deadline = deadline }

    /// With a deadline set, sleeps until it even when sockets become readable, then reads
    /// them all: one wakeup per deadline instead of one per arrival. For sockets that stamp
    /// their arrivals, whose times then do not depend on when they are read.
    public func setReadsWaitForDeadline(_ wait: Bool) { readsWaitForDeadline = wait }

    /// Watches `descriptor` for reads; the handler hears of it by `token`.
    public func watch(_ descriptor: CInt, token: UInt64) throws(SocketError) {
        let result = pio_epoll_add(epoll, descriptor, token)
        guard result == 0 else { throw SocketError(errno: -result, operation: "epoll_ctl") }
    }

    public func unwatch(_ descriptor: CInt) { _ = pio_epoll_remove(epoll, descriptor) }

    // MARK: the thread

    /// Ends the thread after the jobs already queued, and waits for it; a second call returns
    /// at once.
    public func shutdown() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        pio_eventfd_signal(wakeup)
        finished.wait()
    }

    /// The descriptors outlive the thread, so that a connection closed after the stop does not
    /// reach a descriptor number since given to someone else.
    deinit {
        close(wakeup)
        close(epoll)
    }

    private func run() {
        pio_name_thread(name)
        var tokens = [UInt64](repeating: 0, count: 256)
        while true {
            // Read before waiting: a stop signalled while jobs ran finds the eventfd drained.
            let stopping = stopped.withLock { $0 }
            var timeout: CInt = -1
            if stopping {
                timeout = 0
            } else if let deadline, readsWaitForDeadline {
                var until = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
                clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nil)
                timeout = 0
            } else if let deadline {
                // Rounded up, so that the loop does not wake before the deadline and spin.
                let remaining = deadline - Self.now()
                timeout = remaining <= 0 ? 0 : CInt(min(1_000, (remaining + 999_999) / 1_000_000))
            }
            let count = tokens.withUnsafeMutableBufferPointer { pio_epoll_wait(epoll, $0.baseAddress, CInt($0.count), timeout) }
            for index in 0..<max(0, Int(count)) {
                let token = tokens[index]
                if token == Self.wakeupToken {
                    pio_eventfd_drain(wakeup)
                } else {
                    handler?.readable(token: token)
                }
            }
            if let deadline, let handler {
                let now = Self.now()
                if now >= deadline { self.deadline = handler.deadlineReached(now: now) }
            }
            handler?.wakeupHandled()
            let queued = jobs.withLock { jobs in
                defer { jobs?.removeAll(keepingCapacity: true) }
                // Once stopping and out of work, the thread ends: later jobs run where they come from.
                if stopping, jobs?.isEmpty == true { jobs = nil }
                return jobs ?? []
            }
            for job in queued { job() }
            if queued.isEmpty, stopping { break }
        }
        handler = nil
        finished.signal()
    }
}
