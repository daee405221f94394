/// What one received packet was, as `StreamReceiver.receive` judged it, for the engine's
/// per-packet histograms (`DirectionMetrics.record(_:payloadBytes:wireBytes:)`).
public struct Arrival: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// New, and the highest sequence number seen so far.
        case fresh
        /// New, but below the highest sequence number already seen.
        case reordered
        /// A copy of a packet already received.
        case duplicate
        /// Older than the duplicate window (1024 packets, 20 s at 50 packets/s): it cannot be
        /// told from a duplicate and has already been counted lost, so it stays lost.
        case stale
    }

    public let kind: Kind
    /// Arrived later than the fixed playout buffer allows (see `StreamReceiver`); only new
    /// packets with a known send time are judged.
    public let isLate: Bool
    /// Arrival minus send time in nanoseconds, for new packets whose send time is known;
    /// `nil` for duplicates and stale packets, whose delay says nothing about the stream.
    public let oneWayDelay: Int64?

    @inlinable
    public init(kind: Kind, isLate: Bool, oneWayDelay: Int64?) {
        self.kind = kind
        self.isLate = isLate
        self.oneWayDelay = oneWayDelay
    }

    /// Counted once as received: fresh or reordered.
    @inlinable
    public var isNew: Bool { kind == .fresh || kind == .reordered }
}
