import NIOCore
import NIOPosix
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The relay over UDP: one listening socket for clients, one relayed socket per allocation,
/// `RelayCore` deciding everything. All of it runs on one event loop, which owns the core.
public final class RelayServer: @unchecked Sendable {
    private let eventLoop: EventLoop
    private var core: RelayCore
    private let relayIP: IPAddress
    private var listener: Channel?
    private var relayChannels: [TransportAddress: Channel] = [:]
    private var housekeeping: RepeatedTask?
    private let origin = NIODeadline.now()
    private var impairer: Impairer
    private var rateLimit: PacketRateLimit?
    private var totals = RelayCounters()

    private init(configuration: RelayConfiguration, relayIP: IPAddress, eventLoop: EventLoop) {
        core = RelayCore(configuration: configuration)
        self.relayIP = relayIP
        self.eventLoop = eventLoop
        impairer = Impairer(configuration.impairment, seed: configuration.seed)
        rateLimit = configuration.maximumPacketsPerSecond.map { PacketRateLimit(packetsPerSecond: $0) }
    }

    /// Starts listening on `address` (UDP); relayed sockets bind to `relayIP` on ports the
    /// kernel picks.
    public static func start(configuration: RelayConfiguration, listen address: SocketAddress, relayIP: IPAddress,
                             group: EventLoopGroup) async throws -> RelayServer {
        let eventLoop = group.next()
        let server = RelayServer(configuration: configuration, relayIP: relayIP, eventLoop: eventLoop)
        let listener = try await DatagramBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ListenerHandler(server: server))
                }
            }
            .bind(to: address).get()
        try await eventLoop.submit {
            server.listener = listener
            server.housekeeping = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                server.reconcile()
            }
        }.get()
        return server
    }

    public var localAddress: SocketAddress? { listener?.localAddress }

    /// Allocations open now.
    public var allocationCount: Int {
        get async { (try? await eventLoop.submit { self.core.allocations.count }.get()) ?? 0 }
    }

    /// Totals since start, for per-second status lines and metrics.
    public var counters: RelayCounters {
        get async {
            (try? await eventLoop.submit {
                var totals = self.totals
                totals.allocations = self.core.allocations.count
                return totals
            }.get()) ?? RelayCounters()
        }
    }

    public func stop() async {
        let channels: [Channel] = (try? await eventLoop.submit {
            self.housekeeping?.cancel()
            return Array(self.relayChannels.values) + [self.listener].compactMap { $0 }
        }.get()) ?? []
        for channel in channels { try? await channel.close() }
    }

    private var now: Duration { .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - origin.uptimeNanoseconds)) }

    private static var unixTime: Int64 { Int64(time(nil)) }

    // MARK: on the event loop

    fileprivate func fromClient(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let address = TransportAddress(envelope.remoteAddress),
              let frame = TURNFrame(datagram: envelope.data) else { return }
        let client = RelayClient(transport: .udp, address: address)
        let now = self.now
        if case .stun(let bytes) = frame,
           let reply = core.handle(bytes, from: client, now: now, unixTime: Self.unixTime, openRelay: openRelay) {
            listener?.writeAndFlush(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply), promise: nil)
            reconcile()
        } else if let route = core.route(frame, from: client, now: now) {
            forward(route)
        } else {
            totals.droppedUnroutable += 1
        }
    }

    fileprivate func fromPeer(_ envelope: AddressedEnvelope<ByteBuffer>, relayed: TransportAddress) {
        guard let peer = TransportAddress(envelope.remoteAddress),
              let delivery = core.deliver(envelope.data, from: peer, to: relayed, now: now),
              let client = try? SocketAddress(delivery.client.address), let listener else {
            totals.droppedUnroutable += 1
            return
        }
        totals.packetsToClients += 1
        totals.bytesToClients += envelope.data.readableBytes
        relay(AddressedEnvelope(remoteAddress: client, data: delivery.bytes), on: listener)
    }

    private func forward(_ route: (relayed: TransportAddress, peer: TransportAddress, payload: ByteBuffer)) {
        guard let channel = relayChannels[route.relayed], let peer = try? SocketAddress(route.peer) else {
            totals.droppedUnroutable += 1
            return
        }
        totals.packetsToPeers += 1
        totals.bytesToPeers += route.payload.readableBytes
        relay(AddressedEnvelope(remoteAddress: peer, data: route.payload), on: channel)
    }

    /// Every relayed packet, either way, passes the capacity limit and the impairment here.
    private func relay(_ envelope: AddressedEnvelope<ByteBuffer>, on channel: Channel) {
        if var limit = rateLimit {
            let admitted = limit.admit(now: now)
            rateLimit = limit
            guard admitted else {
                totals.droppedCapacity += 1
                return
            }
        }
        if impairer.impairment.isNone {
            channel.writeAndFlush(envelope, promise: nil)
            return
        }
        let fate = impairer.fate()
        if fate.isEmpty { totals.droppedImpairment += 1 }
        for delay in fate {
            if delay == .zero {
                channel.writeAndFlush(envelope, promise: nil)
            } else {
                eventLoop.scheduleTask(in: TimeAmount(delay)) { channel.writeAndFlush(envelope, promise: nil) }
            }
        }
    }

    /// Binds a relayed socket at once (the core needs its address in the Allocate reply), then
    /// hands it to NIO; datagrams arriving before NIO watches it wait in the kernel.
    private func openRelay() -> TransportAddress? {
        guard let bound = try? BoundUDPSocket(ip: relayIP) else { return nil }
        let relayed = bound.address
        let bootstrap = DatagramBootstrap(group: eventLoop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(RelayedSocketHandler(server: self, relayed: relayed))
            }
        }
        // Settled on a later turn of the loop: the future may complete at once, while the core
        // is still inside the Allocate that asked for this socket.
        bootstrap.withBoundSocket(bound.descriptor).whenComplete { result in
            self.eventLoop.execute { self.adopt(result, relayed: relayed, descriptor: bound.descriptor) }
        }
        return relayed
    }

    private func adopt(_ result: Result<Channel, Error>, relayed: TransportAddress, descriptor: CInt) {
        switch result {
        case .success(let channel):
            if core.allocations.values.contains(where: { $0.relayed == relayed }) {
                relayChannels[relayed] = channel
            } else {
                channel.close(promise: nil)
            }
        case .failure:
            Glibc.close(descriptor)
        }
    }

    /// Expires allocations and closes the relayed sockets of those that are gone.
    private func reconcile() {
        core.expire(now: now)
        let live = Set(core.allocations.values.map(\.relayed))
        for (relayed, channel) in relayChannels where !live.contains(relayed) {
            relayChannels[relayed] = nil
            channel.close(promise: nil)
        }
    }
}

/// What the relay has done since it started; payload bytes, without headers.
public struct RelayCounters: Sendable, Hashable {
    public var allocations = 0
    public var packetsToPeers = 0
    public var bytesToPeers = 0
    public var packetsToClients = 0
    public var bytesToClients = 0
    /// Over `--max-pps`.
    public var droppedCapacity = 0
    /// Lost to `--impair loss=`.
    public var droppedImpairment = 0
    /// No allocation, channel or permission for it.
    public var droppedUnroutable = 0

    public init() {}
}

private final class ListenerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let server: RelayServer

    init(server: RelayServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        server.fromClient(unwrapInboundIn(data))
    }
}

private final class RelayedSocketHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let server: RelayServer
    let relayed: TransportAddress

    init(server: RelayServer, relayed: TransportAddress) {
        self.server = server
        self.relayed = relayed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        server.fromPeer(unwrapInboundIn(data), relayed: relayed)
    }
}

/// A UDP socket bound to an ephemeral port, with its address known right away.
private struct BoundUDPSocket {
    let descriptor: CInt
    let address: TransportAddress

    init(ip: IPAddress) throws {
        let socketAddress = try SocketAddress(ipAddress: ip.description, port: 0)
        let family = ip.family == .ipv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, CInt(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        let bound = socketAddress.withSockAddr { bind(descriptor, $0, socklen_t($1)) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            Glibc.close(descriptor)
            throw IOError(errnoCode: errno, reason: "bind")
        }
        let port = withUnsafeBytes(of: storage) { raw in
            UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        }
        self.descriptor = descriptor
        address = TransportAddress(ip: ip, port: port)
    }
}

extension TransportAddress {
    init?(_ address: SocketAddress) {
        guard let text = address.ipAddress, let ip = IPAddress(text), let port = address.port else { return nil }
        self.init(ip: ip, port: UInt16(port))
    }
}

extension SocketAddress {
    init(_ address: TransportAddress) throws {
        try self.init(ipAddress: address.ip.description, port: Int(address.port))
    }
}
