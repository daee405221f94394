/// Send times of one stream's recent packets, indexed by RTP sequence number.
///
/// Payloads carry no timestamps (they stay wire-realistic), so the sender remembers when
/// each sequence number left and the receiver looks it up on the same monotonic clock.
/// A ring of `capacity` slots holds the last `capacity` packets (1024 = 20 s at 50 packets/s);
/// each slot stores the sequence number beside the time, so a slot overwritten by a newer
/// packet is never mistaken for the one asked about.
///
/// Storage is allocated once in `init`; `record` and `sentAt` neither allocate nor lock, as
/// long as each stream's log comes from its own `init()` call (copies share storage until
/// the first `record` copies it).
/// Each slot packs the time (nanoseconds since this log's first record, 47 bits, 39 hours)
/// and the sequence number (16 bits) into one `Int64`, halving memory against two arrays
/// (thousands of streams each hold one of these).
public struct SendLog: Sendable {
    @usableFromInline static let emptySlot: Int64 = -1
    @usableFromInline static let maximumOffset: Int64 = 1 << 47

    @usableFromInline var slots: ContiguousArray<Int64>
    @usableFromInline let mask: Int
    /// The first recorded send time; slots hold offsets from it. `nil` until the first record.
    @usableFromInline var epoch: Int64?

    /// - Parameter capacity: a power of two from 1 to 65536 (so that slots line up with the
    ///   sequence number space across its wrap); 1024 covers 20 s at 50 packets/s.
    public init(capacity: Int = 1024) {
        precondition(
            capacity > 0 && capacity <= 65536 && capacity & (capacity - 1) == 0,
            "SendLog capacity must be a power of two no larger than 65536")
        slots = ContiguousArray(repeating: Self.emptySlot, count: capacity)
        mask = capacity - 1
    }

    public var capacity: Int { mask + 1 }

    /// Remembers that the packet with `sequence` was sent at `at` (monotonic nanoseconds).
    ///
    /// A time earlier than the log's first record, or more than 39 hours after it, is not kept
    /// (its lookup then answers `nil`): a monotonic sender never produces either.
    @inlinable
    public mutating func record(sequence: UInt16, at time: Int64) {
        let start = epoch ?? time
        epoch = start
        let offset = time &- start
        let index = Int(sequence) & mask
        guard offset >= 0, offset < Self.maximumOffset else {
            slots[index] = Self.emptySlot
            return
        }
        slots[index] = offset << 16 | Int64(sequence)
    }

    /// When the packet with `sequence` was sent, or `nil` if it was never recorded or its slot
    /// has since been reused by a later packet.
    @inlinable
    public func sentAt(sequence: UInt16) -> Int64? {
        let slot = slots[Int(sequence) & mask]
        guard slot != Self.emptySlot, UInt16(truncatingIfNeeded: slot) == sequence, let epoch else { return nil }
        return epoch &+ (slot >> 16)
    }
}
