import Foundation
import Reporting
import TestSupport
import Testing

/// `turnload run` with TURN REST credentials shorter than the run, through `turnload relay`:
/// the relay refuses each expired username with 401, the refresh that met it renews the
/// credential, and the calls lose nothing.
@Suite("credential renewal through turnload relay")
struct CredentialRenewalCommandTests {
    @Test func credentialsShorterThanTheRunAreRenewedWithoutLoss() async throws {
        let secret = "ci-\(UUID().uuidString)"
        let relay = try await TurnloadRelay(credentials: ["--secret-env", "TURN_SECRET"], environment: ["TURN_SECRET": secret])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // 30 s credentials (the shortest --credential-ttl takes) over 36 s: the refreshes after
        // the 31st second (every 5 s for the permission, 7 s for the channel) carry expired ones.
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--target", "turn:127.0.0.1:\(relay.port)", "--secret-env", "TURN_SECRET", "--credential-ttl", "30",
                "--clients", "10", "--duration", "36s", "--permission-refresh", "5s", "--channel-refresh", "7s", "--out", folder.path,
            ], environment: ["TURN_SECRET": secret], limit: .seconds(100))
        #expect(outcome.status == 0, "\(outcome.output)\n\(outcome.errors.suffix(2000))")
        let data = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path))
        let result = try ResultWriter.decode(data)
        let refreshes = try #require(result.outcome.clients.refreshes)
        #expect(refreshes.credentialRenewals >= 10, "\(refreshes)")
        #expect(refreshes.failures.isEmpty, "\(refreshes.failureExamples)")
        let toClient = try #require(result.outcome.towardClient)
        for direction in [result.outcome.towardPeer, toClient] {
            #expect(direction.lost == 0 && direction.received == direction.expected, "\(direction.summary(duration: 1))")
        }
        let json = String(decoding: data, as: UTF8.self)
        #expect(!(outcome.output + outcome.errors + json).contains(secret))
    }
}
