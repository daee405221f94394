import Measurement
import RunModel

/// The report of a saturation run: what it found first, then every figure against offered
/// load with the clean capacity and cliff marked, the steps, the hold and the cost.
public enum SaturationReport {
    /// `stepResults`: the steps' whole results, when the caller read them (matched to steps
    /// by their clients); they add each step's delay and RTT distributions.
    public static func document(_ result: SaturationResult, stepResults: [RunResult] = [], cost: CostProjection? = nil) -> ReportDocument {
        let finding = result.finding
        let axis = result.steppedAxis
        var sections = [
            ReportDocument.Section("Finding", findingBlocks(result)),
            ReportDocument.Section(
                "Against offered load",
                [
                    .charts(
                        StepCharts.charts(
                            [StepCharts.Curve(name: result.target, color: 0, steps: result.chartedSteps)],
                            thresholds: result.thresholds, markers: StepCharts.markers(finding),
                            knee: finding.knee.map { ChartMarker(x: Double($0), label: "knee \($0)", tone: .neutral) }, axis: axis))
                ]),
            ReportDocument.Section("Steps", [.table(steps(result))]),
        ]
        if let hold = result.hold { sections.append(holdSection(hold)) }
        if let cost { sections.append(CostSection.section(cost)) }
        let ordered = result.steps.compactMap { step in stepResults.first { $0.configuration.clients == step.clients } }
        if !ordered.isEmpty {
            let runs = ordered.enumerated().map {
                ChartedRun(name: axis.load($0.element.configuration.clients), color: $0.offset, results: [$0.element])
            }
            sections.append(ReportDocument.Section("Distributions by step", [.charts(RunCharts.distributions(runs))]))
        }
        let clients = result.steps.map(\.clients)
        let tone: ReportDocument.Tone =
            result.status != .complete || finding.cleanCapacity == nil
            ? .fail
            : finding.harnessBoundAt != nil ? .warn : .pass
        return ReportDocument(
            title: "turnload saturate: \(result.target)",
            facts: [
                ReportDocument.date(result.startedAt), result.status.rawValue,
                axis == .allocations
                    ? "calls arriving at each step's rate of new allocations"
                    : result.mode == .live ? "one live population, grown step by step" : "each step a fresh load",
                "\(clients.count) steps" + (clients.isEmpty ? "" : " from \(clients.min()!) to \(axis.load(clients.max()!))"),
                "turnload \(result.turnloadVersion)",
            ],
            headline: result.headline,
            tone: tone,
            sections: sections
        )
    }

    static func findingBlocks(_ result: SaturationResult) -> [ReportDocument.Block] {
        let finding = result.finding
        let axis = result.steppedAxis
        var blocks: [ReportDocument.Block] = []
        if result.status != .complete {
            blocks.append(.alert("Partial results: stepping was cut short (\(result.status.rawValue))", details: [], tone: .fail))
        }
        if let bound = finding.harnessBoundAt {
            blocks.append(
                .alert(
                    "HARNESS SATURATED at \(axis.load(bound)): from there on these figures measure turnload, not the endpoint",
                    details: finding.harnessReasons, tone: .fail))
        }
        var facts = [
            finding.cleanCapacity.map { "**Clean capacity: \(axis.load($0))**: every threshold held at every step up to it" }
                ?? "**No clean step**: the first step already broke a threshold"
        ]
        if let cliff = finding.cliff {
            facts.append("**Cliff at \(axis.load(cliff.clients))**: " + cliff.breaches.map(\.description).joined(separator: "; "))
        } else if let bound = finding.harnessBoundAt {
            facts.append(
                "**Harness-bound at \(axis.load(bound))**, not a cliff: run turnload on more cores or machines "
                    + "(`--threads`, shards) to go further"
            )
        } else {
            facts.append("**No cliff** up to the last step")
        }
        if let knee = finding.knee {
            facts.append("**Throughput knee at \(axis.load(knee))**: beyond it, less than half of the added packets were delivered")
        }
        for step in result.steps {
            guard let times = step.remeasured else { continue }
            facts.append(
                "**\(axis.load(step.clients)) measured \(times == 1 ? "again" : "\(times) more times")**: turnload fell behind "
                    + "first (" + (step.remeasuredBecause ?? []).joined(separator: "; ") + "); the figures are the last measurement's")
        }
        facts.append("thresholds: " + result.thresholds.map(\.description).joined(separator: ", "))
        blocks.append(.list(facts))
        return blocks
    }

    static func steps(_ result: SaturationResult) -> ReportTable {
        let header =
            [
                result.steppedAxis == .calls ? "calls" : "allocations/s", "status", "allocation p50 / p99", "setup failure", "loss",
                "jitter p99", "RTT p99", "MOS", "offered pkt/s", "delivered pkt/s", "harness",
            ]
            + result.thresholds.map(\.description)
        let rows = result.steps.map { step -> [ReportTable.Cell] in
            let figures = step.figures
            let cells: [ReportTable.Cell] = [
                .number(String(step.clients)),
                ReportTable.Cell(step.status.rawValue, tone: step.status == .complete ? .neutral : .fail),
                .number(
                    [figures.allocationP50Milliseconds, figures.allocationP99Milliseconds]
                        .map { $0.map(Metric.allocationP99.format) ?? "—" }.joined(separator: " / ")),
                .number(figures.setupFailurePercent.map(Metric.setupFailure.format) ?? "—"),
                .number(Metric.loss.format(figures.lossPercent)),
                .number(Metric.jitterP99.format(figures.jitterP99Milliseconds)),
                .number(figures.rttP99Milliseconds.map(Metric.rttP99.format) ?? "—"),
                .number(Metric.mos.format(figures.meanMOS)),
                .number(DecimalText.grouped(figures.offeredPacketsPerSecond)),
                .number(DecimalText.grouped(figures.deliveredPacketsPerSecond)),
                figures.harnessSaturated ? ReportTable.Cell("saturated", tone: .fail) : "ok",
            ]
            return cells
                + result.thresholds.map { threshold in
                    step.checks.first { $0.threshold == threshold }.map { .verdict($0.passed) } ?? "—"
                }
        }
        return ReportTable(header: header, rows: rows)
    }

    static func holdSection(_ hold: SaturationHold) -> ReportDocument.Section {
        var blocks: [ReportDocument.Block] = [
            .paragraph(
                "\(hold.clients) calls held until \(DecimalText.short(hold.bytes / 1e9, decimals: 2)) GB of the "
                    + "\(DecimalText.short(hold.targetBytes / 1e9, decimals: 2)) GB asked for had crossed the endpoint "
                    + "(\(hold.status.rawValue)).")
        ]
        if hold.status != .complete {
            blocks.append(.alert("Partial results: the hold was cut short (\(hold.status.rawValue))", details: [], tone: .fail))
        }
        if hold.figures.harnessSaturated {
            blocks.append(
                .alert(
                    RunSummary.harnessSaturated, details: hold.figures.harnessReasons,
                    tone: .fail))
        }
        blocks.append(.table(FiguresTable.table(hold.figures, checks: hold.checks)))
        return ReportDocument.Section("Hold at \(hold.clients) calls", blocks)
    }
}
