import Measurement
import Media
import NIOCore
import TURNProtocol

/// The clients of one event-loop thread, their peer socket, their pacing and their figures.
/// Everything here runs on that one thread: the hot path takes no lock and shares nothing.
final class Shard: @unchecked Sendable {
    let eventLoop: EventLoop
    let topology: Topology
    private let interval: Int64
    private var peerChannel: Channel?
    private(set) var peerAddress: TransportAddress?

    /// Clients by phase within the frame interval: the pacer walks this round after round.
    private var schedule: [SimulatedClient] = []
    private var bySSRC: [UInt32: SimulatedClient] = [:]
    private(set) var clients: [SimulatedClient] = []
    private var cursor = 0
    private var roundStart: Int64 = 0
    private var pacing = false
    private var wakeup: Scheduled<Void>?
    /// The pacer sleeps at least this long between wakeups: the sends it then finds due are up
    /// to a millisecond late (5% of a 20 ms frame), and that lateness is measured. Waking for
    /// every send would cost a timer and a context switch per packet, the harness's largest
    /// cost in profiles at 200 µs.
    private static let quantum: Int64 = 1_000_000

    var tally = ShardTally()
    private(set) var second = ShardTally()
    private(set) var closedClients = 0

    private let clientOverhead: WireOverhead
    private let peerOverhead: WireOverhead

    init(eventLoop: EventLoop, topology: Topology, interval: Duration, clientOverhead: WireOverhead, peerOverhead: WireOverhead) {
        self.eventLoop = eventLoop
        self.topology = topology
        self.interval = interval.nanosecondsValue
        self.clientOverhead = clientOverhead
        self.peerOverhead = peerOverhead
    }

    func openPeer(host: IPAddress) async throws {
        let channel = try await PeerSocket.open(on: eventLoop, host: host, shard: self)
        try await eventLoop.submit {
            self.peerChannel = channel
            self.peerAddress = channel.localAddress.flatMap(TransportAddress.init)
        }.get()
    }

    // MARK: pacing

    /// Joins the pacing at the client's phase, from its next slot on. Call on the event loop.
    func add(_ client: SimulatedClient) {
        if schedule.isEmpty {
            // The rounds stood still while no one was paced: resume at the current one, or the
            // newcomer would send every frame it "missed" since.
            let now = monotonicNanoseconds()
            roundStart += max(0, (now - roundStart) / interval) * interval
            cursor = 0
        }
        clients.append(client)
        bySSRC[client.ssrc] = client
        let position = schedule.firstIndex { $0.phase > client.phase } ?? schedule.count
        schedule.insert(client, at: position)
        if position < cursor { cursor += 1 }
    }

    func startPacing(at start: Int64) {
        roundStart = start
        cursor = 0
        pacing = true
        tick()
    }

    func stopPacing() {
        pacing = false
        wakeup?.cancel()
    }

    private func tick() {
        var now = monotonicNanoseconds()
        // One round at most per wakeup, so that a harness far behind still reads its sockets.
        var budget = schedule.count
        while pacing, budget > 0, !schedule.isEmpty {
            if cursor >= schedule.count {
                cursor = 0
                roundStart += interval
            }
            let client = schedule[cursor]
            let due = roundStart + client.phase
            // Each send reads the clock: its send time and lateness are its own, not the batch's.
            now = monotonicNanoseconds()
            if due > now { break }
            let lateness = now - due
            tally.health.recordSend(lateness: lateness)
            second.health.recordSend(lateness: lateness)
            if lateness > interval {
                tally.health.recordMissedTimers()
                second.health.recordMissedTimers()
            }
            // Past this client before sending: a failed write may close it, and its removal
            // from the schedule then keeps the cursor on the next one.
            cursor += 1
            budget -= 1
            client.sendNextFrame(now: now)
        }
        guard pacing else { return }
        var next = now + Self.quantum
        if !schedule.isEmpty, budget > 0 {
            let due = cursor >= schedule.count ? roundStart + interval + schedule[0].phase : roundStart + schedule[cursor].phase
            next = max(due, next)
        }
        wakeup = eventLoop.scheduleTask(deadline: NIODeadline.uptimeNanoseconds(UInt64(next))) { [self] in tick() }
    }

    // MARK: the hot path

    func countSent(frameBytes: Int, rtpBytes: Int) {
        let wire = frameBytes + clientOverhead.perPacket
        tally.towardPeer.addSent(packets: 1, payloadBytes: rtpBytes, wireBytes: wire)
        second.towardPeer.addSent(packets: 1, payloadBytes: rtpBytes, wireBytes: wire)
    }

    /// A client's packet at the peer socket; true when it is to be echoed.
    func receivedAtPeer(header: RTPFixedHeader, rtpBytes: Int) -> Bool {
        guard let client = bySSRC[header.ssrc] else { return false }
        let now = monotonicNanoseconds()
        let arrival = client.towardPeer.receive(sequence: header.sequenceNumber, rtpTimestamp: header.timestamp, arrival: now,
                                                sentAt: client.sendLog.sentAt(sequence: header.sequenceNumber))
        let wire = rtpBytes + peerOverhead.perPacket
        tally.towardPeer.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
        second.towardPeer.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
        // Only what arrives new is echoed, so that each way's duplicates are its own.
        guard arrival.isNew, topology == .echo else { return false }
        client.echoing(sequence: header.sequenceNumber, at: now)
        tally.towardClient.addSent(packets: 1, payloadBytes: rtpBytes, wireBytes: wire)
        second.towardClient.addSent(packets: 1, payloadBytes: rtpBytes, wireBytes: wire)
        return true
    }

    /// A media frame from the relay on a client's socket: the echo of its own stream, or its
    /// partner's stream.
    func receivedAtClient(_ client: SimulatedClient, header: RTPFixedHeader, rtpBytes: Int) {
        let now = monotonicNanoseconds()
        let wire = client.frameBytes(rtpBytes: rtpBytes) + clientOverhead.perPacket
        switch topology {
        case .echo:
            guard header.ssrc == client.ssrc else { return }
            let arrival = client.towardClient.receive(sequence: header.sequenceNumber, rtpTimestamp: header.timestamp, arrival: now,
                                                      sentAt: client.echoLog.sentAt(sequence: header.sequenceNumber))
            tally.towardClient.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
            second.towardClient.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
            if arrival.isNew, let sent = client.sendLog.sentAt(sequence: header.sequenceNumber) {
                tally.rtt.record(now - sent)
                second.rtt.record(now - sent)
            }
        case .pair:
            guard let partner = client.partner, header.ssrc == partner.ssrc else { return }
            let arrival = partner.towardPeer.receive(sequence: header.sequenceNumber, rtpTimestamp: header.timestamp, arrival: now,
                                                     sentAt: partner.sendLog.sentAt(sequence: header.sequenceNumber))
            tally.towardPeer.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
            second.towardPeer.record(arrival, payloadBytes: rtpBytes, wireBytes: wire)
        case .sink:
            return
        }
    }

    func clientClosed(_ client: SimulatedClient) {
        closedClients += 1
        if let position = schedule.firstIndex(where: { $0 === client }) {
            schedule.remove(at: position)
            if position < cursor { cursor -= 1 }
        }
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
        clients.reduce(0) { $0 + (topology == .echo ? $1.towardClient.lostSoFar : $1.towardPeer.lostSoFar) }
    }

    /// The local ports of the shard's UDP sockets, for their drop counters.
    func udpPorts() -> [Int] {
        clients.compactMap { $0.connection.transport == .udp ? $0.connection.localAddress?.port : nil }
            + [peerAddress.map { Int($0.port) }].compactMap { $0 }
    }

    /// This second's tally, and a fresh one for the next.
    func takeSecond() -> ShardTally {
        defer { second = ShardTally() }
        return second
    }

    func closePeer() async {
        try? await peerChannel?.close()
    }
}
