import NIOCore
import TURNClient
import TURNProtocol

extension LimitProbe {
    /// Sends one step's packets from the connection's own event loop, every 2 ms on an absolute
    /// schedule: the warm-up's at twice the rate, then the window's. Pacing where the packets
    /// are written means a stalled loop stalls the schedule too, rather than piling packets up
    /// to leave together; and a tick that comes late sends at most `catchUp` seconds of what
    /// fell due and skips the rest, since a burst would meet a policer's allowance and pass for
    /// its cap, where a skip shows as a rate sent below the one offered.
    struct Pacer {
        let connection: TURNClientConnection
        let to: TransportAddress
        let packetsPerSecond: Double
        let warmUp: ByteBuffer
        let measured: ByteBuffer
        /// Never under 2 packets.
        let catchUp: Double

        static let tick = TimeAmount.milliseconds(2)

        /// Packets fallen due and sent, in the warm-up (0) and the window (1).
        private struct Tally {
            var due = [0, 0]
            var sent = [0, 0]
        }

        /// The window's packets sent.
        func run() async throws -> Int {
            let eventLoop = connection.channel.eventLoop
            let done = eventLoop.makePromise(of: Int.self)
            let start = NIODeadline.now()
            let windowStart = start + TimeAmount(LimitProbe.warmUp)
            let windowEnd = windowStart + TimeAmount(LimitProbe.window)
            eventLoop.execute {
                let tally = NIOLoopBoundBox(Tally(), eventLoop: eventLoop)
                eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: Self.tick) { task in
                    let now = NIODeadline.now()
                    let phase = now >= windowStart ? 1 : 0
                    let rate = phase == 1 ? packetsPerSecond : 2 * packetsPerSecond
                    let elapsed = min(now, windowEnd) - (phase == 1 ? windowStart : start)
                    let dueNow = Int((Double(elapsed.nanoseconds) / 1e9 * rate).rounded())
                    let count = min(max(0, dueNow - tally.value.due[phase]), max(2, Int(rate * catchUp)))
                    for _ in 0..<count { connection.send(phase == 1 ? measured : warmUp, to: to) }
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
