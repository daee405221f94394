import ArgumentParser
import Foundation
import Scenario
import Testing
import TestSupport
@testable import turnload

/// Scenarios against turnload's own options, in process: the catalog read from ArgumentParser,
/// each shipped scenario for `run` expanded and parsed as the binary does.
@Suite("scenario options of turnload")
struct ScenarioCatalogTests {
    static let scenarios = TurnloadBinary.packageRoot.appendingPathComponent("scenarios")

    func parse(_ arguments: [String]) throws -> Run {
        try #require(try Turnload.parseAsRoot(try ScenarioExpansion.expand(arguments)) as? Run)
    }

    func path(_ name: String) -> String { Self.scenarios.appendingPathComponent("\(name).yaml").path }

    @Test func theCatalogComesFromTheCommandsOptions() throws {
        let catalog = try OptionCatalog(commandsOf: Turnload.self)
        let run = try #require(catalog.commands["run"])
        #expect(catalog.commands["probe"] == nil && catalog.commands["relay"] == nil, "only commands with --scenario")
        let byName = Dictionary(uniqueKeysWithValues: run.map { ($0.name, $0) })
        #expect(byName["target"] == OptionCatalog.Option(name: "target", takesValue: true, repeatable: true))
        #expect(byName["clients"] == OptionCatalog.Option(name: "clients", takesValue: true, repeatable: false))
        #expect(byName["dtx"] == OptionCatalog.Option(name: "dtx", takesValue: false, repeatable: false))
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

    @Test func ciGateStagesBecomeClientsRampAndDuration() throws {
        let run = try parse(["run", "--scenario", path("ci-gate")])
        #expect(run.load.clients == 200 && run.load.ramp == 40 && run.load.duration.description == "30s")
        #expect(run.load.drain.description == "2s")
    }

    @Test func fallbackPathsLoadsEachTransport() throws {
        let run = try parse(["run", "--scenario", path("fallback-paths")])
        #expect(run.load.targets == ["turn:relay.example.com:3478?transport=udp", "turn:relay.example.com:3478?transport=tcp",
                                     "turns:relay.example.com:443?transport=tcp"])
        #expect(run.load.credentials.secrets.secretEnv == "TURN_SECRET")
    }

    @Test func credentialRotationExpiresEveryFiveMinutes() throws {
        let run = try parse(["run", "--scenario", path("credential-rotation")])
        #expect(run.load.credentials.credentialTTL == 300 && run.load.credentials.secrets.secretEnv == "TURN_SECRET")
        #expect(run.load.duration.description == "30m" && run.load.clients == 200 && run.load.ramp == 10)
    }

    @Test func theCommandLineOverridesTheScenario() throws {
        let run = try parse(["run", "--clients", "10", "--scenario", path("fallback-paths"), "--target", "turn:127.0.0.1:3478",
                             "--duration=3s"])
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
