/// A line chart as data: named series of points, two axes, and the marks that tell a reader
/// where to look (a clean capacity, a cliff, a limit). `svg` draws it.
public struct LineChart: Sendable, Equatable {
    public var title: String
    public var x: ChartAxis
    public var y: ChartAxis
    public var series: [ChartSeries]
    /// Vertical lines at x values, each labelled ("clean capacity 600", "cliff 800").
    public var markers: [ChartMarker]
    /// A horizontal limit, such as a threshold.
    public var limit: ChartLimit?

    public init(
        title: String, x: ChartAxis, y: ChartAxis, series: [ChartSeries], markers: [ChartMarker] = [],
        limit: ChartLimit? = nil
    ) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.markers = markers
        self.limit = limit
    }

    /// Whether any series has a point to draw.
    public var hasData: Bool { series.contains { !$0.points.isEmpty } }
}

public struct ChartAxis: Sendable, Equatable {
    /// The quantity and its unit, as the axis title shows them: "time (s)", "RTT (ms)".
    public var title: String
    public var scale: Scale

    public init(_ title: String, scale: Scale = .linear(includeZero: true)) {
        self.title = title
        self.scale = scale
    }

    public enum Scale: Sendable, Equatable {
        /// Evenly spaced round ticks; `includeZero` starts a positive range at 0, so that a
        /// small change does not look like a large one.
        case linear(includeZero: Bool)
        /// Percentiles 0…99.99 spread by their nines, as HdrHistogram plots them: 90, 99, 99.9
        /// and 99.99 equally far apart, so that the tail is as readable as the median.
        case nines
    }
}

public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

public struct ChartSeries: Sendable, Equatable {
    public var name: String
    public var points: [ChartPoint]
    /// Index into the palette: series that belong together (one target, one run) share it.
    public var color: Int
    /// Dashed for the lesser of a pair (p50 beside p99, sent beside received).
    public var dashed: Bool

    public init(_ name: String, points: [ChartPoint], color: Int, dashed: Bool = false) {
        self.name = name
        self.points = points
        self.color = color
        self.dashed = dashed
    }
}

public struct ChartMarker: Sendable, Equatable {
    public var x: Double
    public var label: String
    public var tone: Tone

    public init(x: Double, label: String, tone: Tone) {
        self.x = x
        self.label = label
        self.tone = tone
    }

    public enum Tone: String, Sendable {
        case good, bad, neutral
    }
}

public struct ChartLimit: Sendable, Equatable {
    public var y: Double
    public var label: String

    public init(y: Double, label: String) {
        self.y = y
        self.label = label
    }
}
