import Measurement
import Media
import NIOCore
import PacketIO
import RunModel
import TURNClient
import TURNProtocol

/// The clients of one thread, their peer socket, their pacing and their figures. Everything
/// here runs on that one thread: the hot path takes no lock and shares nothing.
///
/// Over plain UDP the thread is a `PacketLoop`: clients' and peer sockets are read with
/// recvmmsg and written with send/sendmmsg, and NIO keeps only the control plane (each
/// client's `TURNSession`, on `eventLoop`). Over TCP, TLS and DTLS, media runs through the
/// connections' NIO pipelines, on `eventLoop` itself.
/// Unchecked Sendable: confined to its PacketLoop's thread (NIO does not own it) or, without one, its event loop, as `onThread` hops.
final class ClientThread: @unchecked Sendable {
    /// The control plane's event loop, and the media's over streams and DTLS.
    let eventLoop: EventLoop
    /// The media's thread over plain UDP.
    let packetLoop: PacketLoop?
    let topology: Topology
    private let interval: Int64
    private var peerChannel: Channel?
    private var peerSocket: UDPSocket?
    private(set) var peerAddress: TransportAddress?
    private let batch = DatagramBatch()
    /// A batch's echoes until they leave, kept to reuse its storage.
    private var echoes: [(client: Borrowed, sequence: UInt16, arrival: Int64)] = []

    /// A client as the packet path's tables hold it: `clients` owns every client for the
    /// thread's life, so the tables borrow them and a packet costs no reference counting.
    typealias Borrowed = Unmanaged<SimulatedClient>

    /// The packet loop's client sockets by token (their index): each connection, and its
    /// client once it joined the pacing; nil once a call that hung up gave its token back.
    private var slots: [(connection: PacketLoopConnection, client: Borrowed?)?] = []
    private var tokens: [ObjectIdentifier: Int] = [:]
    private var freeTokens: [Int] = []
    /// When the sessions' timers (retransmissions, refreshes) are next looked at.
    private var nextSweep: Int64 = 0
    private static let sweepInterval: Int64 = 10_000_000

    /// Clients by phase within the frame interval: the pacer walks this round after round.
    private var schedule: [Borrowed] = []
    private var bySSRC: [UInt32: Borrowed] = [:]
    /// In the order they joined: the tables above borrow them, so a client leaves this only
    /// after it left them (`retire`).
    private(set) var clients: [SimulatedClient] = []
    /// The figures of the calls that hung up and left.
    private(set) var retired: [SimulatedClient.Figures] = []
    /// What those calls had lost, and their sockets' receive queues had dropped, when they left.
    private var retiredLost = 0
    private var retiredQueueDrops = 0
    private var cursor = 0
    private var roundStart: Int64 = 0
    private var pacing = false
    private var wakeup: Scheduled<Void>?
    /// The pacer sleeps at least this long between wakeups: the sends it then finds due are up
    /// to a millisecond late (5% of a 20 ms frame), and that lateness is measured. Waking for
    /// every send would cost a timer and a context switch per packet, the harness's largest
    /// cost in profiles at 200 µs.
    private static let quantum: Int64 = 1_000_000
    private static let peerToken = UInt64.max - 1

    /// The run's figures up to the last whole second, and this second's so far: each packet
    /// is recorded once, in `second`, which folds into `tally` when the second is taken.
    private var tally = ThreadTally()
    private(set) var second = ThreadTally()
    /// The seconds since `beginWindow` (`saturate --live`).
    private(set) var window = ThreadTally()
    private(set) var closedClients = 0
    /// Its clients' refreshes so far.
    private(set) var refreshes = RefreshFigures()

    private let clientOverhead: WireOverhead
    private let peerOverhead: WireOverhead

    init(
        eventLoop: EventLoop, packetLoop: PacketLoop?, topology: Topology, interval: Duration,
        clientOverhead: WireOverhead, peerOverhead: WireOverhead
    ) {
        self.eventLoop = eventLoop
        self.packetLoop = packetLoop
        self.topology = topology
        self.interval = interval.nanosecondsValue
        self.clientOverhead = clientOverhead
        self.peerOverhead = peerOverhead
    }

    /// Runs `body` on the client thread.
    func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        if let packetLoop { return try await packetLoop.submit(body) }
        return try await eventLoop.submit(body).get()
    }

    func openPeer(host: IPAddress) async throws {
        guard let packetLoop else {
            let channel = try await PeerSocket.open(on: eventLoop, host: host, thread: self)
            try await onThread {
                self.peerChannel = channel
                self.peerAddress = channel.localAddress.flatMap(TransportAddress.init)
            }
            return
        }
        // The one socket of a thread takes every client's stream.
        let socket = try UDPSocket.bound(to: SocketAddress(TransportAddress(ip: host, port: 0)), bufferBytes: 4 << 20)
        guard let port = socket.localPort else {
            socket.close()
            throw LoadError("the peer socket on \(host) has no port")
        }
        socket.stampArrivals()
        try await packetLoop.submit {
            try packetLoop.watch(socket.descriptor, token: Self.peerToken)
            self.peerSocket = socket
            self.peerAddress = TransportAddress(ip: host, port: UInt16(port))
        }
    }

    /// Makes this thread the packet loop's handler. Call once, before anything else runs there.
    func attach() async throws {
        guard let packetLoop else { return }
        try await packetLoop.submit { packetLoop.setHandler(self) }
    }

    // MARK: pacing

    /// Joins the pacing at the client's phase, from its next slot on. Call on the client thread.
    func add(_ client: SimulatedClient) {
        if schedule.isEmpty {
            // The rounds stood still while no one was paced: resume at the current one, or the
            // newcomer would send every frame it "missed" since.
            let now = monotonicNanoseconds()
            roundStart += max(0, (now - roundStart) / interval) * interval
            cursor = 0
        }
        clients.append(client)
        client.joinedAt = monotonicNanoseconds()
        let borrowed = Borrowed.passUnretained(client)
        if case .packetLoop(let connection) = client.connection, let token = tokens[ObjectIdentifier(connection)] {
            slots[token]?.client = borrowed
        }
        bySSRC[client.ssrc] = borrowed
        let position = schedule.firstIndex { $0._withUnsafeGuaranteedRef(\.phase) > client.phase } ?? schedule.count
        schedule.insert(borrowed, at: position)
        if position < cursor { cursor += 1 }
    }

    /// Reads `connection`'s socket from now on, and keeps its session's timers. Call on the
    /// packet loop, before the first request.
    func register(_ connection: PacketLoopConnection) throws {
        guard let packetLoop else { return }
        connection.socket.stampArrivals()
        let token = freeTokens.last ?? slots.count
        try packetLoop.watch(connection.socket.descriptor, token: UInt64(token))
        tokens[ObjectIdentifier(connection)] = token
        if token == slots.count { slots.append((connection, nil)) } else { slots[freeTokens.removeLast()] = (connection, nil) }
        if !pacing { packetLoop.setDeadline(PacketLoop.now() + Self.sweepInterval) }
    }

    func startPacing(at start: Int64) {
        roundStart = start
        cursor = 0
        pacing = true
        packetLoop?.setReadsWaitForDeadline(true)
        wake()
    }

    /// Pacing stops; on a packet loop the sessions' timers go on (the release's retransmissions).
    func stopPacing() {
        pacing = false
        packetLoop?.setReadsWaitForDeadline(false)
        wakeup?.cancel()
        packetLoop?.setDeadline(PacketLoop.now() + Self.sweepInterval)
    }

    /// Sends what is due and comes back for the next due send.
    private func wake() {
        guard let next = pace() else { return }
        if let packetLoop {
            packetLoop.setDeadline(next)
        } else {
            wakeup = eventLoop.scheduleTask(deadline: NIODeadline.uptimeNanoseconds(UInt64(next))) { [self] in wake() }
        }
    }

    /// Sends every send now due, at most one round; when to come back, or nil once stopped.
    private func pace() -> Int64? {
        var now = monotonicNanoseconds()
        // One round at most per wakeup, so that a harness far behind still reads its sockets.
        var budget = schedule.count
        while pacing, budget > 0, !schedule.isEmpty {
            if cursor >= schedule.count {
                cursor = 0
                roundStart += interval
            }
            let client = schedule[cursor]
            let due = roundStart + client._withUnsafeGuaranteedRef(\.phase)
            // Each send reads the clock: its send time and lateness are its own, not the batch's.
            now = monotonicNanoseconds()
            if due > now { break }
            let lateness = now - due
            second.health.recordSend(lateness: lateness)
            if lateness > interval { second.health.recordMissedTimers() }
            // Past this client before sending: a failed write may close it, and its removal
            // from the schedule then keeps the cursor on the next one.
            cursor += 1
            budget -= 1
            client._withUnsafeGuaranteedRef { $0.sendNextFrame(now: now) }
        }
        guard pacing else { return nil }
        var next = now + Self.quantum
        if !schedule.isEmpty, budget > 0 {
            let due =
                cursor >= schedule.count
                ? roundStart + interval + schedule[0]._withUnsafeGuaranteedRef(\.phase)
                : roundStart + schedule[cursor]._withUnsafeGuaranteedRef(\.phase)
            next = max(due, next)
        }
        return next
    }

    /// A refresh one of its clients' sessions made, answered or failed.
    func record(_ refresh: TURNRefresh) {
        refreshes.record(refresh)
    }

    // MARK: the hot path

    func countSent(frameBytes: Int, rtpBytes: Int) {
        second.towardPeer.addSent(packets: 1, payloadBytes: rtpBytes, wireBytes: frameBytes + clientOverhead.perPacket)
    }

    /// A send the harness's own socket refused (its send buffer full): the harness fell behind.
    func countSendFailure() {
        second.health.recordSendFailures()
    }

    /// A client's packet at the peer socket; its client when it is to be echoed.
    func receivedAtPeer(header: RTPFixedHeader, rtpBytes: Int, arrival now: Int64) -> Borrowed? {
        guard let borrowed = bySSRC[header.ssrc] else { return nil }
        let arrival = borrowed._withUnsafeGuaranteedRef { client in
            client.towardPeer.receive(
                sequence: header.sequenceNumber, rtpTimestamp: header.timestamp, arrival: now,
                sentAt: client.sendLog.sentAt(sequence: header.sequenceNumber))
        }
        let wire = rtpBytes + peerOverhead.perPacket
        second.towardPeer.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
        // Only what arrives new is echoed, so that each way's duplicates are its own.
        guard arrival.isNew, topology == .echo else { return nil }
        second.towardClient.addSent(packets: 1, payloadBytes: rtpBytes, wireBytes: wire)
        return borrowed
    }

    /// A media frame from the relay on a client's socket: the echo of its own stream, or its
    /// partner's stream.
    func receivedAtClient(_ client: SimulatedClient, header: RTPFixedHeader, rtpBytes: Int, arrival now: Int64) {
        let wire = client.frameBytes(rtpBytes: rtpBytes) + clientOverhead.perPacket
        switch topology {
        case .echo:
            guard header.ssrc == client.ssrc else { return }
            let arrival = client.towardClient.receive(
                sequence: header.sequenceNumber, rtpTimestamp: header.timestamp, arrival: now,
                sentAt: client.echoLog.sentAt(sequence: header.sequenceNumber))
            second.towardClient.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
            // Both ways' delays: the peer's wait before echoing is the harness's, not the path's.
            let sequence = header.sequenceNumber
            if arrival.isNew, let sent = client.sendLog.sentAt(sequence: sequence),
                let reached = client.peerArrivalLog.sentAt(sequence: sequence), let echoed = client.echoLog.sentAt(sequence: sequence)
            {
                second.rtt.record((reached - sent) + (now - echoed))
            }
        case .pair:
            guard let partner = client.partner, header.ssrc == partner.ssrc else { return }
            let arrival = partner.towardPeer.receive(
                sequence: header.sequenceNumber, rtpTimestamp: header.timestamp, arrival: now,
                sentAt: partner.sendLog.sentAt(sequence: header.sequenceNumber))
            second.towardPeer.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
        case .sink:
            return
        }
    }

    func clientClosed(_ client: SimulatedClient) {
        closedClients += 1
        client.closedEarly = true
        unschedule(client)
    }

    /// A call hangs up: it sends no more, and its packets in flight still count.
    func silence(_ client: SimulatedClient) {
        client.silencedAt = monotonicNanoseconds()
        unschedule(client)
    }

    private func unschedule(_ client: SimulatedClient) {
        let leaving = Borrowed.passUnretained(client).toOpaque()
        if let position = schedule.firstIndex(where: { $0.toOpaque() == leaving }) {
            schedule.remove(at: position)
            if position < cursor { cursor -= 1 }
        }
    }

    /// A silenced call leaves once its packets in flight had their time: its figures are
    /// kept, and nothing here refers to it any more. Its connection is closed next, and its
    /// socket's token given back by `forget`.
    func retire(_ client: SimulatedClient) {
        client.hungUp = true
        if bySSRC[client.ssrc]?.toOpaque() == Borrowed.passUnretained(client).toOpaque() { bySSRC[client.ssrc] = nil }
        if case .packetLoop(let connection) = client.connection, let token = tokens[ObjectIdentifier(connection)] {
            slots[token]?.client = nil
            retiredQueueDrops += connection.socket.receiveQueueDrops
        }
        if client.closedEarly { closedClients -= 1 }
        retiredLost += topology == .echo ? client.towardClient.lostSoFar : client.towardPeer.lostSoFar
        retired.append(client.figures)
        clients.removeAll { $0 === client }
    }

    /// A retired call's socket, closed: its token serves the next call.
    func forget(_ connection: LoadConnection) {
        guard case .packetLoop(let connection) = connection, let token = tokens.removeValue(forKey: ObjectIdentifier(connection)) else {
            return
        }
        slots[token] = nil
        freeTokens.append(token)
    }

    // MARK: figures

    /// Each stream's RFC 3550 jitter now: the echo's in `echo`, else the far end's.
    func currentJitter() -> Distribution {
        var jitter = Distribution()
        for client in clients {
            let receiver = topology == .echo ? client.towardClient : client.towardPeer
            if receiver.received > 1 { jitter.record(receiver.jitter) }
        }
        return jitter
    }

    /// Packets missing so far below the highest sequence each stream has delivered to its end
    /// of the call: the echo's gaps in `echo` (lost either way), the far end's otherwise.
    /// Packets still in flight are not counted, however long the delay.
    func lostSoFar() -> Int {
        clients.reduce(retiredLost) { $0 + (topology == .echo ? $1.towardClient.lostSoFar : $1.towardPeer.lostSoFar) }
    }

    /// What the kernel dropped at the full receive queues of the sockets this thread reads
    /// itself (on a packet loop), and the local ports of those NIO reads, for their counters.
    func receiveQueueDrops() -> (counted: Int, ports: [Int]) {
        guard packetLoop != nil else {
            let ports = clients.compactMap { client -> Int? in
                guard case .nio(let connection) = client.connection, connection.transport == .dtls else { return nil }
                return connection.localAddress?.port
            }
            return (0, ports + [peerAddress.map { Int($0.port) }].compactMap { $0 })
        }
        let sockets = slots.compactMap { $0?.connection.socket } + [peerSocket].compactMap { $0 }
        return (sockets.reduce(retiredQueueDrops) { $0 + $1.receiveQueueDrops }, [])
    }

    /// This second's tally, folded into the run's, and a fresh one for the next.
    func takeSecond() -> ThreadTally {
        defer {
            tally.merge(second)
            window.merge(second)
            second = ThreadTally()
        }
        return second
    }

    /// A window starts with the next second; the calls' totals as they stand.
    func beginWindow() -> [SimulatedClient.Figures] {
        window = ThreadTally()
        return clients.map(\.figures)
    }

    /// The run's figures so far, the second under way included.
    var runTally: ThreadTally {
        var total = tally
        total.merge(second)
        return total
    }

    /// Closes the peer socket, and on a packet loop stops reading the sockets it reads itself
    /// and closes any client's the release left open.
    func close() async {
        try? await peerChannel?.close()
        guard let packetLoop else { return }
        try? await packetLoop.submit {
            for slot in self.slots { slot?.connection.closeOnLoop() }
            if let peerSocket = self.peerSocket {
                packetLoop.unwatch(peerSocket.descriptor)
                peerSocket.close()
            }
            self.peerSocket = nil
            packetLoop.setDeadline(nil)
            packetLoop.setHandler(nil)
        }
    }
}

extension ClientThread: PacketLoopHandler {
    func readable(token: UInt64) {
        if token == Self.peerToken {
            readPeer()
        } else if token < UInt64(slots.count) {
            read(slot: Int(token))
        }
    }

    /// The pacing's next send, and every 10 ms the sessions' timers.
    func deadlineReached(now: Int64) -> Int64? {
        if now >= nextSweep {
            for case let slot? in slots {
                if let deadline = slot.connection.deadline, deadline <= now { slot.connection.advance(now: now) }
            }
            nextSweep = now + Self.sweepInterval
        }
        guard pacing, let next = pace() else { return nextSweep }
        return min(next, nextSweep)
    }

    /// Every client's stream at the peer socket, a batch at a time; in `echo` each batch's new
    /// packets go back with one sendmmsg. A few batches per wakeup, so that the clients'
    /// sockets get their turn.
    private func readPeer() {
        guard let peerSocket else { return }
        for _ in 0..<4 {
            guard case .success(let count) = batch.receive(from: peerSocket.descriptor), count > 0 else { return }
            for index in 0..<count {
                let datagram = batch.datagram(index)
                let arrival = batch.arrival(index) ?? monotonicNanoseconds()
                guard case .success(let header) = RTPFixedHeader.parse(datagram),
                    let client = receivedAtPeer(header: header, rtpBytes: datagram.count, arrival: arrival)
                else { continue }
                batch.mark(index)
                echoes.append((client, header.sequenceNumber, arrival))
            }
            if !echoes.isEmpty {
                let sentAt = monotonicNanoseconds()
                for echo in echoes {
                    echo.client._withUnsafeGuaranteedRef { $0.echoing(sequence: echo.sequence, arrivedAt: echo.arrival, sentAt: sentAt) }
                }
                let sent = (try? batch.sendMarked(from: peerSocket.descriptor).get()) ?? 0
                if sent < echoes.count { second.health.recordSendFailures(echoes.count - sent) }
                echoes.removeAll(keepingCapacity: true)
            }
            if count < DatagramBatch.capacity { return }
        }
    }

    /// What the relay sent a client: its media, measured here; anything else (STUN answers,
    /// an ICMP error) is for its session.
    private func read(slot: Int) {
        // A token given back may still have an event of the same wakeup.
        guard let (connection, client) = slots[slot] else { return }
        switch batch.receive(from: connection.socket.descriptor) {
        case .success(let count):
            for index in 0..<count {
                let datagram = batch.datagram(index)
                let arrival = batch.arrival(index) ?? monotonicNanoseconds()
                let media = client?._withUnsafeGuaranteedRef { $0.receivedDatagram(datagram, arrival: arrival) } ?? false
                if !media { connection.receive(datagram, now: arrival) }
            }
        case .failure(let error):
            connection.fail(error)
        }
    }
}
