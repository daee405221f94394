import Synchronization

/// `--max-pps` for the whole relay, whatever number of loops relays: one token bucket that the
/// loops draw from in shares of a millisecond's packets, so that a loop takes the lock about
/// once per share instead of once per packet, and the relay-wide rate holds within a share per
/// loop (a loop's unspent share is at most a millisecond of the limit).
public final class CapacityPool: Sendable {
    private let bucket: Mutex<TokenBucket>
    /// Packets handed out at a time.
    let share: Int

    public init(packetsPerSecond: Int) {
        bucket = Mutex(TokenBucket.packets(perSecond: packetsPerSecond))
        share = max(1, packetsPerSecond / 1000)
    }

    /// Up to a share of packets, as many as the bucket holds at `now` (0 when empty).
    func draw(now: Duration) -> Int {
        bucket.withLock { $0.take(upTo: share, now: now) }
    }
}

/// One loop's part of a `CapacityPool`: its packets in hand.
struct CapacityShare {
    let pool: CapacityPool
    private var inHand = 0

    init(_ pool: CapacityPool) {
        self.pool = pool
    }

    mutating func admit(now: Duration) -> Bool {
        if inHand == 0 { inHand = pool.draw(now: now) }
        guard inHand > 0 else { return false }
        inHand -= 1
        return true
    }
}
