/// Finds the clean capacity, the cliff, the throughput knee and any harness limit in the
/// steps of a saturation run. Pure: steps in, finding out.
public enum CliffFinder {
    /// `steps` in the order they ran, load rising.
    public static func find(_ steps: [LoadFigures], thresholds: [Threshold] = Threshold.defaults) -> SaturationFinding {
        var cleanCapacity: Int?
        var cliff: Cliff?
        var harnessBoundAt: Int?
        var harnessReasons: [String] = []
        for (index, step) in steps.enumerated() {
            // A saturated harness makes every figure of this step its own: stop judging here.
            if step.harnessSaturated {
                harnessBoundAt = step.clients
                harnessReasons = step.harnessReasons
                break
            }
            let broken = thresholds.map { $0.check(step) }.filter { !$0.passed }
            if broken.isEmpty {
                cleanCapacity = step.clients
                continue
            }
            let previous = index > 0 ? steps[index - 1] : nil
            cliff = Cliff(
                clients: step.clients,
                breaches: broken.map { check in
                    Breach(threshold: check.threshold, value: check.value ?? 0, previous: previous?.value(of: check.threshold.metric))
                })
            break
        }
        return SaturationFinding(
            cleanCapacity: cleanCapacity, cliff: cliff, knee: knee(steps), harnessBoundAt: harnessBoundAt,
            harnessReasons: harnessReasons)
    }

    /// The last step whose extra offered packets were at least half delivered, compared with
    /// the step before; nil when fewer than two steps ran. Offered load rises linearly with
    /// clients while a saturated endpoint's delivered rate flattens: the knee is where the
    /// curve bends.
    static func knee(_ steps: [LoadFigures]) -> Int? {
        guard steps.count > 1 else { return nil }
        var knee = steps[0].clients
        for (before, step) in zip(steps, steps.dropFirst()) {
            let offered = step.offeredPacketsPerSecond - before.offeredPacketsPerSecond
            let delivered = step.deliveredPacketsPerSecond - before.deliveredPacketsPerSecond
            guard offered > 0, delivered >= offered / 2 else { break }
            knee = step.clients
        }
        return knee
    }
}
