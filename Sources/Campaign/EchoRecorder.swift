import LoadEngine
import Measurement
import NIOConcurrencyHelpers
import NIOCore
import RunModel
import TURNClient
import TURNProtocol

/// The probe's echo measurement: RTP packets of Opus size sent through the relay every 20 ms,
/// their round trips timed by sequence number (send times kept here, nothing in the payload),
/// on the monotonic clock the load's measurements use.
final class EchoRecorder: Sendable {
    let packets: Int
    private let state: NIOLockedValueBox<State>
    private let clock = ContinuousClock()

    private struct State {
        var sent = 0
        var sendLog: SendLog
        /// Each echo counts once: a relay that duplicates does not make up for one that loses.
        var echoed: Set<UInt16> = []
        var roundTrips = Distribution()
        var firstContact: CheckedContinuation<TransportAddress, Error>?
    }

    init(packets: Int) {
        self.packets = packets
        // A slot per packet sent: none is overwritten before its echo can come back.
        let capacity = 1 << (Int.bitWidth - (max(packets, 1) - 1).leadingZeroBitCount)
        state = NIOLockedValueBox(State(sendLog: SendLog(capacity: min(capacity, 65_536))))
    }

    var statistics: EchoStatistics {
        state.withLockedValue { EchoStatistics(sent: $0.sent, roundTrips: $0.roundTrips) }
    }

    /// Called with every datagram the relay delivers.
    func received(_ payload: ByteBuffer, from peer: TransportAddress) {
        let arrival = monotonicNanoseconds()
        let contact: CheckedContinuation<TransportAddress, Error>? = state.withLockedValue { state in
            if let waiting = state.firstContact {
                state.firstContact = nil
                return waiting
            }
            guard let header = try? payload.peekRTPFixedHeader(),
                let sent = state.sendLog.sentAt(sequence: header.sequenceNumber),
                state.echoed.insert(header.sequenceNumber).inserted
            else { return nil }
            state.roundTrips.record(arrival - sent)
            return nil
        }
        contact?.resume(returning: peer)
    }

    /// The peer socket sends first; the relay hands it over as data from the address it sees,
    /// which is where the echo packets must go.
    func firstContact(from peer: some ProbePeer, to relayed: TransportAddress, timeout: Duration) async throws -> TransportAddress {
        let relayedAddress = SocketAddress(relayed)
        return try await withThrowingTaskGroup(of: TransportAddress.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    self.state.withLockedValue { $0.firstContact = continuation }
                    Task { try? await peer.send(ByteBuffer(string: "turnload probe"), to: relayedAddress) }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                let waiting = self.state.withLockedValue { state in
                    defer { state.firstContact = nil }
                    return state.firstContact
                }
                waiting?.resume(
                    throwing: ProbeError(
                        "nothing reached the client from the probe's peer through \(relayed) within \(formatSeconds(timeout.seconds))"))
                throw CancellationError()
            }
            let address = try await group.next()!
            group.cancelAll()
            return address
        }
    }

    /// Sends the packets 20 ms apart, then waits for the echoes (at most a second, within the timeout).
    func run(_ connection: TURNClientConnection, to peer: TransportAddress, timeout: Duration) async throws -> EchoStatistics {
        let payload = [UInt8](repeating: 0xA5, count: TURNProbe.opusFrameBytes)
        let ssrc = UInt32.random(in: 0...UInt32.max)
        let start = clock.now
        for index in 0..<packets {
            let header = RTPHeader(
                marker: index == 0, payloadType: 111, sequenceNumber: UInt16(truncatingIfNeeded: index),
                timestamp: UInt32(index) * 960, ssrc: ssrc)
            var packet = ByteBuffer()
            packet.writeRTPPacket(RTPPacket(header: header, payload: ByteBuffer(bytes: payload)))
            let due = start + .milliseconds(20 * index)
            try await clock.sleep(until: due)
            state.withLockedValue { state in
                state.sent += 1
                state.sendLog.record(sequence: header.sequenceNumber, at: monotonicNanoseconds())
            }
            connection.send(packet, to: peer)
        }
        let deadline = min(clock.now + .seconds(1), start + timeout)
        while clock.now < deadline, statistics.received < packets {
            try await clock.sleep(for: .milliseconds(10))
        }
        let statistics = self.statistics
        guard statistics.received > 0 else {
            throw ProbeError("no echo came back (0 of \(packets) packets)")
        }
        return statistics
    }
}
