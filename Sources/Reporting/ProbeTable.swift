import Foundation
import RunModel

/// The table a person reads: a row per URI, a column per step, then what was learned and why
/// anything failed.
public enum ProbeTable {
    public static func render(_ results: [ProbeResult]) -> String {
        let rows = results.map { result in
            [ReportTable.Cell(result.uri)]
                + ProbeStep.allCases.map { step in
                    guard let outcome = result.steps.first(where: { $0.step == step }) else { return "–" }
                    let time = outcome.milliseconds.map { " " + milliseconds($0) } ?? ""
                    return ReportTable.Cell((outcome.ok ? "✓" : "✗") + time)
                }
        }
        var lines = ReportTable(header: ["URI"] + ProbeStep.allCases.map(\.rawValue), rows: rows).text
        for result in results {
            var facts: [String] = []
            if let server = result.server {
                let others = (result.addresses ?? []).filter { $0 != server }
                facts.append("server \(server)" + (others.isEmpty ? "" : " (of \(result.addresses!.joined(separator: ", ")))"))
            }
            if let origin = result.redirectedFrom { facts.append("redirected from \(origin)") }
            if let software = result.software { facts.append("software \"\(software)\"") }
            if let reflexive = result.reflexiveAddress { facts.append("reflexive \(reflexive)") }
            if let relayed = result.relayedAddresses?.joined(separator: " and ") ?? result.relayedAddress {
                facts.append("relayed \(relayed)")
            }
            if let refused = result.refusedFamily { facts.append("no \(refused)") }
            if let lifetime = result.lifetimeSeconds { facts.append("lifetime \(lifetime) s") }
            if let echo = result.echo {
                var text = "echo \(echo.received)/\(echo.sent)"
                if let minimum = echo.rttMinimumMilliseconds, let median = echo.rttMedianMilliseconds,
                    let p99 = echo.rttP99Milliseconds
                {
                    text += ", RTT min/median/p99 \(milliseconds(minimum))/\(milliseconds(median))/\(milliseconds(p99))"
                }
                facts.append(text)
            }
            lines.append("")
            let verdict = result.interrupted ? "INTERRUPTED" : result.passed ? "passed" : "FAILED"
            lines.append("\(result.uri): \(verdict)" + (facts.isEmpty ? "" : " — " + facts.joined(separator: ", ")))
            for address in result.unanswered ?? [] { lines.append("  · did not answer: \(address)") }
            for step in result.steps where !step.ok {
                lines.append("  ✗ \(step.step.rawValue): \(step.error ?? "failed")")
            }
            if let limits = result.limits { lines += limits.lines }
        }
        return lines.joined(separator: "\n")
    }

    /// Three significant digits, as a probe's timings are read.
    static func milliseconds(_ value: Double) -> String {
        if value >= 100 { return "\(Int(value.rounded())) ms" }
        if value >= 10 { return "\((value * 10).rounded() / 10) ms" }
        return "\((value * 100).rounded() / 100) ms"
    }
}
