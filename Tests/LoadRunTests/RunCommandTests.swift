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
        let run = try await measureAgain(
            {
                try await LoadRun.start(["--topology", name, "--clients", "40", "--duration", "3s"])
            }, while: { $0.result?.outcome.healthSummary.verdict != .healthy })
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.result)
        let outbound = result.outcome.towardPeer
        #expect(outbound.expected > 40 * 50 * 3)
        #expect(outbound.received == outbound.expected && outbound.lost == 0, "\(run.outcome.output)")
        #expect(result.outcome.towardClient == nil && result.outcome.rtt == nil)
        // The codec and the encoder's own version, so that results from two libopus builds are told apart.
        #expect(result.media.codec == "opus")
        #expect(result.media.encoder?.hasPrefix("libopus 1.") == true, "\(result.media)")
        #expect(outbound.oneWayDelay.count == outbound.received)
    }

    /// IPv6 relayed addresses through the relay's IPv4 listener, alone or beside IPv4 in dual
    /// allocations: every client allocates, its media reaches the ::1 peer and comes back
    /// (an allocation without IPv6 would be refused a channel to it, 443).
    @Test(.enabled(if: ipv6LoopbackWorks(), "::1 cannot be bound here"), arguments: ["ipv6", "both"])
    func relayFamily(_ family: String) async throws {
        let run = try await measureAgain(
            {
                try await LoadRun.start(["--relay-family", family, "--clients", "10", "--duration", "2s"])
            }, while: { $0.result?.outcome.healthSummary.verdict != .healthy })
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.result)
        #expect(result.outcome.clients.allocated == 10, "\(result.outcome.clients.failureExamples)")
        #expect(result.outcome.towardClient?.received == result.outcome.towardPeer.expected, "\(run.outcome.output)")
        #expect(result.outcome.serverAddress?.hasPrefix("127.0.0.1:") == true)
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

    /// SIGINT during the drain cuts it short: exit 130, the result marked interrupted.
    @Test func interruptedDrain() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let run = try await LoadRun.start(["--clients", "10", "--duration", "1s", "--drain", "60s"], interruptAfter: .seconds(5))
        #expect(run.outcome.status == 130, "\(run.outcome.errors)")
        #expect(clock.now - started < .seconds(20))
        let result = try #require(run.result, "no result.json after SIGINT:\n\(run.outcome.errors)")
        #expect(result.outcome.status == .interrupted)
    }

    /// An --out that cannot be made fails before the load starts, naming it and why (exit 74).
    @Test func unwritableOutputFailsFirst() async throws {
        let outcome = try await TurnloadBinary().run(
            ["run", "--clients", "2", "--duration", "1s", "--out", "/proc/turnload-x"],
            limit: .seconds(20))
        #expect(outcome.status == 74, "\(outcome.errors)")
        #expect(outcome.errors.contains("cannot write /proc/turnload-x: No such file or directory"), "\(outcome.errors)")
        #expect(!outcome.errors.contains("allocated"), "the load started: \(outcome.errors)")
    }

    /// A write that fails at the end (here past a file-size limit, as on a full disk) exits 74
    /// with the file and the reason, and leaves no truncated result.json behind.
    @Test func failedResultWriteIsAnErrorAndLeavesNoTruncatedFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try TurnloadBinary()
        let outcome = try await TestProcess.run(
            URL(fileURLWithPath: "/bin/bash"),
            [
                "-c", "ulimit -f 4; exec \"$0\" \"$@\"", binary.url.path,
                "run", "--clients", "4", "--duration", "1s", "--gate", "--out", folder.path,
            ], limit: .seconds(60))
        #expect(outcome.status == 74, "\(outcome.output)\n\(outcome.errors)")
        #expect(outcome.errors.contains("cannot write \(folder.path)/result.json: File too large"), "\(outcome.errors)")
        #expect(outcome.output.contains("results: NOT WRITTEN"), "\(outcome.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("result.json").path))
    }

    /// Every Allocate refused (a wrong password): the run failed, and says why, rather than
    /// calling itself complete with no client.
    @Test func everyAllocationRefused() async throws {
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TURN_PASSWORD"],
            environment: ["TURN_PASSWORD": "right"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--target", "turn:127.0.0.1:\(relay.port)", "--user", "alice", "--password-env", "TURN_PASSWORD",
                "--clients", "2", "--duration", "1s", "--out", folder.path,
            ], environment: ["TURN_PASSWORD": "wrong"], limit: .seconds(60))
        #expect(outcome.status == 1, "\(outcome.output)\n\(outcome.errors)")
        #expect(outcome.output.contains("endpoint-failed, 0/2 clients allocated"), "\(outcome.output)")
        #expect(outcome.output.contains("401"), "\(outcome.output)")
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
