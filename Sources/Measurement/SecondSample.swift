/// The run's aggregates for one second, a row of `TimeSeries`.
///
/// Counts are for this second except `lost`, which is the loss so far. Delay, RTT and
/// jitter keep their full histograms (in lossless form), so shards' rows for the same
/// second merge into exact percentiles.
public struct SecondSample: Sendable, Codable, Equatable {
    /// Whole seconds since the run started: this row covers [second, second + 1).
    public var second: Int
    public var sent: Int
    public var received: Int
    /// Packets lost so far in the run (cumulative, as the engine knows it at this second).
    public var lost: Int
    /// Wire bytes sent and received during this second.
    public var bytesSent: Int
    public var bytesReceived: Int
    /// One-way delay, round-trip time and jitter samples recorded during this second.
    public var delay: DistributionData
    public var rtt: DistributionData
    public var jitter: DistributionData
    /// Clients with a live allocation at this second.
    public var activeClients: Int
    /// Errors of any kind (failed allocations, refreshes, sends) during this second.
    public var errors: Int
    /// With calls that come and go: allocations made, and calls hung up, during this second.
    public var allocations: Int?
    public var releases: Int?
    /// This second's failed setups by reason (an error code such as "486", "timeout"…), when
    /// there were any: `errors` split.
    public var setupFailures: [String: Int]?
    /// The harness's check on itself over this second (lateness, late and failed sends, CPU),
    /// so that the seconds it, not the endpoint, was the limit can be told apart.
    public var health: HarnessHealth?

    public init(
        second: Int, sent: Int = 0, received: Int = 0, lost: Int = 0, bytesSent: Int = 0, bytesReceived: Int = 0,
        delay: Distribution = Distribution(), rtt: Distribution = Distribution(), jitter: Distribution = Distribution(),
        activeClients: Int = 0, errors: Int = 0
    ) {
        self.second = second
        self.sent = sent
        self.received = received
        self.lost = lost
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.delay = delay.data
        self.rtt = rtt.data
        self.jitter = jitter.data
        self.activeClients = activeClients
        self.errors = errors
    }

    /// This second's loss in percent of what it sent, `lostBefore` being the previous row's
    /// `lost` (which counts the whole run so far).
    public func lossPercent(lostBefore: Int) -> Double {
        sent > 0 ? max(0, 100 * Double(lost - lostBefore) / Double(sent)) : 0
    }

    /// Adds `other`, a row for the same second from another shard: counts add up (each shard
    /// has its own clients and losses) and histograms merge.
    public mutating func merge(_ other: SecondSample) throws(DistributionData.Mismatch) {
        precondition(second == other.second, "merging rows of different seconds")
        sent += other.sent
        received += other.received
        lost += other.lost
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
        delay = try Self.merged(delay, other.delay)
        rtt = try Self.merged(rtt, other.rtt)
        jitter = try Self.merged(jitter, other.jitter)
        activeClients += other.activeClients
        errors += other.errors
        if allocations != nil || other.allocations != nil { allocations = (allocations ?? 0) + (other.allocations ?? 0) }
        if releases != nil || other.releases != nil { releases = (releases ?? 0) + (other.releases ?? 0) }
        if let failures = other.setupFailures { setupFailures = (setupFailures ?? [:]).merging(failures, uniquingKeysWith: +) }
        if let otherHealth = other.health {
            if health == nil { health = otherHealth } else { health?.merge(otherHealth) }
        }
    }

    private static func merged(_ lhs: DistributionData, _ rhs: DistributionData) throws(DistributionData.Mismatch) -> DistributionData {
        var distribution = try Distribution(lhs)
        distribution.merge(try Distribution(rhs))
        return distribution.data
    }
}
