import Campaign
import LoadEngine
import RunModel
import TURNClient
import Testing

/// TURN REST credentials that expire during the run: the relay refuses them with 401, each
/// refresh that meets one renews the credential, and the calls lose nothing.
@Suite("credential rotation under load")
struct CredentialRotationTests {
    @Test func expiredRESTCredentialsAreRenewedWithoutLoss() async throws {
        // 3 s credentials, permissions refreshed every 2 s and channels every 3 s over 12 s:
        // every refresh after the first few seconds carries an expired username.
        let relay = try await EmbeddedRelay.start(clients: 10, credentialTTL: 3)
        let outcome = try await runLoad(
            relay.target, clients: 10, duration: .seconds(12),
            refreshIntervals: RefreshIntervals(permission: .seconds(2), channel: .seconds(3)))
        await relay.stop()
        #expect(outcome.status == .complete)
        #expect(outcome.clients.allocated == 10)
        let refreshes = try #require(outcome.clients.refreshes)
        #expect(refreshes.credentialRenewals >= 10, "\(refreshes)")
        #expect(refreshes.failures.isEmpty, "\(refreshes.failureExamples)")
        #expect(refreshes.permission >= 10 * 4 && refreshes.channel >= 10 * 3, "\(refreshes)")
        #expect(refreshes.latency.count == refreshes.succeeded)
        let toClient = try #require(outcome.towardClient)
        for direction in [outcome.towardPeer, toClient] {
            #expect(direction.lost == 0 && direction.received == direction.expected)
        }
        #expect(outcome.calls.allSatisfy { $0.route == .channelData })
    }
}
