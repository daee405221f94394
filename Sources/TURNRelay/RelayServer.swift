import DTLS
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PacketIO
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

/// The relay: listeners for clients, one relayed UDP socket per allocation, `RelayCore`
/// deciding everything. All of it runs on one event loop, which owns the core and every
/// table here; its handlers call in only from that loop.
public final class RelayServer: @unchecked Sendable {
    let eventLoop: EventLoop
    let logger: Logger
    /// The core's configuration, kept here too: `openRelay` runs while the core is mutating.
    let configuration: RelayConfiguration
    private(set) var core: RelayCore
    /// Where relayed sockets bind, one IP per family.
    private let relayIPs: [AddressFamily: IPAddress]
    /// At most one listener per transport and family: a reply to a UDP or DTLS client leaves
    /// from the listener of the client's family.
    private var listeners: [ListenerKey: Channel] = [:]
    private var relays: [TransportAddress: RelayedSocket] = [:]
    /// Relayed sockets bound and handed to NIO, not yet adopted.
    private var adopting: [TransportAddress: CInt] = [:]
    /// Each allocation's bandwidth budget, shared by its relayed addresses.
    private var budgets: [RelayClient: TokenBucket] = [:]
    private var nextRelayPort: UInt16
    /// TCP and TLS clients' connections, and how many each source address holds.
    private var streams: [RelayClient: Channel] = [:]
    private var streamsPerSource: [IPAddress: Int] = [:]
    /// Connections refused over the per-address limit and closed for holding no allocation,
    /// for the log.
    private var streamTrouble = StreamTrouble()
    private var loggedStreamTrouble = StreamTrouble()
    private var dtlsPeers: [TransportAddress: DTLSPeer] = [:]
    private var dtlsContext: DTLSContext?
    private var housekeeping: RepeatedTask?
    private let origin = NIODeadline.now()
    private var impairer: Impairer
    /// Packets `--impair reorder=` holds until their flow's next packet.
    private var heldBack: [Flow: HeldPacket] = [:]
    private var rateLimit: TokenBucket?
    private var totals = RelayCounters()
    private var logged = RelayCounters()

    private struct DTLSPeer {
        let session: DTLSSession
        var lastSeen: Duration
    }

    private struct ListenerKey: Hashable {
        let transport: TURNTransport
        let family: AddressFamily
    }

    private init(configuration: RelayConfiguration, relayIPs: [AddressFamily: IPAddress], eventLoop: EventLoop, logger: Logger) {
        core = RelayCore(configuration: configuration, relayFamilies: Set(relayIPs.keys))
        self.configuration = configuration
        self.relayIPs = relayIPs
        self.eventLoop = eventLoop
        self.logger = logger
        nextRelayPort = configuration.relayPorts?.lowerBound ?? 0
        impairer = Impairer(configuration.impairment, seed: configuration.seed)
        rateLimit = configuration.maximumPacketsPerSecond.map { TokenBucket.packets(perSecond: $0) }
    }

    /// Starts every listener (at most one per transport and family); relayed sockets bind to
    /// `relayIPs` (at most one per family: clients get relayed addresses of those families
    /// only, whatever their own). TLS and DTLS listeners need `identity`. Throws, with the
    /// listener named, when one cannot start.
    public static func start(configuration: RelayConfiguration, listeners: [RelayListener], identity: RelayIdentity? = nil,
                             relayIPs: [IPAddress], group: EventLoopGroup,
                             logger: Logger = Logger(label: "turnload.relay")) async throws -> RelayServer {
        var byFamily: [AddressFamily: IPAddress] = [:]
        for ip in relayIPs {
            guard byFamily.updateValue(ip, forKey: ip.family) == nil, !ip.isUnspecified else {
                throw RelayStartError("relay IPs must be specific addresses, at most one IPv4 and one IPv6: \(relayIPs)")
            }
        }
        guard !byFamily.isEmpty else { throw RelayStartError("no relay IP to relay from") }
        let keys = listeners.map { ListenerKey(transport: $0.transport, family: $0.address.ip.family) }
        guard Set(keys).count == keys.count else {
            throw RelayStartError("at most one listener per transport and address family: \(listeners.map(\.address))")
        }
        let server = RelayServer(configuration: configuration, relayIPs: byFamily, eventLoop: group.next(), logger: logger)
        do {
            for (listener, key) in zip(listeners, keys) {
                let channel = try await server.open(listener, identity: identity)
                try await server.eventLoop.submit { server.listeners[key] = channel }.get()
            }
        } catch {
            await server.stop()
            throw error
        }
        try await server.eventLoop.submit {
            server.housekeeping = server.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                server.reconcile()
                server.logRejections()
            }
        }.get()
        return server
    }

    /// Relaying from one IP: one family only.
    public static func start(configuration: RelayConfiguration, listeners: [RelayListener], identity: RelayIdentity? = nil,
                             relayIP: IPAddress, group: EventLoopGroup,
                             logger: Logger = Logger(label: "turnload.relay")) async throws -> RelayServer {
        try await start(configuration: configuration, listeners: listeners, identity: identity, relayIPs: [relayIP],
                        group: group, logger: logger)
    }

    /// A UDP relay on one address.
    public static func start(configuration: RelayConfiguration, listen address: SocketAddress, relayIP: IPAddress,
                             group: EventLoopGroup) async throws -> RelayServer {
        guard let address = TransportAddress(address) else { throw RelayStartError("not an IP address: \(address)") }
        return try await start(configuration: configuration, listeners: [RelayListener(.udp, address)], relayIP: relayIP, group: group)
    }

    /// Whether a UDP socket binds to `ip` here: `::1` is missing where IPv6 is disabled.
    public static func canBind(_ ip: IPAddress) -> Bool {
        var next: UInt16 = 0
        guard let bound = try? BoundUDPSocket(ip: ip, ports: nil, next: &next) else { return false }
        Glibc.close(bound.descriptor)
        return true
    }

    /// The families the relay has a relayed IP for.
    public var relayFamilies: Set<AddressFamily> { Set(relayIPs.keys) }

    /// The UDP listener's address (IPv4's when there are two).
    public var localAddress: SocketAddress? { localAddress(.udp) }

    /// A listener's address: of `family`, or IPv4's when there are two.
    public func localAddress(_ transport: TURNTransport, family: AddressFamily? = nil) -> SocketAddress? {
        for candidate in family.map({ [$0] }) ?? [.ipv4, .ipv6] {
            if let channel = listeners[ListenerKey(transport: transport, family: candidate)] { return channel.localAddress }
        }
        return nil
    }

    /// Allocations open now.
    public var allocationCount: Int {
        get async { (try? await eventLoop.submit { self.core.allocations.count }.get()) ?? 0 }
    }

    /// Totals since start, for per-second status lines and metrics, with what the kernel
    /// dropped at the sockets open now.
    public var counters: RelayCounters {
        get async {
            guard var counters = try? await eventLoop.submit({
                var counters = self.snapshot()
                counters.droppedReceiveQueue += self.relays.values.reduce(0) { $0 + ReceiveQueueDrops.of(descriptor: $1.descriptor) }
                return counters
            }).get() else { return RelayCounters() }
            counters.droppedReceiveQueue += await listenerQueueDrops()
            return counters
        }
    }

    /// What the kernel dropped at the UDP and DTLS listeners, whose descriptors NIO keeps.
    private func listenerQueueDrops() async -> Int {
        let providers: [SocketOptionProvider] = ((try? await eventLoop.submit {
            self.listeners.filter { [.udp, .dtls].contains($0.key.transport) }.values.compactMap { $0 as? SocketOptionProvider }
        }.get()) ?? [])
        var drops = 0
        for provider in providers {
            let memory: ReceiveQueueDrops.Memory? = try? await provider.unsafeGetSocketOption(
                level: SocketOptionLevel(ReceiveQueueDrops.level), name: ReceiveQueueDrops.option).get()
            drops += memory.map(ReceiveQueueDrops.count(in:)) ?? 0
        }
        return drops
    }

    public func stop() async {
        let channels: [Channel] = (try? await eventLoop.submit {
            self.housekeeping?.cancel()
            return self.relays.values.map(\.channel) + Array(self.streams.values) + Array(self.listeners.values)
        }.get()) ?? []
        for channel in channels { try? await channel.close() }
    }

    var now: Duration { .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - origin.uptimeNanoseconds)) }

    private static var unixTime: Int64 { Int64(time(nil)) }

    private func snapshot() -> RelayCounters {
        var counters = totals
        counters.allocations = core.allocations.count
        counters.rejections = core.rejections
        return counters
    }

    // MARK: listeners

    private func open(_ listener: RelayListener, identity: RelayIdentity?) async throws -> Channel {
        let address = SocketAddress(listener.address)
        let name = "\(listener.address)/\(listener.transport.rawValue)"
        do {
            switch listener.transport {
            case .udp:
                return try await DatagramBootstrap(group: eventLoop)
                    .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                    // recvmmsg, 32 datagrams a call; NIO splits the receive buffer evenly
                    // between them, so it must hold 32 full-size datagrams, or each is cut to
                    // a 32nd of the default 2 KiB.
                    .channelOption(.datagramVectorReadMessageCount, value: 32)
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DatagramClientsHandler(server: self))
                        }
                    }
                    .bind(to: address).get()
            case .dtls:
                guard let identity else { throw RelayStartError("\(name) needs a certificate and key (--cert, --key)") }
                let context = try DTLSContext(serverCertificate: identity.certificateFile, key: identity.keyFile,
                                              allowingDTLS10: configuration.allowsLegacyTLS)
                try await eventLoop.submit { self.dtlsContext = context }.get()
                return try await DatagramBootstrap(group: eventLoop)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DTLSClientsHandler(server: self))
                        }
                    }
                    .bind(to: address).get()
            case .tcp, .tls:
                let tls = try listener.transport == .tls
                    ? Self.tlsContext(identity, name: name, allowingLegacy: configuration.allowsLegacyTLS) : nil
                return try await ServerBootstrap(group: eventLoop, childGroup: eventLoop)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .serverChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(AcceptPauseHandler(logger: self.logger))
                        }
                    }
                    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                            try channel.pipeline.syncOperations.addHandlers([
                                ByteToMessageHandler(TURNStreamDecoder()),
                                StreamClientHandler(server: self, transport: listener.transport),
                            ])
                        }
                    }
                    .bind(to: address).get()
            }
        } catch let error as RelayStartError {
            throw error
        } catch let error as DTLSError {
            throw RelayStartError("\(name): \(error)")
        } catch {
            throw RelayStartError("cannot listen on \(name): \(error)")
        }
    }

    private static func tlsContext(_ identity: RelayIdentity?, name: String, allowingLegacy: Bool) throws -> NIOSSLContext {
        guard let identity else { throw RelayStartError("\(name) needs a certificate and key (--cert, --key)") }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(identity.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: identity.keyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = allowingLegacy ? .tlsv1 : .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RelayStartError("\(name): cannot use the certificate \(identity.certificateFile) "
                + "and key \(identity.keyFile): \(error)")
        }
    }

    // MARK: from clients (on the event loop)

    func fromClient(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let address = TransportAddress(envelope.remoteAddress), let frame = TURNFrame(datagram: envelope.data) else {
            totals.droppedMalformed += 1
            return
        }
        fromClient(frame, client: RelayClient(transport: .udp, address: address))
    }

    func fromClient(_ frame: TURNFrame, client: RelayClient) {
        let now = self.now
        if case .stun(let bytes) = frame, !Self.isIndication(bytes) {
            if let reply = core.handle(bytes, from: client, now: now, unixTime: Self.unixTime, openRelay: openRelay) {
                write(reply, to: client)
                reconcile()
            }
        } else if let route = core.route(frame, from: client, now: now) {
            forward(route, from: client)
        } else {
            totals.droppedUnroutable += 1
        }
    }

    /// Send indications carry data and go to the router; the rest of STUN is requests.
    private static func isIndication(_ bytes: ByteBuffer) -> Bool {
        bytes.getInteger(at: bytes.readerIndex, as: UInt16.self)
            .flatMap(STUNMessageType.init(rawValue:))?.messageClass == .indication
    }

    /// A TCP or TLS connection opened; false when its source address holds its share
    /// already, and the connection must go. One that holds no allocation after
    /// `unauthenticatedConnectionTimeout` is closed.
    func connected(_ client: RelayClient, on channel: Channel) -> Bool {
        let source = client.address.ip.source
        guard streamsPerSource[source, default: 0] < configuration.maximumConnectionsPerAddress else {
            streamTrouble.refused += 1
            return false
        }
        streamsPerSource[source, default: 0] += 1
        streams[client] = channel
        eventLoop.scheduleTask(in: TimeAmount(configuration.unauthenticatedConnectionTimeout)) {
            guard self.streams[client] === channel, self.core.allocations[client] == nil else { return }
            self.streamTrouble.idle += 1
            channel.close(promise: nil)
        }
        return true
    }

    /// A TCP or TLS client went away: its allocation goes with its connection.
    func disconnected(_ client: RelayClient) {
        streams[client] = nil
        let source = client.address.ip.source
        streamsPerSource[source, default: 1] -= 1
        if streamsPerSource[source] == 0 { streamsPerSource[source] = nil }
        core.drop(client)
        reconcile()
    }

    func malformed() {
        totals.droppedMalformed += 1
    }

    func fromDTLS(_ envelope: AddressedEnvelope<ByteBuffer>, listener: Channel) {
        guard let address = TransportAddress(envelope.remoteAddress), let context = dtlsContext else { return }
        let now = self.now
        let peer: DTLSPeer
        if let known = dtlsPeers[address], !DTLSSession.isClientHello(envelope.data) {
            peer = known
        } else {
            guard dtlsPeers.count < configuration.maximumAllocations,
                  let session = try? DTLSSession(context: context, peerName: "\(address)") else {
                totals.droppedMalformed += 1
                return
            }
            peer = DTLSPeer(session: session, lastSeen: now)
        }
        dtlsPeers[address] = DTLSPeer(session: peer.session, lastSeen: now)
        let plaintexts = peer.session.receive(envelope.data, allocator: listener.allocator)
        flush(peer.session, to: envelope.remoteAddress, on: listener)
        if case .failed = peer.session.handshake {
            dtlsPeers[address] = nil
            totals.droppedMalformed += 1
            return
        }
        let client = RelayClient(transport: .dtls, address: address)
        for plaintext in plaintexts {
            guard let frame = TURNFrame(datagram: plaintext) else {
                totals.droppedMalformed += 1
                continue
            }
            fromClient(frame, client: client)
        }
    }

    private func flush(_ session: DTLSSession, to address: SocketAddress, on listener: Channel) {
        if let datagram = session.pendingDatagram(allocator: listener.allocator) {
            listener.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: datagram), promise: nil)
        }
    }

    private func write(_ bytes: ByteBuffer, to client: RelayClient) {
        switch client.transport {
        case .udp:
            listener(.udp, for: client.address)?
                .writeAndFlush(AddressedEnvelope(remoteAddress: SocketAddress(client.address), data: bytes), promise: nil)
        case .tcp, .tls:
            streams[client]?.writeAndFlush(bytes, promise: nil)
        case .dtls:
            guard let session = dtlsPeers[client.address]?.session, let listener = listener(.dtls, for: client.address),
                  (try? session.send(bytes)) != nil else { return }
            flush(session, to: SocketAddress(client.address), on: listener)
        }
    }

    /// The listener a datagram client came in by: the one of its family.
    private func listener(_ transport: TURNTransport, for client: TransportAddress) -> Channel? {
        listeners[ListenerKey(transport: transport, family: client.ip.family)]
    }

    // MARK: relaying (on the event loop)

    func fromPeer(_ envelope: AddressedEnvelope<ByteBuffer>, relayed: TransportAddress) {
        guard let peer = TransportAddress(envelope.remoteAddress),
              let delivery = core.deliver(envelope.data, from: peer, to: relayed, now: now) else {
            totals.droppedUnroutable += 1
            return
        }
        guard admit(envelope.data.readableBytes, for: delivery.client) else { return }
        totals.packetsToClients += 1
        totals.bytesToClients += envelope.data.readableBytes
        relay(delivery.bytes, to: .client(delivery.client))
    }

    private func forward(_ route: (relayed: TransportAddress, peer: TransportAddress, payload: ByteBuffer), from client: RelayClient) {
        guard let channel = relays[route.relayed]?.channel else {
            // NIO adopts a relayed socket a turn or two of the loop after the Allocate, and a
            // quick client's first media can come first: it leaves by the socket itself.
            if let descriptor = adopting[route.relayed], admit(route.payload.readableBytes, for: client) {
                totals.packetsToPeers += 1
                totals.bytesToPeers += route.payload.readableBytes
                _ = route.payload.withUnsafeReadableBytes { bytes in
                    SocketAddress(route.peer).withSockAddr { sendto(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_DONTWAIT), $0, socklen_t($1)) }
                }
                return
            }
            totals.droppedUnroutable += 1
            return
        }
        guard admit(route.payload.readableBytes, for: client) else { return }
        totals.packetsToPeers += 1
        totals.bytesToPeers += route.payload.readableBytes
        relay(route.payload, to: .peer(channel, SocketAddress(route.peer)))
    }

    private enum Destination {
        case peer(Channel, SocketAddress)
        case client(RelayClient)
    }

    /// Where a packet goes, as a key: reordering swaps packets within one flow.
    private enum Flow: Hashable {
        case peer(ObjectIdentifier, SocketAddress)
        case client(RelayClient)

        init(_ destination: Destination) {
            switch destination {
            case .peer(let channel, let address): self = .peer(ObjectIdentifier(channel), address)
            case .client(let client): self = .client(client)
            }
        }
    }

    private struct HeldPacket {
        let bytes: ByteBuffer
        let release: Scheduled<Void>
    }

    /// The relay's capacity and the allocation's bandwidth, both ways.
    private func admit(_ bytes: Int, for client: RelayClient) -> Bool {
        if var limit = rateLimit {
            let admitted = limit.admit(now: now)
            rateLimit = limit
            guard admitted else {
                totals.droppedCapacity += 1
                return false
            }
        }
        if let bitsPerSecond = configuration.maximumBitsPerSecondPerAllocation {
            var budget = budgets[client] ?? TokenBucket.bandwidth(bitsPerSecond: bitsPerSecond)
            let admitted = budget.admit(Double(bytes), now: now)
            budgets[client] = budget
            guard admitted else {
                totals.droppedBandwidth += 1
                return false
            }
        }
        return true
    }

    /// Every relayed packet, either way, passes the impairment here.
    private func relay(_ bytes: ByteBuffer, to destination: Destination) {
        if impairer.impairment.isNone {
            send(bytes, to: destination)
            return
        }
        let fate = impairer.fate()
        guard let last = fate.delays.max() else {
            totals.droppedImpairment += 1
            return
        }
        totals.duplicatedImpairment += fate.delays.count - 1
        let flow = Flow(destination)
        if let held = heldBack.removeValue(forKey: flow) {
            // After this packet's last copy: the successor has overtaken it.
            held.release.cancel()
            totals.reorderedImpairment += 1
            sendAfter(last + .microseconds(1), held.bytes, to: destination)
        } else if fate.heldBack {
            let release = eventLoop.scheduleTask(in: .milliseconds(500)) {
                // No successor came (the stream ended): the packet goes late, not reordered.
                if let held = self.heldBack.removeValue(forKey: flow) { self.send(held.bytes, to: destination) }
            }
            heldBack[flow] = HeldPacket(bytes: bytes, release: release)
            return
        }
        for delay in fate.delays { sendAfter(delay, bytes, to: destination) }
    }

    private func sendAfter(_ delay: Duration, _ bytes: ByteBuffer, to destination: Destination) {
        if delay == .zero {
            send(bytes, to: destination)
        } else {
            eventLoop.scheduleTask(in: TimeAmount(delay)) { self.send(bytes, to: destination) }
        }
    }

    private func send(_ bytes: ByteBuffer, to destination: Destination) {
        switch destination {
        case .peer(let channel, let address): channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: bytes), promise: nil)
        case .client(let client): write(bytes, to: client)
        }
    }

    // MARK: relayed sockets (on the event loop)

    /// Binds a relayed socket of `family` at once (the core needs its address in the Allocate
    /// reply), then hands it to NIO; datagrams arriving before NIO watches it wait in the kernel.
    private func openRelay(_ family: AddressFamily) -> TransportAddress? {
        guard let ip = relayIPs[family],
              let bound = try? BoundUDPSocket(ip: ip, ports: configuration.relayPorts, next: &nextRelayPort) else {
            return nil
        }
        let relayed = bound.address
        let bootstrap = DatagramBootstrap(group: eventLoop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(PeersHandler(server: self, relayed: relayed))
            }
        }
        // Settled on a later turn of the loop: the future may complete at once, while the core
        // is still inside the Allocate that asked for this socket.
        adopting[relayed] = bound.descriptor
        bootstrap.withBoundSocket(bound.descriptor).whenComplete { result in
            self.eventLoop.execute { self.adopt(result, relayed: relayed, descriptor: bound.descriptor) }
        }
        return relayed
    }

    private func adopt(_ result: Result<Channel, Error>, relayed: TransportAddress, descriptor: CInt) {
        adopting[relayed] = nil
        switch result {
        case .success(let channel):
            if core.holds(relayed: relayed) {
                relays[relayed] = RelayedSocket(channel: channel, descriptor: descriptor)
            } else {
                channel.close(promise: nil)
            }
        case .failure:
            Glibc.close(descriptor)
        }
    }

    /// Expires allocations, closes every relayed socket and forgets the budget of those that
    /// are gone, and forgets DTLS peers that failed or went quiet without an allocation.
    private func reconcile() {
        let now = self.now
        core.expire(now: now)
        for (relayed, socket) in relays where !core.holds(relayed: relayed) {
            relays[relayed] = nil
            totals.droppedReceiveQueue += ReceiveQueueDrops.of(descriptor: socket.descriptor)
            socket.channel.close(promise: nil)
        }
        for client in budgets.keys where core.allocations[client] == nil { budgets[client] = nil }
        for (address, peer) in dtlsPeers {
            peer.session.handleTimeout()
            if let listener = listener(.dtls, for: address) { flush(peer.session, to: SocketAddress(address), on: listener) }
            let allocated = core.allocations[RelayClient(transport: .dtls, address: address)] != nil
            if !allocated, now - peer.lastSeen > .seconds(30) { dtlsPeers[address] = nil }
        }
    }

    /// At most one line a second per kind of trouble, with how many in that second, so that a
    /// flood of bad input costs a log line, not a line per packet.
    private func logRejections() {
        let now = snapshot()
        defer { (logged, loggedStreamTrouble) = (now, streamTrouble) }
        let kinds: [(String, Int, Logger.Level)] = [
            ("malformed packets or streams dropped", now.droppedMalformed - logged.droppedMalformed, .warning),
            ("malformed requests", now.rejections.malformed - logged.rejections.malformed, .warning),
            ("requests with wrong credentials", now.rejections.badCredentials - logged.rejections.badCredentials, .warning),
            ("unauthenticated requests dropped over the rate limit", now.rejections.rateLimited - logged.rejections.rateLimited, .warning),
            ("requests refused", now.rejections.refused - logged.rejections.refused, .notice),
            ("packets dropped without an allocation, channel or permission", now.droppedUnroutable - logged.droppedUnroutable, .notice),
            ("packets dropped over an allocation's bandwidth", now.droppedBandwidth - logged.droppedBandwidth, .notice),
            ("requests challenged (401/438)", now.rejections.challenged - logged.rejections.challenged, .debug),
            ("connections closed over the limit per address", streamTrouble.refused - loggedStreamTrouble.refused, .notice),
            ("connections closed without an allocation", streamTrouble.idle - loggedStreamTrouble.idle, .notice),
        ]
        for (what, count, level) in kinds where count > 0 {
            logger.log(level: level, "\(count) \(what) in the last second")
        }
    }

    private struct StreamTrouble {
        var refused = 0
        var idle = 0
    }
}

public struct RelayStartError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
