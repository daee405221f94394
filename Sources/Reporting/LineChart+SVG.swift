import Foundation
import Measurement

extension LineChart {
    static let palette = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#0891b2", "#db2777", "#65a30d", "#475569"]
    static let toneColors: [ChartMarker.Tone: String] = [.good: "#15803d", .bad: "#dc2626", .neutral: "#6b7280"]

    /// The chart as inline SVG, the same text for the same chart. `id` must be unique in the
    /// page: the accessible title is referenced by it.
    public func svg(id: String) -> String {
        SVGDrawing(chart: self, id: id).render()
    }
}

/// One drawing of a `LineChart`: the layout (fixed, in SVG user units; the page scales it)
/// and the mapping from data to the plot area.
private struct SVGDrawing {
    static let width = 640.0
    static let height = 380.0
    static let legendRowHeight = 16.0
    static let characterWidth = 6.4

    let chart: LineChart
    let id: String
    let legendRows: [[(index: Int, x: Double)]]
    let xScale: NiceScale
    let yScale: NiceScale
    /// The limit lies far above the data: drawing it would flatten the data, so it is named instead.
    let limitOffChart: Bool
    let plotLeft = 64.0
    let plotRight = SVGDrawing.width - 24
    let plotBottom = SVGDrawing.height - 52
    var plotTop: Double { 48 + Double(legendRows.count) * Self.legendRowHeight }

    init(chart: LineChart, id: String) {
        self.chart = chart
        self.id = id
        legendRows = Self.legendLayout(chart.series.map(\.name), from: 64, to: Self.width - 24)
        let points = chart.series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = points.map { Self.position($0.x, on: chart.x.scale) } + chart.markers.map(\.x)
        xScale =
            switch chart.x.scale {
            case .nines: NiceScale(0, Self.maxNines, targetTicks: Int(Self.maxNines))
            case .linear(let includeZero): Self.range(xs, includeZero: includeZero, targetTicks: 6)
            }
        var ys = points.map(\.y)
        let dataTop = ys.max() ?? 0
        limitOffChart = chart.limit.map { $0.y > 4 * max(dataTop, 0) && !ys.isEmpty } ?? false
        if let limit = chart.limit, !limitOffChart { ys.append(limit.y) }
        yScale =
            switch chart.y.scale {
            case .nines: NiceScale(0, Self.maxNines, targetTicks: Int(Self.maxNines))
            case .linear(let includeZero): Self.range(ys, includeZero: includeZero, targetTicks: 5)
            }
    }

    // MARK: Scales

    /// 99.99 %: four nines, the end of the percentile axis.
    static let maxNines = 4.0

    /// Where a value sits along its axis: itself, or for percentiles its count of nines
    /// (90 % → 1, 99 % → 2), −log₁₀(1 − p/100).
    static func position(_ value: Double, on scale: ChartAxis.Scale) -> Double {
        switch scale {
        case .linear: value
        case .nines: min(maxNines, -log10(max(1e-12, 1 - value / 100)))
        }
    }

    static func range(_ values: [Double], includeZero: Bool, targetTicks: Int) -> NiceScale {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if includeZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        return NiceScale(low, high, targetTicks: targetTicks)
    }

    func px(_ x: Double) -> Double {
        plotLeft + (Self.position(x, on: chart.x.scale) - xScale.lower) / (xScale.upper - xScale.lower) * (plotRight - plotLeft)
    }

    func py(_ y: Double) -> Double {
        plotBottom - (y - yScale.lower) / (yScale.upper - yScale.lower) * (plotBottom - plotTop)
    }

    func tickLabel(_ value: Double, scale: ChartAxis.Scale, nice: NiceScale) -> String {
        switch scale {
        case .linear: nice.label(value)
        case .nines: ["0%", "90%", "99%", "99.9%", "99.99%"][min(4, max(0, Int(value.rounded())))]
        }
    }

    // MARK: Drawing

    func render() -> String {
        var parts = [
            "<svg class=\"chart\" viewBox=\"0 0 \(n(Self.width)) \(n(Self.height))\" role=\"img\" aria-labelledby=\"\(id)-title\" "
                + "font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"11\">",
            "<title id=\"\(id)-title\">\(chart.title.markupEscaped)</title>",
            text(chart.title, x: plotLeft, y: 20, attributes: "font-size=\"14\" font-weight=\"600\" fill=\"#111827\""),
        ]
        parts += grid()
        parts += legend()
        if chart.hasData {
            parts += chart.series.enumerated().flatMap { line($0.element) }
        } else {
            parts.append(
                text(
                    "no data", x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2,
                    attributes: "text-anchor=\"middle\" fill=\"#6b7280\""))
        }
        parts += limit()
        parts += markers()
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    func grid() -> [String] {
        var parts: [String] = []
        for tick in yScale.ticks {
            let y = py(tick)
            parts.append("<line x1=\"\(n(plotLeft))\" y1=\"\(n(y))\" x2=\"\(n(plotRight))\" y2=\"\(n(y))\" stroke=\"#e5e7eb\"/>")
            parts.append(
                text(
                    tickLabel(tick, scale: chart.y.scale, nice: yScale), x: plotLeft - 6, y: y + 4,
                    attributes: "text-anchor=\"end\" fill=\"#4b5563\""))
        }
        for tick in xScale.ticks {
            let x = plotLeft + (tick - xScale.lower) / (xScale.upper - xScale.lower) * (plotRight - plotLeft)
            parts.append("<line x1=\"\(n(x))\" y1=\"\(n(plotBottom))\" x2=\"\(n(x))\" y2=\"\(n(plotBottom + 4))\" stroke=\"#9ca3af\"/>")
            parts.append(
                text(
                    tickLabel(tick, scale: chart.x.scale, nice: xScale), x: x, y: plotBottom + 17,
                    attributes: "text-anchor=\"middle\" fill=\"#4b5563\""))
        }
        parts.append(
            "<rect x=\"\(n(plotLeft))\" y=\"\(n(plotTop))\" width=\"\(n(plotRight - plotLeft))\" "
                + "height=\"\(n(plotBottom - plotTop))\" fill=\"none\" stroke=\"#9ca3af\"/>")
        parts.append(
            text(
                chart.x.title, x: (plotLeft + plotRight) / 2, y: Self.height - 12,
                attributes: "text-anchor=\"middle\" fill=\"#374151\""))
        let middle = (plotTop + plotBottom) / 2
        parts.append(
            text(
                chart.y.title, x: 16, y: middle,
                attributes: "text-anchor=\"middle\" fill=\"#374151\" transform=\"rotate(-90 16 \(n(middle)))\""))
        return parts
    }

    /// Legend entries laid out left to right, wrapping onto further rows.
    static func legendLayout(_ names: [String], from left: Double, to right: Double) -> [[(index: Int, x: Double)]] {
        var rows: [[(index: Int, x: Double)]] = []
        var row: [(index: Int, x: Double)] = []
        var x = left
        for (index, name) in names.enumerated() {
            let width = 28 + Double(name.count) * characterWidth + 14
            if !row.isEmpty, x + width > right {
                rows.append(row)
                row = []
                x = left
            }
            row.append((index, x))
            x += width
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    func legend() -> [String] {
        legendRows.enumerated().flatMap { rowIndex, row in
            row.flatMap { entry -> [String] in
                let series = chart.series[entry.index]
                let y = 38 + Double(rowIndex) * Self.legendRowHeight
                return [
                    "<line x1=\"\(n(entry.x))\" y1=\"\(n(y - 4))\" x2=\"\(n(entry.x + 22))\" y2=\"\(n(y - 4))\" "
                        + stroke(series) + "/>",
                    text(series.name, x: entry.x + 28, y: y, attributes: "fill=\"#374151\""),
                ]
            }
        }
    }

    func line(_ series: ChartSeries) -> [String] {
        let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !points.isEmpty else { return [] }
        let path = points.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(n(px($0.element.x))) \(n(py($0.element.y)))" }
        var parts = [
            "<path class=\"series\" d=\"\(path.joined(separator: " "))\" fill=\"none\" " + stroke(series)
                + " stroke-linejoin=\"round\"><title>\(series.name.markupEscaped)</title></path>"
        ]
        // Few points are steps of a saturation run or a short run: each one is a measurement worth seeing.
        if points.count <= 40 {
            parts += points.map { "<circle cx=\"\(n(px($0.x)))\" cy=\"\(n(py($0.y)))\" r=\"2.5\" fill=\"\(color(series))\"/>" }
        }
        return parts
    }

    func limit() -> [String] {
        guard let limit = chart.limit else { return [] }
        let red = LineChart.toneColors[.bad]!
        if limitOffChart {
            return [
                text(
                    "\(limit.label) (above the chart)", x: plotLeft + 4, y: plotTop + 14,
                    attributes: "text-anchor=\"start\" fill=\"\(red)\"")
            ]
        }
        let y = py(limit.y)
        return [
            "<line class=\"limit\" x1=\"\(n(plotLeft))\" y1=\"\(n(y))\" x2=\"\(n(plotRight))\" y2=\"\(n(y))\" "
                + "stroke=\"\(red)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
            text(limit.label, x: plotLeft + 4, y: y - 5, attributes: "text-anchor=\"start\" fill=\"\(red)\""),
        ]
    }

    func markers() -> [String] {
        chart.markers.sorted { $0.x < $1.x }.enumerated().flatMap { index, marker -> [String] in
            let x = px(marker.x)
            let color = LineChart.toneColors[marker.tone]!
            // Labels sit beside their line, away from the nearer edge, and alternate rows so
            // that neighbouring markers (capacity and cliff one step apart) do not overlap.
            let anchorEnd = x > (plotLeft + plotRight) / 2
            let y = plotTop + 14 + Double(index % 2) * 14
            return [
                "<line class=\"marker\" x1=\"\(n(x))\" y1=\"\(n(plotTop))\" x2=\"\(n(x))\" y2=\"\(n(plotBottom))\" "
                    + "stroke=\"\(color)\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>",
                text(
                    marker.label, x: anchorEnd ? x - 4 : x + 4, y: y,
                    attributes: "text-anchor=\"\(anchorEnd ? "end" : "start")\" fill=\"\(color)\" font-weight=\"600\""),
            ]
        }
    }

    // MARK: Text

    func color(_ series: ChartSeries) -> String {
        LineChart.palette[((series.color % LineChart.palette.count) + LineChart.palette.count) % LineChart.palette.count]
    }

    func stroke(_ series: ChartSeries) -> String {
        "stroke=\"\(color(series))\" stroke-width=\"2\"" + (series.dashed ? " stroke-dasharray=\"5 3\"" : "")
    }

    func text(_ content: String, x: Double, y: Double, attributes: String) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" \(attributes)>\(content.markupEscaped)</text>"
    }

    /// Coordinates to a tenth of a unit: enough on any screen, and the same text every time.
    func n(_ value: Double) -> String { DecimalText.short(value, decimals: 1) }
}
