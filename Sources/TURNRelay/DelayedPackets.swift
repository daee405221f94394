import HeapModule

/// Packets the impairment delays, each with when it is due (monotonic nanoseconds), handed
/// back in the order they fall due; packets due at the same time keep their order.
struct DelayedPackets {
    private var heap = Heap<Entry>()
    private var sequence: UInt64 = 0

    private struct Entry: Comparable {
        let due: Int64
        let sequence: UInt64
        let destination: RelayDestination
        let bytes: [UInt8]

        static func < (a: Self, b: Self) -> Bool { (a.due, a.sequence) < (b.due, b.sequence) }
        static func == (a: Self, b: Self) -> Bool { (a.due, a.sequence) == (b.due, b.sequence) }
    }

    mutating func schedule(_ bytes: [UInt8], to destination: RelayDestination, at due: Int64) {
        sequence += 1
        heap.insert(Entry(due: due, sequence: sequence, destination: destination, bytes: bytes))
    }

    /// When the next one is due, if any is waiting.
    var nextDue: Int64? { heap.min?.due }

    /// The next packet due by `now`, taken out; nil when none is.
    mutating func takeDue(by now: Int64) -> (destination: RelayDestination, bytes: [UInt8])? {
        guard let first = heap.min, first.due <= now else { return nil }
        heap.removeMin()
        return (first.destination, first.bytes)
    }
}
