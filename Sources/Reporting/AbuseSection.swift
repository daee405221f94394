import Measurement
import RunModel

/// The report's section on abuse under load (`--abuse`): what each kind sent and what the
/// endpoint answered, and the calls' figures in the quiet windows beside the abusive ones.
enum AbuseSection {
    /// Lines for the terminal and the section's facts.
    static func lines(_ abuse: AbuseFigures) -> [String] {
        let kinds = abuse.kinds.map { kind in
            let answers = kind.answers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" } + ["none ×\(kind.unanswered)"]
            return "\(kind.kind.rawValue) at \(kind.rate)/s: \(kind.sent) sent, answered \(answers.joined(separator: ", "))"
        }
        return ["abuse in alternate \(abuse.windowSeconds) s windows, quiet first:"] + kinds.map { "  " + $0 }
            + ["  calls without abuse: \(describe(abuse.quiet))", "  calls under abuse:   \(describe(abuse.abused))"]
    }

    static func section(_ abuse: AbuseFigures) -> ReportDocument.Section {
        func ms(_ value: Double?) -> ReportTable.Cell { value.map { .number(DecimalText.fixed($0, decimals: 2)) } ?? "–" }
        let windows = [("without abuse", abuse.quiet), ("under abuse", abuse.abused)].map { name, window -> [ReportTable.Cell] in
            [
                ReportTable.Cell(name), .number("\(window.seconds)"), .number("\(window.sent)"), .number("\(window.lost)"),
                ReportTable.Cell(Metric.loss.format(window.lossPercent)), ms(window.delayP99), ms(window.jitterP99), ms(window.rttP99),
            ]
        }
        let kinds = abuse.kinds.map { kind -> [ReportTable.Cell] in
            [
                ReportTable.Cell(kind.kind.rawValue), .number("\(kind.rate)"), .number("\(kind.sent)"),
                ReportTable.Cell(kind.answers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")),
                .number("\(kind.unanswered)"),
            ]
        }
        return ReportDocument.Section(
            "Abuse under load",
            [
                .list(["Abuse in alternate \(abuse.windowSeconds) s windows, quiet first; the calls' figures at full load."]),
                .table(
                    ReportTable(
                        header: ["calls", "seconds", "sent", "lost", "loss", "delay p99 ms", "jitter p99 ms", "RTT p99 ms"],
                        rows: windows)),
                .table(ReportTable(header: ["abuse", "rate /s", "sent", "answered", "unanswered"], rows: kinds)),
            ])
    }

    private static func describe(_ window: AbuseFigures.Window) -> String {
        "loss \(Metric.loss.format(window.lossPercent)) of \(window.sent), delay p99 \(DecimalText.fixed(window.delayP99, decimals: 2)) ms, "
            + "jitter p99 \(DecimalText.fixed(window.jitterP99, decimals: 2)) ms"
            + (window.rttP99.map { ", RTT p99 \(DecimalText.fixed($0, decimals: 2)) ms" } ?? "") + " over \(window.seconds) s"
    }
}
