import Measurement
import RunModel

/// The report's section on calls that come and go (`--arrivals`): how many came, talked and
/// hung up, the calls at once against the offered Erlangs, and the churn each second.
enum ArrivalsSection {
    /// One line for the terminal and the section's first fact.
    static func summary(_ arrivals: ArrivalFigures) -> String {
        "\(arrivals.arrived) calls arrived (\(DecimalText.short(arrivals.ratePerSecond, decimals: 2)) a second, holding time "
            + "\(arrivals.holdTime)): \(arrivals.talked) talked, \(arrivals.hungUp) hung up, "
            + "\(arrivals.talked - arrivals.hungUp) cut by the end; \(DecimalText.short(arrivals.meanConcurrentCalls, decimals: 1)) "
            + "at once on average from second \(arrivals.steadyFromSecond) (offered "
            + "\(DecimalText.short(arrivals.offeredErlangs, decimals: 1)) Erlangs), peak \(arrivals.peakConcurrentCalls)"
    }

    static func section(_ arrivals: ArrivalFigures, series: [SecondSample]) -> ReportDocument.Section {
        let time = ChartAxis("time since start (s)")
        func points(_ value: (SecondSample) -> Int?) -> [ChartPoint] {
            series.compactMap { sample in value(sample).map { ChartPoint(Double(sample.second), Double($0)) } }
        }
        return ReportDocument.Section(
            "Calls that come and go",
            [
                .list([summary(arrivals)]),
                .charts([
                    LineChart(
                        title: "Allocation churn", x: time, y: ChartAxis("a second"),
                        series: [
                            ChartSeries("allocations", points: points(\.allocations), color: 0),
                            ChartSeries("hang-ups", points: points(\.releases), color: 1),
                        ])
                ]),
            ])
    }
}
