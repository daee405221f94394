import Foundation
import TestSupport
import Testing

/// Files named on the command line that are missing or malformed are refused up front, by name.
@Suite("missing and malformed input files")
struct InputFileTests {
    @Test(arguments: [["probe", "turn:127.0.0.1"], ["run"]])
    func aMissingCAFileIsRefusedBeforeAnyTraffic(command: [String]) async throws {
        let outcome = try await TurnloadBinary().run(command + ["--ca-file", "/nonexistent/ca.pem"], limit: .seconds(30))
        outcome.expectRefusal(naming: "--ca-file /nonexistent/ca.pem")
    }

    /// Merged, a negative count would be subtracted from the other shards' figures.
    @Test func aResultWithANegativeCountIsNotMerged() async throws {
        let fixture = TurnloadBinary.packageRoot.appendingPathComponent("Tests/ReportingTests/Fixtures/echo-run.json")
        let text = try String(contentsOf: fixture, encoding: .utf8)
        let edited = try #require(text.range(of: #""lost":0"#))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("negative-\(UUID().uuidString).json")
        try text.replacingCharacters(in: edited, with: #""lost":-5"#).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let outcome = try await TurnloadBinary().run(["merge", file.path, file.path], limit: .seconds(30))
        outcome.expectRefusal(naming: file.path)
        #expect(outcome.errors.contains(".lost is -5"), "\(outcome.errors)")
    }
}
