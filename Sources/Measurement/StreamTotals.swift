/// One stream direction's final figures, from `StreamReceiver.finish(sent:firstSequence:)`,
/// to add into `DirectionMetrics`.
public struct StreamTotals: Sendable, Equatable, Codable {
    /// Packets the sender sent.
    public var sent: Int
    /// Distinct packets received.
    public var received: Int
    public var duplicated: Int
    public var reordered: Int
    /// Received but after the fixed playout buffer's deadline.
    public var late: Int
    /// Received after the duplicate window had passed them; counted in `lost`.
    public var stale: Int
    /// sent − received.
    public var lost: Int
    /// Runs of consecutive lost packets; their lengths add up to `lost`.
    public var lossBursts: LossBursts
    /// The final RFC 3550 interarrival jitter in nanoseconds; `nil` with fewer than two packets.
    public var jitter: Int64?

    public init(
        sent: Int, received: Int, duplicated: Int, reordered: Int, late: Int, stale: Int, lost: Int,
        lossBursts: LossBursts, jitter: Int64?
    ) {
        self.sent = sent
        self.received = received
        self.duplicated = duplicated
        self.reordered = reordered
        self.late = late
        self.stale = stale
        self.lost = lost
        self.lossBursts = lossBursts
        self.jitter = jitter
    }
}

extension StreamTotals {
    /// What the stream did after `earlier`, a snapshot of the same stream: counts subtract,
    /// jitter is the latest. A loss burst that straddles the snapshot counts whole after it.
    public func since(_ earlier: StreamTotals) -> StreamTotals {
        StreamTotals(
            sent: sent - earlier.sent, received: received - earlier.received, duplicated: duplicated - earlier.duplicated,
            reordered: reordered - earlier.reordered, late: late - earlier.late, stale: stale - earlier.stale,
            lost: max(0, lost - earlier.lost), lossBursts: lossBursts.since(earlier.lossBursts), jitter: jitter)
    }
}
