import Measurement

/// The one line a second a run shows while it goes: clients up, packets and megabits a second
/// each way, loss, jitter, RTT, errors, and whether the harness keeps its schedule.
public enum ProgressLine {
    /// `lostBefore`: the previous sample's `lost`, so that the loss shown is this second's;
    /// `clients`: the load's, or nil when it has none to reach (calls that come and go, whose
    /// churn the line then shows; a live population).
    public static func render(_ sample: SecondSample, lostBefore: Int, clients: Int?) -> String {
        let delay = try? Distribution(sample.delay)
        let rtt = try? Distribution(sample.rtt)
        let jitter = try? Distribution(sample.jitter)
        let loss = sample.lossPercent(lostBefore: lostBefore)
        var parts = [
            "\(sample.second)s",
            clients.map { "clients \(sample.activeClients)/\($0)" }
                ?? "clients \(sample.activeClients)"
                + (sample.allocations.map { " (+\($0) −\(sample.releases ?? 0))" } ?? ""),
            "sent \(sample.sent) pkt/s \(megabits(sample.bytesSent)) Mbit/s",
            "received \(sample.received) pkt/s \(megabits(sample.bytesReceived)) Mbit/s",
            "loss \(DecimalText.fixed(loss, decimals: 2))%",
        ]
        if let jitter, jitter.count > 0 { parts.append("jitter p99 \(milliseconds(jitter.percentile(99))) ms") }
        if let rtt, rtt.count > 0 {
            parts.append("RTT p50/p99 \(milliseconds(rtt.percentile(50)))/\(milliseconds(rtt.percentile(99))) ms")
        } else if let delay, delay.count > 0 {
            parts.append("delay p50/p99 \(milliseconds(delay.percentile(50)))/\(milliseconds(delay.percentile(99))) ms")
        }
        if sample.errors > 0 { parts.append("errors \(sample.errors)") }
        return parts.joined(separator: "  ")
    }

    static func megabits(_ bytes: Int) -> String { DecimalText.fixed(Double(bytes) * 8 / 1e6, decimals: 2) }

    static func milliseconds(_ nanoseconds: Int64) -> String { DecimalText.fixed(Double(nanoseconds) / 1e6, decimals: 2) }
}
