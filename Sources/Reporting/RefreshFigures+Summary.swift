import RunModel

extension RefreshFigures {
    /// What kept the calls alive and what failed on the way, a line each, for the summary a
    /// person reads and the report's facts (`lapse` goes with the status). Nothing for a run too
    /// short to refresh.
    var summaryLines: [String] {
        var lines: [String] = []
        if succeeded > 0 || !failures.isEmpty {
            let timed =
                latency.count > 0
                ? " (p50 \(RunSummary.ms(latency.percentile(50))) ms, p99 \(RunSummary.ms(latency.percentile(99))) ms)" : ""
            lines.append(
                "refreshes: \(allocation) allocation, \(permission) permission, \(channel) channel\(timed), "
                    + "\(credentialRenewals) credential renewal\(credentialRenewals == 1 ? "" : "s")")
        }
        for (reason, count) in failures.sorted(by: { $0.key < $1.key }) {
            lines.append("\(count) refresh\(count == 1 ? "" : "es") failed: \(failureExamples[reason] ?? reason)")
        }
        return lines
    }
}
