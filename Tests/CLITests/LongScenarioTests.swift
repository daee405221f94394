import Foundation
import Measurement
import Reporting
import TestSupport
import Testing

/// The shipped long scenarios, scaled down: their options, stages, thresholds and prices as
/// shipped, with the load, the steps and the volume made small and the target a `turnload relay`
/// on loopback holding the credentials each one names.
@Suite("shipped long scenarios, scaled down", .serialized)
struct LongScenarioTests {
    static func shipped(_ name: String) -> String {
        TurnloadBinary.packageRoot.appendingPathComponent("scenarios/\(name).yaml").path
    }

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
    }

    /// A relay capped at 2,000 packets a second carries 20 echoed calls: the search must find
    /// that, hold 80% of it for the (scaled) volume, and price the month with the scenario's table.
    @Test func quarterlySaturationFindsTheCapacityHoldsAndPrices() async throws {
        let password = "quarterly-\(UUID().uuidString)"
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TURN_PASSWORD", "--max-pps", "2000"],
            environment: ["TURN_PASSWORD": password])
        let search = try await SaturateCommand.run(
            [
                "--scenario", Self.shipped("quarterly-saturation"), "--target", "turn:127.0.0.1:\(relay.port)",
                "--start", "10", "--step", "10", "--max-clients", "40", "--step-duration", "2s", "--drain", "1s", "--ramp", "100",
                "--hold-volume", "2MB",
            ], environment: ["TURN_PASSWORD": password])
        let (outcome, saturation, folder) = (search.outcome, search.saturation, search.folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(saturation.thresholds.count == 5)
        // Within one step of the placed capacity (a loaded machine can stall the relay's
        // 20 ms token bucket into dropping a burst a step early).
        let clean = try #require(saturation.finding.cleanCapacity, "\(saturation.finding)")
        #expect((10...20).contains(clean), "\(saturation.finding)")
        #expect((20...30).contains(saturation.finding.cliff?.clients ?? 0), "\(saturation.finding)")
        let hold = try #require(saturation.hold)
        #expect(hold.clients == clean * 8 / 10)
        #expect(hold.bytes >= 2e6 * 0.9, "pushed \(hold.bytes) of 2 MB")
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("| hosted |") && report.contains("| self-hosted |"), "the scenario's price table")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.html").path))
        #expect(!(outcome.output + outcome.errors).contains(password))
    }

    /// REST credentials with the shortest lifetime turnload allows, over a run longer than it.
    @Test func credentialRotationRunsOnRESTCredentials() async throws {
        let secret = "rotation-\(UUID().uuidString)"
        let relay = try await TurnloadRelay(credentials: ["--secret-env", "TURN_SECRET"], environment: ["TURN_SECRET": secret])
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--scenario", Self.shipped("credential-rotation"), "--target", "turn:127.0.0.1:\(relay.port)",
                "--clients", "10", "--duration", "3s", "--credential-ttl", "30", "--out", folder.path,
            ], environment: ["TURN_SECRET": secret], limit: .seconds(60))
        #expect(outcome.status == 0, "\(outcome.errors)")
        let data = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path))
        let result = try ResultWriter.decode(data)
        #expect(result.outcome.clients.allocated == 10)
        #expect(result.outcome.towardPeer.received > 0)
        #expect(!(outcome.output + outcome.errors).contains(secret))
    }
}
