/// One sample of the Prometheus text exposition format: `name{labels} value`.
public struct PrometheusSample: Sendable, Equatable {
    /// The metric's name and labels as exposed, e.g. `turn_traffic_sentp{realm="x"}`.
    public var series: String
    public var name: String
    public var value: Double

    public init(series: String, name: String, value: Double) {
        self.series = series
        self.name = name
        self.value = value
    }
}

/// Reads the text exposition format (Prometheus 0.0.4) that coturn's `--prometheus`, our relay's
/// `--metrics` and most exporters serve; comments and lines it cannot read are skipped.
public enum PrometheusText {
    public static func parse(_ text: String) -> [PrometheusSample] {
        text.split(whereSeparator: \.isNewline).compactMap(sample)
    }

    private static func sample(_ line: Substring) -> PrometheusSample? {
        let line = line.drop { $0 == " " || $0 == "\t" }
        guard let first = line.first, first != "#" else { return nil }
        let nameEnd = line.firstIndex { $0 == "{" || $0 == " " || $0 == "\t" } ?? line.endIndex
        var seriesEnd = nameEnd
        if nameEnd < line.endIndex, line[nameEnd] == "{" {
            // Label values are quoted and may hold braces, spaces and escaped quotes.
            var quoted = false
            var escaped = false
            var index = line.index(after: nameEnd)
            while index < line.endIndex {
                let character = line[index]
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = quoted
                } else if character == "\"" {
                    quoted.toggle()
                } else if character == "}", !quoted {
                    break
                }
                index = line.index(after: index)
            }
            guard index < line.endIndex else { return nil }
            seriesEnd = line.index(after: index)
        }
        let fields = line[seriesEnd...].split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let text = fields.first, let value = Self.value(text) else { return nil }
        return PrometheusSample(series: String(line[..<seriesEnd]), name: String(line[..<nameEnd]), value: value)
    }

    private static func value(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        default: Double(text)
        }
    }
}
