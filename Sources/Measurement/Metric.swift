/// A headline figure that thresholds, gates and comparisons name, as users write it:
/// `loss`, `jitter-p99`, `rtt-p99`, `allocation-success`, `mos`, `rss-growth`.
public enum Metric: String, Sendable, Codable, CaseIterable {
    case loss
    case playoutLoss = "playout-loss"
    case jitterP99 = "jitter-p99"
    case delayP99 = "delay-p99"
    case rttP99 = "rtt-p99"
    case allocationSuccess = "allocation-success"
    /// Allocate request to success, 401 round included: how long the control plane makes a call wait.
    case allocationP99 = "allocation-p99"
    /// Setups that failed (refused, unanswered, channel not bound) of those attempted.
    case setupFailure = "setup-failure"
    case mos
    case mosP10 = "mos-p10"
    case throughput
    /// A watched process's resident memory growth (`--watch-pid`): a leak under load.
    case rssGrowth = "rss-growth"
    /// Jain's index over the calls' delivered shares: 1 when the relay served every call alike.
    case fairness

    public var unit: Unit {
        switch self {
        case .loss, .playoutLoss, .allocationSuccess, .setupFailure: .percent
        case .jitterP99, .delayP99, .rttP99, .allocationP99: .milliseconds
        case .mos, .mosP10, .fairness: .score
        case .throughput: .packetsPerSecond
        case .rssGrowth: .megabytesPerHour
        }
    }

    /// Whether a larger value is the better one (success, MOS, throughput) or the worse one.
    public var higherIsBetter: Bool {
        switch self {
        case .allocationSuccess, .mos, .mosP10, .throughput, .fairness: true
        case .loss, .playoutLoss, .jitterP99, .delayP99, .rttP99, .rssGrowth, .allocationP99, .setupFailure: false
        }
    }

    /// The smallest change that is not measurement noise, in the metric's unit: a regression
    /// smaller than this is not called one, however large in relative terms (0.01 % loss
    /// doubling to 0.02 % is not a regression).
    public var noiseFloor: Double {
        switch self {
        case .loss, .playoutLoss, .allocationSuccess, .setupFailure: 0.1
        case .jitterP99, .delayP99, .rttP99, .allocationP99: 1
        case .mos, .mosP10: 0.05
        case .throughput: 1
        case .rssGrowth: 1
        case .fairness: 0.01
        }
    }

    public var title: String {
        switch self {
        case .loss: "loss"
        case .playoutLoss: "playout loss"
        case .jitterP99: "jitter p99"
        case .delayP99: "one-way delay p99"
        case .rttP99: "RTT p99"
        case .allocationSuccess: "allocation success"
        case .allocationP99: "allocation p99"
        case .setupFailure: "setup failure"
        case .mos: "mean MOS"
        case .mosP10: "MOS 10th percentile"
        case .throughput: "delivered packets/s"
        case .rssGrowth: "watched process's memory growth"
        case .fairness: "fairness between calls (Jain's index)"
        }
    }

    public enum Unit: String, Sendable, Codable {
        case percent = "%"
        case milliseconds = "ms"
        case score = ""
        case packetsPerSecond = "pkt/s"
        case megabytesPerHour = "MB/h"
    }

    /// `value` with its unit: `0.52%`, `31.2 ms`, `4.12`.
    public func format(_ value: Double) -> String {
        switch unit {
        case .percent: DecimalText.short(value, decimals: value < 1 ? 3 : 2) + "%"
        case .milliseconds: DecimalText.short(value, decimals: 1) + " ms"
        case .score: DecimalText.short(value, decimals: 2)
        case .packetsPerSecond: DecimalText.short(value, decimals: 0) + " pkt/s"
        case .megabytesPerHour: DecimalText.short(value, decimals: 1) + " MB/h"
        }
    }
}
