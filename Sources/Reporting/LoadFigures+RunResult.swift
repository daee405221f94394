import Measurement
import RunModel

extension LoadFigures {
    /// The headline figures of a run: each the worse of its directions.
    public init(_ result: RunResult) {
        let outcome = result.outcome
        let duration = Int64(outcome.sendingSeconds * 1e9)
        let directions = [outcome.towardPeer, outcome.towardClient].compactMap { $0 }.map { $0.summary(duration: duration) }
        let health = outcome.healthSummary.verdict
        var reasons: [String] = []
        if case let .saturated(why) = health { reasons = why }
        let allocation = outcome.clients.allocated > 0 ? outcome.clients.allocationLatency.summary : nil
        self.init(
            clients: outcome.clients.requested,
            allocated: outcome.clients.allocated,
            allocationSuccessPercent: outcome.clients.allocationSuccessPercent,
            lossPercent: directions.map(\.lossPercent).max() ?? 0,
            playoutLossPercent: directions.map(\.playoutLossPercent).max() ?? 0,
            jitterP99Milliseconds: directions.map(\.jitter.p99).max() ?? 0,
            delayP99Milliseconds: directions.map(\.oneWayDelay.p99).max() ?? 0,
            rttP99Milliseconds: outcome.rtt.map { $0.summary.p99 },
            meanMOS: outcome.quality.meanMOS,
            mos10thPercentile: outcome.quality.mos10thPercentile,
            offeredPacketsPerSecond: directions.map(\.sentPacketsPerSecond).reduce(0, +),
            deliveredPacketsPerSecond: directions.map(\.receivedPacketsPerSecond).reduce(0, +),
            deliveredWireBitsPerSecond: directions.map(\.receivedWireBitsPerSecond).reduce(0, +),
            harnessSaturated: reasons.isEmpty == false,
            harnessReasons: reasons,
            residentGrowthMegabytesPerHour: result.watched?.residentGrowthBytesPerHour.map { $0 / 1e6 },
            fairness: CallSpread(outcome.calls).fairness,
            allocationP50Milliseconds: allocation?.p50,
            allocationP99Milliseconds: allocation?.p99,
            setupFailurePercent: outcome.clients.setupFailurePercent
        )
    }
}

extension TrafficVolume {
    /// A run's wire bytes per call-minute: what the harness sent is what the endpoint received,
    /// what the harness received is what the endpoint sent.
    public init(_ result: RunResult) {
        let outcome = result.outcome
        let directions = [outcome.towardPeer, outcome.towardClient].compactMap { $0 }
        self.init(
            fromRelayBytes: directions.map(\.wireBytesReceived).reduce(0, +),
            toRelayBytes: directions.map(\.wireBytesSent).reduce(0, +),
            callMinutes: Double(outcome.clients.allocated) * outcome.sendingSeconds / 60)
    }
}
