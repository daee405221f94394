import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import TURNRelay

/// turnload's own relay on loopback, the default target: throw-away credentials made here,
/// its own event-loop thread so that it does not share one with the clients, loopback peers
/// allowed (the harness's peer sockets are there), and room for every client: all of them come
/// from 127.0.0.1, so the limits per source address are the relay's whole limits.
public final class EmbeddedRelay: Sendable {
    public let server: RelayServer
    public let target: LoadTarget
    private let group: MultiThreadedEventLoopGroup

    private init(server: RelayServer, target: LoadTarget, group: MultiThreadedEventLoopGroup) {
        self.server = server
        self.target = target
        self.group = group
    }

    /// `impairment` as `--impair` takes it; `maxPps` caps what it relays a second.
    public static func start(clients: Int, impairment: String? = nil, maxPps: Int? = nil, seed: UInt64 = 1,
                             transport: TURNTransport = .udp) async throws -> EmbeddedRelay {
        let password = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined()
        var configuration = RelayConfiguration(realm: "turnload", users: ["turnload": password])
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        configuration.maximumAllocationsPerUser = max(100, clients)
        configuration.maximumAllocations = max(20_000, clients)
        configuration.maximumUnauthenticatedPerAddressPerSecond = configuration.maximumUnauthenticatedPerSecond
        configuration.maximumConnectionsPerAddress = configuration.maximumAllocations
        configuration.impairment = try impairment.map { try Impairment(parsing: $0) } ?? Impairment()
        configuration.maximumPacketsPerSecond = maxPps
        configuration.seed = seed
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let any = TransportAddress(ip: .loopbackV4, port: 0)
        let server: RelayServer
        do {
            server = try await RelayServer.start(configuration: configuration, listeners: [RelayListener(transport, any)],
                                                 relayIP: .loopbackV4, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let port = server.localAddress(transport)?.port ?? 0
        let uri = try TURNURI(transport == .tcp ? "turn:127.0.0.1:\(port)?transport=tcp" : "turn:127.0.0.1:\(port)")
        return EmbeddedRelay(server: server, target: LoadTarget(uri: uri, credential: .staticPassword(username: "turnload", password: password)),
                             group: group)
    }

    public func stop() async {
        await server.stop()
        try? await group.shutdownGracefully()
    }
}
