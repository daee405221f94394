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
        let runner = SessionStepRunner(session: self, target: target, configuration: configuration, folder: folder)
        let saturation = try await search.run(against: target.name, startedAt: Date(), runner: runner)
        let steps = saturation.steps.compactMap { runner.results[$0.folder] }
        let priceable = steps.filter { $0.outcome.status != .interrupted }
        let priced = priceable.last { $0.outcome.clients.requested == saturation.finding.cleanCapacity } ?? priceable.last
        let projection = priced.map { settings.cost.projection(TrafficVolume($0), cleanCapacity: saturation.finding.cleanCapacity) }
        try ReportWriter.writeSaturation(saturation, stepResults: steps, cost: projection, to: folder)
        print("\(target.name): " + saturation.finding.headline + "\n  results: \(folder)/ (report.html)")
        return saturation
    }
}

/// The search's steps as real loads of the session, each kept in its folder.
private final class SessionStepRunner: SaturationStepRunner {
    let session: LoadSession
    let target: LoadSession.Target
    let configuration: LoadConfiguration
    let folder: String
    /// Each folder's whole result: a step's last measurement, the hold's.
    private(set) var results: [String: RunResult] = [:]

    init(session: LoadSession, target: LoadSession.Target, configuration: LoadConfiguration, folder: String) {
        self.session = session
        self.target = target
        self.configuration = configuration
        self.folder = folder
    }

    func measure(clients: Int, duration: Duration, folder step: String) async throws(WriteError) -> StepMeasurement? {
        var load = configuration
        load.clients = clients
        load.duration = duration
        guard let result = try await session.run(target, configuration: load, folder: "\(folder)/\(step)") else { return nil }
        results[step] = result
        let pushed = [result.outcome.towardPeer, result.outcome.towardClient].compactMap { $0 }.map(\.wireBytesReceived).reduce(0, +)
        return StepMeasurement(status: result.outcome.status, figures: LoadFigures(result), bytesOutOfEndpoint: Double(pushed))
    }

    func keep(_ saturation: SaturationResult) throws(WriteError) {
        try ResultWriter.write(saturation, to: folder)
    }

    func tell(_ line: String) {
        printError(line)
    }
}
