import Foundation
import Reporting
import Testing

/// One `turnload saturate` through the release binary, into a throw-away folder that the caller
/// removes, with its `saturation.json` read back.
public struct SaturateCommand: Sendable {
    public var outcome: TestProcess.Outcome
    public var saturation: SaturationResult
    public var folder: URL

    /// Searched again while a step found the harness itself behind and ended the search there
    /// (a search ended by Ctrl-C is judged as it is).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:],
        interruptAfter: Duration? = nil
    ) async throws -> SaturateCommand {
        try await measureAgain(
            {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
                let outcome = try await TurnloadBinary().run(
                    ["saturate", "--out", folder.path] + arguments, environment: environment,
                    limit: .seconds(150), interruptAfter: interruptAfter)
                let data = try #require(
                    FileManager.default.contents(atPath: folder.appendingPathComponent("saturation.json").path),
                    "no saturation.json: \(outcome.errors)")
                return SaturateCommand(outcome: outcome, saturation: try ResultWriter.decodeSaturation(data), folder: folder)
            }, while: { $0.saturation.finding.harnessBoundAt != nil && $0.outcome.status != 130 },
            discard: { try? FileManager.default.removeItem(at: $0.folder) })
    }
}
