import Measurement
import RunModel

/// The few lines a person reads after a run; the files hold the rest.
public enum RunSummary {
    static let harnessSaturated = "HARNESS SATURATED: these figures measure turnload, not the endpoint"

    /// `folder`: where the results are, nil when they could not be written.
    public static func render(_ result: RunResult, folder: String?) -> String {
        let outcome = result.outcome
        let clients = outcome.clients
        var lines = [
            "\(result.target): \(outcome.status.rawValue), \(clients.allocated)/\(clients.requested) clients allocated"
                + (clients.allocated > 0
                    ? " (Allocate p50 \(ms(clients.allocationLatency.percentile(50))) ms, "
                        + "p99 \(ms(clients.allocationLatency.percentile(99))) ms)"
                    : "")
        ]
        if let server = outcome.serverAddress, !result.target.contains(server) {
            lines.append("  server \(server)")
        }
        for unanswered in outcome.unansweredAddresses ?? [] { lines.append("  · did not answer: \(unanswered)") }
        if let arrivals = outcome.arrivals { lines.append("  " + ArrivalsSection.summary(arrivals)) }
        for parts in [outcome.byTransport, outcome.byGroup].compactMap({ $0 }) {
            lines += PartsSection.lines(parts, sendingSeconds: outcome.sendingSeconds)
        }
        lines += (outcome.abuse.map(AbuseSection.lines) ?? []).map { "  " + $0 }
        for (reason, count) in clients.failures.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(count) failed: \(clients.failureExamples[reason] ?? reason)")
        }
        if let lapse = clients.refreshes?.lapse { lines.append("  " + lapse) }
        lines += (clients.refreshes?.summaryLines ?? []).map { "  " + $0 }
        let seconds = Int64(outcome.sendingSeconds * 1e9)
        let outbound = result.configuration.topology.outboundName
        lines.append("  \(outbound): " + direction(outcome.towardPeer.summary(duration: seconds)))
        if let echo = outcome.towardClient { lines.append("  peer → client: " + direction(echo.summary(duration: seconds))) }
        if let rtt = outcome.rtt, rtt.count > 0 {
            lines.append("  RTT p50 \(ms(rtt.percentile(50))) ms, p99 \(ms(rtt.percentile(99))) ms, max \(ms(rtt.max)) ms")
        }
        let quality = outcome.quality
        lines.append(
            "  quality (E-model): MOS mean \(fixed(quality.meanMOS, 2)), worst \(fixed(quality.worstMOS, 2)); "
                + "\(fixed(quality.callsAtOrAbove4Percent, 1))% of calls at 4.0 or better")
        if let fairness = FairnessSection.summary(CallSpread(outcome.calls)) { lines.append("  " + fairness) }
        let health = outcome.healthSummary
        switch health.verdict {
        case .healthy:
            lines.append(
                "  harness: kept its schedule (send lateness p99 \(fixed(health.sendLateness.p99, 2)) ms, "
                    + "CPU \(fixed(health.cpuPercentOfAvailable, 0))% of \(health.coresAvailable) "
                    + "thread\(health.coresAvailable == 1 ? "" : "s"), "
                    + "\(health.receiveQueueDrops) socket drops)")
            if let cost = health.cpuMicrosecondsPerMessage, let calls = health.callsPerCore {
                // A lower bound: the cost per message falls as a heavier load batches more.
                lines.append(
                    "  harness cost: \(fixed(cost, 1)) µs of CPU per \(outcome.towardClient != nil ? "echoed message" : "packet sent"), "
                        + "so one harness core holds at least \(DecimalText.grouped(calls.rounded(.down))) such calls")
            }
        case .saturated(let reasons):
            lines.append("  " + harnessSaturated)
            lines += reasons.map { "    - \($0)" }
        }
        for part in result.parts ?? [] {
            let saturated = part.harness == .healthy ? "" : ", HARNESS SATURATED"
            lines.append(
                "  shard \(part.shard) on \(part.environment.hostname): \(part.status.rawValue), "
                    + "\(part.clientsAllocated)/\(part.clientsRequested) clients\(saturated)")
        }
        lines.append(folder.map { "  results: \($0)/" } ?? "  results: NOT WRITTEN (see the error below)")
        return lines.joined(separator: "\n")
    }

    static func direction(_ figures: DirectionSummary) -> String {
        "\(figures.sent) sent, \(figures.lost) lost (\(fixed(figures.lossPercent, 3))%), \(figures.duplicated) duplicated, "
            + "\(figures.reordered) reordered, \(figures.late) late; delay p50 \(fixed(figures.oneWayDelay.p50, 2)) ms, "
            + "p99 \(fixed(figures.oneWayDelay.p99, 2)) ms; jitter p99 \(fixed(figures.jitter.p99, 2)) ms; "
            + "\(fixed(figures.sentWireBitsPerSecond / 1e6, 2)) Mbit/s on the wire"
    }

    static func ms(_ nanoseconds: Int64) -> String { fixed(Double(nanoseconds) / 1e6, 2) }

    static func fixed(_ value: Double, _ decimals: Int) -> String { DecimalText.fixed(value, decimals: decimals) }
}
