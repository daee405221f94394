import Campaign
import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import TURNRelay
import Testing

/// Requests signed by hand against the relay core, for what our client's session does not
/// send (ADDITIONAL-ADDRESS-FAMILY, both family attributes, any transaction ID twice).
struct SignedClient {
    var relay: RelayCore
    let client = RelayClient(transport: .udp, address: TransportAddress("198.51.100.20:40000")!)
    let realm: String
    let key: STUNIntegrity
    var nonce: String?
    /// What `openRelay` refuses, as if out of sockets.
    var exhausted: Set<AddressFamily> = []
    var nextPort: UInt16 = 50_000

    init(_ configuration: RelayConfiguration, relayFamilies: Set<AddressFamily>) throws {
        relay = RelayCore(configuration: configuration, relayFamilies: relayFamilies)
        realm = configuration.realm
        key = STUNIntegrity(key: try STUNKey.longTerm(username: "alice", realm: configuration.realm, password: "wonderland"))
    }

    /// The reply's bytes; the first call fetches a nonce with an unsigned request.
    mutating func send(_ method: STUNMethod, _ attributes: [STUNAttribute], transactionID: TransactionID = .random()) throws -> ByteBuffer {
        if nonce == nil {
            let challenge = try #require(
                relay.handle(
                    STUNMessage(method, .request).encoded(), from: client, now: .zero,
                    unixTime: 0
                ) { _ in nil })
            nonce = try STUNMessage(datagram: challenge).nonce
        }
        let request = STUNMessage(
            method, .request, transactionID: transactionID,
            attributes: attributes + [.username("alice"), .realm(realm), .nonce(try #require(nonce))])
        let exhausted = self.exhausted
        var port = nextPort
        let reply = relay.handle(request.encoded(integrity: key, fingerprint: true), from: client, now: .zero, unixTime: 0) { family in
            guard !exhausted.contains(family) else { return nil }
            port += 1
            return TransportAddress(ip: IPAddress(family == .ipv4 ? "203.0.113.1" : "2001:db8::1")!, port: port)
        }
        nextPort = port
        return try #require(reply)
    }

    mutating func allocate(_ attributes: [STUNAttribute], transactionID: TransactionID = .random()) throws -> STUNMessage {
        try STUNMessage(datagram: send(.allocate, [.requestedTransport(.udp)] + attributes, transactionID: transactionID))
    }
}

@Suite("relay core address families")
struct RelayFamilyTests {
    static let configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
    static let alice = ClientCredential.staticPassword(username: "alice", password: "wonderland")
    let peerV4 = TransportAddress("20.0.0.77:9000")!
    let peerV6 = TransportAddress("[2606:4700::1111]:9000")!

    @Test func ipv4ClientGetsAnIPv6RelayedAddress() throws {
        var exchange = Exchange(relay: Self.configuration, credential: Self.alice, relayFamilies: [.ipv4, .ipv6], relayFamily: .ipv6)
        #expect(exchange.client.address.ip.family == .ipv4)
        guard case .allocated(let allocation)? = exchange.run({ $0.allocate(now: $1) }).first else {
            Issue.record("no allocation")
            return
        }
        #expect(allocation.relayed == TransportAddress("[2001:db8::1]:50001"))
        #expect(exchange.relay.allocations[exchange.client]?.relayedAddresses == [allocation.relayed])
    }

    /// The client's session asks for both (ADDITIONAL-ADDRESS-FAMILY) and keeps both, or the
    /// one it got and the server's reason for the other.
    @Test func sessionReadsADualAllocationWholeOrPartial() throws {
        var dual = Exchange(relay: Self.configuration, credential: Self.alice, relayFamilies: [.ipv4, .ipv6], relayFamily: .both)
        guard case .allocated(let both)? = dual.run({ $0.allocate(now: $1) }).first else {
            Issue.record("no allocation")
            return
        }
        #expect(both.relayedAddresses == [TransportAddress("203.0.113.1:50001")!, TransportAddress("[2001:db8::1]:50002")!])
        #expect(both.relayed(for: .ipv6) == TransportAddress("[2001:db8::1]:50002"))
        #expect(both.refusedFamily == nil)

        var partial = Exchange(relay: Self.configuration, credential: Self.alice, relayFamilies: [.ipv4], relayFamily: .both)
        guard case .allocated(let one)? = partial.run({ $0.allocate(now: $1) }).first else {
            Issue.record("no allocation")
            return
        }
        #expect(one.relayedAddresses == [TransportAddress("203.0.113.1:50001")!])
        #expect(one.relayed(for: .ipv6) == nil)
        #expect(one.refusedFamily == AddressErrorCode(family: .ipv6, error: STUNErrorCode(440)))
    }

    /// A single family the relay has no IP of: 440, IPv4 included when it is the default.
    @Test func familyWithoutRelayIPIsRefused() {
        var ipv4Only = Exchange(relay: Self.configuration, credential: Self.alice, relayFamilies: [.ipv4], relayFamily: .ipv6)
        #expect(failure(ipv4Only.run { $0.allocate(now: $1) }) == .rejected(STUNErrorCode(440)))
        var ipv6Only = Exchange(relay: Self.configuration, credential: Self.alice, relayFamilies: [.ipv6])
        #expect(failure(ipv6Only.run { $0.allocate(now: $1) }) == .rejected(STUNErrorCode(440)))
        #expect(ipv4Only.relay.allocations.isEmpty && ipv6Only.relay.allocations.isEmpty)
    }

    @Test func dualAllocationGivesBothFamiliesAndRetransmissionsTheSameAnswer() throws {
        var client = try SignedClient(Self.configuration, relayFamilies: [.ipv4, .ipv6])
        let id = TransactionID.random()
        let first = try client.send(.allocate, [.requestedTransport(.udp), .additionalAddressFamily(.ipv6)], transactionID: id)
        let reply = try STUNMessage(datagram: first)
        #expect(reply.type == STUNMessageType(.allocate, .successResponse))
        #expect(
            (try reply.addresses(.xorRelayedAddress))
                == [TransportAddress("203.0.113.1:50001")!, TransportAddress("[2001:db8::1]:50002")!])
        #expect(try reply.addressErrorCode == nil)
        let again = try client.send(.allocate, [.requestedTransport(.udp), .additionalAddressFamily(.ipv6)], transactionID: id)
        #expect(again == first, "a retransmitted Allocate is answered alike, without opening more sockets")
        #expect(client.nextPort == 50_002)
    }

    /// A dual allocation where one family cannot be had: the other is allocated and
    /// ADDRESS-ERROR-CODE names the missing one, with 440 (no relay IP) or 508 (no socket).
    @Test(arguments: [440, 508])
    func partialDualAllocation(code: Int) throws {
        // 440: the relay has an IPv4 relay IP only; 508: it has both, but no IPv6 socket is left.
        var client = try SignedClient(Self.configuration, relayFamilies: code == 440 ? [.ipv4] : [.ipv4, .ipv6])
        client.exhausted = code == 440 ? [] : [.ipv6]
        let id = TransactionID.random()
        let reply = try client.allocate([.additionalAddressFamily(.ipv6)], transactionID: id)
        #expect(reply.type == STUNMessageType(.allocate, .successResponse))
        #expect((try reply.addresses(.xorRelayedAddress)) == [TransportAddress("203.0.113.1:50001")!])
        #expect(try reply.addressErrorCode == AddressErrorCode(family: .ipv6, error: STUNErrorCode(code)))
        #expect(try client.allocate([.additionalAddressFamily(.ipv6)], transactionID: id).attributes == reply.attributes)
    }

    @Test func bothFamilyAttributesOrAnIPv4AdditionalFamilyAreBadRequests() throws {
        for attributes: [STUNAttribute] in [
            [.requestedAddressFamily(.ipv6), .additionalAddressFamily(.ipv6)],
            [.requestedAddressFamily(.ipv4), .additionalAddressFamily(.ipv6)],
            [.additionalAddressFamily(.ipv4)],
        ] {
            var client = try SignedClient(Self.configuration, relayFamilies: [.ipv4, .ipv6])
            #expect(try client.allocate(attributes).errorCode?.code == 400, "\(attributes.map(\.type))")
            #expect(client.relay.allocations.isEmpty)
        }
    }

    /// A peer of a family the allocation has no relayed address of: 443 for a permission or a
    /// channel, and its data is not routed.
    @Test func peerOfAnotherFamilyIsAMismatch() throws {
        var ipv4 = Exchange(relay: Self.configuration, credential: Self.alice, relayFamilies: [.ipv4, .ipv6])
        _ = ipv4.run { $0.allocate(now: $1) }
        #expect(failure(ipv4.run { $0.createPermission(for: peerV6, now: $1) }) == .rejected(STUNErrorCode(443)))
        #expect(failure(ipv4.run { $0.bindChannel(to: peerV6, now: $1) }) == .rejected(STUNErrorCode(443)))
        #expect(failure(ipv4.run { $0.createPermission(for: peerV4, now: $1) }) == nil)

        var ipv6 = Exchange(relay: Self.configuration, credential: Self.alice, relayFamilies: [.ipv4, .ipv6], relayFamily: .ipv6)
        _ = ipv6.run { $0.allocate(now: $1) }
        #expect(failure(ipv6.run { $0.createPermission(for: peerV4, now: $1) }) == .rejected(STUNErrorCode(443)))
        #expect(failure(ipv6.run { $0.bindChannel(to: peerV4, now: $1) }) == .rejected(STUNErrorCode(443)))
        #expect(failure(ipv6.run { $0.bindChannel(to: peerV6, now: $1) }) == nil)
    }

    /// A dual allocation sends to each peer from the relayed address of the peer's family and
    /// takes data arriving at either; releasing it frees both.
    @Test func dualAllocationRoutesPerFamilyAndReleasesBoth() throws {
        var client = try SignedClient(Self.configuration, relayFamilies: [.ipv4, .ipv6])
        let relayed = try client.allocate([.additionalAddressFamily(.ipv6)]).addresses(.xorRelayedAddress)
        let (relayedV4, relayedV6) = (relayed[0], relayed[1])
        let permission = try STUNMessage(
            datagram: client.send(
                .createPermission,
                [
                    .xorAddress(.xorPeerAddress, peerV4, transactionID: .random())
                ]))
        #expect(permission.type == STUNMessageType(.createPermission, .successResponse))
        let channel = ChannelNumber(rawValue: 0x4001)!
        let id = TransactionID.random()
        let bound = try STUNMessage(
            datagram: client.send(
                .channelBind,
                [
                    .channelNumber(channel), .xorAddress(.xorPeerAddress, peerV6, transactionID: id),
                ], transactionID: id))
        #expect(bound.type == STUNMessageType(.channelBind, .successResponse))

        let payload = ByteBuffer(bytes: [0x80, 111, 0, 1])
        let sendID = TransactionID.random()
        let send = STUNMessage(
            .send, .indication, transactionID: sendID,
            attributes: [.xorAddress(.xorPeerAddress, peerV4, transactionID: sendID), .data(payload)]
        ).encoded()
        let toV4 = try #require(client.relay.route(.stun(send), from: client.client, now: .seconds(1)))
        #expect(toV4.relayed == relayedV4 && toV4.peer == peerV4)
        let toV6 = try #require(
            client.relay.route(
                .channelData(ChannelData(channel: channel, payload: payload)),
                from: client.client, now: .seconds(1)))
        #expect(toV6.relayed == relayedV6 && toV6.peer == peerV6)
        #expect(client.relay.deliver(payload, from: peerV4, to: relayedV4, now: .seconds(1))?.client == client.client)
        #expect(client.relay.deliver(payload, from: peerV6, to: relayedV6, now: .seconds(1))?.client == client.client)

        let released = try STUNMessage(datagram: client.send(.refresh, [.lifetime(0)]))
        #expect(released.type == STUNMessageType(.refresh, .successResponse))
        #expect(client.relay.allocations.isEmpty)
        #expect(!client.relay.holds(relayed: relayedV4) && !client.relay.holds(relayed: relayedV6))
        #expect(client.relay.deliver(payload, from: peerV6, to: relayedV6, now: .seconds(1)) == nil)
    }

    /// Expiry frees every relayed address of an allocation too.
    @Test func expiryFreesBothRelayedAddresses() throws {
        var client = try SignedClient(Self.configuration, relayFamilies: [.ipv4, .ipv6])
        let relayed = try client.allocate([.additionalAddressFamily(.ipv6)]).addresses(.xorRelayedAddress)
        #expect(relayed.count == 2 && relayed.allSatisfy { client.relay.holds(relayed: $0) })
        client.relay.expire(now: .seconds(600))
        #expect(relayed.allSatisfy { !client.relay.holds(relayed: $0) })
    }
}

@Suite("relay server address families")
struct RelayServerFamilyTests {
    /// An IPv4 client gets an IPv6 relayed address on loopback and relays through it to an
    /// IPv6 peer and back; the relayed socket closes with the allocation.
    @Test(.enabled(if: RelayServer.canBind(.loopbackV6), "::1 cannot be bound here (IPv6 disabled)"))
    func ipv4ClientRelaysToAnIPv6Peer() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        var configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        let relay = try await RelayServer.start(
            configuration: configuration,
            listeners: [RelayListener(.udp, TransportAddress(ip: .loopbackV4, port: 0))],
            relayIPs: [.loopbackV4, .loopbackV6], group: group)
        #expect(relay.relayFamilies == [.ipv4, .ipv6])
        let server = try #require(relay.localAddress)
        let session = TURNSessionConfiguration(credential: RelayFamilyTests.alice, reliable: false, relayFamily: .ipv6)
        let client = try await TURNClientConnection.connect(
            to: server, hostname: "127.0.0.1", transport: .udp,
            configuration: session, tls: TLSOptions(), group: group,
            timeout: .seconds(5))
        let peer = try await EchoPeer.start(host: "::1", group: group)
        let allocation = try await client.allocate()
        #expect(allocation.relayed.ip == .loopbackV6)
        let peerAddress = TransportAddress(ip: .loopbackV6, port: UInt16(peer.port))
        try await client.createPermission(for: peerAddress)

        let (echoes, arrived) = AsyncStream.makeStream(of: TransportAddress.self)
        client.onData { from, _ in arrived.yield(from) }
        // Resent until an echo comes back: the first may race the relayed socket's adoption.
        let echo = Task { () -> TransportAddress? in
            for await from in echoes { return from }
            return nil
        }
        for _ in 0..<20 {
            client.send(ByteBuffer(bytes: [0x80, 111, 0, 1]), to: peerAddress)
            try await Task.sleep(for: .milliseconds(100))
            if await relay.counters.packetsToClients > 0 { break }
        }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(2))
            arrived.finish()
        }
        #expect(await echo.value == peerAddress)
        deadline.cancel()
        #expect(await relay.counters.packetsToPeers >= 1)

        try await client.release()
        #expect(await relay.allocationCount == 0)
        await client.close()
        await peer.close()
        await relay.stop()
    }

    /// Listeners on 127.0.0.1 and ::1 at once: each answers its own family's clients, over UDP
    /// and TCP, from the listener the client came in by.
    @Test(.enabled(if: RelayServer.canBind(.loopbackV6), "::1 cannot be bound here (IPv6 disabled)"))
    func listensOnBothLoopbacks() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        var configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        let listeners = [TURNTransport.udp, .tcp].flatMap { transport in
            [
                RelayListener(transport, TransportAddress(ip: .loopbackV4, port: 0)),
                RelayListener(transport, TransportAddress(ip: .loopbackV6, port: 0)),
            ]
        }
        let relay = try await RelayServer.start(
            configuration: configuration, listeners: listeners,
            relayIPs: [.loopbackV4, .loopbackV6], group: group)
        for transport in [TURNTransport.udp, .tcp] {
            for (host, family) in [("127.0.0.1", AddressFamily.ipv4), ("[::1]", .ipv6)] {
                let port = try #require(relay.localAddress(transport, family: family)?.port)
                let uri = try TURNURI("turn:\(host):\(port)" + (transport == .tcp ? "?transport=tcp" : ""))
                let probe = TURNProbe(credential: RelayFamilyTests.alice, tls: TLSOptions(), peer: nil, packets: 5, timeout: .seconds(5))
                let result = await probe.run(uri, group: group)
                #expect(result.passed, "\(uri): \(result)")
            }
        }
        await relay.stop()
    }
}
