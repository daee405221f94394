import Measurement

/// A figure `compare` sets side by side: a headline metric, or for saturation runs what they
/// found (clean capacity, cliff, knee), in calls.
public enum ComparedFigure: Sendable, Equatable {
    case metric(Metric)
    case cleanCapacity
    case cliff
    case knee

    public var title: String {
        switch self {
        case .metric(let metric): metric.title
        case .cleanCapacity: "clean capacity"
        case .cliff: "cliff"
        case .knee: "throughput knee"
        }
    }

    public var higherIsBetter: Bool {
        if case .metric(let metric) = self { return metric.higherIsBetter }
        return true
    }

    /// Below this a difference is not called one, however consistent. Capacities are in whole
    /// calls at the steps' granularity: any consistent difference counts.
    public var noiseFloor: Double {
        if case .metric(let metric) = self { return metric.noiseFloor }
        return 0
    }

    public func format(_ value: Double) -> String {
        if case .metric(let metric) = self { return metric.format(value) }
        return DecimalText.grouped(value, decimals: 1) + " calls"
    }

    /// `+3.2 ms`, `-0.12%`: a difference in the figure's unit, signed.
    public func formatDifference(_ value: Double) -> String {
        (value > 0 ? "+" : value < 0 ? "-" : "") + format(abs(value))
    }
}
