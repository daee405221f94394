import Measurement

/// The headline figures of a run or step beside the thresholds held against them.
enum FiguresTable {
    static func table(_ figures: LoadFigures, checks: [ThresholdCheck]) -> ReportTable {
        let rows = Metric.allCases.map { metric -> [ReportTable.Cell] in
            let value = figures.value(of: metric)
            let held = checks.filter { $0.threshold.metric == metric }
            return [
                ReportTable.Cell(metric.title),
                .number(value.map(metric.format) ?? "not measured"),
                ReportTable.Cell(
                    held.map { "\($0.threshold.comparison.rawValue) \(metric.format($0.threshold.limit))" }.joined(separator: ", ")),
                held.isEmpty ? "" : .verdict(held.allSatisfy(\.passed)),
            ]
        }
        return ReportTable(header: ["figure", "value", "threshold", ""], rows: rows)
    }

    /// "3 of 5 thresholds broken: loss, RTT p99, mean MOS", or nil when none was held.
    static func verdict(_ checks: [ThresholdCheck]) -> String? {
        guard !checks.isEmpty else { return nil }
        let broken = checks.filter { !$0.passed }
        if broken.isEmpty { return "all \(checks.count) thresholds hold" }
        return "\(broken.count) of \(checks.count) thresholds broken: " + broken.map(\.threshold.description).joined(separator: ", ")
    }
}
