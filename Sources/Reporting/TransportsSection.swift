import Measurement
import RunModel

/// Each transport of a mixed run (`--mix`) on its own: its clients, loss each way, delay,
/// jitter, RTT and quality, beside the run's total.
enum TransportsSection {
    static func table(_ transports: [TransportOutcome], sendingSeconds: Double) -> ReportTable {
        let duration = Int64(sendingSeconds * 1e9)
        let rows = transports.map { part -> [ReportTable.Cell] in
            let directions = [part.towardPeer, part.towardClient].compactMap { $0 }.map { $0.summary(duration: duration) }
            let loss = directions.map { Metric.loss.format($0.lossPercent) }.joined(separator: " / ")
            func ms(_ value: Double) -> ReportTable.Cell { .number(DecimalText.fixed(value, decimals: 2)) }
            return [
                ReportTable.Cell(part.transport), ReportTable.Cell(part.uri),
                .number("\(part.clients.allocated)/\(part.clients.requested)"), ReportTable.Cell(loss),
                ms(directions.map(\.oneWayDelay.p99).max() ?? 0), ms(directions.map(\.jitter.p99).max() ?? 0),
                part.rtt.map { ms($0.summary.p99) } ?? "–", .number(DecimalText.fixed(part.quality.meanMOS, decimals: 2)),
            ]
        }
        return ReportTable(
            header: ["transport", "URI", "allocated", "loss each way", "delay p99 ms", "jitter p99 ms", "RTT p99 ms", "MOS"],
            rows: rows)
    }

    /// One line a transport, for the terminal.
    static func lines(_ transports: [TransportOutcome], sendingSeconds: Double) -> [String] {
        let duration = Int64(sendingSeconds * 1e9)
        return transports.map { part in
            let loss = [part.towardPeer, part.towardClient].compactMap { $0 }.map {
                Metric.loss.format($0.summary(duration: duration).lossPercent)
            }
            return "  \(part.transport): \(part.clients.allocated)/\(part.clients.requested) clients allocated, loss "
                + loss.joined(separator: " / ")
                + (part.rtt.map { ", RTT p99 \(DecimalText.fixed(Double($0.percentile(99)) / 1e6, decimals: 2)) ms" } ?? "")
                + ", MOS \(DecimalText.fixed(part.quality.meanMOS, decimals: 2))"
        }
    }
}
