import Measurement

/// Results side by side, grouped by target: every headline figure's mean per group, its
/// difference to the first group, and whether that difference stands out of the noise.
///
/// A difference is called better or worse only when both groups have at least two runs,
/// Welch's t-test finds the means apart at 95 % (two-sided), and it exceeds the figure's noise
/// floor (`Metric.noiseFloor`): a consistent 0.01 % of loss is real but does not matter.
public struct Comparison: Sendable {
    public enum Kind: String, Sendable {
        case runs, saturations
    }

    public struct Group: Sendable {
        /// The target, with the in-process relay's shaping when it had any (a relay with 2 %
        /// injected loss is another endpoint than one without).
        public var name: String
        public var results: [LoadedResult]
    }

    public struct Row: Sendable {
        public var figure: ComparedFigure
        /// One per group, in the groups' order.
        public var cells: [Cell]
    }

    public struct Cell: Sendable {
        /// One per run that measured the figure.
        public var values: [Double]
        public var mean: Double?
        /// Standard deviation between runs, with two or more.
        public var spread: Double?
        /// Against the first group's mean; nil in the first group.
        public var difference: Double?
        /// `difference` over the first group's mean; nil when that is 0.
        public var relative: Double?
        public var verdict: Verdict?
    }

    public enum Verdict: String, Sendable {
        case better
        case worse
        case noise = "within noise"
        /// Fewer than two runs on a side: no spread to judge by.
        case untested = "not tested"
    }

    public var kind: Kind
    public var groups: [Group]
    /// Saturations: the load their metric rows are taken at, the highest step every run reached.
    public var sharedLoad: Int?
    public var rows: [Row]
    public var warnings: [String]
    /// One per group, when a price table was given and the group's traffic was measured.
    public var costs: [CostProjection?]

    /// `minutesPerMonth` nil leaves the cost out.
    public init(_ results: [LoadedResult], prices: [PriceOption] = PriceOption.defaults, minutesPerMonth: Double? = nil)
        throws(ComparisonError)
    {
        guard !results.isEmpty else {
            throw ComparisonError(description: "nothing to compare: give result.json or saturation.json files or their folders")
        }
        let runs = results.filter { if case .run = $0.content { true } else { false } }
        guard runs.isEmpty || runs.count == results.count else {
            throw ComparisonError(
                description: "\(runs.count) run result(s) and \(results.count - runs.count) saturation result(s): "
                    + "compare runs with runs and saturations with saturations")
        }
        kind = runs.isEmpty ? .saturations : .runs
        var groups: [Group] = []
        for result in results {
            let name = Self.groupName(result)
            if let index = groups.firstIndex(where: { $0.name == name }) {
                groups[index].results.append(result)
            } else {
                groups.append(Group(name: name, results: [result]))
            }
        }
        self.groups = groups
        let load = kind == .saturations ? Self.sharedLoad(results) : nil
        sharedLoad = load
        var figures = Metric.allCases.map(ComparedFigure.metric)
        if kind == .saturations { figures = [.cleanCapacity, .cliff, .knee] + (load == nil ? [] : figures) }
        rows = figures.map { figure in Self.row(figure, groups: groups, at: load) }
        warnings = ComparisonWarnings.warnings(groups, kind: kind, sharedLoad: load)
        costs = groups.map { group in minutesPerMonth.flatMap { Self.cost(group, prices: prices, minutesPerMonth: $0) } }
    }

    static func groupName(_ result: LoadedResult) -> String {
        guard let configuration = result.runs.first?.configuration, configuration.embeddedRelay else { return result.target }
        let shaping = [configuration.relayImpairment.map { "impair \($0)" }, configuration.relayMaxPps.map { "max \($0) pkt/s" }]
            .compactMap { $0 }
        return shaping.isEmpty ? result.target : "\(result.target) (\(shaping.joined(separator: ", ")))"
    }

    /// The highest step load every saturation ran.
    static func sharedLoad(_ results: [LoadedResult]) -> Int? {
        let loads = results.compactMap(\.saturation).map { Set($0.steps.map(\.clients)) }
        return loads.dropFirst().reduce(loads.first ?? []) { $0.intersection($1) }.max()
    }

    static func values(_ figure: ComparedFigure, _ result: LoadedResult, at load: Int?) -> Double? {
        switch (figure, result.content) {
        case let (.metric(metric), .run(run)): LoadFigures(run).value(of: metric)
        case let (.metric(metric), .saturation(saturation, _)):
            saturation.steps.first { $0.clients == load }?.figures.value(of: metric)
        case let (.cleanCapacity, .saturation(saturation, _)): saturation.finding.cleanCapacity.map(Double.init)
        case let (.cliff, .saturation(saturation, _)): saturation.finding.cliff.map { Double($0.clients) }
        case let (.knee, .saturation(saturation, _)): saturation.finding.knee.map(Double.init)
        case (.cleanCapacity, .run), (.cliff, .run), (.knee, .run): nil
        }
    }

    static func row(_ figure: ComparedFigure, groups: [Group], at load: Int?) -> Row {
        let samples = groups.map { group in group.results.compactMap { values(figure, $0, at: load) } }
        let baseline = samples.first ?? []
        let baselineMean = mean(baseline)
        let cells = samples.enumerated().map { index, values -> Cell in
            let average = mean(values)
            let spread = values.count > 1 ? WelchTest.moments(values).variance.squareRoot() : nil
            guard index > 0, let average, let baselineMean else {
                return Cell(values: values, mean: average, spread: spread, difference: nil, relative: nil, verdict: nil)
            }
            let difference = average - baselineMean
            let verdict: Verdict =
                switch WelchTest.differs(baseline, values) {
                case nil: .untested
                case false?: .noise
                case true?: abs(difference) <= figure.noiseFloor ? .noise : (difference > 0) == figure.higherIsBetter ? .better : .worse
                }
            return Cell(
                values: values, mean: average, spread: spread, difference: difference,
                relative: baselineMean == 0 ? nil : difference / abs(baselineMean), verdict: verdict)
        }
        return Row(figure: figure, cells: cells)
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The group's traffic per call-minute, averaged over its runs (a saturation's at its clean
    /// capacity, else its first step), priced; instances are sized by the smallest clean capacity.
    static func cost(_ group: Group, prices: [PriceOption], minutesPerMonth: Double) -> CostProjection? {
        let capacities = group.results.compactMap { $0.saturation?.finding.cleanCapacity }
        let measured = group.results.compactMap { result -> RunResult? in
            guard let saturation = result.saturation else { return result.runs.first }
            return result.runs.first { $0.configuration.clients == saturation.finding.cleanCapacity } ?? result.runs.first
        }
        guard !measured.isEmpty else { return nil }
        let volumes = measured.map(TrafficVolume.init)
        let volume = TrafficVolume(
            fromRelayBytesPerMinute: mean(volumes.map(\.fromRelayBytesPerMinute)) ?? 0,
            toRelayBytesPerMinute: mean(volumes.map(\.toRelayBytesPerMinute)) ?? 0)
        return CostProjection(volume: volume, options: prices, minutesPerMonth: minutesPerMonth, cleanCapacity: capacities.min())
    }
}

public struct ComparisonError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
