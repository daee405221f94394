/// At most `rate` units a second in the long run, bursts up to `burst` units; what is over is
/// refused, as a relay at capacity drops. Used for `--max-pps` and the per-allocation packet
/// rate (packets), the per-allocation bandwidth limit (bytes), unauthenticated requests and new
/// allocations (`--max-allocate-rate`), and an allocation's new peers (`--max-new-peer-rate`).
public struct TokenBucket: Sendable, Hashable {
    public let rate: Double
    private let burst: Double
    private var tokens: Double
    private var last: Duration?

    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
        tokens = burst
    }

    /// `--max-pps` and `--max-allocation-pps`: a bucket holding 20 ms of packets, so that bursts stay short and the long-run
    /// rate is the limit.
    public static func packets(perSecond rate: Int) -> TokenBucket {
        TokenBucket(rate: Double(rate), burst: max(1, Double(rate) / 50))
    }

    /// A bandwidth limit in bits a second: 200 ms of bytes, and never less than one full-size
    /// packet, so that a stream at the limit passes whole.
    public static func bandwidth(bitsPerSecond: Int) -> TokenBucket {
        let bytesPerSecond = Double(bitsPerSecond) / 8
        return TokenBucket(rate: bytesPerSecond, burst: max(1500, bytesPerSecond / 5))
    }

    /// `--max-allocate-rate`: a second's worth of allocations as a burst, so that a load
    /// arriving at the limit passes whole and only a rate above it is refused.
    public static func allocations(perSecond rate: Double) -> TokenBucket {
        TokenBucket(rate: rate, burst: max(1, rate))
    }

    /// `--max-new-peer-rate`: a fifth of a second's worth of new peers at once, so that a
    /// client reaching new addresses at the limit passes and a faster one is refused within
    /// 200 ms.
    public static func newPeers(perSecond rate: Double) -> TokenBucket {
        TokenBucket(rate: rate, burst: max(1, rate / 5))
    }

    public mutating func admit(_ cost: Double = 1, now: Duration) -> Bool {
        refill(now: now)
        guard tokens >= cost else { return false }
        tokens -= cost
        return true
    }

    /// Takes as many whole tokens as there are, up to `most`: a share handed to one of several
    /// loops spending one budget.
    public mutating func take(upTo most: Int, now: Duration) -> Int {
        refill(now: now)
        let taken = min(most, Int(tokens))
        tokens -= Double(taken)
        return taken
    }

    private mutating func refill(now: Duration) {
        if let last {
            tokens = min(burst, tokens + (now - last) / .seconds(1) * rate)
        }
        last = now
    }
}
