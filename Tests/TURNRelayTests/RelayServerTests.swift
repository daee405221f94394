import Campaign
import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import TURNRelay
import TestSupport
import Testing

/// The relay on loopback, probed by our own client end to end.
@Suite("relay server")
struct RelayServerTests {
    let group = MultiThreadedEventLoopGroup.singleton
    let alice = ClientCredential.staticPassword(username: "alice", password: "wonderland")

    /// A relay on a free loopback port with user alice, shaped by `configure`.
    func startRelay(_ configure: (inout RelayConfiguration) throws -> Void = { _ in }) async throws -> (RelayServer, TURNURI) {
        var configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
        try configure(&configuration)
        let relay = try await RelayServer.start(
            configuration: configuration,
            listen: SocketAddress(ipAddress: "127.0.0.1", port: 0),
            relayIP: .loopbackV4, group: group)
        return (relay, try TURNURI("turn:127.0.0.1:\(try #require(relay.localAddress?.port))"))
    }

    /// A relay listening on every transport, with a throw-away certificate for TLS and DTLS.
    func startRelayOnEveryTransport(
        _ certificate: ThrowawayCertificate,
        _ configure: (inout RelayConfiguration) -> Void = { _ in }
    ) async throws -> RelayServer {
        var configuration = RelayConfiguration(
            realm: "relay.test", users: ["alice": "wonderland"],
            sharedSecret: Array("north-wind".utf8))
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        configure(&configuration)
        let any = TransportAddress(ip: .loopbackV4, port: 0)
        return try await RelayServer.start(
            configuration: configuration, listeners: TURNTransport.allCases.map { RelayListener($0, any) },
            identity: RelayIdentity(certificateFile: certificate.certificate, keyFile: certificate.key),
            relayIP: .loopbackV4, group: group)
    }

    func uri(_ relay: RelayServer, _ transport: TURNTransport) throws -> TURNURI {
        let port = try #require(relay.localAddress(transport)?.port)
        return switch transport {
        case .udp: try TURNURI("turn:127.0.0.1:\(port)")
        case .tcp: try TURNURI("turn:127.0.0.1:\(port)?transport=tcp")
        case .tls: try TURNURI("turns:127.0.0.1:\(port)")
        case .dtls: try TURNURI("turns:127.0.0.1:\(port)?transport=udp")
        }
    }

    /// Every transport, with static and REST credentials, certificates checked against the
    /// throw-away CA; a closed TCP/TLS connection frees its allocation at once.
    @Test(arguments: TURNTransport.allCases)
    func probePassesOverEveryTransport(_ transport: TURNTransport) async throws {
        let certificate = try ThrowawayCertificate()
        let relay = try await startRelayOnEveryTransport(certificate)
        let tls = TLSOptions(caFile: certificate.certificate)
        let rest = ClientCredential.sharedSecret(secret: Array("north-wind".utf8), user: "bob", ttl: 600)
        for credential in [alice, rest] {
            let probe = TURNProbe(credential: credential, tls: tls, peer: nil, packets: 20, timeout: .seconds(5))
            let result = await probe.run(try uri(relay, transport), group: group)
            #expect(result.passed, "\(result)")
            #expect(result.echo?.received == 20)
        }
        #expect(await relay.allocationCount == 0)
        await relay.stop()
    }

    @Test func probePassesThroughTheRelay() async throws {
        let (relay, uri) = try await startRelay { $0.peerPolicy = PeerPolicy(allowLoopback: true) }
        let probe = TURNProbe(credential: alice, tls: TLSOptions(), peer: nil, packets: 20, timeout: .seconds(5))
        let result = await probe.run(uri, group: group)
        #expect(result.passed, "\(result)")
        #expect(result.software == "turnload relay")
        #expect(result.echo?.received == 20)
        let indications = TURNProbe(
            credential: alice, tls: TLSOptions(), peer: nil, packets: 5, timeout: .seconds(5),
            indications: true)
        #expect(await indications.run(uri, group: group).passed)
        #expect(await relay.allocationCount == 0, "the probe releases what it allocated")
        let counters = await relay.counters
        // 20 + 5 echo packets and the peer's first contact each way, 92 bytes of RTP each.
        #expect(counters.packetsToPeers == 25)
        #expect(counters.packetsToClients == 27)
        #expect(counters.bytesToPeers == 25 * 92)
        #expect(counters.droppedCapacity == 0 && counters.droppedImpairment == 0)
        await relay.stop()
    }

    /// The probe through a relay impairing with 20 ms of delay each way sees it in its RTT.
    @Test func injectedDelayShowsInTheRTT() async throws {
        let (relay, uri) = try await startRelay {
            $0.peerPolicy = PeerPolicy(allowLoopback: true)
            $0.impairment = try Impairment(parsing: "delay=20ms")
        }
        let probe = TURNProbe(credential: alice, tls: TLSOptions(), peer: nil, packets: 20, timeout: .seconds(5))
        let result = await probe.run(uri, group: group)
        #expect(result.passed, "\(result)")
        let median = try #require(result.echo?.rttMedianMilliseconds)
        // The upper bound only catches delay applied twice: a busy test machine adds its own.
        #expect(median >= 40 && median < 80, "RTT median \(median) ms through 2 × 20 ms of injected delay")
        await relay.stop()
    }

    @Test func loopbackPeersRefusedByDefault() async throws {
        let (relay, uri) = try await startRelay()
        let probe = TURNProbe(credential: alice, tls: TLSOptions(), peer: nil, packets: 5, timeout: .seconds(3))
        let result = await probe.run(uri, group: group)
        #expect(result.steps.first { $0.step == .permission }?.error?.hasPrefix("403 Forbidden") == true)
        await relay.stop()
    }
}
