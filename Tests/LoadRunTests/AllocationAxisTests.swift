import Foundation
import Measurement
import Reporting
import TestSupport
import Testing

/// `turnload saturate --axis allocations`: rates of new allocations stepped up against
/// `turnload relay` with an allocation rate placed by `--max-allocate-rate`.
@Suite("saturate the control plane", .serialized)
struct AllocationAxisTests {
    static let environment = ["TL_AXIS_PASSWORD": "wonderland"]

    /// A relay granting 30 allocations a second (a second's worth as a burst): steps of 10, 20
    /// and 30 a second are clean, and 40 a second for 4 s asks 160 of which 150 pass, so its
    /// 508s put setup failures past 1%. Calls arrive evenly, so a step at the limit does not
    /// cross it by chance. The user quota is lifted so that only the rate refuses.
    @Test func findsAPlacedAllocationRateWithinOneStep() async throws {
        let relay = try await TurnloadRelay(
            credentials: [
                "--user", "alice", "--password-env", "TL_AXIS_PASSWORD", "--max-allocate-rate", "30/s", "--user-quota", "10000",
            ], environment: Self.environment)
        // Measured again while turnload itself was the bottleneck: a stalled machine says
        // nothing of the relay's rate.
        let search = try await measureAgain(
            attempts: 3,
            {
                try await SaturateCommand.run(
                    [
                        "--axis", "allocations", "--target", "turn:127.0.0.1:\(relay.port)", "--user", "alice", "--password-env",
                        "TL_AXIS_PASSWORD", "--start", "10", "--step", "10", "--max-rate", "60", "--step-duration", "4s",
                        "--hold-time", "fixed:1s", "--drain", "1s",
                    ], environment: Self.environment)
            }, while: { $0.saturation.finding.harnessBoundAt != nil }, discard: { try? FileManager.default.removeItem(at: $0.folder) })
        let (outcome, saturation, folder) = (search.outcome, search.saturation, search.folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(saturation.axis == .allocations)
        let cliff = try #require(saturation.finding.cliff, "\(saturation.finding)")
        #expect((40...50).contains(cliff.clients), "cliff at \(cliff.clients) allocations/s, placed at 30")
        #expect(cliff.breaches.contains { $0.threshold.metric == .setupFailure }, "\(cliff.breaches)")
        #expect((20...30).contains(saturation.finding.cleanCapacity ?? 0), "\(saturation.finding)")
        #expect(saturation.steps.map(\.allocationsPerSecond) == saturation.steps.map(\.clients))
        for step in saturation.steps {
            #expect(step.figures.allocationP99Milliseconds != nil && step.figures.setupFailurePercent != nil)
        }
        // The cliff's failures are the relay's 508s, and its calls were the step's rate over its time.
        let last = try #require(saturation.steps.last)
        let result = try ResultWriter.decode(try Data(contentsOf: folder.appendingPathComponent("\(last.folder)/result.json")))
        #expect((result.outcome.clients.failures["508"] ?? 0) > 0, "\(result.outcome.clients.failures)")
        #expect(abs(result.outcome.clients.requested - 4 * last.clients) <= 2, "\(result.outcome.clients.requested) setups")
        #expect(outcome.output.contains("cliff at \(cliff.clients) allocations/s"))
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("allocation p50 / p99") && report.contains("Clean capacity: "))
    }

    @Test(arguments: [
        (["--live"], "--live"), (["--hold-volume", "1GB"], "--hold-volume"), (["--max-clients", "40"], "--max-rate"),
        (["--mix", "udp=50,tcp=50", "--target", "turn:127.0.0.1"], "--mix"), (["--group", "video:2"], "--group"),
        (["--max-rate", "0"], "--max-rate"), (["--hold-time", "soon"], "--hold-time"),
    ])
    func combinationsItCannotRunAreRefused(arguments: [String], what: String) async throws {
        let outcome = try await TurnloadBinary().run(["saturate", "--axis", "allocations"] + arguments, limit: .seconds(30))
        outcome.expectRefusal(naming: what)
    }

    @Test func rateOptionsNeedTheAllocationsAxis() async throws {
        for option in [["--max-rate", "100"], ["--hold-time", "fixed:2s"]] {
            let outcome = try await TurnloadBinary().run(["saturate"] + option, limit: .seconds(30))
            outcome.expectRefusal(naming: "--axis allocations")
        }
        let unknown = try await TurnloadBinary().run(["saturate", "--axis", "sessions"], limit: .seconds(30))
        unknown.expectRefusal(naming: "--axis")
    }
}
