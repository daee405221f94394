import NIOCore
import Testing
import TURNClient
import TURNProtocol
import TURNRelay

/// The relay core against clients taking more than their share: replayed requests, floods
/// from many ports of one address, and REST users minting usernames.
@Suite("relay abuse")
struct RelayAbuseTests {
    static let configuration = RelayCoreTests.configuration

    /// An authenticated Allocate seen on the wire and sent again from other ports takes
    /// nothing: its nonce was given to another address, so each copy gets 438 with a fresh
    /// nonce, which is useless without the password.
    @Test func replayedAllocateFromAnotherAddressGetsStaleNonce() throws {
        var exchange = Exchange(relay: Self.configuration, credential: RelayCoreTests.alice)
        guard case .allocated? = exchange.run({ $0.allocate(now: $1) }).first else { Issue.record("no allocation"); return }
        let signed = try #require(exchange.sent.last)
        let original = try STUNMessage(datagram: signed).nonce
        let replayers = (1...4).map { RelayClient(transport: .udp, address: TransportAddress(ip: exchange.client.address.ip, port: 40_000 + $0)) }
            + [RelayClient(transport: .tcp, address: exchange.client.address)]
        for replayer in replayers {
            let bytes = exchange.relay.handle(signed, from: replayer, now: .seconds(1), unixTime: exchange.unixTime) {
                TransportAddress("203.0.113.1:60000")
            }
            let reply = try STUNMessage(datagram: try #require(bytes))
            #expect(try reply.errorCode?.code == 438, "\(replayer)")
            #expect(try reply.nonce != original)
        }
        #expect(exchange.relay.allocations.count == 1)
    }

    /// A client whose NAT rebinds between the challenge and its signed Allocate: 438, and our
    /// client's retry with the nonce for its new address is served.
    @Test func clientThatMovedAfterTheChallengeIsServedOnRetry() {
        var exchange = Exchange(relay: Self.configuration, credential: RelayCoreTests.alice)
        exchange.rebindAfter = 1
        let events = exchange.run { $0.allocate(now: $1) }
        guard case .allocated? = events.first else { Issue.record("\(events)"); return }
        #expect(exchange.sent.count == 3, "challenge, 438, retry")
    }
}
