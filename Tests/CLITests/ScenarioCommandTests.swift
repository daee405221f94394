import Foundation
import Reporting
import TestSupport
import Testing

/// `turnload run --scenario` as a user meets it, through the release binary: the shipped
/// scenarios against a `turnload relay` on loopback that holds the credentials each one names
/// (the tests override only the targets and scale the load down), overrides, and the
/// line-numbered errors.
@Suite("turnload run --scenario", .serialized)
struct ScenarioCommandTests {
    static let scenarios = TurnloadBinary.packageRoot.appendingPathComponent("scenarios")

    struct Run {
        var outcome: TestProcess.Outcome
        /// One per target, in no particular order.
        var results: [RunResult]
        /// Every file written, relative to the results folder.
        var files: [String]
        var folder: URL
    }

    /// `turnload run --scenario` into a throw-away results folder, removed by the caller.
    func run(_ scenario: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        let outcome = try await TurnloadBinary().run(
            ["run", "--scenario", scenario, "--out", folder.path] + arguments,
            environment: environment, limit: .seconds(60))
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        let results = try files.filter { $0.hasSuffix("result.json") }.map {
            try ResultWriter.decode(try Data(contentsOf: folder.appendingPathComponent($0)))
        }
        return Run(outcome: outcome, results: results, files: files, folder: folder)
    }

    /// Media went through and came back, within the default loss threshold (a machine shared
    /// with other work may lose a packet on loopback; the fidelity tests count exactly).
    static func relayedCleanly(_ result: RunResult) -> Bool {
        [result.outcome.towardPeer, result.outcome.towardClient].allSatisfy { direction in
            guard let direction else { return false }
            return direction.received > 0 && Double(direction.lost) < 0.005 * Double(direction.expected)
        }
    }

    /// A gated run, measured again while the harness says it was itself behind (exit 2).
    func gatedRun(_ scenario: String, _ arguments: [String], environment: [String: String]) async throws -> Run {
        try await measureAgain(
            { try await run(scenario, arguments, environment: environment) },
            while: { $0.outcome.status == 2 },
            discard: { try? FileManager.default.removeItem(at: $0.folder) })
    }

    func shipped(_ name: String) -> String { Self.scenarios.appendingPathComponent("\(name).yaml").path }

    /// A scenario written for one test, removed with it.
    func written(_ yaml: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func quickProbeRelaysEveryCall() async throws {
        let password = "probe-\(UUID().uuidString)"
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TURN_PASSWORD"],
            environment: ["TURN_PASSWORD": password])
        let run = try await run(
            shipped("quick-probe"), ["--target", "turn:127.0.0.1:\(relay.port)", "--duration", "3s"],
            environment: ["TURN_PASSWORD": password])
        defer { try? FileManager.default.removeItem(at: run.folder) }
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.results.first)
        #expect(run.results.count == 1 && result.target.contains("127.0.0.1:\(relay.port)"))
        #expect(result.configuration.clients == 20 && result.configuration.rampPerSecond == 20)
        #expect(result.outcome.clients.allocated == 20)
        #expect(Self.relayedCleanly(result))
        #expect(!(run.outcome.output + run.outcome.errors).contains(password))
    }

    /// The scenario's stages, thresholds and gate, scaled down: it passes a clean relay, and
    /// `turnload gate --thresholds` holds the result to the same thresholds afterwards.
    @Test func ciGatePassesACleanRelay() async throws {
        let secret = "ci-\(UUID().uuidString)"
        let relay = try await TurnloadRelay(credentials: ["--secret-env", "TURN_SECRET"], environment: ["TURN_SECRET": secret])
        let run = try await gatedRun(
            shipped("ci-gate"), ["--target", "turn:127.0.0.1:\(relay.port)", "--clients", "10", "--duration", "3s"],
            environment: ["TURN_SECRET": secret])
        defer { try? FileManager.default.removeItem(at: run.folder) }
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.results.first)
        // The stages' ramp rate stays; the command line's clients and duration win.
        #expect(result.configuration.clients == 10 && result.configuration.rampPerSecond == 40)
        #expect(result.configuration.durationSeconds == 3 && result.configuration.drainSeconds == 2)
        #expect(result.outcome.clients.allocated == 10 && Self.relayedCleanly(result))
        #expect(run.files.contains("junit.xml") && run.files.contains("gate.md"))
        for threshold in ["loss < 0.5%", "jitter-p99 < 30", "rtt-p99 < 150", "allocation-success >= 99.9%", "mos >= 4"] {
            #expect(run.outcome.output.contains(threshold), "\(threshold) in \(run.outcome.output)")
        }
        let gate = try await TurnloadBinary().run([
            "gate", run.folder.path, "--thresholds", shipped("ci-gate"),
            "--junit", run.folder.appendingPathComponent("again.xml").path,
            "--summary", run.folder.appendingPathComponent("again.md").path,
        ])
        #expect(gate.status == 0, "\(gate.output)\(gate.errors)")
        #expect(gate.output.contains("allocation-success >= 99.9%"))
        #expect(!(run.outcome.output + run.outcome.errors).contains(secret))
    }

    /// A relay losing 3% of what it relays breaks the scenario's loss threshold: exit 1.
    @Test func ciGateFailsALossyRelay() async throws {
        let secret = "ci-\(UUID().uuidString)"
        let relay = try await TurnloadRelay(
            credentials: ["--secret-env", "TURN_SECRET", "--impair", "loss=3%"],
            environment: ["TURN_SECRET": secret])
        let run = try await gatedRun(
            shipped("ci-gate"), ["--target", "turn:127.0.0.1:\(relay.port)", "--clients", "10", "--duration", "3s"],
            environment: ["TURN_SECRET": secret])
        defer { try? FileManager.default.removeItem(at: run.folder) }
        #expect(run.outcome.status == 1, "\(run.outcome.errors)")
        let summary = try String(contentsOf: run.folder.appendingPathComponent("gate.md"), encoding: .utf8)
        #expect(summary.contains("❌ | loss < 0.5%"), "\(summary)")
    }

    @Test func fallbackPathsOverUDPTCPAndTLS() async throws {
        let secret = "fallback-\(UUID().uuidString)"
        let relay = try await TurnloadRelay(credentials: ["--secret-env", "TURN_SECRET"], environment: ["TURN_SECRET": secret], tls: true)
        let certificate = try #require(relay.certificate)
        let tlsPort = try #require(relay.tlsPort)
        let run = try await run(
            shipped("fallback-paths"),
            [
                "--target", "turn:127.0.0.1:\(relay.port)?transport=udp", "--target", "turn:127.0.0.1:\(relay.port)?transport=tcp",
                "--target", "turns:127.0.0.1:\(tlsPort)?transport=tcp", "--ca-file", certificate.certificate,
                "--clients", "10", "--duration", "2s",
            ], environment: ["TURN_SECRET": secret])
        defer { try? FileManager.default.removeItem(at: run.folder) }
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        #expect(Set(run.results.map(\.configuration.transport)) == ["udp", "tcp", "tls"])
        for result in run.results {
            #expect(result.configuration.clients == 10 && result.configuration.rampPerSecond == 50)
            #expect(result.outcome.clients.allocated == 10, "\(result.target)")
            #expect(Self.relayedCleanly(result), "\(result.target)")
        }
        #expect(!(run.outcome.output + run.outcome.errors).contains(secret))
    }

    /// Single values and flags from the command line win over the scenario's.
    @Test func theCommandLineOverridesTheScenario() async throws {
        let file = try written("clients: 7\nduration: 1s\ncbr: true\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await run(file.path, ["--clients", "4", "--vbr"])
        defer { try? FileManager.default.removeItem(at: run.folder) }
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.results.first)
        #expect(result.configuration.clients == 4 && result.configuration.durationSeconds == 1)
        #expect(result.configuration.media.variableBitrate)
    }

    @Test(arguments: [
        ("clients: 10\nduration: soon\n", ":2:11: `duration`: The value 'soon' is invalid for '--duration <TIME>'"),
        ("relay-impair: wobble=1%\n", ":1:15: `relay-impair`: --relay-impair:"),
        ("clients: 10\nclinets: 20\n", ":2:1: unknown key `clinets`; did you mean `clients`?"),
        ("clients: 10\npassword: hunter2\n", ":2:1: a scenario never holds a secret"),
        ("stages:\n  - ramp to 10 over 1s\n  - hold forever\n", ":3:5: \"hold forever\": forever is not a time above 0"),
    ])
    func badScenariosAreExplainedWithTheirLine(_ yaml: String, _ message: String) async throws {
        let file = try written(yaml)
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await TurnloadBinary().run(["run", "--scenario", file.path], limit: .seconds(20))
        #expect(outcome.status == 64)
        #expect(outcome.errors.hasPrefix("turnload: \(file.path)\(message)"), "\(outcome.errors)")
        #expect(!outcome.errors.contains("hunter2"))
    }

    /// Options that are each fine but not together: ArgumentParser's own message, as for flags.
    @Test func aRefusalOfOptionsTogetherIsArgumentParsers() async throws {
        let file = try written("topology: pair\nclients: 3\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await TurnloadBinary().run(["run", "--scenario", file.path], limit: .seconds(20))
        #expect(outcome.status == 64)
        #expect(outcome.errors.contains("--topology pair needs an even --clients"), "\(outcome.errors)")
    }

    @Test func aScenarioForAnotherCommandOrNoneAtAll() async throws {
        let saturation = try await TurnloadBinary().run(["run", "--scenario", shipped("quarterly-saturation")], limit: .seconds(20))
        #expect(saturation.status == 64)
        #expect(
            saturation.errors.contains(
                "quarterly-saturation.yaml:11:10: this scenario is for `turnload saturate`: "
                    + "run it with `turnload saturate --scenario "), "\(saturation.errors)")
        let missing = try await TurnloadBinary().run(["run", "--scenario", "/nonexistent.yaml"], limit: .seconds(20))
        #expect(missing.status == 64)
        #expect(missing.errors.contains("turnload: /nonexistent.yaml: cannot read the scenario"), "\(missing.errors)")
    }

    @Test func helpNamesTheScenarioOption() async throws {
        let help = try await TurnloadBinary().run(["run", "--help"], limit: .seconds(20))
        #expect(help.status == 0 && help.output.contains("--scenario <FILE>"))
    }
}
