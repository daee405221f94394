@testable import Measurement

/// Plays a scripted stream into a `StreamReceiver`: packet `i` of the sender has sequence
/// `firstSequence + i`, RTP timestamp `i · 960` (20 ms at 48 kHz) and leaves at `i · 20 ms`.
struct StreamScript {
    static let frame: Int64 = 20_000_000
    static let ticksPerFrame: UInt32 = 960

    var firstSequence: UInt16 = 1000
    var firstTimestamp: UInt32 = 12345
    var receiver = StreamReceiver()
    var arrivals: [Arrival] = []

    init(firstSequence: UInt16 = 1000, firstTimestamp: UInt32 = 12345, receiver: StreamReceiver = StreamReceiver()) {
        self.firstSequence = firstSequence
        self.firstTimestamp = firstTimestamp
        self.receiver = receiver
    }

    /// Delivers the sender's packets `indices`, in that order, each `transit` after it was sent.
    mutating func deliver(_ indices: some Sequence<Int>, transit: (Int) -> Int64 = { _ in 30_000_000 }) {
        for index in indices {
            let sent = Int64(index) * Self.frame
            arrivals.append(
                receiver.receive(
                    sequence: firstSequence &+ UInt16(truncatingIfNeeded: index),
                    rtpTimestamp: firstTimestamp &+ UInt32(truncatingIfNeeded: index) &* Self.ticksPerFrame,
                    arrival: sent + transit(index),
                    sentAt: sent
                ))
        }
    }

    func finish(sent: Int) -> StreamTotals {
        receiver.finish(sent: sent, firstSequence: firstSequence)
    }
}

/// Run lengths of the indices in `0..<sent` missing from `delivered`, computed the obvious way.
func referenceBursts(sent: Int, delivered: Set<Int>) -> [Int: Int] {
    var runs: [Int: Int] = [:]
    var run = 0
    for index in 0..<sent {
        if delivered.contains(index) {
            if run > 0 { runs[run, default: 0] += 1 }
            run = 0
        } else {
            run += 1
        }
    }
    if run > 0 { runs[run, default: 0] += 1 }
    return runs
}

extension LossBursts {
    var table: [Int: Int] { Dictionary(uniqueKeysWithValues: runs.map { ($0.length, $0.count) }) }
}
