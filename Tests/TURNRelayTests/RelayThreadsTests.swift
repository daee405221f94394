import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import TestSupport
import Testing

@testable import TURNRelay

/// The relay on several loops: the kernel spreads clients over them, and the relay's limits
/// and counters are still the relay's, not a loop's.
@Suite("relay on several threads")
struct RelayThreadsTests {
    let group = MultiThreadedEventLoopGroup.singleton

    func startRelay(threads: Int, port: UInt16 = 0, _ configure: (inout RelayConfiguration) -> Void = { _ in }) async throws -> RelayServer
    {
        var configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        configure(&configuration)
        let address = TransportAddress(ip: .loopbackV4, port: port)
        return try await RelayServer.start(
            configuration: configuration,
            listeners: [RelayListener(.udp, address), RelayListener(.tcp, address)],
            relayIP: .loopbackV4, threads: threads, group: group)
    }

    /// Twenty UDP clients and four TCP clients each allocate, bind a channel and send one
    /// packet to a peer: every packet arrives, both loops hold allocations, and the relay's
    /// counters are the loops' summed.
    @Test func clientsSpreadOverTheLoopsAndAllRelay() async throws {
        let relay = try await startRelay(threads: 2)
        #expect(relay.threads == 2)
        let peer = try LoopbackUDPSocket()
        let peerAddress = TransportAddress(ip: .loopbackV4, port: UInt16(peer.port))
        var clients: [TURNClientConnection] = []
        for index in 0..<24 {
            let client = try await relay.connectAlice(index < 20 ? .udp : .tcp)
            _ = try await client.allocate()
            _ = try await client.bindChannel(to: peerAddress)
            client.send(ByteBuffer(bytes: [UInt8(index)]), to: peerAddress)
            clients.append(client)
        }
        #expect(Set(peer.receiveAll().map { $0.first ?? 0 }) == Set(0..<24))
        var perLoop: [Int] = []
        for loop in relay.loops { perLoop.append(await loop.counters().allocations) }
        #expect(perLoop.allSatisfy { $0 > 0 } && perLoop.reduce(0, +) == 24, "allocations per loop: \(perLoop)")
        let counters = await relay.counters
        #expect(counters.allocations == 24 && counters.packetsToPeers == 24, "\(counters)")
        for client in clients { await client.close() }
        await relay.stop()
    }

    /// A user's quota counts allocations on every loop: 8 clients of a user allowed 5 get 5.
    @Test func quotasHoldAcrossLoops() async throws {
        let relay = try await startRelay(threads: 2) { $0.maximumAllocationsPerUser = 5 }
        var granted = 0
        var refused = 0
        var clients: [TURNClientConnection] = []
        for _ in 0..<8 {
            let client = try await relay.connectAlice()
            clients.append(client)
            do {
                _ = try await client.allocate()
                granted += 1
            } catch TURNClientError.rejected(let code) where code == .allocationQuotaReached {
                refused += 1
            }
        }
        #expect(granted == 5 && refused == 3)
        for client in clients { await client.close() }
        await relay.stop()
    }

    /// A port another relay holds is refused, not silently shared through SO_REUSEPORT.
    @Test func aTakenPortIsRefusedNotShared() async throws {
        let first = try await startRelay(threads: 2)
        let port = UInt16(try #require(first.localAddress?.port))
        await #expect(throws: RelayStartError.self) { try await startRelay(threads: 2, port: port) }
        await first.stop()
    }
}
