import Foundation
import Measurement
import RunModel

/// The report of one run: its verdict first, then its figures, the harness's check on itself,
/// the cost, and the plots.
public enum RunReport {
    public static func document(_ result: RunResult, checks: [ThresholdCheck] = [], cost: CostProjection? = nil) -> ReportDocument {
        let figures = LoadFigures(result)
        let outcome = result.outcome
        let configuration = result.configuration
        var summary: [ReportDocument.Block] = alerts(result, figures: figures)
        summary.append(.table(FiguresTable.table(figures, checks: checks)))
        var sections = [
            ReportDocument.Section("Headline figures", summary),
            ReportDocument.Section("Load", [.list(loadFacts(result))]),
            ReportDocument.Section("Directions", [.table(directions(result))]),
            ReportDocument.Section("Distributions (ms)", [.table(distributions(result))]),
            ReportDocument.Section("Harness", [.table(harness(outcome.healthSummary))]),
        ]
        if let watched = result.watched {
            sections.append(WatchedProcessSection.section(watched, allocations: outcome.clients.allocated))
        }
        if !outcome.calls.isEmpty { sections.append(FairnessSection.section(CallSpread(outcome.calls))) }
        for parts in [outcome.byTransport, outcome.byGroup].compactMap({ $0 }) {
            sections.append(PartsSection.section(parts, sendingSeconds: outcome.sendingSeconds))
        }
        if let arrivals = outcome.arrivals { sections.append(ArrivalsSection.section(arrivals, series: outcome.series)) }
        if let abuse = outcome.abuse { sections.append(AbuseSection.section(abuse)) }
        if let scraped = result.scraped { sections.append(ScrapedMetricsSection.section(scraped)) }
        if let cost { sections.append(CostSection.section(cost)) }
        let charted = [ChartedRun(name: result.target, color: 0, results: [result])]
        sections.append(ReportDocument.Section("Over time", [.charts(RunCharts.timeSeries(charted))]))
        sections.append(ReportDocument.Section("Delay and RTT distributions", [.charts(RunCharts.distributions(charted))]))

        var headline =
            "\(outcome.clients.allocated)/\(outcome.clients.requested) calls: loss \(Metric.loss.format(figures.lossPercent)), "
            + "jitter p99 \(Metric.jitterP99.format(figures.jitterP99Milliseconds))"
            + (figures.rttP99Milliseconds.map { ", RTT p99 \(Metric.rttP99.format($0))" } ?? "")
            + ", MOS \(Metric.mos.format(figures.meanMOS))"
        if let verdict = FiguresTable.verdict(checks) { headline += "; " + verdict }
        let failed =
            figures.harnessSaturated || outcome.status != .complete || outcome.clients.allocated == 0
            || checks.contains { !$0.passed }
        return ReportDocument(
            title: "turnload run: \(result.target)",
            facts: [
                ReportDocument.date(result.startedAt), outcome.status.rawValue,
                "\(configuration.clients) clients, \(DecimalText.short(configuration.durationSeconds)) s, "
                    + "\(configuration.topology.rawValue) over \(configuration.transport)"
                    + (configuration.indications == true ? " in Send/Data indications" : ""),
                "turnload \(result.turnloadVersion)",
            ],
            headline: headline,
            tone: failed ? .fail : .pass,
            sections: sections
        )
    }

    /// What must not be missed: results that are partial, or that measured turnload itself.
    static func alerts(_ result: RunResult, figures: LoadFigures) -> [ReportDocument.Block] {
        var alerts: [ReportDocument.Block] = []
        switch result.outcome.status {
        case .complete: break
        case .interrupted:
            alerts.append(.alert("Partial results: the run was interrupted before its end", details: [], tone: .fail))
        case .inProgress:
            alerts.append(
                .alert(
                    "Partial results: a checkpoint of a run that was still going; if it is the last, the run ended without "
                        + "writing its own", details: [], tone: .fail))
        case .endpointFailed where result.outcome.clients.allocated == 0:
            alerts.append(.alert("No client could allocate (endpoint-failed): the failures below say why", details: [], tone: .fail))
        case .endpointFailed:
            let lapse = result.outcome.clients.refreshes?.lapse
            alerts.append(
                .alert(
                    "Partial results: the endpoint stopped answering mid-run (endpoint-failed)", details: lapse.map { [$0] } ?? [],
                    tone: .fail))
        }
        if figures.harnessSaturated {
            alerts.append(
                .alert(
                    RunSummary.harnessSaturated, details: figures.harnessReasons,
                    tone: .fail))
        }
        let clients = result.outcome.clients
        if !clients.failures.isEmpty {
            alerts.append(
                .alert(
                    "\(clients.requested - clients.allocated) of \(clients.requested) clients failed to allocate",
                    details: clients.failures.sorted { $0.key < $1.key }.map {
                        "\($0.value) × \(clients.failureExamples[$0.key] ?? $0.key)"
                    },
                    tone: .warn))
        }
        return alerts
    }

    static func loadFacts(_ result: RunResult) -> [String] {
        let configuration = result.configuration
        let environment = result.environment
        var facts = [
            "\(configuration.clients) clients, opened at \(configuration.rampPerSecond) a second, "
                + "\(DecimalText.short(configuration.durationSeconds)) s at full load, "
                + "then \(DecimalText.short(configuration.drainSeconds)) s to drain",
            "topology \(configuration.topology.rawValue), transport \(configuration.transport), \(configuration.threads) thread(s)",
            configuration.media.summary + "; mean payload \(DecimalText.short(result.media.meanPayloadBytes)) bytes"
                + (result.media.encoder.map { ", encoded by \($0)" } ?? ""),
            "jitter buffer \(DecimalText.short(configuration.jitterBufferMilliseconds)) ms",
            "host \(environment.hostname), \(environment.cores) cores, \(environment.operatingSystem)",
        ]
        if let software = result.outcome.endpointSoftware { facts.append("endpoint software: \(software)") }
        if let impairment = configuration.relayImpairment { facts.append("in-process relay impairment: \(impairment)") }
        if let maxPps = configuration.relayMaxPps { facts.append("in-process relay capacity: \(maxPps) packets/s") }
        if let threads = configuration.relayThreads { facts.append("in-process relay threads: \(threads)") }
        facts += result.outcome.clients.refreshes?.summaryLines ?? []
        return facts
    }

    static func directions(_ result: RunResult) -> ReportTable {
        let outcome = result.outcome
        let duration = Int64(outcome.sendingSeconds * 1e9)
        var columns = [(result.configuration.topology.outboundName, outcome.towardPeer.summary(duration: duration))]
        if let back = outcome.towardClient { columns.append(("peer → client", back.summary(duration: duration))) }
        func row(_ name: String, _ value: (DirectionSummary) -> String) -> [ReportTable.Cell] {
            [ReportTable.Cell(name)] + columns.map { .number(value($0.1)) }
        }
        func count(_ value: Int) -> String { DecimalText.grouped(Double(value)) }
        func percent(_ value: Double) -> String { Metric.loss.format(value) }
        return ReportTable(
            header: ["figure"] + columns.map(\.0),
            rows: [
                row("packets sent") { count($0.sent) },
                row("received (distinct)") { count($0.received) },
                row("lost") { "\(count($0.lost)) (\(percent($0.lossPercent)))" },
                row("late for the playout buffer") { count($0.late) },
                row("playout loss") { percent($0.playoutLossPercent) },
                row("duplicated") { count($0.duplicated) },
                row("reordered") { count($0.reordered) },
                row("loss bursts, mean length") {
                    "\(count($0.lossBursts.map(\.count).reduce(0, +))), \(DecimalText.short($0.meanBurstLength, decimals: 1))"
                },
                row("wire rate sent") { megabits($0.sentWireBitsPerSecond) },
                row("wire rate received") { megabits($0.receivedWireBitsPerSecond) },
                row("goodput (RTP)") { megabits($0.goodputBitsPerSecond) },
            ])
    }

    static func megabits(_ bitsPerSecond: Double) -> String { DecimalText.short(bitsPerSecond / 1e6, decimals: 2) + " Mbit/s" }

    static func distributions(_ result: RunResult) -> ReportTable {
        let outcome = result.outcome
        let duration = Int64(outcome.sendingSeconds * 1e9)
        let outbound = result.configuration.topology.outboundName
        var rows: [(String, DistributionSummary)] = [
            ("one-way delay, \(outbound)", outcome.towardPeer.summary(duration: duration).oneWayDelay)
        ]
        if let back = outcome.towardClient { rows.append(("one-way delay, peer → client", back.summary(duration: duration).oneWayDelay)) }
        if let rtt = outcome.rtt { rows.append(("round trip", rtt.summary)) }
        rows.append(("jitter per stream, \(outbound)", outcome.towardPeer.jitter.summary))
        if let back = outcome.towardClient { rows.append(("jitter per stream, peer → client", back.jitter.summary)) }
        rows.append(("allocation latency", outcome.clients.allocationLatency.summary))
        rows.append(("harness send lateness", outcome.healthSummary.sendLateness))
        func ms(_ value: Double) -> ReportTable.Cell { .number(DecimalText.fixed(value, decimals: 2)) }
        return ReportTable(
            header: ["distribution", "samples", "min", "p50", "p90", "p99", "p99.9", "max"],
            rows: rows.map { name, summary in
                [
                    ReportTable.Cell(name), .number(DecimalText.grouped(Double(summary.count))), ms(summary.min), ms(summary.p50),
                    ms(summary.p90),
                    ms(summary.p99), ms(summary.p999), ms(summary.max),
                ]
            })
    }

    static func harness(_ health: HarnessHealthSummary) -> ReportTable {
        let healthy = health.verdict == .healthy
        return ReportTable(
            header: ["figure", "value"],
            rows: [
                ["verdict", ReportTable.Cell(healthy ? "kept its schedule" : "saturated", tone: healthy ? .pass : .fail)],
                ["sends", .number(DecimalText.grouped(Double(health.sends)))],
                ["send lateness p99", .number(DecimalText.fixed(health.sendLateness.p99, decimals: 2) + " ms")],
                [
                    "sends more than a frame late",
                    .number(
                        "\(DecimalText.grouped(Double(health.missedTimers))) "
                            + "(\(DecimalText.short(health.missedTimerPercent, decimals: 3))%)"
                    ),
                ],
                ["receive-queue drops", .number(DecimalText.grouped(Double(health.receiveQueueDrops)))],
                ["CPU", .number("\(DecimalText.short(health.cpuPercentOfAvailable))% of \(health.coresAvailable) core(s)")],
            ])
    }
}
