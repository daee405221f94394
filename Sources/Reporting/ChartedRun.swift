import Measurement

/// A run, or several runs of one target pooled, as the charts read it: per-second rows and the
/// whole-run distributions. Pooling adds the histograms exactly, so a group's percentile curve
/// is that of all its packets; per-second counts are divided by the runs pooled.
struct ChartedRun {
    /// The curve names' prefix: empty for a lone run, the target in a comparison.
    var name: String
    var color: Int
    var runs: Int
    var series: [SecondSample]
    var outboundDelay: Distribution
    var returnDelay: Distribution?
    var rtt: Distribution?
    /// "client → peer" or, in the pair topology, "client → client".
    var outboundName: String

    init(name: String, color: Int, results: [RunResult]) {
        self.name = name
        self.color = color
        runs = max(1, results.count)
        // Rows and histograms that cannot be merged (another histogram layout) are left out:
        // a plot with a gap is more use than no report.
        var pooled = TimeSeries()
        for sample in results.flatMap(\.outcome.series) { try? pooled.add(sample) }
        series = pooled.samples
        outboundDelay = Self.pooled(results.map(\.outcome.towardPeer.oneWayDelay))
        let returns = results.compactMap(\.outcome.towardClient?.oneWayDelay)
        returnDelay = returns.isEmpty ? nil : Self.pooled(returns)
        let rtts = results.compactMap(\.outcome.rtt)
        rtt = rtts.isEmpty ? nil : Self.pooled(rtts)
        outboundName = (results.first?.configuration.topology ?? .echo).outboundName
    }

    static func pooled(_ distributions: [Distribution]) -> Distribution {
        var total = Distribution()
        for distribution in distributions { total.merge(distribution) }
        return total
    }

    // MARK: Per-second figures

    func perSecond(_ count: (SecondSample) -> Int) -> [ChartPoint] {
        series.map { ChartPoint(Double($0.second), Double(count($0)) / Double(runs)) }
    }

    /// Packets lost per second as a share of those sent that second; `lost` is cumulative.
    var lossPercentPerSecond: [ChartPoint] {
        zip([0] + series.map(\.lost), series).compactMap { before, sample in
            sample.sent > 0 ? ChartPoint(Double(sample.second), 100 * Double(max(0, sample.lost - before)) / Double(sample.sent)) : nil
        }
    }

    /// A percentile of a per-second histogram, in milliseconds, for the seconds that have samples.
    func milliseconds(_ data: (SecondSample) -> DistributionData, at percentile: Double) -> [ChartPoint] {
        series.compactMap { sample in
            guard let distribution = try? Distribution(data(sample)), distribution.count > 0 else { return nil }
            return ChartPoint(Double(sample.second), Double(distribution.percentile(percentile)) / 1e6)
        }
    }
}
