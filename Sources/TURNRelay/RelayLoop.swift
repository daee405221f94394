import NIOCore
import PacketIO
import RunModel
import Synchronization
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// One of the relay's threads: its UDP listeners (one per family, sharing the relay's port
/// with the other loops' through SO_REUSEPORT, so that the kernel keeps each client 5-tuple on
/// one loop), the allocations of the clients the kernel brings it, in a core of its own, and
/// their relayed sockets, all on its own epoll set. Nothing here takes a lock or leaves the
/// thread per packet: datagrams are read in batches into buffers allocated once, ChannelData
/// is routed by its header read in place, and replies to clients leave in one sendmmsg per
/// wakeup. Stream and DTLS clients' frames come from NIO's threads with `execute`, a hop per
/// frame.
/// Unchecked Sendable: confined to its PacketLoop's thread, which NIO does not own (`stopped`, `finalCounters` excepted).
final class RelayLoop: PacketLoopHandler, @unchecked Sendable {
    let loop: PacketLoop
    private(set) var core: RelayCore
    private let relayIPs: [AddressFamily: IPAddress]
    private var ports: RelayPortRotation
    /// The relay's clock: monotonic nanoseconds at its start, shared by its loops.
    private let origin: Int64
    private var listeners: [UDPSocket?]
    /// Replies and relayed data to UDP clients, one per family.
    private let outboxV4 = DatagramOutbox()
    private let outboxV6 = DatagramOutbox()
    private let batch = DatagramBatch()
    /// Relayed sockets by token minus `firstRelayedToken`; a freed slot is reused.
    private var relayed: [RelayedSocket?] = []
    private var freeSlots: [Int] = []
    /// The slot of each relayed socket by family and port (`slotIndex`), -1 for none: a relayed
    /// address is one of at most two relay IPs and a port, so it needs no hashing.
    private var slotsByPort = [Int32](repeating: -1, count: 2 << 16)
    /// How stream and DTLS clients whose allocation lives here are written to (on NIO's side).
    private var streamWriters: [RelayClient: @Sendable (ByteBuffer) -> Void] = [:]
    private var shaper: RelayShaper<RelayDestination, [UInt8]>
    private var delayed = DelayedPackets()
    private var counters = RelayCounters()
    private var nextHousekeeping: Int64
    /// Set on the loop's thread as it stops: later jobs run on their callers' threads and must
    /// not touch the loop's state. The counters are kept as they were then.
    private let stopped = Atomic<Bool>(false)
    private let finalCounters = Mutex<RelayCounters?>(nil)

    private static let firstRelayedToken = 2

    private struct RelayedSocket {
        let socket: UDPSocket
        let address: TransportAddress
    }

    /// Starts the loop's thread with `listeners` (index 0 IPv4, 1 IPv6) already bound.
    init(
        index: Int, core: RelayCore, listeners: [UDPSocket?], relayIPs: [AddressFamily: IPAddress],
        ports: RelayPortRotation, capacity: CapacityPool?, origin: Int64
    ) throws(SocketError) {
        self.core = core
        self.listeners = listeners
        self.relayIPs = relayIPs
        self.ports = ports
        self.origin = origin
        let configuration = core.configuration
        // Loop 0 draws what a single-loop relay always drew, so that one thread repeats a run.
        shaper = RelayShaper(
            capacity: capacity, bitsPerSecondPerAllocation: configuration.maximumBitsPerSecondPerAllocation,
            packetsPerSecondPerAllocation: configuration.maximumPacketsPerSecondPerAllocation,
            impairment: configuration.impairment,
            seed: configuration.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        nextHousekeeping = origin + 1_000_000_000
        loop = try PacketLoop(name: "turnload-relay\(index)")
        loop.execute { [self] in
            loop.setHandler(self)
            for (token, listener) in listeners.enumerated() {
                if let listener { try? loop.watch(listener.descriptor, token: UInt64(token)) }
            }
            loop.setDeadline(nextHousekeeping)
        }
    }

    /// Closes every socket and ends the thread; a second call does nothing.
    func stop() {
        execute { loop in
            let counters = loop.snapshot()
            loop.finalCounters.withLock { $0 = counters }
            for socket in loop.relayed.compactMap({ $0?.socket }) + loop.listeners.compactMap({ $0 }) { socket.close() }
            loop.relayed.removeAll()
            loop.listeners = []
            loop.streamWriters.removeAll()
            loop.loop.setHandler(nil)
            loop.stopped.store(true, ordering: .releasing)
        }
        loop.shutdown()
    }

    /// Runs `job` on the loop's thread, soon; not at all once the loop has stopped.
    func execute(_ job: @escaping @Sendable (RelayLoop) -> Void) {
        loop.execute { [self] in
            guard !stopped.load(ordering: .acquiring) else { return }
            job(self)
        }
    }

    /// What this loop has done so far (`snapshot`), or had done when it stopped.
    func counters() async -> RelayCounters {
        (try? await loop.submit { [self] in
            stopped.load(ordering: .acquiring) ? finalCounters.withLock { $0 } ?? RelayCounters() : snapshot()
        }) ?? RelayCounters()
    }

    /// The core in place. A method called on it as a stored property may work on a copy of it
    /// whole, every collection in it retained and released: measured on every relayed packet.
    @inline(__always)
    private func withCore<Result>(_ body: (inout RelayCore) -> Result) -> Result { body(&core) }

    private var now: Duration { .nanoseconds(PacketLoop.now() - origin) }

    // MARK: reads

    func readable(token: UInt64) {
        let index = Int(token)
        let descriptor: CInt
        if index < Self.firstRelayedToken {
            guard let listener = listeners[index] else { return }
            descriptor = listener.descriptor
        } else {
            guard let socket = relayed[index - Self.firstRelayedToken] else { return }
            descriptor = socket.socket.descriptor
        }
        // One batch per wakeup: what is left keeps the socket readable for the next. A relayed
        // socket hears one peer, a packet per wakeup at the pace of a call.
        let most = index < Self.firstRelayedToken ? DatagramBatch.capacity : 1
        guard case .success(let count) = batch.receive(from: descriptor, atMost: most), count > 0 else { return }
        let now = self.now
        if index < Self.firstRelayedToken {
            for datagram in 0..<count {
                guard let source = TransportAddress(sockaddr: batch.source(datagram)) else { continue }
                fromClient(batch.datagram(datagram), client: RelayClient(transport: .udp, address: source), now: now)
            }
        } else {
            let at = relayed[index - Self.firstRelayedToken]!.address
            for datagram in 0..<count {
                guard let peer = TransportAddress(sockaddr: batch.source(datagram)) else { continue }
                fromPeer(batch.datagram(datagram), from: peer, at: at, now: now)
            }
        }
    }

    func wakeupHandled() {
        if !outboxV4.isEmpty, let listener = listeners[0] { outboxV4.flush(from: listener.descriptor) }
        if !outboxV6.isEmpty, let listener = listeners[1] { outboxV6.flush(from: listener.descriptor) }
    }

    // MARK: from clients

    /// A datagram from a UDP client, read in place.
    private func fromClient(_ bytes: UnsafeRawBufferPointer, client: RelayClient, now: Duration) {
        guard let first = bytes.first else { return }
        if first >> 6 == 0b01 {
            guard case .success(let header) = ChannelData.parseHeader(bytes, padded: false) else {
                counters.droppedMalformed += 1
                return
            }
            forward(
                UnsafeRawBufferPointer(rebasing: bytes[ChannelData.headerLength..<ChannelData.headerLength + header.length]),
                on: header.channel, from: client, now: now)
        } else if first >> 6 == 0b00 {
            fromClient(.stun(ByteBuffer(bytes: bytes)), client: client, now: now)
        } else {
            counters.droppedMalformed += 1
        }
    }

    /// A frame from any client: a request to answer, or data to relay.
    func fromClient(_ frame: TURNFrame, client: RelayClient, now: Duration? = nil) {
        let now = now ?? self.now
        switch frame {
        case .channelData(let data):
            data.payload.withUnsafeReadableBytes { forward($0, on: data.channel, from: client, now: now) }
        case .stun(let bytes) where !Self.isIndication(bytes):
            let removals = core.removals
            if let reply = core.handle(bytes, from: client, now: now, unixTime: Int64(time(nil)), openRelay: openRelay) {
                write(reply, to: client)
            }
            // A release or an expiry frees relayed sockets.
            if core.removals != removals { closeReleased() }
        case .stun:
            guard let route = core.route(frame, from: client, now: now) else {
                counters.droppedUnroutable += 1
                return
            }
            route.payload.withUnsafeReadableBytes { relay($0, to: .peer(relayed: route.relayed, peer: route.peer), of: client, now: now) }
        }
    }

    /// Send indications carry data and go to the router; the rest of STUN is requests.
    private static func isIndication(_ bytes: ByteBuffer) -> Bool {
        bytes.getInteger(at: bytes.readerIndex, as: UInt16.self)
            .flatMap(STUNMessageType.init(rawValue:))?.messageClass == .indication
    }

    @inline(__always)
    private func forward(_ payload: UnsafeRawBufferPointer, on channel: ChannelNumber, from client: RelayClient, now: Duration) {
        guard let route = withCore({ $0.route(channel: channel, from: client, now: now) }) else {
            counters.droppedUnroutable += 1
            return
        }
        relay(payload, to: .peer(relayed: route.relayed, peer: route.peer), of: client, now: now)
    }

    // MARK: from peers

    private func fromPeer(
        _ payload: UnsafeRawBufferPointer, from peer: TransportAddress, at relayedAddress: TransportAddress,
        now: Duration
    ) {
        guard let (client, channel) = withCore({ $0.recipient(from: peer, at: relayedAddress, now: now) }) else {
            counters.droppedUnroutable += 1
            return
        }
        if let channel, client.transport == .udp, shaper.isTransparent {
            // The common case, without a copy: header and payload straight into the outbox.
            guard shaper.admit(bytes: payload.count, of: client, now: now) else { return }
            counters.packetsToClients += 1
            counters.bytesToClients += payload.count
            queue(
                header: UInt32(channel.rawValue) << 16 | UInt32(payload.count), headerLength: ChannelData.headerLength,
                payload: payload, to: client)
            return
        }
        let bytes = RelayCore.delivery(ByteBuffer(bytes: payload), from: peer, on: channel, to: client)
        bytes.withUnsafeReadableBytes { relay($0, to: .client(client), of: client, now: now, payloadBytes: payload.count) }
    }

    // MARK: relaying

    /// Every relayed packet, either way, passes the shaper here; `payloadBytes` is what the
    /// counters and the bandwidth limit count (the payload, without TURN's framing).
    private func relay(
        _ bytes: UnsafeRawBufferPointer, to destination: RelayDestination, of client: RelayClient, now: Duration,
        payloadBytes: Int? = nil
    ) {
        let payloadBytes = payloadBytes ?? bytes.count
        switch shaper.shape(bytes: payloadBytes, of: client, to: destination, now: now, packet: { Array(bytes) }) {
        case .dropped:
            return
        case .lost:
            count(payloadBytes, to: destination)
        case .sendNow:
            count(payloadBytes, to: destination)
            transmit(bytes, to: destination)
        case .planned(let sends):
            count(payloadBytes, to: destination)
            for send in sends {
                if send.delay == .zero {
                    send.packet.withUnsafeBytes { transmit($0, to: destination) }
                } else {
                    delayed.schedule(send.packet, to: destination, at: PacketLoop.now() + send.delay.nanosecondsValue)
                }
            }
            // Delayed copies, and a packet held back (due at the shaper's hold limit at the latest).
            loop.setDeadline(nextDeadline)
        }
    }

    private func count(_ bytes: Int, to destination: RelayDestination) {
        if case .peer = destination {
            counters.packetsToPeers += 1
            counters.bytesToPeers += bytes
        } else {
            counters.packetsToClients += 1
            counters.bytesToClients += bytes
        }
    }

    private func transmit(_ bytes: UnsafeRawBufferPointer, to destination: RelayDestination) {
        switch destination {
        case .peer(let relayedAddress, let peer):
            let slot = Int(slotsByPort[Self.slotIndex(relayedAddress)])
            guard slot >= 0, let socket = relayed[slot]?.socket else { return }
            peer.withSockAddr { address, length in
                _ = sendto(socket.descriptor, bytes.baseAddress, bytes.count, CInt(MSG_DONTWAIT), address, length)
            }
        case .client(let client):
            write(bytes, to: client)
        }
    }

    private func write(_ bytes: ByteBuffer, to client: RelayClient) {
        bytes.withUnsafeReadableBytes { write($0, to: client) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, to client: RelayClient) {
        guard client.transport == .udp else {
            streamWriters[client]?(ByteBuffer(bytes: bytes))
            return
        }
        queue(header: 0, headerLength: 0, payload: bytes, to: client)
    }

    /// Into the outbox of the client's family, sent from the listener of that family at the
    /// end of the wakeup. The outboxes are named, not looked up: a reference handed out would
    /// be retained and released on every packet.
    @inline(__always)
    private func queue(header: UInt32, headerLength: Int, payload: UnsafeRawBufferPointer, to client: RelayClient) {
        let v6 = client.address.ip.family == .ipv6
        guard let listener = listeners[client.address.ip.family.index] else { return }
        client.address.withSockAddr { address, length in
            let queued =
                v6
                ? outboxV6.add(
                    header: header, headerLength: headerLength, payload: payload, to: address, length: length,
                    flushingTo: listener.descriptor)
                : outboxV4.add(
                    header: header, headerLength: headerLength, payload: payload, to: address, length: length,
                    flushingTo: listener.descriptor)
            guard !queued else { return }
            // Larger than an outbox's buffer: sent on its own.
            var bytes = withUnsafeBytes(of: header.bigEndian) { Array($0.suffix(headerLength)) }
            bytes += payload
            _ = sendto(listener.descriptor, bytes, bytes.count, CInt(MSG_DONTWAIT), address, length)
        }
    }

    private var nextDeadline: Int64 {
        var next = nextHousekeeping
        if let due = delayed.nextDue { next = min(next, due) }
        if let held = shaper.nextHoldDeadline { next = min(next, origin + held.nanosecondsValue) }
        return next
    }

    func deadlineReached(now: Int64) -> Int64? {
        while let packet = delayed.takeDue(by: now) {
            packet.bytes.withUnsafeBytes { transmit($0, to: packet.destination) }
        }
        for (destination, bytes) in shaper.overdue(now: .nanoseconds(now - origin)) {
            bytes.withUnsafeBytes { transmit($0, to: destination) }
        }
        if now >= nextHousekeeping {
            nextHousekeeping = now + 1_000_000_000
            core.expire(now: .nanoseconds(now - origin))
            closeReleased()
        }
        return nextDeadline
    }

    // MARK: relayed sockets

    /// Binds a relayed socket of `family` at once (the core needs its address in the Allocate
    /// reply) and watches it.
    private func openRelay(_ family: AddressFamily) -> TransportAddress? {
        guard let ip = relayIPs[family], let (socket, address) = ports.bind(ip) else { return nil }
        let slot =
            freeSlots.popLast()
            ?? {
                relayed.append(nil)
                return relayed.count - 1
            }()
        do {
            try loop.watch(socket.descriptor, token: UInt64(slot + Self.firstRelayedToken))
        } catch {
            socket.close()
            freeSlots.append(slot)
            return nil
        }
        relayed[slot] = RelayedSocket(socket: socket, address: address)
        slotsByPort[Self.slotIndex(address)] = Int32(slot)
        return address
    }

    @inline(__always)
    private static func slotIndex(_ relayed: TransportAddress) -> Int {
        relayed.ip.family.index << 16 | Int(relayed.port)
    }

    /// Closes the relayed sockets of allocations that are gone, and forgets their budgets.
    private func closeReleased() {
        for slot in relayed.indices {
            guard let socket = relayed[slot], !core.holds(relayed: socket.address) else { continue }
            counters.droppedReceiveQueue += socket.socket.receiveQueueDrops
            loop.unwatch(socket.socket.descriptor)
            socket.socket.close()
            relayed[slot] = nil
            freeSlots.append(slot)
            slotsByPort[Self.slotIndex(socket.address)] = -1
        }
        shaper.forget { core.allocations[$0] == nil }
    }

    // MARK: stream and DTLS clients (their frames come by `execute`)

    /// A stream or DTLS client arrived; its replies and relayed data go to `writer`.
    func attach(_ client: RelayClient, writer: @escaping @Sendable (ByteBuffer) -> Void) {
        streamWriters[client] = writer
    }

    /// A stream client's connection closed: its allocation goes with it (RFC 8656 §5).
    func detach(_ client: RelayClient) {
        streamWriters[client] = nil
        core.drop(client)
        closeReleased()
    }

    func holdsAllocation(of client: RelayClient) -> Bool { core.allocations[client] != nil }

    // MARK: counters

    /// What this loop has done, with what the kernel dropped at its sockets so far.
    func snapshot() -> RelayCounters {
        var snapshot = counters
        snapshot.add(shaper.statistics)
        snapshot.allocations = core.allocations.count
        snapshot.rejections = core.rejections
        for socket in listeners.compactMap({ $0 }) + relayed.compactMap({ $0?.socket }) {
            snapshot.droppedReceiveQueue += socket.receiveQueueDrops
        }
        return snapshot
    }
}

/// Where a relayed packet goes: out of a relayed address to a peer, or to a client.
enum RelayDestination: Hashable {
    case peer(relayed: TransportAddress, peer: TransportAddress)
    case client(RelayClient)
}

extension AddressFamily {
    /// 0 for IPv4, 1 for IPv6: the index of a loop's listener and outbox.
    var index: Int { self == .ipv6 ? 1 : 0 }
}
