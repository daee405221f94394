import DTLS
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PacketIO
import RunModel
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Where the relay listens: UDP, TCP, TLS or DTLS on an address.
public struct RelayListener: Sendable, Hashable {
    public var transport: TURNTransport
    public var address: TransportAddress

    public init(_ transport: TURNTransport, _ address: TransportAddress) {
        self.transport = transport
        self.address = address
    }
}

/// The certificate and key that TLS and DTLS listeners present, as PEM files.
public struct RelayIdentity: Sendable, Hashable {
    public var certificateFile: String
    public var keyFile: String

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

/// The relay: `threads` relay loops, each with its own UDP listeners (one port shared through
/// SO_REUSEPORT), allocations and relayed sockets, and NIO for the TCP, TLS and DTLS
/// listeners, whose clients' frames go on to a loop. The loops share only what are the
/// relay's limits (`RelayLedger`, `CapacityPool`) and the nonce secret.
/// Unchecked Sendable: its vars are set while `start` runs, before anyone else holds the server, and read after.
public final class RelayServer: @unchecked Sendable {
    let loops: [RelayLoop]
    let clients: NIOClients
    let logger: Logger
    var configuration: RelayConfiguration { clients.configuration }
    /// The families the relay has a relayed IP for.
    public let relayFamilies: Set<AddressFamily>
    private let udpAddresses: [AddressFamily: SocketAddress]
    /// NIO's listeners (TCP, TLS, DTLS), by transport and family; set once at start.
    private var channels: [ListenerKey: Channel] = [:]
    private var housekeeping: RepeatedTask?
    private var logging: Task<Void, Never>?

    private struct ListenerKey: Hashable {
        let transport: TURNTransport
        let family: AddressFamily
    }

    private init(
        loops: [RelayLoop], clients: NIOClients, relayFamilies: Set<AddressFamily>,
        udpAddresses: [AddressFamily: SocketAddress], logger: Logger
    ) {
        self.loops = loops
        self.clients = clients
        self.relayFamilies = relayFamilies
        self.udpAddresses = udpAddresses
        self.logger = logger
    }

    /// Starts every listener (at most one per transport and family) and `threads` relay loops;
    /// relayed sockets bind to `relayIPs` (at most one per family: clients get relayed
    /// addresses of those families only, whatever their own). TLS and DTLS listeners need
    /// `identity`; NIO's `group` serves them. Throws, with the listener named, when one
    /// cannot start.
    public static func start(
        configuration: RelayConfiguration, listeners: [RelayListener], identity: RelayIdentity? = nil,
        relayIPs: [IPAddress], threads: Int = 1, group: EventLoopGroup,
        logger: Logger = Logger(label: "turnload.relay")
    ) async throws -> RelayServer {
        var byFamily: [AddressFamily: IPAddress] = [:]
        for ip in relayIPs {
            guard byFamily.updateValue(ip, forKey: ip.family) == nil, !ip.isUnspecified else {
                throw RelayStartError("relay IPs must be specific addresses, at most one IPv4 and one IPv6: \(relayIPs)")
            }
        }
        guard !byFamily.isEmpty else { throw RelayStartError("no relay IP to relay from") }
        guard threads >= 1 else { throw RelayStartError("a relay needs at least one thread, not \(threads)") }
        let keys = listeners.map { ListenerKey(transport: $0.transport, family: $0.address.ip.family) }
        guard Set(keys).count == keys.count else {
            throw RelayStartError("at most one listener per transport and address family: \(listeners.map(\.address))")
        }
        var udpSockets: [[UDPSocket?]] = Array(repeating: [nil, nil], count: threads)
        var udpAddresses: [AddressFamily: SocketAddress] = [:]
        let loops: [RelayLoop]
        do {
            for listener in listeners where listener.transport == .udp {
                let (sockets, address) = try bindShared(listener.address, count: threads)
                for (loop, socket) in sockets.enumerated() { udpSockets[loop][listener.address.ip.family.index] = socket }
                udpAddresses[listener.address.ip.family] = address
            }
            let ledger = RelayLedger(configuration: configuration)
            let nonces = NonceAuthority()
            let capacity = configuration.maximumPacketsPerSecond.map(CapacityPool.init)
            let origin = PacketLoop.now()
            var started: [RelayLoop] = []
            do {
                for index in 0..<threads {
                    let core = RelayCore(configuration: configuration, relayFamilies: Set(byFamily.keys), ledger: ledger, nonces: nonces)
                    started.append(
                        try RelayLoop(
                            index: index, core: core, listeners: udpSockets[index], relayIPs: byFamily,
                            ports: RelayPortRotation(configuration.relayPorts, loop: index, loops: threads),
                            capacity: capacity, origin: origin))
                }
            } catch {
                // The loops that started close their own listeners; the rest are closed below.
                for loop in started { loop.stop() }
                udpSockets.removeFirst(started.count)
                throw RelayStartError("cannot start a relay thread: \(error)")
            }
            loops = started
        } catch {
            for socket in udpSockets.joined().compactMap({ $0 }) { socket.close() }
            throw error
        }
        let clients = NIOClients(eventLoop: group.next(), configuration: configuration, loops: loops)
        let server = RelayServer(
            loops: loops, clients: clients, relayFamilies: Set(byFamily.keys), udpAddresses: udpAddresses,
            logger: logger)
        do {
            for (listener, key) in zip(listeners, keys) where listener.transport != .udp {
                let channel = try await server.open(listener, identity: identity)
                server.channels[key] = channel
                if listener.transport == .dtls {
                    try await clients.eventLoop.submit { clients.dtlsListeners[key.family] = channel }.get()
                }
            }
        } catch {
            await server.stop()
            throw error
        }
        server.housekeeping = clients.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            clients.reconcileDTLS()
        }
        server.logging = Task { [weak server] in
            var logged = RelayCounters()
            var loggedTrouble = NIOClients.Trouble()
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                guard let server, !Task.isCancelled else { return }
                let counters = await server.counters
                let trouble = (try? await clients.eventLoop.submit { clients.trouble }.get()) ?? loggedTrouble
                server.logRejections(counters, trouble, since: logged, loggedTrouble)
                (logged, loggedTrouble) = (counters, trouble)
            }
        }
        return server
    }

    /// `count` UDP sockets bound to `address`, sharing its port when more than one. A shared
    /// port is first taken alone for a moment, so that a port another relay (or another
    /// sharing group of this user) holds is refused, not silently shared.
    private static func bindShared(_ address: TransportAddress, count: Int) throws -> ([UDPSocket], SocketAddress) {
        let name = "\(address)/udp"
        var address = address
        var bound: [UDPSocket] = []
        do {
            if count > 1 {
                let probe = try UDPSocket.bound(to: SocketAddress(address))
                address.port = UInt16(probe.localPort ?? 0)
                probe.close()
            }
            for _ in 0..<count {
                let socket = try UDPSocket.bound(to: SocketAddress(address), bufferBytes: 4 << 20, sharingPort: count > 1)
                bound.append(socket)
                address.port = UInt16(socket.localPort ?? 0)
            }
        } catch {
            for socket in bound { socket.close() }
            throw RelayStartError("cannot listen on \(name): \(error)")
        }
        return (bound, SocketAddress(address))
    }

    /// Relaying from one IP: one family only.
    public static func start(
        configuration: RelayConfiguration, listeners: [RelayListener], identity: RelayIdentity? = nil,
        relayIP: IPAddress, threads: Int = 1, group: EventLoopGroup,
        logger: Logger = Logger(label: "turnload.relay")
    ) async throws -> RelayServer {
        try await start(
            configuration: configuration, listeners: listeners, identity: identity, relayIPs: [relayIP],
            threads: threads, group: group, logger: logger)
    }

    /// A UDP relay on one address.
    public static func start(
        configuration: RelayConfiguration, listen address: SocketAddress, relayIP: IPAddress,
        threads: Int = 1, group: EventLoopGroup
    ) async throws -> RelayServer {
        guard let address = TransportAddress(address) else { throw RelayStartError("not an IP address: \(address)") }
        return try await start(
            configuration: configuration, listeners: [RelayListener(.udp, address)], relayIP: relayIP,
            threads: threads, group: group)
    }

    /// Whether a UDP socket binds to `ip` here: `::1` is missing where IPv6 is disabled.
    public static func canBind(_ ip: IPAddress) -> Bool {
        guard let socket = try? UDPSocket.bound(to: SocketAddress(TransportAddress(ip: ip, port: 0))) else { return false }
        socket.close()
        return true
    }

    /// How many relay loops (threads) relay UDP.
    public var threads: Int { loops.count }

    /// The UDP listener's address (IPv4's when there are two).
    public var localAddress: SocketAddress? { localAddress(.udp) }

    /// A listener's address: of `family`, or IPv4's when there are two.
    public func localAddress(_ transport: TURNTransport, family: AddressFamily? = nil) -> SocketAddress? {
        for candidate in family.map({ [$0] }) ?? [.ipv4, .ipv6] {
            if transport == .udp, let address = udpAddresses[candidate] { return address }
            if let channel = channels[ListenerKey(transport: transport, family: candidate)] { return channel.localAddress }
        }
        return nil
    }

    /// Allocations open now.
    public var allocationCount: Int {
        get async { await counters.allocations }
    }

    /// Totals since start, the loops' summed, for per-second status lines and metrics, with
    /// what the kernel dropped at the sockets open now.
    public var counters: RelayCounters {
        get async {
            var counters = RelayCounters()
            for loop in loops { counters.add(await loop.counters()) }
            let clients = self.clients
            counters.droppedMalformed += (try? await clients.eventLoop.submit { clients.trouble.malformed }.get()) ?? 0
            counters.droppedReceiveQueue += await dtlsQueueDrops()
            return counters
        }
    }

    /// What the kernel dropped at the DTLS listeners, whose descriptors NIO keeps.
    private func dtlsQueueDrops() async -> Int {
        var drops = 0
        for case let provider as SocketOptionProvider in channels.filter({ $0.key.transport == .dtls }).values {
            let memory: ReceiveQueueDrops.Memory? = try? await provider.unsafeGetSocketOption(
                level: SocketOptionLevel(ReceiveQueueDrops.level), name: ReceiveQueueDrops.option
            ).get()
            drops += memory.map(ReceiveQueueDrops.count(in:)) ?? 0
        }
        return drops
    }

    public func stop() async {
        logging?.cancel()
        await logging?.value
        let clients = self.clients
        let streams: [Channel] =
            (try? await clients.eventLoop.submit {
                self.housekeeping?.cancel()
                return clients.streamChannels
            }.get()) ?? []
        for channel in streams + Array(channels.values) { try? await channel.close() }
        for loop in loops { loop.stop() }
    }

    /// At most one line a second per kind of trouble, with how many in that second, so that a
    /// flood of bad input costs a log line, not a line per packet.
    private func logRejections(
        _ now: RelayCounters, _ trouble: NIOClients.Trouble, since logged: RelayCounters,
        _ loggedTrouble: NIOClients.Trouble
    ) {
        let kinds: [(String, Int, Logger.Level)] = [
            ("malformed packets or streams dropped", now.droppedMalformed - logged.droppedMalformed, .warning),
            ("malformed requests", now.rejections.malformed - logged.rejections.malformed, .warning),
            ("requests with wrong credentials", now.rejections.badCredentials - logged.rejections.badCredentials, .warning),
            ("unauthenticated requests dropped over the rate limit", now.rejections.rateLimited - logged.rejections.rateLimited, .warning),
            ("requests refused", now.rejections.refused - logged.rejections.refused, .notice),
            ("Allocates refused over the allocation rate", now.rejections.overAllocateRate - logged.rejections.overAllocateRate, .notice),
            (
                "permissions refused over an allocation's rate of new peers",
                now.rejections.overNewPeerRate - logged.rejections.overNewPeerRate, .notice
            ),
            ("packets dropped without an allocation, channel or permission", now.droppedUnroutable - logged.droppedUnroutable, .notice),
            ("packets dropped over an allocation's bandwidth", now.droppedBandwidth - logged.droppedBandwidth, .notice),
            ("packets dropped over an allocation's packet rate", now.droppedPacketRate - logged.droppedPacketRate, .notice),
            ("requests challenged (401/438)", now.rejections.challenged - logged.rejections.challenged, .debug),
            ("connections closed over the limit per address", trouble.refused - loggedTrouble.refused, .notice),
            ("connections closed without an allocation", trouble.idle - loggedTrouble.idle, .notice),
        ]
        for (what, count, level) in kinds where count > 0 {
            logger.log(level: level, "\(count) \(what) in the last second")
        }
    }
}

public struct RelayStartError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
