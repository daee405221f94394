import NIOCore
import NIOPosix
import Testing
import TURNClient
import TURNProtocol
import TURNRelay

/// The relay on loopback, probed by our own client end to end over UDP.
@Suite("relay server over UDP")
struct RelayServerTests {
    let group = MultiThreadedEventLoopGroup.singleton
    let alice = ClientCredential.staticPassword(username: "alice", password: "wonderland")

    /// A relay on a free loopback port with user alice, shaped by `configure`.
    func startRelay(_ configure: (inout RelayConfiguration) throws -> Void = { _ in }) async throws -> (RelayServer, TURNURI) {
        var configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
        try configure(&configuration)
        let relay = try await RelayServer.start(configuration: configuration,
                                                listen: SocketAddress(ipAddress: "127.0.0.1", port: 0),
                                                relayIP: .loopbackV4, group: group)
        return (relay, try TURNURI("turn:127.0.0.1:\(try #require(relay.localAddress?.port))"))
    }

    @Test func probePassesThroughTheRelay() async throws {
        let (relay, uri) = try await startRelay { $0.peerPolicy = PeerPolicy(allowLoopback: true) }
        let probe = TURNProbe(credential: alice, tls: TLSOptions(), peer: nil, packets: 20, timeout: .seconds(5))
        let result = await probe.run(uri, group: group)
        #expect(result.passed, "\(result)")
        #expect(result.software == "turnload relay")
        #expect(result.echo?.received == 20)
        let indications = TURNProbe(credential: alice, tls: TLSOptions(), peer: nil, packets: 5, timeout: .seconds(5),
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
        #expect(median >= 40 && median < 60, "RTT median \(median) ms through 2 × 20 ms of injected delay")
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
