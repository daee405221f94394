/// A limit on one headline figure, written as users write k6 thresholds:
/// `loss < 0.5%`, `jitter-p99 < 30ms`, `allocation-success >= 99.9%`, `mos >= 4`.
public struct Threshold: Sendable, Codable, Equatable, CustomStringConvertible {
    public var metric: Metric
    public var comparison: Comparison
    /// In the metric's unit (percent, milliseconds, score, packets a second).
    public var limit: Double

    public init(_ metric: Metric, _ comparison: Comparison, _ limit: Double) {
        self.metric = metric
        self.comparison = comparison
        self.limit = limit
    }

    /// The defaults a saturation step must hold to count as clean.
    public static let defaults: [Threshold] = [
        Threshold(.loss, .below, 0.5),
        Threshold(.jitterP99, .below, 30),
        Threshold(.rttP99, .below, 150),
        Threshold(.allocationSuccess, .atLeast, 99.9),
        Threshold(.mos, .atLeast, 4.0),
    ]

    public enum Comparison: String, Sendable, Codable, CaseIterable {
        case below = "<"
        case atMost = "<="
        case above = ">"
        case atLeast = ">="

        public func holds(_ value: Double, _ limit: Double) -> Bool {
            switch self {
            case .below: value < limit
            case .atMost: value <= limit
            case .above: value > limit
            case .atLeast: value >= limit
            }
        }
    }

    /// Whether `figures` meet the limit; a figure the run did not measure (RTT without echo)
    /// passes, and the check says it was not measured.
    public func check(_ figures: LoadFigures) -> ThresholdCheck {
        guard let value = figures.value(of: metric) else { return ThresholdCheck(threshold: self, value: nil, passed: true) }
        return ThresholdCheck(threshold: self, value: value, passed: comparison.holds(value, limit))
    }

    public var description: String { "\(metric.rawValue) \(comparison.rawValue) \(metric.format(limit))" }
}

/// One threshold held against one run.
public struct ThresholdCheck: Sendable, Codable, Equatable {
    public var threshold: Threshold
    /// Nil when the run did not measure the metric.
    public var value: Double?
    public var passed: Bool
}

public struct ThresholdParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

extension Threshold {
    /// Parses `loss < 0.5%` (a whole threshold, as `--threshold` takes it).
    public init(parsing text: String) throws(ThresholdParseError) {
        let trimmed = text.trimmingSpaces
        guard let end = trimmed.firstIndex(where: { "<>=".contains($0) }) else {
            throw ThresholdParseError(
                description: "\"\(text)\" is not a threshold: write a metric, a comparison and a limit, such as \"loss < 0.5%\"")
        }
        try self.init(metric: String(trimmed[..<end]).trimmingSpaces, condition: String(trimmed[end...]))
    }

    /// Parses a metric name and its condition, as a scenario's `thresholds:` map holds them:
    /// `jitter-p99` and `< 30ms`. Times take `ms` or `s`; percentages may carry `%`.
    public init(metric name: String, condition: String) throws(ThresholdParseError) {
        guard let metric = Metric(rawValue: name) else {
            throw ThresholdParseError(
                description: "unknown metric \"\(name)\"; the metrics are "
                    + Metric.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var rest = Substring(condition.trimmingSpaces)
        guard
            let comparison = Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
                .first(where: { rest.hasPrefix($0.rawValue) })
        else {
            throw ThresholdParseError(description: "\"\(condition)\" for \(name) needs a comparison first: <, <=, > or >=")
        }
        rest = rest.dropFirst(comparison.rawValue.count)
        var number = String(rest).trimmingSpaces
        var scale = 1.0
        let suffixes: [(String, Double, Metric.Unit)] = [
            ("ms", 1, .milliseconds), ("s", 1000, .milliseconds), ("%", 1, .percent), ("MB/h", 1, .megabytesPerHour),
        ]
        for (suffix, factor, unit) in suffixes where number.hasSuffix(suffix) {
            guard metric.unit == unit else {
                throw ThresholdParseError(
                    description: "\(name) is measured in \(metric.unit == .score ? "MOS points" : metric.unit.rawValue), not \(suffix)")
            }
            number = String(number.dropLast(suffix.count)).trimmingSpaces
            scale = factor
            break
        }
        guard let limit = Double(number), limit.isFinite else {
            throw ThresholdParseError(
                description:
                    "\"\(condition)\" for \(name) needs a number after \(comparison.rawValue), "
                    + "such as \(comparison.rawValue) \(metric.format(Threshold.example(metric)))"
            )
        }
        self.init(metric, comparison, limit * scale)
    }

    private static func example(_ metric: Metric) -> Double {
        defaults.first { $0.metric == metric }?.limit ?? 1
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let characters = Array(self)
        guard let first = characters.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = characters.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(characters[first...last])
    }
}
