import Foundation
import Measurement
import Reporting
import RunModel

/// What measuring one step gave the search.
public struct StepMeasurement: Sendable {
    public var status: RunStatus
    public var figures: LoadFigures
    /// Wire bytes the endpoint sent out, both directions: what a hold counts toward its volume.
    public var bytesOutOfEndpoint: Double

    public init(status: RunStatus, figures: LoadFigures, bytesOutOfEndpoint: Double) {
        self.status = status
        self.figures = figures
        self.bytesOutOfEndpoint = bytesOutOfEndpoint
    }
}

/// What the search needs of the world: loads run, findings kept, lines shown. The session runs
/// real loads; the tests script their figures.
public protocol SaturationStepRunner {
    /// A load of `clients` (on the allocations axis, allocations a second) for `duration`, its
    /// results in `folder` (relative to the search's); nil when it could not start at all.
    func measure(clients: Int, duration: Duration, folder: String) async throws(WriteError) -> StepMeasurement?
    /// The search so far, after each step: a search cut short still leaves its findings.
    func keep(_ saturation: SaturationResult) throws(WriteError)
    /// A line for the person watching.
    func tell(_ line: String)
}

/// The saturation search's policy: which loads to step through, when a step is measured again,
/// when to stop, and how long to hold. It runs nothing itself; its runner does.
public struct SaturationSearch: Sendable {
    /// Each step's load, rising: clients, or allocations a second on the allocations axis.
    public var steps: [Int]
    /// Time at full load of each step.
    public var stepDuration: Duration
    public var thresholds: [Threshold]
    /// Steps to run past the cliff (or the harness bound), to show the collapse.
    public var pastCliff = 0
    /// Times a step is measured again when turnload itself fell behind: a scheduling stall of
    /// a shared machine must not end a search that the endpoint has not.
    public var remeasure = 1
    /// The long run after the search, when one is asked for.
    public var hold: HoldPlan?
    /// How the runner loads the steps, as the result says.
    public var mode = SaturationMode.fresh
    /// What the steps are loads of: calls at once, or allocations a second (each step's
    /// calls then arrive at its rate and talk for `callHoldTime`).
    public var axis = SaturationAxis.calls
    public var callHoldTime = HoldTime.fixed(.seconds(2))

    public init(steps: [Int], stepDuration: Duration, thresholds: [Threshold]) {
        self.steps = steps
        self.stepDuration = stepDuration
        self.thresholds = thresholds
    }

    /// The loads of `start`, then `start + step`… up to `maxClients`, rounded up to whole pairs
    /// when each call is two clients (two allocations a call, on the allocations axis).
    public static func steps(start: Int, step: Int, maxClients: Int, pairs: Bool) -> [Int] {
        stride(from: start, through: maxClients, by: step).map { pairs ? $0 + $0 % 2 : $0 }
    }

    /// Steps the load up against `target`, then holds when asked: every step, the finding and
    /// the hold, in the result the runner keeps after each step.
    public func run(
        against target: String, startedAt: Date, runner: some SaturationStepRunner
    ) async throws(WriteError) -> SaturationResult {
        var saturation = SaturationResult(
            turnloadVersion: turnloadVersion, target: target, startedAt: startedAt, status: .complete, thresholds: thresholds,
            steps: [], finding: CliffFinder.find([], thresholds: thresholds))
        saturation.mode = mode
        saturation.axis = axis
        var stepsPastCliff = 0
        for (index, load) in steps.enumerated() {
            let folder = String(format: "step-%02d-%d", index + 1, load)
            guard let (measured, repeats) = try await measureStep(index, load: load, folder: folder, runner: runner) else {
                saturation.status = .endpointFailed
                break
            }
            var step = SaturationStep(
                clients: load, folder: folder, status: measured.status, figures: measured.figures,
                checks: thresholds.map { $0.check(measured.figures) })
            if axis == .allocations { step.allocationsPerSecond = load }
            if !repeats.isEmpty {
                step.remeasured = repeats.count
                step.remeasuredBecause = repeats.last
            }
            saturation.steps.append(step)
            // A step cut short by Ctrl-C is kept and shown, but proves nothing about the endpoint.
            let judged = saturation.steps.filter { $0.status != .interrupted }
            saturation.finding = CliffFinder.find(judged.map(\.figures), thresholds: thresholds, loads: judged.map(\.clients))
            runner.tell("step \(index + 1): \(axis.load(load)): " + saturation.headline)
            try runner.keep(saturation)
            if measured.status != .complete {
                saturation.status = measured.status
                break
            }
            if saturation.finding.cliff != nil || saturation.finding.harnessBoundAt != nil {
                if stepsPastCliff >= pastCliff { break }
                stepsPastCliff += 1
            }
        }
        if saturation.status == .complete, let hold {
            saturation.hold = try await run(hold, after: saturation, runner: runner)
            if let held = saturation.hold, held.status != .complete { saturation.status = held.status }
        }
        try runner.keep(saturation)
        return saturation
    }

    /// One step, measured again while turnload says it fell behind itself, up to `remeasure`
    /// times; the last measurement is the step's, with why each earlier one was set aside.
    private func measureStep(
        _ index: Int, load: Int, folder: String,
        runner: some SaturationStepRunner
    ) async throws(WriteError) -> (StepMeasurement, [[String]])? {
        var setAside: [[String]] = []
        while true {
            guard let measured = try await runner.measure(clients: load, duration: stepDuration, folder: folder) else { return nil }
            guard measured.status == .complete, measured.figures.harnessSaturated, setAside.count < remeasure else {
                return (measured, setAside)
            }
            setAside.append(measured.figures.harnessReasons)
            runner.tell(
                "step \(index + 1): \(axis.load(load)): turnload fell behind, not the endpoint ("
                    + measured.figures.harnessReasons.joined(separator: "; ") + "); measuring the step again "
                    + "(\(setAside.count) of \(remeasure))")
        }
    }

    private func run(
        _ hold: HoldPlan, after saturation: SaturationResult,
        runner: some SaturationStepRunner
    ) async throws(WriteError) -> SaturationHold? {
        guard let capacity = saturation.finding.cleanCapacity,
            let clean = saturation.steps.last(where: { $0.clients == capacity })
        else {
            runner.tell("no clean step: nothing to hold")
            return nil
        }
        let load: HoldPlan.Load
        switch hold.load(capacity: capacity, deliveredWireBitsPerSecond: clean.figures.deliveredWireBitsPerSecond) {
        case let .success(sized): load = sized
        case let .failure(refusal):
            runner.tell(refusal.description)
            return nil
        }
        runner.tell(
            "hold: \(load.clients) calls (\(DecimalText.short(hold.share * 100))% of \(capacity)) for "
                + "\(DecimalText.short(load.duration / .seconds(60), decimals: 1)) min to push "
                + "\(DecimalText.short(hold.bytes / 1e9, decimals: 2)) GB")
        guard let measured = try await runner.measure(clients: load.clients, duration: load.duration, folder: "hold") else { return nil }
        return SaturationHold(
            clients: load.clients, targetBytes: hold.bytes, bytes: measured.bytesOutOfEndpoint, folder: "hold",
            status: measured.status, figures: measured.figures,
            checks: saturation.thresholds.map { $0.check(measured.figures) })
    }
}
