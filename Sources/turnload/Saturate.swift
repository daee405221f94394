import ArgumentParser
import Campaign
import Foundation
import LoadEngine
import Measurement
import Reporting
import RunModel

struct Saturate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step the load up until quality collapses: find the clean capacity and the cliff.",
        discussion: """
            Runs the load of `turnload run` in steps of rising clients (--start, then +--step \
            each --step-duration, up to --max-clients), each step a whole run with fresh \
            allocations and every figure of `run`. A step is clean when every --threshold holds \
            (default: loss < 0.5%, jitter-p99 < 30ms, rtt-p99 < 150ms, allocation-success >= \
            99.9%, mos >= 4). It reports the clean capacity (the highest load up to which every \
            step was clean), the cliff (the first step that broke a threshold, with the evidence), \
            the knee of delivered against offered throughput, and says "harness-bound at N" \
            instead of a cliff when turnload itself was the limit. Stepping stops at the cliff \
            (--past-cliff N steps more to show the collapse).

            With --live, one population grows instead: each step opens only the calls it adds, \
            none leaves, and the step is judged over its own window of that one run, with the \
            same thresholds and cliff finder. Fresh steps (the default) tell the capacity of \
            loads that start together; a live population tells it for a relay that has carried \
            its calls, allocations and state for the whole climb, as production does. The whole \
            live run is kept in <out>/live/.

            With --hold-volume, it then holds --hold-at (80%) of the clean capacity long enough \
            to push that many bytes out of the endpoint: the quarterly proof that there is no \
            cliff below the planned peak. --clients and --duration of `run` are replaced by the \
            steps here. Results: <out>/saturation.json, a folder per step, report.md and \
            report.html.

            With --axis allocations, the steps are rates of new allocations instead (the control \
            plane): --start, --step and --max-rate are allocations a second, and each step's \
            calls arrive evenly at its rate for --step-duration (as wrk2 and k6's \
            constant-arrival-rate pace requests), each allocating, binding its channel, talking \
            for --hold-time (default fixed:2s) and releasing. A step is clean when its setups \
            hold the thresholds (default: setup-failure < 1%, allocation-p99 < 500ms); each \
            step shows its allocation latency p50/p99, setup failures and media quality. Over \
            turns: each Allocate opens a TLS connection, so the rate is one of TLS handshakes \
            too. Not with --live, --hold-volume, --mix or --group.

            Examples:
              turnload saturate --start 200 --step 200 --step-duration 10s --max-clients 1400
              turnload saturate --relay-max-pps 20000 --start 50 --step 50 --max-clients 400
              turnload saturate --live --start 200 --step 200 --step-duration 10s --max-clients 2000
              turnload saturate --target turn:relay.example.com --secret-env TURN_SECRET \\
                  --start 500 --step 250 --max-clients 5000 --hold-volume 90GB --gate --min-capacity 2000
              turnload saturate --axis allocations --target turns:relay.example.com --secret-env TURN_SECRET \\
                  --start 20 --step 20 --max-rate 200 --step-duration 10s
            """
    )

    @OptionGroup var load: LoadOptions
    @OptionGroup var gate: GateOptions
    @OptionGroup var cost: CostOptions

    @Option(
        help: ArgumentHelp(
            "What the steps raise: calls (clients at once) or allocations (new allocations a second). (default: calls)",
            valueName: "AXIS"))
    var axis = SaturationAxis.calls

    @Option(
        help: "Clients at the first step; with --axis allocations, allocations a second. (default: 100)",
        transform: OptionRange.count(1...100_000))
    var start = 100

    @Option(
        help: "Clients added at each step; with --axis allocations, allocations a second. (default: 100)",
        transform: OptionRange.count(1...100_000))
    var step = 100

    @Option(
        help: ArgumentHelp("Time at full load of each step, after its ramp. (default: 20s)", valueName: "TIME"),
        transform: OptionRange.time(.milliseconds(1)...OptionRange.longest))
    var stepDuration = DurationArgument(argument: "20s")!

    @Option(help: "The last step's clients, at most. (default: 2000)", transform: OptionRange.count(1...100_000))
    var maxClients: Int?

    @Option(
        help: ArgumentHelp("With --axis allocations: the last step's allocations a second, at most. (default: 1000)", valueName: "RATE"),
        transform: OptionRange.count(1...10_000))
    var maxRate: Int?

    @Option(
        help: ArgumentHelp(
            "With --axis allocations: how long each call talks before it releases, fixed:2s, or a mean (exponential), "
                + "exponential:3s, lognormal:3s:1s. (default: fixed:2s)", valueName: "TIME"),
        transform: { try HoldTime(parsing: $0) })
    var holdTime: HoldTime?

    @Option(
        help: ArgumentHelp("Steps to run past the cliff, to show the collapse. (default: 0)", valueName: "N"),
        transform: OptionRange.count(0...100))
    var pastCliff = 0

    @Option(
        help: ArgumentHelp(
            "Times a step is measured again when turnload itself fell behind (its figures would be "
                + "turnload's, not the endpoint's) before the search stops there. (default: 1)", valueName: "N"),
        transform: OptionRange.count(0...5))
    var remeasure = 1

    @Option(
        help: ArgumentHelp("After the search, hold this share of the clean capacity: 80%. (default: 80%)", valueName: "PERCENT"),
        transform: OptionRange.share())
    var holdAt = FractionArgument(argument: "80%")!

    /// A petabyte: a quarter's traffic of a large deployment.
    @Option(
        help: ArgumentHelp("Hold long enough to push this much out of the endpoint (on the wire): 90GB.", valueName: "BYTES"),
        transform: OptionRange.volume(upTo: 1e15))
    var holdVolume: ByteCountArgument?

    @Flag(help: "Grow one live population step by step, none leaving, each step judged over its window of that one run.")
    var live = false

    @Flag(
        name: .customLong("gate"),
        help: "Gate the result: exit 1 when a check fails, 2 when the run is invalid; writes junit.xml and gate.md.")
    var gateResult = false

    @Option(
        help: ArgumentHelp(
            "With --gate: the clean capacity must reach this (the planned peak), in calls or with --axis allocations "
                + "allocations a second.", valueName: "LOAD"),
        transform: OptionRange.count(1...100_000))
    var minCapacity: Int?

    func validate() throws {
        try validateAxis()
        guard start <= lastLoad else {
            throw ValidationError("--start must be at most " + (axis == .calls ? "--max-clients" : "--max-rate"))
        }
        if live, load.mix != nil { throw ValidationError("--live grows one population of one transport: not with --mix") }
        if live, !load.groups.isEmpty { throw ValidationError("--live grows one population of one kind: not with --group") }
        if !load.groups.isEmpty, load.groupedClients >= start {
            throw ValidationError(
                "--group takes \(load.groupedClients) clients, and each step's others grow beside them: give --start above that")
        }
        // Each shard would judge only its share of a step: a cliff is a whole endpoint's.
        if load.shard != nil || load.startAt != nil {
            throw ValidationError("--shard and --start-at split a run over machines; saturate runs on one (use --threads for more cores)")
        }
    }

    var search: SaturationSearch {
        var search = SaturationSearch(
            steps: SaturationSearch.steps(
                start: start, step: step, maxClients: lastLoad,
                pairs: load.topology == .pair),
            stepDuration: stepDuration.duration, thresholds: gate.thresholds(else: axis.defaultThresholds))
        search.pastCliff = pastCliff
        search.remeasure = remeasure
        search.mode = live ? .live : .fresh
        search.axis = axis
        search.callHoldTime = callHoldTime
        search.hold = holdVolume.map {
            HoldPlan(share: holdAt.fraction, bytes: $0.bytes, pairs: load.topology == .pair, longest: OptionRange.longest)
        }
        return search
    }

    func run() async throws {
        let thresholds = gate.thresholds(else: axis.defaultThresholds)
        let session = try await LoadSession.forCommand(
            try load.sessionSettings(thresholds: thresholds, cost: cost, maxClients: allocationsAtOnce))
        let baseline = try gate.baselineResult().map { loaded -> SaturationResult in
            guard case let .saturation(result, _) = loaded.content else {
                throw ValidationError("--baseline of saturate must be a saturation.json")
            }
            return result
        }
        var exitCode: Int32 = 0
        for target in session.targets {
            let folder = session.folder(for: target, startedAt: Date(), suffix: "-saturation")
            let saturation: SaturationResult
            do {
                saturation = try await session.saturate(target, search: search, configuration: load.loadConfiguration, folder: folder)
            } catch {
                await session.shutdown()
                throw error.reported()
            }
            if saturation.status == .interrupted {
                exitCode = ExitStatus.interrupted
                break
            }
            if saturation.steps.isEmpty || saturation.status != .complete { exitCode = max(exitCode, 1) }
            if gateResult {
                let report = Gate.evaluate(
                    saturation, thresholds: thresholds, minimumCapacity: minCapacity, baseline: baseline,
                    maxRegressionPercent: gate.maxRegressionPercent)
                exitCode = max(exitCode, GateOptions.publish(report, junit: "\(folder)/junit.xml", summary: "\(folder)/gate.md"))
            }
        }
        await session.shutdown()
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
