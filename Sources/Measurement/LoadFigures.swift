/// The headline figures of one run or one saturation step: what thresholds, the cliff finder,
/// gates, comparisons and reports read. Percentages are 0–100, times in milliseconds.
public struct LoadFigures: Sendable, Codable, Equatable {
    /// Clients asked for: the offered load.
    public var clients: Int
    public var allocated: Int
    public var allocationSuccessPercent: Double
    /// The worse direction's loss.
    public var lossPercent: Double
    /// The worse direction's loss plus packets too late for the playout buffer.
    public var playoutLossPercent: Double
    /// The worse direction's p99 of per-stream RFC 3550 jitter.
    public var jitterP99Milliseconds: Double
    /// The worse direction's p99 one-way delay.
    public var delayP99Milliseconds: Double
    /// Round trip p99, echo only.
    public var rttP99Milliseconds: Double?
    public var meanMOS: Double
    /// The MOS that 90 % of calls reach or beat.
    public var mos10thPercentile: Double
    /// Packets sent a second, all directions: the load offered to the endpoint.
    public var offeredPacketsPerSecond: Double
    /// Distinct packets delivered a second, all directions.
    public var deliveredPacketsPerSecond: Double
    /// Wire bits a second the harness received, all directions, overhead included.
    public var deliveredWireBitsPerSecond: Double
    /// The harness's own verdict: when it was the bottleneck, the figures are its, not the endpoint's.
    public var harnessSaturated: Bool
    public var harnessReasons: [String]
    /// A watched process's resident memory growth (`--watch-pid`), when one was watched.
    public var residentGrowthMegabytesPerHour: Double?
    /// Jain's index over each call's delivered share of what it sent; absent in older results.
    public var fairness: Double?
    /// Allocate request to success, 401 round included, median and p99; absent in older
    /// results and when no allocation succeeded.
    public var allocationP50Milliseconds: Double?
    public var allocationP99Milliseconds: Double?
    /// Failed setups of those attempted, in percent; absent in older results.
    public var setupFailurePercent: Double?

    public init(
        clients: Int, allocated: Int, allocationSuccessPercent: Double, lossPercent: Double, playoutLossPercent: Double,
        jitterP99Milliseconds: Double, delayP99Milliseconds: Double, rttP99Milliseconds: Double?, meanMOS: Double,
        mos10thPercentile: Double, offeredPacketsPerSecond: Double, deliveredPacketsPerSecond: Double,
        deliveredWireBitsPerSecond: Double, harnessSaturated: Bool, harnessReasons: [String],
        residentGrowthMegabytesPerHour: Double? = nil, fairness: Double? = nil, allocationP50Milliseconds: Double? = nil,
        allocationP99Milliseconds: Double? = nil, setupFailurePercent: Double? = nil
    ) {
        self.clients = clients
        self.allocated = allocated
        self.allocationSuccessPercent = allocationSuccessPercent
        self.lossPercent = lossPercent
        self.playoutLossPercent = playoutLossPercent
        self.jitterP99Milliseconds = jitterP99Milliseconds
        self.delayP99Milliseconds = delayP99Milliseconds
        self.rttP99Milliseconds = rttP99Milliseconds
        self.meanMOS = meanMOS
        self.mos10thPercentile = mos10thPercentile
        self.offeredPacketsPerSecond = offeredPacketsPerSecond
        self.deliveredPacketsPerSecond = deliveredPacketsPerSecond
        self.deliveredWireBitsPerSecond = deliveredWireBitsPerSecond
        self.harnessSaturated = harnessSaturated
        self.harnessReasons = harnessReasons
        self.residentGrowthMegabytesPerHour = residentGrowthMegabytesPerHour
        self.fairness = fairness
        self.allocationP50Milliseconds = allocationP50Milliseconds
        self.allocationP99Milliseconds = allocationP99Milliseconds
        self.setupFailurePercent = setupFailurePercent
    }

    /// The value of `metric`, or nil when this run did not measure it (RTT without echo).
    public func value(of metric: Metric) -> Double? {
        switch metric {
        case .loss: lossPercent
        case .playoutLoss: playoutLossPercent
        case .jitterP99: jitterP99Milliseconds
        case .delayP99: delayP99Milliseconds
        case .rttP99: rttP99Milliseconds
        case .allocationSuccess: allocationSuccessPercent
        case .allocationP99: allocationP99Milliseconds
        case .setupFailure: setupFailurePercent
        case .mos: meanMOS
        case .mosP10: mos10thPercentile
        case .throughput: deliveredPacketsPerSecond
        case .rssGrowth: residentGrowthMegabytesPerHour
        case .fairness: fairness
        }
    }
}
