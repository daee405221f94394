import Measurement
import RunModel

/// The report's section on a metrics endpoint scraped through the run (`--watch-metrics`): a
/// chart per metric, its series (labels) overlaid; counters (`…_total`) as rates a second.
enum ScrapedMetricsSection {
    /// Charts beyond these many metrics are left to result.json.
    static let chartedMetrics = 12

    static func section(_ scraped: ScrapedMetrics) -> ReportDocument.Section {
        let names = scraped.series.map(\.name).reduce(into: [String]()) { names, name in
            if !names.contains(name) { names.append(name) }
        }
        var facts = [
            "\(scraped.url): \(scraped.series.count) series of \(names.count) metrics matching "
                + scraped.patterns.map { "`\($0)`" }.joined(separator: ", ")
        ]
        if scraped.failedScrapes > 0 {
            facts.append("\(scraped.failedScrapes) scrapes failed, the last: \(scraped.lastFailure ?? "?")")
        }
        if names.count > chartedMetrics { facts.append("the first \(chartedMetrics) metrics are charted; result.json has them all") }
        let time = ChartAxis("time since start (s)")
        let charts = names.prefix(chartedMetrics).map { name -> LineChart in
            let counter = name.hasSuffix("_total")
            let series = scraped.series.filter { $0.name == name }.enumerated().map { index, series in
                ChartSeries(
                    series.series == name ? name : String(series.series.dropFirst(name.count)),
                    points: counter ? rates(series.points) : series.points.map { ChartPoint(Double($0.second), $0.value) },
                    color: index)
            }
            return LineChart(title: name, x: time, y: ChartAxis(counter ? "per second" : "value"), series: series)
        }
        return ReportDocument.Section("Scraped metrics", [.list(facts), .charts(charts)])
    }

    /// A counter's growth a second between successive scrapes; a reset (the process restarted)
    /// leaves a gap rather than a negative rate.
    static func rates(_ points: [ScrapedPoint]) -> [ChartPoint] {
        zip(points, points.dropFirst()).compactMap { before, after in
            guard after.second > before.second, after.value >= before.value else { return nil }
            return ChartPoint(Double(after.second), (after.value - before.value) / Double(after.second - before.second))
        }
    }
}
