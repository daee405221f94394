import Foundation
import Measurement
import Reporting
import TestSupport
import Testing

/// `turnload run` as a user meets it: topologies, Ctrl-C, and bad input.
@Suite("turnload run", .serialized)
struct RunCommandTests {
    /// Pairs: each client's stream crosses two allocations to its partner; sink: one way.
    @Test(arguments: ["pair", "sink"])
    func topology(_ name: String) async throws {
        let run = try await LoadRun.start(["--topology", name, "--clients", "40", "--duration", "3s"])
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.result)
        let outbound = result.outcome.towardPeer
        #expect(outbound.expected > 40 * 50 * 3)
        #expect(outbound.received == outbound.expected && outbound.lost == 0)
        #expect(result.outcome.towardClient == nil && result.outcome.rtt == nil)
        #expect(outbound.oneWayDelay.count == outbound.received)
    }

    /// SIGINT mid-run: exit 130 and a complete result marked interrupted.
    @Test func interruptedRunStillWritesItsResult() async throws {
        let run = try await LoadRun.start(["--clients", "50", "--duration", "60s"], interruptAfter: .seconds(3))
        #expect(run.outcome.status == 130, "\(run.outcome.errors)")
        let result = try #require(run.result, "no result.json after SIGINT:\n\(run.outcome.errors)")
        #expect(result.outcome.status == .interrupted)
        #expect(result.outcome.towardPeer.expected > 0)
        #expect(result.outcome.series.count >= 2)
        #expect(run.outcome.output.contains("interrupted"))
    }

    @Test func resultFilesAndSummaryWithoutSecrets() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(["run", "--clients", "10", "--duration", "2s", "--out", folder.path])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let json = try String(contentsOf: folder.appendingPathComponent("result.json"), encoding: .utf8)
        let csv = try String(contentsOf: folder.appendingPathComponent("timeseries.csv"), encoding: .utf8)
        #expect(json.contains("\"schemaVersion\" : 1"))
        #expect(csv.hasPrefix(TimeSeries.csvHeader))
        #expect(csv.split(separator: "\n").count >= 3)
        #expect(outcome.output.contains("results: \(folder.path)/"))
        // The in-process relay's generated password is in no file and no output.
        for text in [json, csv, outcome.output, outcome.errors] { #expect(!text.contains("password")) }
    }

    @Test(arguments: [
        (["--clients", "0"], "'--clients <clients>': give a whole number from 1 to 100000"),
        (["--relay-impair", "wobble=1%"], "--relay-impair"),
        (["--frame-ms", "25"], "10, 20, 40 or 60"),
        (["--topology", "pair", "--clients", "3"], "even --clients"),
        (["--target", "http://example.com"], "--target http://example.com"),
        (["--target", "turn:127.0.0.1:3478"], "needs credentials"),
        (["--duration", "soon"], "--duration"),
    ])
    func badInputIsExplained(_ arguments: [String], _ message: String) async throws {
        let outcome = try await TurnloadBinary().run(["run"] + arguments, limit: .seconds(20))
        #expect(outcome.status != 0 && outcome.status != 130)
        #expect(outcome.errors.contains(message), "\(outcome.errors)")
        #expect(!outcome.errors.contains("Fatal error") && !outcome.errors.contains("Stack dump"))
    }
}
