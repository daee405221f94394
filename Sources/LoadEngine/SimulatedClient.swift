import Measurement
import Media
import NIOCore
import PacketIO
import RunModel
import TURNClient
import TURNProtocol

/// One simulated call's media, on its client thread (and only there, hence the unchecked
/// Sendable): the RTP stream it sends, when it sent each packet, and what it receives. Over
/// plain UDP the thread reads its socket; otherwise a tap in its connection's pipeline
/// (`FrameMediaTap`) hands it media before the TURN session sees it.
/// Unchecked Sendable: confined to its client thread, often a PacketLoop's, which NIO does not own; borrowed unretained per packet.
final class SimulatedClient: @unchecked Sendable {
    let index: Int
    let connection: LoadConnection
    /// The socket the thread's packet loop reads and writes, over plain UDP.
    let socket: UDPSocket?
    let route: MediaRoute
    /// Its connection's 5-tuple and its relayed address, as its figures name it.
    let fiveTuple: String
    /// The first two words of every Send indication's transaction ID; the third counts them.
    private let indicationID = TransactionID.random()
    private var indications: UInt32 = 0
    /// When in each frame interval this client sends, in nanoseconds after the interval starts.
    let phase: Int64
    /// Streams pad ChannelData to 4 bytes; datagrams (UDP, DTLS) do not.
    private let padded: Bool
    private let library: OpusPacketLibrary
    /// Packets each frame interval: more than one for a video-like group (`burst=`).
    private let packetsPerFrame: Int
    /// The thread owns its clients and outlives them: no reference counting per packet.
    private unowned(unsafe) let thread: ClientThread
    /// Where media leaves over TCP, TLS and DTLS, while the tap is in the connection's pipeline.
    var tap: FrameMediaTap?
    private var outgoing: ByteBuffer

    var rtp: RTPStreamState
    /// When each packet left, by sequence number: one-way delay and RTT without timestamps in
    /// the payload.
    var sendLog = SendLog()
    /// When the peer echoed each packet back (echo topology).
    var echoLog = SendLog()
    /// When each packet reached the peer (echo topology): with the echo's send time, the
    /// peer's own wait before echoing (up to a wakeup of its loop) drops out of the RTT.
    var peerArrivalLog = SendLog()
    /// This client's stream as the peer socket (or the partner) receives it.
    var towardPeer: StreamReceiver
    /// What comes back to this client: the echo, or the partner's stream.
    var towardClient: StreamReceiver
    /// In a pair, the client whose stream this one receives.
    weak var partner: SimulatedClient?
    private(set) var sent = 0
    private(set) var echoed = 0
    /// The sequence numbers the first packet each way carried, for tail losses at the end.
    let firstSequence: UInt16
    /// When it joined the pacing, and when it hung up (monotonic nanoseconds).
    var joinedAt: Int64 = 0
    var silencedAt: Int64?
    /// Its connection closed under it (counted among the thread's closed clients).
    var closedEarly = false
    /// It left its thread after hanging up: what its connection does next is not its call's.
    var hungUp = false
    var ssrc: UInt32 { rtp.ssrc }

    init(
        index: Int, connection: LoadConnection, route: MediaRoute, fiveTuple: String, phase: Int64, rtp: RTPStreamState,
        library: OpusPacketLibrary,
        packetsPerFrame: Int = 1, jitterBuffer: Int64, thread: ClientThread
    ) {
        self.index = index
        self.connection = connection
        if case .packetLoop(let loopConnection) = connection { socket = loopConnection.socket } else { socket = nil }
        self.route = route
        self.fiveTuple = fiveTuple
        self.phase = phase
        self.rtp = rtp
        firstSequence = rtp.sequenceNumber
        self.library = library
        self.packetsPerFrame = packetsPerFrame
        self.thread = thread
        padded = if case .nio(let nio) = connection { nio.transport.isStream } else { false }
        outgoing = ByteBufferAllocator().buffer(capacity: 1500)
        towardPeer = StreamReceiver(jitterBuffer: jitterBuffer)
        towardClient = StreamReceiver(jitterBuffer: jitterBuffer)
    }

    /// Over TCP, TLS and DTLS, puts this client's tap in front of the session, behind the
    /// decoder. Over plain UDP the thread reads the socket and needs none.
    func insertTap() async throws {
        if case .nio(let connection) = connection { try await connection.insertBeforeSession { FrameMediaTap(self) } }
    }

    /// Sends the next frame of the call, unless it is DTX silence: one packet, or a burst of
    /// them with the frame's timestamp.
    func sendNextFrame(now: Int64) {
        guard socket != nil || tap != nil, let packet = rtp.next(in: library) else { return }
        send(packet, now: now)
        for _ in 1..<packetsPerFrame {
            if let more = rtp.continueFrame(in: library) { send(more, now: now) }
        }
    }

    /// The buffer is reused: the datagram is written before the send returns, so it is unique
    /// again next time.
    @inline(__always)
    private func send(_ packet: OutgoingPacket, now: Int64) {
        outgoing.clear()
        let payloadLength = library.withPayload(packet.index) { payload in
            switch route {
            case .channel(let channel):
                outgoing.writeChannelDataRTP(channel: channel, header: packet.header, payload: payload, padded: padded)
            case .indications(let peer):
                indications &+= 1
                let id = TransactionID(high: indicationID.high, middle: indicationID.middle, low: indications)
                outgoing.writeSendIndicationRTP(to: peer, transactionID: id, header: packet.header, payload: payload)
            }
            return payload.count
        }
        sendLog.record(sequence: packet.header.sequenceNumber, at: now)
        sent += 1
        thread.countSent(frameBytes: outgoing.readableBytes, rtpBytes: packet.header.encodedLength + payloadLength)
        if let socket {
            if !outgoing.withUnsafeReadableBytes({ socket.send($0) }) { thread.countSendFailure() }
        } else if let tap {
            tap.send(outgoing)
        }
    }

    /// A datagram on the UDP socket: true when it was this client's media. The socket is
    /// connected, so only the server's datagrams arrive, and the channel number (or a Data
    /// indication, without one) is check enough.
    func receivedDatagram(_ datagram: UnsafeRawBufferPointer, arrival: Int64) -> Bool {
        let data: Range<Int>
        switch route {
        case .channel(let number):
            guard case .success(let (channel, length)) = ChannelData.parseHeader(datagram, padded: false), channel == number else {
                return false
            }
            data = ChannelData.headerLength..<ChannelData.headerLength + length
        case .indications:
            guard let range = MediaIndication.dataRange(in: datagram) else { return false }
            data = range
        }
        guard case .success(let header) = RTPFixedHeader.parse(UnsafeRawBufferPointer(rebasing: datagram[data])) else {
            return false
        }
        thread.receivedAtClient(self, header: header, rtpBytes: data.count, arrival: arrival)
        return true
    }

    /// A STUN frame over TCP, TLS or DTLS: true when it was a Data indication carrying RTP.
    func receivedIndication(_ frame: ByteBuffer) -> Bool {
        guard case .indications = route else { return false }
        return frame.withUnsafeReadableBytes { bytes in
            guard let range = MediaIndication.dataRange(in: bytes),
                case .success(let header) = RTPFixedHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[range]))
            else { return false }
            thread.receivedAtClient(self, header: header, rtpBytes: range.count, arrival: monotonicNanoseconds())
            return true
        }
    }

    /// A ChannelData payload on this client's channel: true when it was RTP.
    func receivedMedia(_ payload: ByteBuffer) -> Bool {
        guard let header = try? payload.peekRTPFixedHeader() else { return false }
        thread.receivedAtClient(self, header: header, rtpBytes: payload.readableBytes, arrival: monotonicNanoseconds())
        return true
    }

    /// The ChannelData message, or the indication, that carries `rtpBytes` on this client's
    /// connection, as sent (a server's Data indication may carry more attributes).
    func frameBytes(rtpBytes: Int) -> Int {
        switch route {
        case .channel: ChannelData.frameLength(dataLength: rtpBytes, padded: padded)
        case .indications(let peer): MediaIndication.length(dataLength: rtpBytes, family: peer.ip.family)
        }
    }

    func closed() {
        if !hungUp { thread.clientClosed(self) }
    }

    /// The call's figures as they stand: exact once nothing is in flight any more.
    struct Figures: Sendable {
        var client: Int
        var ssrc: UInt32
        var route: MediaPath
        var fiveTuple: String
        var towardPeer: StreamTotals
        var towardClient: StreamTotals
        var joinedAt: Int64
        var silencedAt: Int64?
    }

    var figures: Figures {
        Figures(
            client: index, ssrc: ssrc, route: route.path, fiveTuple: fiveTuple,
            towardPeer: towardPeer.finish(sent: sent, firstSequence: firstSequence),
            // From the client's first sequence number: the echo carries the way out's numbers,
            // gaps included, and its first packet may have been overtaken.
            towardClient: towardClient.finish(sent: echoed, firstSequence: firstSequence), joinedAt: joinedAt,
            silencedAt: silencedAt)
    }

    /// The peer socket, which received this packet at `arrival`, is about to echo it at
    /// `sentAt`: the send time of the way back.
    func echoing(sequence: UInt16, arrivedAt arrival: Int64, sentAt: Int64) {
        peerArrivalLog.record(sequence: sequence, at: arrival)
        echoLog.record(sequence: sequence, at: sentAt)
        echoed += 1
    }
}
