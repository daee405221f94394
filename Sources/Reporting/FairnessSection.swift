import Measurement
import RunModel

/// The report's section on fairness between calls: Jain's index, the spread of per-call loss,
/// jitter and MOS with the worst call named, and each call's MOS and loss, worst first.
enum FairnessSection {
    /// One line for the terminal, naming the worst calls where they stand out from the
    /// median; nil without calls.
    static func summary(_ spread: CallSpread) -> String? {
        guard let fairness = spread.fairness, let loss = spread.spreads.first, let mos = spread.spreads.last else { return nil }
        var worst: [String] = []
        if loss.worst > loss.median {
            worst.append("by loss: client \(loss.worstClient)\(path(loss)), \(Metric.loss.format(loss.worst))")
        }
        if mos.worst < mos.median { worst.append("by MOS: client \(mos.worstClient), " + DecimalText.fixed(mos.worst, decimals: 2)) }
        return "fairness between calls: Jain's index \(DecimalText.fixed(fairness, decimals: 3)); "
            + (worst.isEmpty ? "no call fared worse than the median" : "worst call " + worst.joined(separator: "; "))
    }

    static func section(_ spread: CallSpread) -> ReportDocument.Section {
        var blocks: [ReportDocument.Block] = []
        if let fairness = spread.fairness {
            blocks.append(
                .list([
                    "Jain's fairness index **\(DecimalText.fixed(fairness, decimals: 3))** over \(spread.mosWorstFirst.count) calls' "
                        + "delivered share of what each sent (1: every call served alike; 1/n: one call got everything)"
                ]))
        }
        func cell(_ value: Double) -> ReportTable.Cell { .number(DecimalText.short(value, decimals: 3)) }
        blocks.append(
            .table(
                ReportTable(
                    header: ["per call", "median", "worst 10% reach", "worst call", "which"],
                    rows: spread.spreads.map {
                        [
                            ReportTable.Cell($0.metric), cell($0.median), cell($0.worstDecile), cell($0.worst),
                            ReportTable.Cell("client \($0.worstClient)\(path($0))"),
                        ]
                    })))
        let rank = ChartAxis("calls, worst first")
        func points(_ values: [Double]) -> [ChartPoint] { values.enumerated().map { ChartPoint(Double($0.offset + 1), $0.element) } }
        blocks.append(
            .charts([
                LineChart(
                    title: "MOS of each call", x: rank, y: ChartAxis("MOS"),
                    series: [ChartSeries("MOS", points: points(spread.mosWorstFirst), color: 0)]),
                LineChart(
                    title: "Loss of each call", x: rank, y: ChartAxis("%"),
                    series: [ChartSeries("loss, worse direction", points: points(spread.lossWorstFirst), color: 1)]),
            ]))
        return ReportDocument.Section("Fairness between calls", blocks)
    }

    private static func path(_ spread: CallSpread.Spread) -> String { spread.worstFiveTuple.map { " (\($0))" } ?? "" }
}
