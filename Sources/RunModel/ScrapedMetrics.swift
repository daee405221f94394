/// A Prometheus endpoint scraped each second through a run (`--watch-metrics`): the chosen
/// series of the relay under test, beside the harness's own figures.
public struct ScrapedMetrics: Sendable, Codable, Equatable {
    public var url: String
    /// The `--watch-series` patterns the series were chosen by.
    public var patterns: [String]
    public var series: [ScrapedSeries]
    /// Scrapes that failed, and the last one's reason.
    public var failedScrapes: Int
    public var lastFailure: String?

    public init(url: String, patterns: [String], series: [ScrapedSeries] = [], failedScrapes: Int = 0, lastFailure: String? = nil) {
        self.url = url
        self.patterns = patterns
        self.series = series
        self.failedScrapes = failedScrapes
        self.lastFailure = lastFailure
    }
}

/// One series (a name and its labels) over the run.
public struct ScrapedSeries: Sendable, Codable, Equatable {
    /// As exposed: `turn_total_allocations{realm="example.org"}`.
    public var series: String
    public var name: String
    public var points: [ScrapedPoint]

    public init(series: String, name: String, points: [ScrapedPoint] = []) {
        self.series = series
        self.name = name
        self.points = points
    }
}

public struct ScrapedPoint: Sendable, Codable, Equatable {
    /// Seconds since the run started.
    public var second: Int
    public var value: Double

    public init(second: Int, value: Double) {
        self.second = second
        self.value = value
    }
}
