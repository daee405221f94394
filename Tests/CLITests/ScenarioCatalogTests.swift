import ArgumentParser
import Foundation
import LoadEngine
import Measurement
import RunModel
import Scenario
import TestSupport
import Testing

@testable import turnload

/// Scenarios against turnload's own options, in process: the catalog read from ArgumentParser,
/// each shipped scenario for `run` expanded and parsed as the binary does.
@Suite("scenario options of turnload")
struct ScenarioCatalogTests {
    static let scenarios = TurnloadBinary.packageRoot.appendingPathComponent("scenarios")

    func parse<Command: ParsableCommand>(_ arguments: [String], as: Command.Type = Run.self) throws -> Command {
        try #require(try Turnload.parseAsRoot(try ScenarioExpansion.expand(arguments)) as? Command)
    }

    func path(_ name: String) -> String { Self.scenarios.appendingPathComponent("\(name).yaml").path }

    @Test func theCatalogComesFromTheCommandsOptions() throws {
        let catalog = try OptionCatalog(commandsOf: Turnload.self)
        let run = try #require(catalog.commands["run"])
        #expect(Set(catalog.commands.keys) == ["run", "saturate"], "only the commands with --scenario")
        let byName = Dictionary(uniqueKeysWithValues: run.map { ($0.name, $0) })
        #expect(byName["target"] == OptionCatalog.Option(name: "target", takesValue: true, repeatable: true))
        #expect(byName["clients"] == OptionCatalog.Option(name: "clients", takesValue: true, repeatable: false))
        #expect(byName["dtx"] == OptionCatalog.Option(name: "dtx", takesValue: false, repeatable: false))
        #expect(byName["threshold"] == OptionCatalog.Option(name: "threshold", takesValue: true, repeatable: true))
        #expect(byName["gate"] == OptionCatalog.Option(name: "gate", takesValue: false, repeatable: false))
        for name in ["cbr", "vbr", "credential-ttl", "password-env", "secret-file", "ca-file", "insecure", "relay-impair", "repeat"] {
            #expect(byName[name] != nil, "\(name)")
        }
        for name in ["scenario", "help", "version"] { #expect(byName[name] == nil, "\(name)") }
    }

    @Test func quickProbe() throws {
        let run = try parse(["run", "--scenario", path("quick-probe")])
        #expect(run.load.targets == ["turn:relay.example.com:3478?transport=udp"])
        #expect(run.load.credentials.secrets.user == "alice" && run.load.credentials.secrets.passwordEnv == "TURN_PASSWORD")
        #expect(run.load.clients == 20 && run.load.ramp == 20 && run.load.duration.description == "10s" && run.load.topology == .echo)
        #expect(run.load.scenario == path("quick-probe"))
    }

    @Test func ciGateStagesThresholdsAndGate() throws {
        let run = try parse(["run", "--scenario", path("ci-gate")])
        #expect(run.load.clients == 200 && run.load.ramp == 40 && run.load.duration.description == "30s")
        #expect(run.load.drain.description == "2s" && run.load.credentials.secrets.secretEnv == "TURN_SECRET")
        #expect(run.gateResult && run.gate.thresholds == Threshold.defaults)
    }

    @Test func quarterlySaturationStepsHoldsAndProjects() throws {
        let saturate = try parse(["saturate", "--scenario", path("quarterly-saturation")], as: Saturate.self)
        #expect(saturate.start == 100 && saturate.load.ramp == 10 && saturate.step == 100 && saturate.maxClients == 3000)
        #expect(saturate.stepDuration.description == "30s" && saturate.holdAt.fraction == 0.8)
        #expect(saturate.holdVolume?.bytes == 90e9 && saturate.cost.minutesPerMonth == 1_000_000)
        #expect(saturate.gate.thresholds == Threshold.defaults)
        #expect(saturate.load.scenario == path("quarterly-saturation"))
    }

    @Test func aScenarioForRunIsNotForSaturate() {
        #expect(throws: ScenarioError.self) { try ScenarioExpansion.expand(["saturate", "--scenario", path("quick-probe")]) }
    }

    @Test func fallbackPathsLoadsEachTransport() throws {
        let run = try parse(["run", "--scenario", path("fallback-paths")])
        #expect(
            run.load.targets == [
                "turn:relay.example.com:3478?transport=udp", "turn:relay.example.com:3478?transport=tcp",
                "turns:relay.example.com:443?transport=tcp",
            ])
        #expect(run.load.credentials.secrets.secretEnv == "TURN_SECRET")
    }

    @Test func credentialRotationExpiresEveryFiveMinutes() throws {
        let run = try parse(["run", "--scenario", path("credential-rotation")])
        #expect(run.load.credentials.credentialTTL == 300 && run.load.credentials.secrets.secretEnv == "TURN_SECRET")
        #expect(run.load.duration.description == "30m" && run.load.clients == 200 && run.load.ramp == 10)
    }

    @Test func noisyNeighboursGroupsTenHeavyCalls() throws {
        let run = try parse(["run", "--scenario", path("noisy-neighbours")])
        #expect(run.load.groups == [CallGroup(name: "video", clients: 10, bitrate: 510_000, packetsPerFrame: 20)])
        #expect(run.load.clients == 200 && run.gate.thresholds.contains { $0.metric == .fairness })
    }

    @Test func abuseSendsEveryKindInFiveSecondWindows() throws {
        let run = try parse(["run", "--scenario", path("abuse")])
        #expect(run.abuse?.shares.map(\.kind) == [.invalid, .unauthenticated, .wrongPassword, .unboundChannel, .binding])
        #expect(run.abuseWindow?.description == "5s" && run.load.clients == 200)
    }

    @Test func theCommandLineOverridesTheScenario() throws {
        let run = try parse([
            "run", "--clients", "10", "--scenario", path("fallback-paths"), "--target", "turn:127.0.0.1:3478",
            "--duration=3s",
        ])
        #expect(run.load.clients == 10 && run.load.duration.description == "3s" && run.load.ramp == 50)
        #expect(run.load.targets == ["turn:127.0.0.1:3478"])
    }

    @Test func withoutAScenarioNothingChanges() throws {
        #expect(try ScenarioExpansion.expand(["run", "--clients", "5"]) == ["run", "--clients", "5"])
        #expect(try ScenarioExpansion.expand(["probe", "--scenario", "x.yaml"]) == ["probe", "--scenario", "x.yaml"])
        #expect(try ScenarioExpansion.expand([]) == [])
        #expect(ScenarioExpansion.scenarioPath(in: ["--scenario=a.yaml", "--scenario", "b.yaml"]) == "b.yaml")
        #expect(ScenarioExpansion.scenarioPath(in: ["--", "--scenario", "b.yaml"]) == nil)
    }
}
