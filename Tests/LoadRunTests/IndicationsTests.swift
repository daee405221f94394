import Foundation
import Reporting
import RunModel
import TestSupport
import Testing

/// `run --indications`: media in Send and Data indications through turnload's own relay.
@Suite("media in indications")
struct IndicationsTests {
    @Test func everyPacketGoesAndComesBackWithoutAChannel() async throws {
        let run = try await LoadRun.start(["--clients", "20", "--duration", "3s", "--indications"])
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.result)
        #expect(result.configuration.indications == true)
        #expect(result.outcome.clients.allocated == 20, "\(result.outcome.clients.failureExamples)")
        let toClient = try #require(result.outcome.towardClient)
        for direction in [result.outcome.towardPeer, toClient] {
            #expect(direction.expected > 20 * 50 * 2)
            #expect(direction.lost == 0 && direction.received == direction.expected, "\(direction.summary(duration: 1))")
        }
        // 36 bytes of Send indication around each packet's RTP (to 127.0.0.1), 28 of IP and UDP.
        let overhead =
            Double(result.outcome.towardPeer.wireBytesSent - result.outcome.towardPeer.payloadBytesSent)
            / Double(result.outcome.towardPeer.sent)
        #expect((36 + 28...39 + 28).contains(overhead), "\(overhead)")
        let relayed = try #require(result.embeddedRelay)
        #expect(relayed.packetsToPeers >= result.outcome.towardPeer.received)
    }
}
