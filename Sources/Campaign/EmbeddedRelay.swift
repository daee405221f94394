import LoadEngine
import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import TURNRelay

/// turnload's own relay on loopback, the default target: throw-away credentials made here,
/// its own threads (relay loops, and one NIO thread for TCP), not the clients', loopback peers
/// allowed (the harness's peer sockets are there), and room for every client: all of them come
/// from 127.0.0.1, so the limits per source address are the relay's whole limits. It relays
/// from 127.0.0.1 and, where the machine has it, ::1: clients may ask for either family or
/// both (REQUESTED-/ADDITIONAL-ADDRESS-FAMILY), whichever family they connect over.
public final class EmbeddedRelay: Sendable {
    public let server: RelayServer
    /// The relay on 127.0.0.1.
    public let target: LoadTarget
    /// The same relay on ::1, when started with `listenOnIPv6` on a machine that has ::1.
    public let targetIPv6: LoadTarget?
    private let group: MultiThreadedEventLoopGroup

    private init(server: RelayServer, target: LoadTarget, targetIPv6: LoadTarget?, group: MultiThreadedEventLoopGroup) {
        self.server = server
        self.target = target
        self.targetIPv6 = targetIPv6
        self.group = group
    }

    /// The families it relays from: IPv4, and IPv6 where ::1 binds.
    public var relayFamilies: Set<AddressFamily> { server.relayFamilies }

    /// `impairment` as `--impair` takes it; `maxPps` caps what it relays a second; `listenOnIPv6`
    /// adds a listener on ::1 (`targetIPv6`) where the machine has ::1; `threads` relay loops;
    /// `credentialTTL` makes the target's credential a TURN REST one (a shared secret) of that
    /// many seconds, which the relay refuses with 401 once expired, instead of a static password.
    public static func start(
        clients: Int, impairment: String? = nil, maxPps: Int? = nil, seed: UInt64 = 1,
        transport: TURNTransport = .udp, listenOnIPv6: Bool = false,
        threads: Int = 1, credentialTTL: Int64? = nil
    ) async throws -> EmbeddedRelay {
        let password = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined()
        let secret = credentialTTL.map { _ in Array(password.utf8) }
        var configuration = RelayConfiguration(
            realm: "turnload", users: secret == nil ? ["turnload": password] : [:], sharedSecret: secret)
        configuration.peerPolicy = PeerPolicy(allowLoopback: true)
        configuration.maximumAllocationsPerUser = max(100, clients)
        configuration.maximumAllocations = max(20_000, clients)
        configuration.maximumUnauthenticatedPerAddressPerSecond = configuration.maximumUnauthenticatedPerSecond
        configuration.maximumConnectionsPerAddress = configuration.maximumAllocations
        configuration.impairment = try impairment.map { try Impairment(parsing: $0) } ?? Impairment()
        configuration.maximumPacketsPerSecond = maxPps
        configuration.seed = seed
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // ::1 is missing where IPv6 is disabled: relay over IPv4 alone there.
        let hasIPv6 = RelayServer.canBind(.loopbackV6)
        var listeners = [RelayListener(transport, TransportAddress(ip: .loopbackV4, port: 0))]
        if listenOnIPv6, hasIPv6 { listeners.append(RelayListener(transport, TransportAddress(ip: .loopbackV6, port: 0))) }
        let server: RelayServer
        do {
            server = try await RelayServer.start(
                configuration: configuration, listeners: listeners,
                relayIPs: hasIPv6 ? [.loopbackV4, .loopbackV6] : [.loopbackV4], threads: threads,
                group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let credential =
            if let secret, let credentialTTL {
                ClientCredential.sharedSecret(secret: secret, user: "turnload", ttl: credentialTTL)
            } else {
                ClientCredential.staticPassword(username: "turnload", password: password)
            }
        func target(_ host: String, _ family: AddressFamily) throws -> LoadTarget? {
            guard let port = server.localAddress(transport, family: family)?.port else { return nil }
            return LoadTarget(
                uri: try TURNURI(transport == .tcp ? "turn:\(host):\(port)?transport=tcp" : "turn:\(host):\(port)"),
                credential: credential)
        }
        return EmbeddedRelay(
            server: server, target: try target("127.0.0.1", .ipv4)!, targetIPv6: try target("[::1]", .ipv6),
            group: group)
    }

    public func stop() async {
        await server.stop()
        try? await group.shutdownGracefully()
    }
}
