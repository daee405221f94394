import Measurement
import RunModel

/// Each part of a run made of several loads, the transports of a mix (`--mix`) or the groups
/// of calls (`--group`), on its own: its clients, loss each way, delay, jitter, RTT, quality and
/// fairness, beside the run's total.
enum PartsSection {
    static func section(_ parts: [PartOutcome], sendingSeconds: Double) -> ReportDocument.Section {
        ReportDocument.Section(
            parts.first?.group == nil ? "By transport" : "By group", [.table(table(parts, sendingSeconds: sendingSeconds))])
    }

    static func table(_ parts: [PartOutcome], sendingSeconds: Double) -> ReportTable {
        let duration = Int64(sendingSeconds * 1e9)
        let grouped = parts.first?.group != nil
        let rows = parts.map { part -> [ReportTable.Cell] in
            let directions = [part.towardPeer, part.towardClient].compactMap { $0 }.map { $0.summary(duration: duration) }
            let loss = directions.map { Metric.loss.format($0.lossPercent) }.joined(separator: " / ")
            func ms(_ value: Double) -> ReportTable.Cell { .number(DecimalText.fixed(value, decimals: 2)) }
            let name: [ReportTable.Cell] =
                grouped
                ? [ReportTable.Cell(part.group ?? ""), ReportTable.Cell(part.transport), ReportTable.Cell(media(part))]
                : [ReportTable.Cell(part.transport), ReportTable.Cell(part.uri)]
            return name + [
                .number("\(part.clients.allocated)/\(part.clients.requested)"), ReportTable.Cell(loss),
                ms(directions.map(\.oneWayDelay.p99).max() ?? 0), ms(directions.map(\.jitter.p99).max() ?? 0),
                part.rtt.map { ms($0.summary.p99) } ?? "–", .number(DecimalText.fixed(part.quality.meanMOS, decimals: 2)),
                part.fairness.map { .number(DecimalText.fixed($0, decimals: 3)) } ?? "–",
            ]
        }
        return ReportTable(
            header: (grouped ? ["group", "transport", "media"] : ["transport", "URI"]) + [
                "allocated", "loss each way", "delay p99 ms", "jitter p99 ms", "RTT p99 ms", "MOS", "fairness",
            ],
            rows: rows)
    }

    /// One line a part, for the terminal.
    static func lines(_ parts: [PartOutcome], sendingSeconds: Double) -> [String] {
        let duration = Int64(sendingSeconds * 1e9)
        return parts.map { part in
            let loss = [part.towardPeer, part.towardClient].compactMap { $0 }.map {
                Metric.loss.format($0.summary(duration: duration).lossPercent)
            }
            let name = part.group.map { "\($0) (\(part.transport), \(media(part)))" } ?? part.transport
            return "  \(name): \(part.clients.allocated)/\(part.clients.requested) clients allocated, loss "
                + loss.joined(separator: " / ")
                + (part.rtt.map { ", RTT p99 \(DecimalText.fixed(Double($0.percentile(99)) / 1e6, decimals: 2)) ms" } ?? "")
                + ", MOS \(DecimalText.fixed(part.quality.meanMOS, decimals: 2))"
                + (part.fairness.map { ", fairness \(DecimalText.fixed($0, decimals: 3))" } ?? "")
        }
    }

    /// `Opus 510 kbit/s, 10 ms frames, VBR, 10 packets a frame`.
    private static func media(_ part: PartOutcome) -> String {
        (part.media?.summary ?? "") + (part.packetsPerFrame.map { ", \($0) packets a frame" } ?? "")
    }
}
