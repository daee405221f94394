/// Finds the clean capacity, the cliff, the throughput knee and any harness limit in the
/// steps of a saturation run. Pure: steps in, finding out.
public enum CliffFinder {
    /// `steps` in the order they ran, load rising; `loads`, each step's load in the search's
    /// unit (allocations a second on that axis), are the steps' clients when not given.
    public static func find(
        _ steps: [LoadFigures], thresholds: [Threshold] = Threshold.defaults, loads: [Int]? = nil
    ) -> SaturationFinding {
        let loads = loads ?? steps.map(\.clients)
        var cleanCapacity: Int?
        var cliff: Cliff?
        var harnessBoundAt: Int?
        var harnessReasons: [String] = []
        for (index, step) in steps.enumerated() {
            // A saturated harness makes every figure of this step its own: stop judging here.
            if step.harnessSaturated {
                harnessBoundAt = loads[index]
                harnessReasons = step.harnessReasons
                break
            }
            let broken = thresholds.map { $0.check(step) }.filter { !$0.passed }
            if broken.isEmpty {
                cleanCapacity = loads[index]
                continue
            }
            let previous = index > 0 ? steps[index - 1] : nil
            cliff = Cliff(
                clients: loads[index],
                breaches: broken.map { check in
                    Breach(threshold: check.threshold, value: check.value ?? 0, previous: previous?.value(of: check.threshold.metric))
                })
            break
        }
        return SaturationFinding(
            cleanCapacity: cleanCapacity, cliff: cliff, knee: knee(steps, loads: loads), harnessBoundAt: harnessBoundAt,
            harnessReasons: harnessReasons)
    }

    /// The last step whose extra offered packets were at least half delivered, compared with
    /// the step before; nil when fewer than two steps ran. Offered load rises linearly with
    /// clients while a saturated endpoint's delivered rate flattens: the knee is where the
    /// curve bends.
    static func knee(_ steps: [LoadFigures], loads: [Int]) -> Int? {
        guard steps.count > 1 else { return nil }
        var knee = loads[0]
        for (index, (before, step)) in zip(steps, steps.dropFirst()).enumerated() {
            let offered = step.offeredPacketsPerSecond - before.offeredPacketsPerSecond
            let delivered = step.deliveredPacketsPerSecond - before.deliveredPacketsPerSecond
            guard offered > 0, delivered >= offered / 2 else { break }
            knee = loads[index + 1]
        }
        return knee
    }
}
