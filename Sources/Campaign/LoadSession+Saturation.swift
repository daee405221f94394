import Foundation
import LoadEngine
import Measurement
import Reporting
import RunModel

extension LoadSession {
    /// Searches `target` with `search`, each step a load of `configuration` at the step's
    /// clients and time, into `folder`: `saturation.json` after every step, then the report,
    /// priced at the clean step's bytes per call-minute (or the last step's without one).
    public func saturate(
        _ target: Target, search: SaturationSearch, configuration: LoadConfiguration,
        folder: String
    ) async throws(WriteError) -> SaturationResult {
        let runner = SessionStepRunner(
            session: self, target: target, configuration: configuration, folder: folder, live: search.mode == .live,
            arrivalsAtEachRate: search.axis == .allocations ? search.callHoldTime : nil)
        let saturation: SaturationResult
        do {
            saturation = try await search.run(against: target.name, startedAt: Date(), runner: runner)
        } catch {
            _ = try? await runner.endLivePopulation()
            throw error
        }
        try await runner.endLivePopulation()
        let steps = saturation.steps.compactMap { runner.results[$0.folder] }
        let priceable = steps.filter { $0.outcome.status != .interrupted }
        // The clean step is never one cut short: those are not judged.
        let clean = saturation.steps.last { $0.clients == saturation.finding.cleanCapacity }
        let priced = clean.flatMap { runner.results[$0.folder] } ?? priceable.last
        // Instances hold calls: a clean rate of allocations says nothing of how many calls one holds.
        let capacity = saturation.steppedAxis == .calls ? saturation.finding.cleanCapacity : nil
        let projection = priced.map { settings.cost.projection(TrafficVolume($0), cleanCapacity: capacity) }
        try ReportWriter.writeSaturation(saturation, stepResults: steps, cost: projection, to: folder)
        print("\(target.name): " + saturation.headline + "\n  results: \(folder)/ (report.html)")
        return saturation
    }
}

/// The search's steps as real loads of the session, each kept in its folder: each a fresh
/// load, or with `live` a window of one population that grows, itself a run in `live/`, or on
/// the allocations axis calls arriving evenly at the step's rate, each talking for a while.
private final class SessionStepRunner: SaturationStepRunner {
    let session: LoadSession
    let target: LoadSession.Target
    let configuration: LoadConfiguration
    let folder: String
    let live: Bool
    /// On the allocations axis, how long each call talks: a step's load is then its rate.
    let arrivalsAtEachRate: HoldTime?
    /// Each folder's whole result: a step's last measurement, the hold's.
    private(set) var results: [String: RunResult] = [:]
    /// The live population and its run, once the first step started it.
    private var population: (control: LivePopulation, run: Task<RunResult?, any Error>)?

    init(
        session: LoadSession, target: LoadSession.Target, configuration: LoadConfiguration, folder: String, live: Bool,
        arrivalsAtEachRate: HoldTime?
    ) {
        self.session = session
        self.target = target
        self.configuration = configuration
        self.folder = folder
        self.live = live
        self.arrivalsAtEachRate = arrivalsAtEachRate
    }

    func measure(clients: Int, duration: Duration, folder step: String) async throws(WriteError) -> StepMeasurement? {
        var load = configuration
        load.clients = clients
        load.duration = duration
        if let holdTime = arrivalsAtEachRate {
            load.arrivals = ArrivalPlan(rate: Double(clients) / Double(load.callSize), holdTime: holdTime, spacing: .even)
        }
        let result: RunResult
        // The hold is a fresh load: a live population cannot shrink to a share of the capacity.
        if live, step != "hold" {
            guard let window = try await liveWindow(clients: clients, duration: duration) else { return nil }
            result = try await session.keepWindow(
                window, of: target, configuration: load, startedAt: Date() - duration / .seconds(1), folder: "\(folder)/\(step)")
        } else {
            try await endLivePopulation()
            guard let fresh = try await session.run(target, configuration: load, folder: "\(folder)/\(step)") else { return nil }
            result = fresh
        }
        results[step] = result
        let pushed = [result.outcome.towardPeer, result.outcome.towardClient].compactMap { $0 }.map(\.wireBytesReceived).reduce(0, +)
        return StepMeasurement(status: result.outcome.status, figures: LoadFigures(result), bytesOutOfEndpoint: Double(pushed))
    }

    /// The population grown to `clients`, measured over `duration`; nil once its run ended.
    private func liveWindow(clients: Int, duration: Duration) async throws(WriteError) -> LoadOutcome? {
        if population == nil {
            let control = LivePopulation()
            var whole = configuration
            whole.clients = clients
            let run = Task { [session, target, folder] in
                defer { Task { await control.finish() } }
                return try await session.run(target, configuration: whole, folder: "\(folder)/live", live: control)
            }
            population = (control, run)
        }
        return await population?.control.measure(clients: clients, window: duration)
    }

    /// The live population's run stops, its whole result kept in `live/`.
    func endLivePopulation() async throws(WriteError) {
        guard let (control, run) = population else { return }
        population = nil
        await control.finish()
        do { _ = try await run.value } catch let error as WriteError { throw error } catch {}
    }

    func keep(_ saturation: SaturationResult) throws(WriteError) {
        try ResultWriter.write(saturation, to: folder)
    }

    func tell(_ line: String) {
        printError(line)
    }
}
