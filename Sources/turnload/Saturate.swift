import ArgumentParser
import Foundation
import LoadEngine
import Measurement
import Reporting

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

            With --hold-volume, it then holds --hold-at (80%) of the clean capacity long enough \
            to push that many bytes out of the endpoint: the quarterly proof that there is no \
            cliff below the planned peak. --clients and --duration of `run` are replaced by the \
            steps here. Results: <out>/saturation.json, a folder per step, report.md and \
            report.html.

            Examples:
              turnload saturate --start 200 --step 200 --step-duration 10s --max-clients 1400
              turnload saturate --relay-max-pps 20000 --start 50 --step 50 --max-clients 400
              turnload saturate --target turn:relay.example.com --secret-env TURN_SECRET \\
                  --start 500 --step 250 --max-clients 5000 --hold-volume 90GB --gate --min-capacity 2000
            """
    )

    @OptionGroup var load: LoadOptions
    @OptionGroup var gate: GateOptions
    @OptionGroup var cost: CostOptions

    @Option(help: "Clients at the first step. (default: 100)", transform: OptionRange.count(1...100_000))
    var start = 100

    @Option(help: "Clients added at each step. (default: 100)", transform: OptionRange.count(1...100_000))
    var step = 100

    @Option(help: ArgumentHelp("Time at full load of each step, after its ramp. (default: 20s)", valueName: "TIME"),
            transform: OptionRange.time(.milliseconds(1)...OptionRange.longest))
    var stepDuration = DurationArgument(argument: "20s")!

    @Option(help: "The last step's clients, at most. (default: 2000)", transform: OptionRange.count(1...100_000))
    var maxClients = 2000

    @Option(help: ArgumentHelp("Steps to run past the cliff, to show the collapse. (default: 0)", valueName: "N"), transform: OptionRange.count(0...100))
    var pastCliff = 0

    @Option(help: ArgumentHelp("Times a step is measured again when turnload itself fell behind (its figures would be "
        + "turnload's, not the endpoint's) before the search stops there. (default: 1)", valueName: "N"),
            transform: OptionRange.count(0...5))
    var remeasure = 1

    @Option(help: ArgumentHelp("After the search, hold this share of the clean capacity: 80%. (default: 80%)", valueName: "PERCENT"),
            transform: OptionRange.share())
    var holdAt = FractionArgument(argument: "80%")!

    /// A petabyte: a quarter's traffic of a large deployment.
    @Option(help: ArgumentHelp("Hold long enough to push this much out of the endpoint (on the wire): 90GB.", valueName: "BYTES"),
            transform: OptionRange.volume(upTo: 1e15))
    var holdVolume: ByteCountArgument?

    @Flag(name: .customLong("gate"), help: "Gate the result: exit 1 when a check fails, 2 when the run is invalid; writes junit.xml and gate.md.")
    var gateResult = false

    @Option(help: ArgumentHelp("With --gate: the clean capacity must reach this (the planned peak).", valueName: "CALLS"),
            transform: OptionRange.count(1...100_000))
    var minCapacity: Int?

    func validate() throws {
        guard start <= maxClients else { throw ValidationError("--start must be at most --max-clients") }
        // Each shard would judge only its share of a step: a cliff is a whole endpoint's.
        if load.shard != nil || load.startAt != nil {
            throw ValidationError("--shard and --start-at split a run over machines; saturate runs on one (use --threads for more cores)")
        }
    }

    /// Each step's client count, rounded up to whole pairs in the pair topology.
    var stepLoads: [Int] {
        stride(from: start, through: maxClients, by: step).map { load.topology == .pair ? $0 + $0 % 2 : $0 }
    }

    func run() async throws {
        let session = try await LoadSession(load, thresholds: gate.thresholds, cost: cost, maxClients: maxClients + maxClients % 2)
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
            do { saturation = try await search(target, session: session, folder: folder) } catch {
                await session.shutdown()
                throw error.reported()
            }
            if saturation.status == .interrupted {
                exitCode = 130
                break
            }
            if saturation.steps.isEmpty || saturation.status != .complete { exitCode = max(exitCode, 1) }
            if gateResult {
                let report = Gate.evaluate(saturation, thresholds: gate.thresholds, minimumCapacity: minCapacity, baseline: baseline,
                                           maxRegressionPercent: gate.maxRegressionPercent)
                exitCode = max(exitCode, GateOptions.publish(report, junit: "\(folder)/junit.xml", summary: "\(folder)/gate.md"))
            }
        }
        await session.shutdown()
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Steps the load against one target, writing `saturation.json` after every step so that a
    /// run cut short still leaves its findings, then holds when asked.
    private func search(_ target: LoadSession.Target, session: LoadSession, folder: String) async throws(WriteError) -> SaturationResult {
        let thresholds = gate.thresholds
        var saturation = SaturationResult(turnloadVersion: turnloadVersion, target: target.name, startedAt: Date(), status: .complete,
                                          thresholds: thresholds, steps: [],
                                          finding: CliffFinder.find([], thresholds: thresholds))
        var stepResults: [RunResult] = []
        var stepsPastCliff = 0
        for (index, clients) in stepLoads.enumerated() {
            var configuration = load.loadConfiguration
            configuration.clients = clients
            configuration.duration = stepDuration.duration
            let stepFolder = String(format: "step-%02d-%d", index + 1, clients)
            guard let (result, remeasured) = try await measureStep(index, configuration, target: target, session: session,
                                                                    folder: "\(folder)/\(stepFolder)") else {
                saturation.status = .endpointFailed
                break
            }
            stepResults.append(result)
            let figures = LoadFigures(result)
            var step = SaturationStep(clients: clients, folder: stepFolder, status: result.outcome.status, figures: figures,
                                      checks: thresholds.map { $0.check(figures) })
            step.remeasured = remeasured > 0 ? remeasured : nil
            saturation.steps.append(step)
            // A step cut short by Ctrl-C is kept and shown, but proves nothing about the endpoint.
            let judged = saturation.steps.filter { $0.status != .interrupted }
            saturation.finding = CliffFinder.find(judged.map(\.figures), thresholds: thresholds)
            printError("step \(index + 1): \(clients) calls: " + saturation.finding.headline)
            try ResultWriter.write(saturation, to: folder)
            if result.outcome.status != .complete {
                saturation.status = result.outcome.status
                break
            }
            if saturation.finding.cliff != nil || saturation.finding.harnessBoundAt != nil {
                if stepsPastCliff >= pastCliff { break }
                stepsPastCliff += 1
            }
        }
        if saturation.status == .complete, let holdVolume {
            saturation.hold = try await hold(holdVolume.bytes, target: target, session: session, saturation: saturation, folder: folder)
            if let hold = saturation.hold, hold.status != .complete { saturation.status = hold.status }
        }
        try ResultWriter.write(saturation, to: folder)
        // Priced at the clean step's bytes per call-minute, or the last step's without one.
        let priceable = stepResults.filter { $0.outcome.status != .interrupted }
        let priced = priceable.last { $0.outcome.clients.requested == saturation.finding.cleanCapacity } ?? priceable.last
        let projection = priced.map {
            cost.projection(TrafficVolume($0), prices: session.prices, cleanCapacity: saturation.finding.cleanCapacity)
        }
        try ReportWriter.writeSaturation(saturation, stepResults: stepResults, cost: projection, to: folder)
        print("\(target.name): " + saturation.finding.headline + "\n  results: \(folder)/ (report.html)")
        return saturation
    }

    /// One step, measured again (up to `remeasure` times, into the same folder) while the
    /// harness says it was itself behind: a scheduling stall of the machine must not end a
    /// search that the endpoint has not. The last measurement is the step's; nil when the load
    /// could not start.
    private func measureStep(_ index: Int, _ configuration: LoadConfiguration, target: LoadSession.Target,
                             session: LoadSession, folder: String) async throws(WriteError) -> (RunResult, remeasured: Int)? {
        var remeasured = 0
        while true {
            guard let result = try await session.run(target, configuration: configuration, folder: folder) else { return nil }
            guard result.outcome.status == .complete, result.outcome.healthSummary.verdict != .healthy,
                  remeasured < remeasure else { return (result, remeasured) }
            remeasured += 1
            printError("step \(index + 1): \(configuration.clients) calls: turnload fell behind, not the endpoint; "
                + "measuring the step again (\(remeasured) of \(remeasure))")
        }
    }

    /// Holds `holdAt` of the clean capacity for as long as the clean step's rate takes to push
    /// `bytes` out of the endpoint.
    private func hold(_ bytes: Double, target: LoadSession.Target, session: LoadSession, saturation: SaturationResult,
                      folder: String) async throws(WriteError) -> SaturationHold? {
        guard let capacity = saturation.finding.cleanCapacity,
              let clean = saturation.steps.last(where: { $0.clients == capacity })
        else {
            printError("no clean step: nothing to hold")
            return nil
        }
        var clients = Int((Double(capacity) * holdAt.fraction).rounded(.down))
        if load.topology == .pair { clients -= clients % 2 }
        clients = max(clients, load.topology == .pair ? 2 : 1)
        let bytesPerClientSecond = clean.figures.deliveredWireBitsPerSecond / 8 / Double(capacity)
        let seconds = bytes / (bytesPerClientSecond * Double(clients))
        guard seconds.isFinite, seconds > 0 else { return nil }
        guard seconds <= Double(OptionRange.longest.components.seconds) else {
            printError("hold: \(clients) calls would take \(DecimalText.short(seconds / 86_400)) days to push "
                + "\(DecimalText.short(bytes / 1e9, decimals: 2)) GB, more than the \(OptionRange.written(OptionRange.longest)) "
                + "a load may last: give a smaller --hold-volume")
            return nil
        }
        var configuration = load.loadConfiguration
        configuration.clients = clients
        configuration.duration = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        printError("hold: \(clients) calls (\(DecimalText.short(holdAt.fraction * 100))% of \(capacity)) for "
            + "\(DecimalText.short(seconds / 60, decimals: 1)) min to push \(DecimalText.short(bytes / 1e9, decimals: 2)) GB")
        guard let result = try await session.run(target, configuration: configuration, folder: "\(folder)/hold") else { return nil }
        let figures = LoadFigures(result)
        let pushed = [result.outcome.towardPeer, result.outcome.towardClient].compactMap { $0 }.map(\.wireBytesReceived).reduce(0, +)
        return SaturationHold(clients: clients, targetBytes: bytes, bytes: Double(pushed), folder: "hold", status: result.outcome.status, figures: figures,
                              checks: saturation.thresholds.map { $0.check(figures) })
    }
}
