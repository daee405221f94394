import Logging
import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import TURNRelay
import TestSupport
import Testing

/// A name with several addresses, as a client meets it: the relay on one of them, nothing or
/// a silent socket on the others (RFC 8305 over real sockets on loopback).
@Suite("server addresses")
struct ServerAddressRaceTests {
    let group = MultiThreadedEventLoopGroup.singleton

    func startRelay() async throws -> RelayServer {
        var configuration = RelayConfiguration(realm: "relay.test", users: ["alice": "wonderland"])
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        let any = TransportAddress(ip: .loopbackV4, port: 0)
        return try await RelayServer.start(
            configuration: configuration,
            listeners: [RelayListener(TURNTransport.udp, any), RelayListener(TURNTransport.tcp, any)],
            relayIP: .loopbackV4, group: group, logger: Logger(label: "test"))
    }

    func connect(toFirstOf servers: [SocketAddress], _ transport: TURNTransport = .udp) async throws
        -> (connection: TURNClientConnection, failed: [String])
    {
        try await TURNClientConnection.connect(
            toFirstOf: servers, hostname: "relay.test", transport: transport,
            configuration: { _ in
                TURNSessionConfiguration(
                    credential: .staticPassword(username: "alice", password: "wonderland"),
                    reliable: transport.isStream, requestTimeout: .seconds(3))
            },
            tls: TLSOptions(), group: group, timeout: .seconds(3))
    }

    /// A loopback port nothing listens on (for UDP and TCP alike, on this machine and now).
    func closedPort() throws -> Int { try LoopbackUDPSocket().port }

    func loopback(_ port: Int) throws -> SocketAddress { try SocketAddress(ipAddress: "127.0.0.1", port: port) }

    /// ICMP port unreachable ends the first address's attempt at once, so the second answers
    /// and the client says why the first did not.
    @Test(arguments: [TURNTransport.udp, .tcp])
    func aClosedFirstAddressFallsToTheNext(_ transport: TURNTransport) async throws {
        let relay = try await startRelay()
        let closed = try closedPort()
        let relayAddress = try #require(relay.localAddress(transport))
        let (connection, failed) = try await connect(toFirstOf: [try loopback(closed), relayAddress], transport)
        #expect(connection.server == relayAddress)
        let reason = transport == .udp ? "port unreachable" : "connection refused"
        #expect(failed.count == 1 && failed[0].hasPrefix("127.0.0.1:\(closed): ") && failed[0].contains(reason), "\(failed)")
        _ = try await connection.allocate()
        try await connection.release()
        await connection.close()
        await relay.stop()
    }

    /// A first address that takes datagrams and never answers: the next starts 250 ms later
    /// and wins, with no failure to report (the first was still trying).
    @Test func aSilentFirstAddressLosesToTheNext() async throws {
        let relay = try await startRelay()
        let silent = try LoopbackUDPSocket()
        let relayAddress = try #require(relay.localAddress(.udp))
        let (connection, failed) = try await connect(toFirstOf: [try loopback(silent.port), relayAddress])
        #expect(connection.server == relayAddress)
        #expect(failed.isEmpty)
        await connection.close()
        await relay.stop()
    }

    @Test func noAddressAnsweringSaysWhyForEach() async throws {
        let first = try closedPort()
        let second = try closedPort()
        await #expect {
            _ = try await connect(toFirstOf: [try loopback(first), try loopback(second)])
        } throws: { error in
            "\(error)" == "no address of relay.test answered (127.0.0.1:\(first): port unreachable: nothing listens there (ICMP); "
                + "127.0.0.1:\(second): port unreachable: nothing listens there (ICMP))"
        }
    }

    /// One address: a request to a closed UDP port fails on the ICMP answer, not after the
    /// retransmissions, and every later request says the same.
    @Test func aClosedUDPPortIsUnreachableAtOnce() async throws {
        let (connection, _) = try await connect(toFirstOf: [try loopback(try closedPort())])
        await #expect(throws: TURNClientError.portUnreachable) { _ = try await connection.bind() }
        await #expect(throws: TURNClientError.portUnreachable) { _ = try await connection.allocate() }
        await connection.close()
    }
}
