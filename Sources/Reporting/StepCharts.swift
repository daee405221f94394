import Measurement

/// The plots of saturation runs against offered load (clients, or allocations a second): loss,
/// jitter, RTT, throughput and MOS, and on the allocations axis setup failures and allocation
/// latency first, each with its threshold drawn, and for a lone run the clean capacity and cliff
/// marked.
enum StepCharts {
    /// One curve of a saturation run; several runs of one target give their mean at each load.
    struct Curve {
        var name: String
        var color: Int
        /// Each step's load (in the search's unit) and figures.
        var steps: [(load: Int, figures: LoadFigures)]

        /// The mean of `value` at each load, in rising order; loads where nothing was measured are left out.
        func points(_ value: (LoadFigures) -> Double?) -> [ChartPoint] {
            Dictionary(grouping: steps, by: \.load).sorted { $0.key < $1.key }.compactMap { load, steps in
                let values = steps.map(\.figures).compactMap(value)
                return values.isEmpty ? nil : ChartPoint(Double(load), values.reduce(0, +) / Double(values.count))
            }
        }
    }

    static func charts(
        _ curves: [Curve], thresholds: [Threshold], markers: [ChartMarker] = [], knee: ChartMarker? = nil,
        axis: SaturationAxis = .calls
    ) -> [LineChart] {
        let load = ChartAxis(axis == .calls ? "offered load (simultaneous calls)" : "offered load (new allocations a second)")
        func metricChart(_ metric: Metric, _ title: String, _ axis: ChartAxis) -> LineChart {
            let threshold = thresholds.first { $0.metric == metric }
            return LineChart(
                title: title, x: load, y: axis,
                series: curves.map { ChartSeries($0.name, points: $0.points { $0.value(of: metric) }, color: $0.color) },
                markers: markers, limit: threshold.map { ChartLimit(y: $0.limit, label: "limit: \($0)") })
        }
        var throughput = [ChartSeries]()
        for curve in curves {
            let prefix = curves.count > 1 ? "\(curve.name) " : ""
            throughput.append(
                ChartSeries(
                    prefix + "offered", points: curve.points(\.offeredPacketsPerSecond),
                    color: curves.count > 1 ? curve.color : 0, dashed: true))
            throughput.append(
                ChartSeries(
                    prefix + "delivered", points: curve.points(\.deliveredPacketsPerSecond),
                    color: curves.count > 1 ? curve.color : 1))
        }
        let setups =
            axis == .calls
            ? []
            : [
                metricChart(.setupFailure, "Setup failures against load", ChartAxis("failed setups of those attempted (%)")),
                metricChart(.allocationP99, "Allocation latency p99 against load", ChartAxis("Allocate to success p99 (ms)")),
            ]
        return setups + [
            metricChart(.loss, "Loss against load", ChartAxis("loss, worse direction (%)")),
            metricChart(.jitterP99, "Jitter p99 against load", ChartAxis("jitter p99 (ms)")),
            metricChart(.rttP99, "RTT p99 against load", ChartAxis("round-trip time p99 (ms)")),
            LineChart(
                title: "Throughput against load", x: load, y: ChartAxis("packets/s, all directions"), series: throughput,
                markers: markers + [knee].compactMap { $0 }),
            metricChart(.mos, "MOS against load", ChartAxis("mean MOS (E-model)", scale: .linear(includeZero: false))),
        ]
    }

    /// The clean capacity, the cliff and a harness limit of one finding, as vertical marks.
    static func markers(_ finding: SaturationFinding) -> [ChartMarker] {
        var markers: [ChartMarker] = []
        if let capacity = finding.cleanCapacity {
            markers.append(ChartMarker(x: Double(capacity), label: "clean capacity \(capacity)", tone: .good))
        }
        if let cliff = finding.cliff { markers.append(ChartMarker(x: Double(cliff.clients), label: "cliff \(cliff.clients)", tone: .bad)) }
        if let bound = finding.harnessBoundAt {
            markers.append(ChartMarker(x: Double(bound), label: "harness-bound \(bound)", tone: .neutral))
        }
        return markers
    }
}
