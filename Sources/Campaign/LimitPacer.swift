import NIOCore

extension LimitProbe {
    /// Paces one step's units (packets, new peers) on an event loop, every 2 ms on an absolute
    /// schedule: the warm-up's at twice the rate, then the window's. Pacing where the packets
    /// are written means a stalled loop stalls the schedule too, rather than piling packets up
    /// to leave together; and a tick that comes late emits at most `catchUp` seconds of what
    /// fell due and skips the rest, since a burst would meet a policer's allowance and pass for
    /// its cap, where a skip shows as a rate sent below the one offered.
    struct Pacer {
        let eventLoop: EventLoop
        let unitsPerSecond: Double
        /// Never under 2 units.
        let catchUp: Double
        /// Sends one unit, of the measured window (true) or of the warm-up, on the event loop.
        let emit: @Sendable (_ measured: Bool) -> Void

        static let tick = TimeAmount.milliseconds(2)

        /// Units fallen due and emitted, in the warm-up (0) and the window (1).
        private struct Tally {
            var due = [0, 0]
            var sent = [0, 0]
        }

        /// The window's units emitted.
        func run() async throws -> Int {
            let (eventLoop, rate, catchUp, emit) = (eventLoop, unitsPerSecond, catchUp, emit)
            let done = eventLoop.makePromise(of: Int.self)
            let start = NIODeadline.now()
            let windowStart = start + TimeAmount(LimitProbe.warmUp)
            let windowEnd = windowStart + TimeAmount(LimitProbe.window)
            eventLoop.execute {
                let tally = NIOLoopBoundBox(Tally(), eventLoop: eventLoop)
                eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: Self.tick) { task in
                    let now = NIODeadline.now()
                    let phase = now >= windowStart ? 1 : 0
                    let phaseRate = phase == 1 ? rate : 2 * rate
                    let elapsed = min(now, windowEnd) - (phase == 1 ? windowStart : start)
                    let dueNow = Int((Double(elapsed.nanoseconds) / 1e9 * phaseRate).rounded())
                    let count = min(max(0, dueNow - tally.value.due[phase]), max(2, Int(phaseRate * catchUp)))
                    for _ in 0..<count { emit(phase == 1) }
                    tally.value.due[phase] = max(tally.value.due[phase], dueNow)
                    tally.value.sent[phase] += count
                    if now >= windowEnd {
                        task.cancel()
                        done.succeed(tally.value.sent[1])
                    }
                }
            }
            // Not cut short by a cancel: a step ends within its warm-up and window anyway.
            return try await done.futureResult.get()
        }
    }
}
