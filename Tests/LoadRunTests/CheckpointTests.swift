import Foundation
import Reporting
import RunModel
import TestSupport
import Testing

/// `--checkpoint`: a long run that dies still leaves its results so far.
@Suite("checkpoints")
struct CheckpointTests {
    /// Killed outright (SIGKILL: nothing of its own runs at the end) after its second
    /// checkpoint: the folder holds the results up to that checkpoint, marked in-progress.
    @Test func aRunKilledMidwayLeavesItsResultsSoFar() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try RunningProcess(
            try TurnloadBinary().url,
            ["run", "--clients", "20", "--duration", "60s", "--checkpoint", "2s", "--out", folder.path])
        defer { run.kill() }
        try await run.waitForErrors(containing: "checkpoint: the results so far are in", limit: .seconds(20))
        let first = try Self.result(in: folder)
        #expect(first.outcome.status == .inProgress)
        // Two checkpoints' time and more: one late on a busy machine still leaves another.
        try await Task.sleep(for: .seconds(4.5))
        run.kill()
        let last = try Self.result(in: folder)
        #expect(last.outcome.status == .inProgress)
        #expect(
            last.outcome.series.count >= first.outcome.series.count + 2, "\(first.outcome.series.count) then \(last.outcome.series.count)")
        #expect(last.outcome.clients.allocated == 20 && last.outcome.calls.count == 20)
        #expect(last.outcome.towardPeer.received > 20 * 50 * 3)
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("a checkpoint of a run that was still going"), "\(report.prefix(500))")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("timeseries.csv").path))
    }

    /// A gate does not pass a checkpoint: its figures stop before the run did.
    @Test func aCheckpointIsNotAValidRunForAGate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try RunningProcess(
            try TurnloadBinary().url, ["run", "--clients", "5", "--duration", "60s", "--checkpoint", "1s", "--out", folder.path])
        try await run.waitForErrors(containing: "checkpoint: the results so far are in", limit: .seconds(20))
        run.kill()
        let gate = try await TurnloadBinary().run(["gate", folder.appendingPathComponent("result.json").path])
        #expect(gate.status == 2, "\(gate.output)\(gate.errors)")
        #expect((gate.output + gate.errors).contains("a checkpoint of a run still under way"), "\(gate.output)")
    }

    static func result(in folder: URL) throws -> RunResult {
        let data = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path))
        return try ResultWriter.decode(data)
    }
}
