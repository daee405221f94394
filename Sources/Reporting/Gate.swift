import Measurement
import RunModel

/// Holds results to thresholds and to a baseline: the verdicts of `turnload gate` and `--gate`.
public enum Gate {
    /// A run: each threshold, then each headline metric against the baseline's (when given),
    /// where a regression is a move for the worse beyond `maxRegressionPercent` of the baseline's
    /// value and beyond the metric's noise floor.
    public static func evaluate(
        _ result: RunResult, thresholds: [Threshold], baseline: RunResult? = nil,
        maxRegressionPercent: Double = 10
    ) -> GateReport {
        let figures = LoadFigures(result)
        var checks = thresholds.map { check($0.check(figures)) }
        var invalid = invalidReasons(status: result.outcome.status, figures: figures)
        if let baseline {
            let before = LoadFigures(baseline)
            if before.clients != figures.clients || baseline.configuration.topology != result.configuration.topology {
                invalid.append(
                    "the baseline ran \(before.clients) clients (\(baseline.configuration.topology.rawValue)), this run "
                        + "\(figures.clients) (\(result.configuration.topology.rawValue)): a regression needs the same load")
            } else {
                checks += regressions(figures, against: before, maxRegressionPercent: maxRegressionPercent)
            }
        }
        return GateReport(target: result.target, checks: checks, invalidReasons: invalid)
    }

    /// A saturation: its clean capacity against `minimumCapacity` (the planned peak) and
    /// against the baseline's, and the thresholds at the hold when there was one.
    public static func evaluate(
        _ saturation: SaturationResult, thresholds: [Threshold], minimumCapacity: Int?,
        baseline: SaturationResult? = nil, maxRegressionPercent: Double = 10
    ) -> GateReport {
        let finding = saturation.finding
        var checks: [GateCheck] = []
        var invalid: [String] = []
        if saturation.status != .complete { invalid.append("the saturation run is \(saturation.status.rawValue): its results are partial") }
        let capacity = finding.cleanCapacity ?? 0
        let axis = saturation.steppedAxis
        if let minimumCapacity {
            if let bound = finding.harnessBoundAt, bound <= minimumCapacity, capacity < minimumCapacity {
                invalid.append(
                    "the harness was the bottleneck at \(axis.load(bound)), below the \(minimumCapacity) to prove: "
                        + "spread the load over more threads or machines (--threads, --shard)")
            }
            checks.append(
                GateCheck(
                    kind: .capacity, name: "clean capacity >= \(axis.load(minimumCapacity))", passed: capacity >= minimumCapacity,
                    detail: axis.load(capacity) + (finding.cliff.map { "; cliff at \($0.clients)" } ?? "")))
        }
        if let baseline, let before = baseline.finding.cleanCapacity {
            let allowed = Double(before) * (1 - maxRegressionPercent / 100)
            checks.append(
                GateCheck(
                    kind: .regression, name: "clean capacity regression <= \(DecimalText.short(maxRegressionPercent))%",
                    passed: Double(capacity) >= allowed, detail: "\(axis.load(capacity)), baseline \(before)"))
        }
        if let hold = saturation.hold {
            checks += thresholds.map { check($0.check(hold.figures)) }
            invalid += invalidReasons(status: hold.status, figures: hold.figures).map { "the hold: \($0)" }
        }
        return GateReport(target: saturation.target, checks: checks, invalidReasons: invalid)
    }

    static func check(_ threshold: ThresholdCheck) -> GateCheck {
        let metric = threshold.threshold.metric
        let detail =
            threshold.value.map {
                "\(metric.format($0)) (limit \(threshold.threshold.comparison.rawValue) \(metric.format(threshold.threshold.limit)))"
            }
            ?? "not measured in this topology"
        return GateCheck(kind: .threshold, name: threshold.threshold.description, passed: threshold.passed, detail: detail)
    }

    static func invalidReasons(status: RunStatus, figures: LoadFigures) -> [String] {
        var reasons: [String] = []
        if status == .interrupted { reasons.append("the run was interrupted: its results are partial") }
        if status == .inProgress { reasons.append("a checkpoint of a run still under way: its results are partial") }
        if figures.harnessSaturated {
            reasons.append(
                "the harness was the bottleneck, so the figures measure turnload, not the endpoint: "
                    + figures.harnessReasons.joined(separator: "; "))
        }
        return reasons
    }

    static func regressions(_ figures: LoadFigures, against baseline: LoadFigures, maxRegressionPercent: Double) -> [GateCheck] {
        Metric.allCases.compactMap { metric in
            guard let now = figures.value(of: metric), let before = baseline.value(of: metric) else { return nil }
            let worse = metric.higherIsBetter ? before - now : now - before
            let allowed = max(abs(before) * maxRegressionPercent / 100, metric.noiseFloor)
            return GateCheck(
                kind: .regression, name: "\(metric.rawValue) regression <= \(DecimalText.short(maxRegressionPercent))%",
                passed: worse <= allowed, detail: "\(metric.format(now)), baseline \(metric.format(before))")
        }
    }
}
