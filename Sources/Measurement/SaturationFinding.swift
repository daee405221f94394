/// What a saturation run found, from its steps' figures: the answers users run it for.
public struct SaturationFinding: Sendable, Codable, Equatable {
    /// The highest load up to which every step held every threshold, or nil when the first
    /// step already broke one. Loads here are in the search's unit: calls, or allocations a
    /// second on that axis (`SaturationAxis`).
    public var cleanCapacity: Int?
    /// The first step where quality collapsed, or nil when no step did (or the harness, not
    /// the endpoint, was the limit).
    public var cliff: Cliff?
    /// The offered load beyond which extra load is no longer delivered: the last step whose
    /// added packets were at least half delivered. Nil with fewer than two steps.
    public var knee: Int?
    /// The first step where the harness itself was the bottleneck: the run is "harness-bound
    /// at N", and nothing at or above N says anything about the endpoint.
    public var harnessBoundAt: Int?
    public var harnessReasons: [String]

    public init(cleanCapacity: Int?, cliff: Cliff?, knee: Int?, harnessBoundAt: Int?, harnessReasons: [String]) {
        self.cleanCapacity = cleanCapacity
        self.cliff = cliff
        self.knee = knee
        self.harnessBoundAt = harnessBoundAt
        self.harnessReasons = harnessReasons
    }

    /// One sentence for a summary line, loads in `axis`'s unit.
    public func headline(_ axis: SaturationAxis) -> String {
        var parts: [String] = []
        parts.append(cleanCapacity.map { "clean capacity \(axis.load($0))" } ?? "no clean step")
        if let cliff {
            parts.append("cliff at \(axis.load(cliff.clients)) (" + cliff.breaches.map(\.description).joined(separator: "; ") + ")")
        } else if let harnessBoundAt {
            parts.append("harness-bound at \(axis.load(harnessBoundAt)), not a cliff")
        } else {
            parts.append("no cliff up to the last step")
        }
        if let knee { parts.append("throughput knee at \(axis.load(knee))") }
        return parts.joined(separator: "; ")
    }
}

/// The step where quality collapsed, and the evidence.
public struct Cliff: Sendable, Codable, Equatable {
    /// The step's load, in the search's unit (the name is from when calls were the only one).
    public var clients: Int
    /// Every threshold this step broke, with how far the figure moved from the step before.
    public var breaches: [Breach]

    public init(clients: Int, breaches: [Breach]) {
        self.clients = clients
        self.breaches = breaches
    }
}

/// A threshold broken at a step, with the figure at the step before it.
public struct Breach: Sendable, Codable, Equatable, CustomStringConvertible {
    public var threshold: Threshold
    public var value: Double
    /// The figure at the previous step, nil at the first step.
    public var previous: Double?

    public init(threshold: Threshold, value: Double, previous: Double?) {
        self.threshold = threshold
        self.value = value
        self.previous = previous
    }

    /// `loss 3.1% (was 0.02%), limit < 0.5%`.
    public var description: String {
        let metric = threshold.metric
        let was = previous.map { " (was \(metric.format($0)))" } ?? ""
        return "\(metric.title) \(metric.format(value))\(was), limit \(threshold.comparison.rawValue) \(metric.format(threshold.limit))"
    }
}
