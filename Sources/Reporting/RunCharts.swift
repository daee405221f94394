/// The plots of one run, or of several runs overlaid (one colour each): per-second series and
/// the percentile curves of delay and RTT.
enum RunCharts {
    /// One figure drawn for every run: `label` names it (prefixed by the run's name when
    /// several are overlaid), `dashed` marks the lesser of a pair.
    private struct Figure {
        var label: String
        var dashed = false
        var points: (ChartedRun) -> [ChartPoint]
    }

    static func timeSeries(_ runs: [ChartedRun]) -> [LineChart] {
        let time = ChartAxis("time since start (s)")
        var charts = [
            chart(
                "Packets per second", time, ChartAxis("packets/s"), runs,
                [
                    Figure(label: "sent", dashed: true) { $0.perSecond(\.sent) },
                    Figure(label: "received") { $0.perSecond(\.received) },
                ]),
            // In echo a packet is lost when it does not come back, whichever way it was lost.
            chart(
                "Loss per second, end to end", time, ChartAxis("lost (% of sent that second)"), runs,
                [
                    Figure(label: "loss") { $0.lossPercentPerSecond }
                ]),
            chart(
                "One-way delay per second", time, ChartAxis("one-way delay (ms)"), runs,
                [
                    Figure(label: "p50", dashed: true) { $0.milliseconds(\.delay, at: 50) },
                    Figure(label: "p99") { $0.milliseconds(\.delay, at: 99) },
                ]),
        ]
        if runs.contains(where: { $0.rtt != nil }) {
            charts.append(
                chart(
                    "RTT per second", time, ChartAxis("round-trip time (ms)"), runs,
                    [
                        Figure(label: "p50", dashed: true) { $0.milliseconds(\.rtt, at: 50) },
                        Figure(label: "p99") { $0.milliseconds(\.rtt, at: 99) },
                    ]))
        }
        charts.append(
            chart(
                "Jitter per second", time, ChartAxis("RFC 3550 jitter p99 (ms)"), runs,
                [
                    Figure(label: "p99") { $0.milliseconds(\.jitter, at: 99) }
                ]))
        charts.append(
            chart(
                "Active clients", time, ChartAxis("clients with an allocation"), runs,
                [
                    Figure(label: "clients") { $0.perSecond(\.activeClients) }
                ]))
        return charts
    }

    static func distributions(_ runs: [ChartedRun]) -> [LineChart] {
        let percentile = ChartAxis("percentile", scale: .nines)
        let outbound = runs.first?.outboundName ?? "client → peer"
        var charts = [
            chart(
                "One-way delay distribution", percentile, ChartAxis("one-way delay (ms)"), runs,
                [
                    Figure(label: outbound) { $0.outboundDelay.percentileCurve },
                    Figure(label: "peer → client", dashed: true) { $0.returnDelay?.percentileCurve ?? [] },
                ].filter { figure in runs.contains { !figure.points($0).isEmpty } })
        ]
        if runs.contains(where: { $0.rtt != nil }) {
            charts.append(
                chart(
                    "RTT distribution", percentile, ChartAxis("round-trip time (ms)"), runs,
                    [
                        Figure(label: "RTT") { $0.rtt?.percentileCurve ?? [] }
                    ]))
        }
        return charts
    }

    /// A lone run's curves are named by figure and coloured apart; overlaid runs' curves carry
    /// the run's name and colour, its figures told apart by dashes.
    private static func chart(_ title: String, _ x: ChartAxis, _ y: ChartAxis, _ runs: [ChartedRun], _ figures: [Figure]) -> LineChart {
        let overlaid = runs.count > 1
        let series = runs.flatMap { run in
            figures.enumerated().map { index, figure in
                ChartSeries(
                    overlaid ? (figures.count > 1 ? "\(run.name) \(figure.label)" : run.name) : figure.label,
                    points: figure.points(run), color: overlaid ? run.color : index, dashed: figure.dashed)
            }
        }
        return LineChart(title: title, x: x, y: y, series: series)
    }
}
