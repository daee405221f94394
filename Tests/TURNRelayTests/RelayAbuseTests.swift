import NIOCore
import TURNClient
import TURNProtocol
import TURNRelay
import Testing

/// The relay core against clients taking more than their share: replayed requests, floods
/// from many ports of one address, and REST users minting usernames.
@Suite("relay abuse")
struct RelayAbuseTests {
    static let configuration = RelayCoreTests.configuration
    let credentialLess = STUNMessage(.allocate, .request, attributes: [.requestedTransport(.udp)]).encoded()

    /// An authenticated Allocate seen on the wire and sent again from other ports takes
    /// nothing: its nonce was given to another address, so each copy gets 438 with a fresh
    /// nonce, which is useless without the password.
    @Test func replayedAllocateFromAnotherAddressGetsStaleNonce() throws {
        var exchange = Exchange(relay: Self.configuration, credential: RelayCoreTests.alice)
        guard case .allocated? = exchange.run({ $0.allocate(now: $1) }).first else {
            Issue.record("no allocation")
            return
        }
        let signed = try #require(exchange.sent.last)
        let original = try STUNMessage(datagram: signed).nonce
        let replayers =
            (1...4).map { RelayClient(transport: .udp, address: TransportAddress(ip: exchange.client.address.ip, port: 40_000 + $0)) }
            + [RelayClient(transport: .tcp, address: exchange.client.address)]
        for replayer in replayers {
            let bytes = exchange.relay.handle(signed, from: replayer, now: .seconds(1), unixTime: exchange.unixTime) { _ in
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
        guard case .allocated? = events.first else {
            Issue.record("\(events)")
            return
        }
        #expect(exchange.sent.count == 3, "challenge, 438, retry")
    }

    /// 7,000 credential-less Allocates in one second from 1,000 ports of one IPv4 address, or
    /// from 1,000 addresses of one IPv6 /64, are one source: they get that source's share,
    /// and first Allocates from 20 other addresses are all answered.
    @Test(arguments: ["198.51.100.66", "2001:db8:1:2::"])
    func floodFromOneSourceLeavesOthersServed(flooder: String) throws {
        var relay = RelayCore(configuration: Self.configuration)
        let base = try #require(IPAddress(flooder))
        var answered = 0
        for index in 0..<7000 {
            var address = TransportAddress(ip: base, port: UInt16(10_000 + index % 1000))
            if case .v6(let high, _) = base { address.ip = .v6(high: high, low: UInt64(index % 1000)) }
            let source = RelayClient(transport: .udp, address: address)
            if relay.handle(credentialLess, from: source, now: .microseconds(index * 100), unixTime: 0, openRelay: { _ in nil }) != nil {
                answered += 1
            }
        }
        #expect(answered == Self.configuration.maximumUnauthenticatedPerAddressPerSecond)
        let others = (1...20).filter { index in
            let client = RelayClient(transport: .udp, address: TransportAddress("198.51.100.\(100 + index):5000")!)
            return relay.handle(credentialLess, from: client, now: .milliseconds(800), unixTime: 0) { _ in nil } != nil
        }
        #expect(others.count == 20)
    }

    /// Binding answers are larger than the requests (a reflector's gain): the same per-source
    /// limit as requests without credentials.
    @Test func bindingAnswersAreLimitedPerSource() {
        var relay = RelayCore(configuration: Self.configuration)
        let binding = STUNMessage(.binding, .request).encoded()
        let answered = (0..<2 * Self.configuration.maximumUnauthenticatedPerAddressPerSecond).filter { index in
            let source = RelayClient(
                transport: .udp,
                address: TransportAddress(
                    ip: IPAddress("198.51.100.66")!,
                    port: UInt16(10_000 + index % 1000)))
            return relay.handle(binding, from: source, now: .zero, unixTime: 0) { _ in nil } != nil
        }
        #expect(answered.count == Self.configuration.maximumUnauthenticatedPerAddressPerSecond)
        let elsewhere = RelayClient(transport: .udp, address: TransportAddress("198.51.100.67:5000")!)
        #expect(relay.handle(binding, from: elsewhere, now: .zero, unixTime: 0) { _ in nil } != nil)
    }

    /// A REST user mints usernames with any expiry it likes: the quota counts the user, not
    /// the username, so 8 expiries still get only the quota's 2 allocations.
    @Test func restQuotaCountsTheUserWhateverTheExpiry() {
        var relay = RelayCore(configuration: Self.configuration)
        var outcomes: [TURNClientError?] = []
        for index in 0..<8 {
            var exchange = Exchange(
                relay: Self.configuration,
                credential: .sharedSecret(secret: Array("north-wind".utf8), user: "load", ttl: Int64(300 + index)))
            exchange.relay = relay
            exchange.client.address.port = UInt16(41_000 + index)
            outcomes.append(failure(exchange.run { $0.allocate(now: $1) }))
            relay = exchange.relay
        }
        #expect(outcomes.prefix(2).allSatisfy { $0 == nil })
        #expect(outcomes.dropFirst(2).allSatisfy { $0 == .rejected(STUNErrorCode(486)) }, "\(outcomes)")
    }
}
