import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import TURNRelay
import Testing

extension RelayServer {
    /// A client of the test user alice ("wonderland") connected over `transport`.
    func connectAlice(_ transport: TURNTransport = .udp) async throws -> TURNClientConnection {
        try await TURNClientConnection.connect(
            to: try #require(localAddress(transport)), hostname: "127.0.0.1", transport: transport,
            configuration: TURNSessionConfiguration(
                credential: .staticPassword(username: "alice", password: "wonderland"),
                reliable: transport.isStream, requestTimeout: .seconds(3)),
            tls: TLSOptions(), group: MultiThreadedEventLoopGroup.singleton, timeout: .seconds(3))
    }
}
