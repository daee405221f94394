import Foundation
import Measurement
import Testing

@testable import Scenario

/// The scenarios in `scenarios/` load, and quarterly-saturation (for `saturate`) translates
/// against a catalog shaped like it; the others translate against turnload's own in CLITests.
@Suite("shipped scenarios")
struct ShippedScenarioTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scenarios")

    @Test(arguments: [
        "quick-probe", "ci-gate", "quarterly-saturation", "fallback-paths", "credential-rotation", "noisy-neighbours", "abuse",
    ])
    func loads(_ name: String) throws {
        let scenario = try Scenario.load(path: Self.folder.appendingPathComponent("\(name).yaml").path)
        #expect(scenario.name != nil && scenario.description != nil && scenario.command != nil)
    }

    @Test func everyShippedScenarioIsTested() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(
            Set(files) == [
                "quick-probe.yaml", "ci-gate.yaml", "quarterly-saturation.yaml", "fallback-paths.yaml",
                "credential-rotation.yaml", "noisy-neighbours.yaml", "abuse.yaml",
            ])
    }

    @Test func quarterlySaturationStepsHoldsAndPrices() throws {
        let scenario = try Scenario.load(path: Self.folder.appendingPathComponent("quarterly-saturation.yaml").path)
        let arguments = try scenario.arguments(for: "saturate", catalog: TestCatalog.catalog)
        #expect(
            arguments == [
                "--target=turn:relay.example.com:3478", "--user=alice", "--password-env=TURN_PASSWORD",
                "--start=100", "--ramp=10", "--step=100", "--step-duration=30s", "--max-clients=3000",
                "--hold-at=80%", "--hold-volume=90GB", "--minutes-per-month=1000000",
                "--threshold=loss < 0.5%", "--threshold=jitter-p99 < 30ms", "--threshold=rtt-p99 < 150ms",
                "--threshold=allocation-success >= 99.9%", "--threshold=mos >= 4.0",
            ])
        #expect(scenario.thresholds == Threshold.defaults)
        #expect(
            scenario.prices == [
                PriceOption(name: "hosted", pricing: .traffic(dollarsPerGB: 0.05, freeGB: 1000, billed: .fromRelay)),
                PriceOption(
                    name: "self-hosted", pricing: .instances(dollarsPerHour: 0.096, callsPerInstance: nil, egressDollarsPerGB: 0.09)),
            ])
    }

    @Test func aMissingFileIsAnError() {
        #expect(
            throws: ScenarioError(path: "/nonexistent.yaml", position: nil, message: "cannot read the scenario (missing or unreadable)")
        ) {
            try Scenario.load(path: "/nonexistent.yaml")
        }
    }
}
