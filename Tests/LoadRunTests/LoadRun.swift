import Foundation
import Reporting
import TestSupport

/// One `turnload run` against its in-process relay, in a throw-away results folder.
struct LoadRun {
    let outcome: TestProcess.Outcome
    let result: RunResult?

    static func start(
        _ arguments: [String], environment: [String: String] = [:], interruptAfter: Duration? = nil
    ) async throws -> LoadRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            ["run", "--out", folder.path] + arguments, environment: environment, interruptAfter: interruptAfter)
        let data = FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path)
        return LoadRun(outcome: outcome, result: try data.map(ResultWriter.decode))
    }
}
