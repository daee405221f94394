import Foundation
import NIOCore
import NIOPosix
import PacketIO
import TURNClient
import TURNProtocol
import TURNRelay
import Testing

/// A client's allocation driven by a packet loop rather than a NIO pipeline, against our relay.
@Suite("packet-loop connection")
struct PacketLoopConnectionTests {
    /// The loop's handler as a shard would be, for one connection: its reads go to the
    /// session, and its deadline is looked at every 10 ms.
    final class Driver: PacketLoopHandler, @unchecked Sendable {
        let connection: PacketLoopConnection
        let batch = DatagramBatch()

        init(_ connection: PacketLoopConnection) { self.connection = connection }

        func readable(token: UInt64) {
            switch batch.receive(from: connection.socket.descriptor) {
            case .success(let count): for index in 0..<count { connection.receive(batch.datagram(index), now: PacketLoop.now()) }
            case .failure(let error): connection.fail(error)
            }
        }

        func deadlineReached(now: Int64) -> Int64? {
            if let deadline = connection.deadline, deadline <= now { connection.advance(now: now) }
            return now + 10_000_000
        }
    }

    func start(to server: SocketAddress, timeout: Duration = .seconds(3)) async throws -> (PacketLoop, PacketLoopConnection) {
        let loop = try PacketLoop(name: "test-connection")
        let configuration = TURNSessionConfiguration(
            credential: .staticPassword(username: "alice", password: "wonderland"),
            reliable: false, requestTimeout: timeout)
        let connection = try PacketLoopConnection(to: server, configuration: configuration, on: loop)
        let driver = Driver(connection)
        try await loop.submit {
            loop.setHandler(driver)
            try loop.watch(connection.socket.descriptor, token: 0)
            loop.setDeadline(PacketLoop.now())
        }
        return (loop, connection)
    }

    @Test func allocatesBindsAndReleases() async throws {
        var configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        let relay = try await RelayServer.start(
            configuration: configuration, listen: SocketAddress(ipAddress: "127.0.0.1", port: 0),
            relayIP: .loopbackV4, group: MultiThreadedEventLoopGroup.singleton)
        let (loop, connection) = try await start(to: try #require(relay.localAddress))
        let allocation = try await connection.allocate()
        #expect(allocation.relayed.ip == IPAddress.loopbackV4)
        #expect(await relay.allocationCount == 1)
        let channel = try await connection.bindChannel(to: TransportAddress(ip: .loopbackV4, port: 9))
        #expect(ChannelNumber.rfc8656Range.contains(channel.rawValue))
        try await connection.release()
        #expect(await relay.allocationCount == 0)
        await connection.close()
        await #expect(throws: TURNClientError.self) { try await connection.allocate() }
        loop.shutdown()
        await relay.stop()
    }

    /// Nothing listens: the request fails at once as unreachable, not after its retransmissions.
    @Test func closedPortFailsAtOnce() async throws {
        let gone = try UDPSocket.bound(to: SocketAddress(ipAddress: "127.0.0.1", port: 0))
        let port = try #require(gone.localPort)
        gone.close()
        let (loop, connection) = try await start(to: try SocketAddress(ipAddress: "127.0.0.1", port: port), timeout: .seconds(10))
        let started = ContinuousClock.now
        await #expect {
            try await connection.allocate()
        } throws: { error in
            if case TURNClientError.portUnreachable = error { true } else { false }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        await connection.close()
        loop.shutdown()
    }
}
