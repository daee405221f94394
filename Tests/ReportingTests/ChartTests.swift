import Foundation
import Testing

@testable import Reporting

@Suite("charts")
struct ChartTests {
    @Test func ticksAreRoundNumbersCoveringTheData() {
        let scale = NiceScale(0, 7.3)
        #expect(scale.ticks == [0, 2, 4, 6, 8])
        let small = NiceScale(0, 0.37)
        #expect(small.ticks.map(small.label) == ["0.0", "0.1", "0.2", "0.3", "0.4"])
        let quarter = NiceScale(0, 1.1, targetTicks: 4)
        #expect(quarter.step == 0.5)
        let large = NiceScale(0, 48_000)
        #expect(large.ticks.map(large.label) == ["0", "10k", "20k", "30k", "40k", "50k"])
        let offset = NiceScale(3.2, 4.6)
        #expect(offset.lower <= 3.2 && offset.upper >= 4.6 && offset.lower > 0)
        // A flat line still gets an axis around it.
        #expect(NiceScale(5, 5).lower < 5 && NiceScale(5, 5).upper > 5)
        #expect(NiceScale(0, 0).ticks.count >= 2)
    }

    @Test func drawsEverySeriesWithItsLegendAndPoints() {
        let chart = LineChart(
            title: "Loss against load", x: ChartAxis("offered load (calls)"), y: ChartAxis("loss (%)"),
            series: [
                ChartSeries("coturn", points: [ChartPoint(100, 0), ChartPoint(200, 0.1), ChartPoint(300, 2)], color: 0),
                ChartSeries("relay", points: [ChartPoint(100, 0), ChartPoint(200, 0.3)], color: 1, dashed: true),
            ])
        let svg = chart.svg(id: "c1")
        #expect(svg.hasPrefix("<svg class=\"chart\""))
        #expect(svg.contains("<title id=\"c1-title\">Loss against load</title>"))
        #expect(svg.contains("aria-labelledby=\"c1-title\""))
        #expect(count("<path class=\"series\" d=\"M", in: svg) == 2)
        #expect(count("<circle", in: svg) == 5)
        #expect(svg.contains(">coturn</text>") && svg.contains(">relay</text>"))
        #expect(svg.contains("stroke-dasharray=\"5 3\""))
        #expect(svg.contains(">offered load (calls)</text>") && svg.contains(">loss (%)</text>"))
        // Deterministic: the same chart, the same text.
        #expect(chart.svg(id: "c1") == svg)
    }

    @Test func escapesEveryText() {
        let chart = LineChart(
            title: "a <b> & \"c\"", x: ChartAxis("x's"), y: ChartAxis("<y>"),
            series: [
                ChartSeries("</svg><script>alert(1)</script>", points: [ChartPoint(0, 1)], color: 0)
            ], markers: [ChartMarker(x: 0, label: "<m>", tone: .bad)], limit: ChartLimit(y: 1, label: "a&b"))
        let svg = chart.svg(id: "c")
        #expect(!svg.contains("<script>") && !svg.contains("<b>") && !svg.contains("<m>") && !svg.contains("<y>"))
        #expect(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"))
        #expect(svg.contains("&lt;/svg&gt;&lt;script&gt;"))
        #expect(svg.contains("x&#39;s") && svg.contains("a&amp;b"))
        #expect(count("</svg>", in: svg) == 1)
    }

    @Test func marksLoadsAndDrawsTheLimit() {
        let chart = LineChart(
            title: "Loss", x: ChartAxis("calls"), y: ChartAxis("loss (%)"),
            series: [ChartSeries("loss", points: [ChartPoint(100, 0), ChartPoint(800, 0.4), ChartPoint(900, 3)], color: 0)],
            markers: [
                ChartMarker(x: 600, label: "clean capacity 600", tone: .good),
                ChartMarker(x: 800, label: "cliff 800", tone: .bad),
            ],
            limit: ChartLimit(y: 0.5, label: "limit: loss < 0.5%"))
        let svg = chart.svg(id: "c")
        #expect(count("<line class=\"marker\"", in: svg) == 2)
        #expect(svg.contains(">clean capacity 600</text>") && svg.contains(">cliff 800</text>"))
        #expect(svg.contains("<line class=\"limit\"") && svg.contains(">limit: loss &lt; 0.5%</text>"))
        // The cliff lies right of the clean capacity, on the x axis that the data span.
        #expect(markerX(svg, 0) < markerX(svg, 1))
    }

    @Test func namesALimitFarAboveTheDataInsteadOfFlatteningThem() {
        let chart = LineChart(
            title: "RTT", x: ChartAxis("calls"), y: ChartAxis("ms"),
            series: [ChartSeries("rtt", points: [ChartPoint(1, 2), ChartPoint(2, 3)], color: 0)],
            limit: ChartLimit(y: 150, label: "limit: rtt-p99 < 150 ms"))
        let svg = chart.svg(id: "c")
        #expect(!svg.contains("<line class=\"limit\""))
        #expect(svg.contains("limit: rtt-p99 &lt; 150 ms (above the chart)"))
        #expect(!svg.contains(">150</text>"))
    }

    @Test func percentilesSpreadByTheirNines() {
        let chart = LineChart(
            title: "RTT distribution", x: ChartAxis("percentile", scale: .nines), y: ChartAxis("ms"),
            series: [ChartSeries("rtt", points: [ChartPoint(0, 1), ChartPoint(90, 2), ChartPoint(99, 3), ChartPoint(99.9, 4)], color: 0)])
        let svg = chart.svg(id: "c")
        for label in ["0%", "90%", "99%", "99.9%", "99.99%"] { #expect(svg.contains(">\(label)</text>")) }
        // 0 → 90 → 99 → 99.9 are equally far apart along x.
        let xs = pathPoints(svg).map(\.x)
        #expect(xs.count == 4)
        #expect(abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 0.2 && abs((xs[3] - xs[2]) - (xs[2] - xs[1])) < 0.2)
    }

    @Test func saysWhenThereIsNothingToDraw() {
        let svg = LineChart(title: "RTT", x: ChartAxis("s"), y: ChartAxis("ms"), series: [ChartSeries("rtt", points: [], color: 0)]).svg(
            id: "c")
        #expect(svg.contains(">no data</text>"))
        #expect(!svg.contains("class=\"series\""))
    }

    func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func markerX(_ svg: String, _ index: Int) -> Double {
        let line = svg.components(separatedBy: "<line class=\"marker\" x1=\"")[index + 1]
        return Double(line.prefix { $0 != "\"" })!
    }

    func pathPoints(_ svg: String) -> [(x: Double, y: Double)] {
        let d = svg.components(separatedBy: "<path class=\"series\" d=\"")[1].prefix { $0 != "\"" }
        return d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { pair in
            let numbers = pair.split(separator: " ").compactMap { Double($0) }
            return (numbers[0], numbers[1])
        }
    }
}
