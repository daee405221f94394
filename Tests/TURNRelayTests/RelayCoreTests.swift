import NIOCore
import TURNClient
import TURNProtocol
import TURNRelay
import Testing

/// Our own client's state machine against the relay core, in memory: every request the
/// session sends goes through `RelayCore.handle`, every reply back into the session.
struct Exchange {
    var relay: RelayCore
    var session: TURNSession
    var client = RelayClient(transport: .udp, address: TransportAddress("198.51.100.20:40000")!)
    var now = Duration.zero
    var unixTime: Int64 = 1_800_000_000
    var nextPort: UInt16 = 50_000
    var portsLeft = 100
    /// Every request the session sent, in order.
    var sent: [ByteBuffer] = []
    /// After this many requests the client's NAT gives it a new port.
    var rebindAfter: Int?

    /// Relayed addresses come from 203.0.113.1 and 2001:db8::1; the session asks for `relayFamily`.
    init(
        relay: RelayConfiguration, credential: ClientCredential, relayFamilies: Set<AddressFamily> = [.ipv4],
        relayFamily: RelayFamily = .ipv4
    ) {
        self.relay = RelayCore(configuration: relay, relayFamilies: relayFamilies)
        session = TURNSession(
            configuration: TURNSessionConfiguration(
                credential: credential, reliable: false,
                relayFamily: relayFamily))
    }

    /// Runs a session call to its end and returns the session's events.
    mutating func run(_ call: (inout TURNSession, Duration) -> [TURNSessionOutput]) -> [TURNSessionEvent] {
        var outputs = call(&session, now)
        var events: [TURNSessionEvent] = []
        while !outputs.isEmpty {
            var next: [TURNSessionOutput] = []
            for output in outputs {
                switch output {
                case .event(let event): events.append(event)
                case .send(let request):
                    if sent.count == rebindAfter { client.address.port &+= 1 }
                    sent.append(request)
                    let reply = relay.handle(request, from: client, now: now, unixTime: unixTime) { family in
                        guard portsLeft > 0 else { return nil }
                        portsLeft -= 1
                        nextPort += 1
                        return TransportAddress(ip: IPAddress(family == .ipv4 ? "203.0.113.1" : "2001:db8::1")!, port: nextPort)
                    }
                    if let reply { next += session.receive(reply, now: now, unixTime: unixTime) }
                }
            }
            outputs = next
        }
        return events
    }
}

func failure(_ events: [TURNSessionEvent]) -> TURNClientError? {
    for case .failed(_, let error) in events { return error }
    return nil
}

@Suite("relay core")
struct RelayCoreTests {
    static let configuration: RelayConfiguration = {
        var configuration = RelayConfiguration(
            realm: "relay.test", users: ["alice": "wonderland"],
            sharedSecret: Array("north-wind".utf8))
        configuration.maximumAllocationsPerUser = 2
        return configuration
    }()
    static let alice = ClientCredential.staticPassword(username: "alice", password: "wonderland")
    static let rest = ClientCredential.sharedSecret(secret: Array("north-wind".utf8), user: "load", ttl: 300)
    let publicPeer = TransportAddress("20.0.0.77:9000")!

    @Test func fullLifecycle() throws {
        var exchange = Exchange(relay: Self.configuration, credential: Self.alice)
        let allocated = exchange.run { $0.allocate(now: $1) }
        guard case .allocated(let allocation)? = allocated.first else {
            Issue.record("\(allocated)")
            return
        }
        #expect(allocation.relayed == TransportAddress("203.0.113.1:50001"))
        #expect(allocation.mapped == exchange.client.address)
        #expect(allocation.lifetime == 600)
        #expect(allocation.software == "turnload relay")

        guard case .permissionCreated? = exchange.run({ $0.createPermission(for: publicPeer, now: $1) }).first else {
            Issue.record("no permission")
            return
        }
        guard case .channelBound(let channel, publicPeer)? = exchange.run({ $0.bindChannel(to: publicPeer, now: $1) }).first else {
            Issue.record("no channel")
            return
        }
        let state = try #require(exchange.relay.allocations[exchange.client])
        #expect(state.channels[channel]?.peer == publicPeer)
        #expect(state.permits(publicPeer.ip, now: .seconds(299)))
        #expect(!state.permits(publicPeer.ip, now: .seconds(301)))

        guard case .refreshed(lifetime: 600)? = exchange.run({ $0.refresh(lifetime: 600, now: $1) }).first else {
            Issue.record("no refresh")
            return
        }
        guard case .released? = exchange.run({ $0.release(now: $1) }).first else {
            Issue.record("no release")
            return
        }
        #expect(exchange.relay.allocations.isEmpty)
    }

    @Test func restCredentials() {
        let fresh = ClientCredential.sharedSecret(secret: Array("north-wind".utf8), user: "load", ttl: 300)
        var exchange = Exchange(relay: Self.configuration, credential: fresh)
        guard case .allocated? = exchange.run({ $0.allocate(now: $1) }).first else {
            Issue.record("REST allocation failed")
            return
        }

        // Past its expiry the allocation's refresh is refused with 401, and the same user's
        // renewed username (a later expiry) refreshes it: a long run renews mid-allocation.
        exchange.unixTime += 400
        exchange.now = .seconds(400)
        let events = exchange.run { $0.refresh(lifetime: 600, now: $1) }
        guard case .refreshed(lifetime: 600)? = events.first else {
            Issue.record("\(events)")
            return
        }
        let usernames = exchange.sent.suffix(2).map { try? STUNMessage(datagram: $0).username }
        #expect(usernames == ["1800000300:load", "1800000700:load"])

        // A username whose expiry has passed is refused, whatever its password.
        var late = Exchange(
            relay: Self.configuration,
            credential: .staticPassword(
                username: "1700000000:load", password: fresh.current(unixTime: 1_699_999_700).password))
        #expect(failure(late.run { $0.allocate(now: $1) }).map { "\($0)" }?.hasPrefix("401") == true)
    }

    @Test func wrongPasswordAndUnknownUser() {
        for credential in [
            ClientCredential.staticPassword(username: "alice", password: "nope"),
            .staticPassword(username: "mallory", password: "wonderland"),
        ] {
            var exchange = Exchange(relay: Self.configuration, credential: credential)
            guard case .wrongCredentials? = failure(exchange.run { $0.allocate(now: $1) }) else {
                Issue.record("accepted \(credential)")
                return
            }
            #expect(exchange.relay.allocations.isEmpty)
        }
    }

    @Test func staleNonceIsRefreshed() {
        var configuration = Self.configuration
        configuration.nonceLifetime = .seconds(10)
        var exchange = Exchange(relay: configuration, credential: Self.alice)
        guard case .allocated? = exchange.run({ $0.allocate(now: $1) }).first else {
            Issue.record("no allocation")
            return
        }
        exchange.unixTime += 60
        exchange.now = .seconds(60)
        // The session's nonce is a minute old: 438, then the retry with the fresh one succeeds.
        guard case .refreshed? = exchange.run({ $0.refresh(lifetime: 600, now: $1) }).first else {
            Issue.record("no refresh")
            return
        }
    }

    @Test func peerPolicy() {
        var exchange = Exchange(relay: Self.configuration, credential: Self.alice)
        _ = exchange.run { $0.allocate(now: $1) }
        // The same hosts by other names too: IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms.
        for peer in [
            "10.0.0.5:1", "127.0.0.1:2", "169.254.0.1:3", "224.0.0.9:4", "0.0.0.0:5", "[fd00::1]:6", "[::1]:7",
            "[::ffff:127.0.0.1]:8", "[::ffff:10.0.0.1]:8", "[::10.0.0.1]:8", "[64:ff9b::a00:1]:8", "[64:ff9b::7f00:1]:8",
            "[2002:a00:1::1]:8", "[2002:7f00:1::1]:8", "255.255.255.255:9", "0.1.2.3:9", "240.0.0.1:9",
            "198.18.0.1:9", "192.0.2.1:9", "[2001:db8::1]:9",
        ] {
            let error = failure(exchange.run { $0.createPermission(for: TransportAddress(peer)!, now: $1) })
            #expect(error == .rejected(STUNErrorCode(403)), "\(peer)")
        }
        var configuration = Self.configuration
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        var loopback = Exchange(relay: configuration, credential: Self.alice)
        _ = loopback.run { $0.allocate(now: $1) }
        #expect(failure(loopback.run { $0.createPermission(for: TransportAddress("127.0.0.1:9")!, now: $1) }) == nil)
        #expect(
            failure(loopback.run { $0.createPermission(for: TransportAddress("10.0.0.5:9")!, now: $1) }) == .rejected(STUNErrorCode(403)))
        var ipv6 = Exchange(relay: configuration, credential: Self.alice, relayFamilies: [.ipv4, .ipv6], relayFamily: .ipv6)
        _ = ipv6.run { $0.allocate(now: $1) }
        #expect(
            failure(ipv6.run { $0.createPermission(for: TransportAddress("[2002:808:808::1]:9")!, now: $1) }) == nil,
            "6to4 of a public address is public")
    }

    @Test func quotasAndCapacity() {
        var exchanges = (0..<3).map { index in
            var exchange = Exchange(relay: Self.configuration, credential: Self.alice)
            exchange.client.address.port = UInt16(40_000 + index)
            return exchange
        }
        // One relay core serves all three clients of the same user: the third passes the quota of 2.
        var relay = exchanges[0].relay
        var outcomes: [TURNClientError?] = []
        for index in exchanges.indices {
            exchanges[index].relay = relay
            outcomes.append(failure(exchanges[index].run { $0.allocate(now: $1) }))
            relay = exchanges[index].relay
        }
        #expect(outcomes[0] == nil && outcomes[1] == nil)
        #expect(outcomes[2] == .rejected(STUNErrorCode(486)))

        var full = Exchange(relay: Self.configuration, credential: Self.alice)
        full.portsLeft = 0
        #expect(failure(full.run { $0.allocate(now: $1) }) == .rejected(STUNErrorCode(508)))
    }

    /// Two new allocations a second: of three clients at once the third gets 508 and is
    /// counted apart from other refusals; the 401 round before each Allocate spends nothing
    /// (each client asked twice, yet two got through), nor does a retransmission; a second
    /// later there is room again.
    @Test func allocateRateIsLimitedServerWide() throws {
        var configuration = Self.configuration
        configuration.maximumAllocationsPerSecond = 2
        var exchanges = (0..<4).map { index in
            var exchange = Exchange(relay: configuration, credential: index.isMultiple(of: 2) ? Self.alice : Self.rest)
            exchange.client.address.port = UInt16(40_000 + index)
            exchange.now = index == 3 ? .seconds(1) : .zero
            return exchange
        }
        var relay = exchanges[0].relay
        func allocate(_ index: Int) -> TURNClientError? {
            exchanges[index].relay = relay
            defer { relay = exchanges[index].relay }
            return failure(exchanges[index].run { $0.allocate(now: $1) })
        }
        #expect(allocate(0) == nil && allocate(1) == nil)
        #expect(allocate(2) == .rejected(STUNErrorCode(508)), "whoever the user: the limit is the server's")
        #expect(relay.rejections.overAllocateRate == 1 && relay.rejections.refused == 0, "\(relay.rejections)")
        #expect(relay.rejections.challenged == 3)
        let retransmitted = try #require(exchanges[0].sent.last)
        let again = try #require(
            relay.handle(retransmitted, from: exchanges[0].client, now: .zero, unixTime: exchanges[0].unixTime) { _ in nil })
        #expect(try STUNMessage(datagram: again).type.messageClass == .successResponse)
        #expect(relay.rejections.overAllocateRate == 1)
        #expect(allocate(3) == nil, "a second later")
    }

    /// Five new peers a second per allocation, one at once: a second new peer in the same
    /// instant gets 508, counted apart; a peer it already reaches (a permission refreshed, a
    /// channel to it) spends nothing; 250 ms later there is room for one more, by
    /// CreatePermission or ChannelBind alike.
    @Test func newPeerRateIsLimitedPerAllocation() {
        var configuration = Self.configuration
        configuration.maximumNewPeersPerSecondPerAllocation = 5
        var exchange = Exchange(relay: configuration, credential: Self.alice)
        _ = exchange.run { $0.allocate(now: $1) }
        let (first, second, third) = (
            TransportAddress("20.0.0.1:9")!, TransportAddress("20.0.0.2:9")!, TransportAddress("20.0.0.3:9")!
        )
        #expect(failure(exchange.run { $0.createPermission(for: first, now: $1) }) == nil)
        #expect(failure(exchange.run { $0.createPermission(for: second, now: $1) }) == .rejected(STUNErrorCode(508)))
        #expect(exchange.relay.rejections.overNewPeerRate == 1 && exchange.relay.rejections.refused == 0)
        #expect(failure(exchange.run { $0.createPermission(for: first, now: $1) }) == nil, "not a new peer")
        guard case .channelBound? = exchange.run({ $0.bindChannel(to: first, now: $1) }).first else {
            Issue.record("a channel to a peer it reaches spends nothing")
            return
        }
        exchange.now = .milliseconds(250)
        #expect(failure(exchange.run { $0.bindChannel(to: second, now: $1) }) == nil)
        #expect(failure(exchange.run { $0.createPermission(for: third, now: $1) }) == .rejected(STUNErrorCode(508)))
        #expect(exchange.relay.rejections.overNewPeerRate == 2)
    }

    /// Data both ways: through the bound channel, through Send/Data indications with a
    /// permission, and dropped without one.
    @Test func dataPath() throws {
        var exchange = Exchange(relay: Self.configuration, credential: Self.alice)
        guard case .allocated(let allocation)? = exchange.run({ $0.allocate(now: $1) }).first else { return }
        let other = TransportAddress("20.0.0.88:9000")!
        let payload = ByteBuffer(bytes: [0x80, 111, 0, 1])

        // No permission yet: nothing passes either way.
        let early = exchange.session.sendIndication(payload, to: publicPeer)
        #expect(exchange.relay.route(.stun(early), from: exchange.client, now: .zero) == nil)
        #expect(exchange.relay.deliver(payload, from: publicPeer, to: allocation.relayed, now: .zero) == nil)

        guard case .channelBound(let channel, _)? = exchange.run({ $0.bindChannel(to: publicPeer, now: $1) }).first else { return }
        let outbound = ChannelData(channel: channel, payload: payload)
        let routed = try #require(exchange.relay.route(.channelData(outbound), from: exchange.client, now: .seconds(1)))
        #expect(routed.relayed == allocation.relayed && routed.peer == publicPeer && routed.payload == payload)
        let inbound = try #require(exchange.relay.deliver(payload, from: publicPeer, to: allocation.relayed, now: .seconds(1)))
        #expect(inbound.client == exchange.client)
        guard
            case .data(publicPeer, payload)? = exchange.session.receive(inbound.bytes, now: .seconds(1), unixTime: 0)
                .compactMap({ if case .event(let event) = $0 { event } else { nil } }).first
        else {
            Issue.record("the session did not take the ChannelData")
            return
        }

        // A permitted peer without a channel: Send and Data indications.
        _ = exchange.run { $0.createPermission(for: other, now: $1) }
        let send = exchange.session.sendIndication(payload, to: other)
        #expect(try #require(exchange.relay.route(.stun(send), from: exchange.client, now: .seconds(2))).peer == other)
        let indication = try #require(exchange.relay.deliver(payload, from: other, to: allocation.relayed, now: .seconds(2)))
        let message = try STUNMessage(datagram: indication.bytes)
        #expect(message.type == STUNMessageType(.data, .indication))
        #expect(try message.address(.xorPeerAddress) == other)

        // After the permission's 300 s, the peer is cut off; an unbound channel never passes.
        #expect(exchange.relay.deliver(payload, from: other, to: allocation.relayed, now: .seconds(303)) == nil)
        let unbound = ChannelData(channel: ChannelNumber(rawValue: 0x4ABC)!, payload: payload)
        #expect(exchange.relay.route(.channelData(unbound), from: exchange.client, now: .seconds(3)) == nil)
    }

    @Test func allocationsExpireWithoutRefresh() {
        var exchange = Exchange(relay: Self.configuration, credential: Self.alice)
        _ = exchange.run { $0.allocate(now: $1) }
        exchange.relay.expire(now: .seconds(599))
        #expect(exchange.relay.allocations.count == 1)
        exchange.relay.expire(now: .seconds(600))
        #expect(exchange.relay.allocations.isEmpty)
    }

    /// Requests without credentials get a challenge and leave no state behind, a few hundred a
    /// second per source at most, while other sources are still answered; unknown
    /// comprehension-required attributes get 420; a second Allocate on a 5-tuple gets 437.
    @Test func hostileAndOddRequests() throws {
        var relay = RelayCore(configuration: Self.configuration)
        let client = RelayClient(transport: .udp, address: TransportAddress("198.51.100.9:5000")!)
        let request = STUNMessage(.allocate, .request, attributes: [.requestedTransport(.udp)]).encoded()
        let perSecond = Self.configuration.maximumUnauthenticatedPerAddressPerSecond
        let answered = (0..<2 * perSecond).compactMap { _ in relay.handle(request, from: client, now: .zero, unixTime: 0) { _ in nil } }
        #expect(answered.count == perSecond)
        #expect(try answered.allSatisfy { try STUNMessage(datagram: $0).errorCode?.code == 401 })
        #expect(relay.rejections.challenged == perSecond && relay.rejections.rateLimited == perSecond)
        let other = RelayClient(transport: .udp, address: TransportAddress("198.51.100.10:5000")!)
        #expect(relay.handle(request, from: other, now: .zero, unixTime: 0) { _ in nil } != nil)
        #expect(relay.handle(request, from: client, now: .seconds(1), unixTime: 1) { _ in nil } != nil, "a new second, a new allowance")
        #expect(relay.allocations.isEmpty)
        let odd = STUNMessage(
            .allocate, .request, attributes: [STUNAttribute(type: STUNAttributeType(rawValue: 0x0031), bytes: [1, 2, 3, 4])])
        let reply = try STUNMessage(
            datagram: try #require(relay.handle(odd.encoded(), from: client, now: .seconds(2), unixTime: 2) { _ in nil }))
        #expect(try reply.errorCode?.code == 420)
        #expect(try reply.unknownAttributes == [STUNAttributeType(rawValue: 0x0031)])
        #expect(relay.handle(ByteBuffer(bytes: [1, 2, 3]), from: client, now: .zero, unixTime: 0) { _ in nil } == nil)
        #expect(relay.rejections.malformed == 2)

        var exchange = Exchange(relay: Self.configuration, credential: Self.alice)
        _ = exchange.run { $0.allocate(now: $1) }
        #expect(failure(exchange.run { $0.allocate(now: $1) }) == .rejected(STUNErrorCode(437)))
    }
}
