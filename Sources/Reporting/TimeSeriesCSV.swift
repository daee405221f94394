import Measurement

/// `timeseries.csv`: the per-second rows, merged into one series.
enum TimeSeriesCSV {
    static func render(_ samples: [SecondSample]) throws -> String {
        var series = TimeSeries()
        for sample in samples { try series.add(sample) }
        return try series.csv()
    }
}
