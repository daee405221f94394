import DTLS
import NIOCore
import TURNProtocol

/// The clients NIO serves: TCP and TLS connections, and DTLS associations on the DTLS
/// listener. What state they have here lives on `eventLoop`, where their handlers call in;
/// their frames go on to the relay loop that holds their allocation (chosen by the client's
/// port), and what that loop sends them comes back through the writer it was given.
/// Unchecked Sendable: confined to `eventLoop`, where its handlers and timers call in and others hop with `execute`.
final class NIOClients: @unchecked Sendable {
    let eventLoop: EventLoop
    let configuration: RelayConfiguration
    private let loops: [RelayLoop]
    private var streams: [RelayClient: Channel] = [:]
    private var streamsPerSource: [IPAddress: Int] = [:]
    private var dtlsPeers: [TransportAddress: DTLSPeer] = [:]
    var dtlsContext: DTLSContext?
    /// The DTLS listeners, one per family at most.
    var dtlsListeners: [AddressFamily: Channel] = [:]
    /// Connections refused over the per-address limit and closed for holding no allocation;
    /// broken streams and DTLS datagrams.
    private(set) var trouble = Trouble()
    private let origin = NIODeadline.now()

    struct Trouble: Sendable {
        var refused = 0
        var idle = 0
        var malformed = 0
    }

    private struct DTLSPeer {
        let session: DTLSSession
        var lastSeen: Duration
    }

    init(eventLoop: EventLoop, configuration: RelayConfiguration, loops: [RelayLoop]) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.loops = loops
    }

    private var now: Duration { .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - origin.uptimeNanoseconds)) }

    private func loop(of client: RelayClient) -> RelayLoop {
        loops[Int(client.address.port) % loops.count]
    }

    /// A frame from a client of ours, for its loop.
    func fromClient(_ frame: TURNFrame, client: RelayClient) {
        let loop = loop(of: client)
        loop.execute { $0.fromClient(frame, client: client) }
    }

    func malformed() {
        trouble.malformed += 1
    }

    // MARK: TCP and TLS

    /// A TCP or TLS connection opened; false when its source address holds its share
    /// already, and the connection must go. One that holds no allocation after
    /// `unauthenticatedConnectionTimeout` is closed.
    func connected(_ client: RelayClient, on channel: Channel) -> Bool {
        let source = client.address.ip.source
        guard streamsPerSource[source, default: 0] < configuration.maximumConnectionsPerAddress else {
            trouble.refused += 1
            return false
        }
        streamsPerSource[source, default: 0] += 1
        streams[client] = channel
        let loop = loop(of: client)
        loop.execute { $0.attach(client) { channel.writeAndFlush($0, promise: nil) } }
        eventLoop.scheduleTask(in: TimeAmount(configuration.unauthenticatedConnectionTimeout)) {
            loop.execute { loop in
                guard !loop.holdsAllocation(of: client) else { return }
                self.eventLoop.execute {
                    guard self.streams[client] === channel else { return }
                    self.trouble.idle += 1
                    channel.close(promise: nil)
                }
            }
        }
        return true
    }

    /// A TCP or TLS client went away: its allocation goes with its connection.
    func disconnected(_ client: RelayClient) {
        streams[client] = nil
        let source = client.address.ip.source
        streamsPerSource[source, default: 1] -= 1
        if streamsPerSource[source] == 0 { streamsPerSource[source] = nil }
        let loop = loop(of: client)
        loop.execute { $0.detach(client) }
    }

    var streamChannels: [Channel] { Array(streams.values) }

    // MARK: DTLS

    func fromDTLS(_ envelope: AddressedEnvelope<ByteBuffer>, listener: Channel) {
        guard let address = TransportAddress(envelope.remoteAddress), let context = dtlsContext else { return }
        let now = self.now
        let client = RelayClient(transport: .dtls, address: address)
        let peer: DTLSPeer
        if let known = dtlsPeers[address], !DTLSSession.isClientHello(envelope.data) {
            peer = known
        } else {
            guard dtlsPeers.count < configuration.maximumAllocations,
                let session = try? DTLSSession(context: context, peerName: "\(address)")
            else {
                trouble.malformed += 1
                return
            }
            peer = DTLSPeer(session: session, lastSeen: now)
            loop(of: client).execute { $0.attach(client) { bytes in self.eventLoop.execute { self.writeDTLS(bytes, to: address) } } }
        }
        dtlsPeers[address] = DTLSPeer(session: peer.session, lastSeen: now)
        let plaintexts = peer.session.receive(envelope.data, allocator: listener.allocator)
        flush(peer.session, to: address)
        if case .failed = peer.session.handshake {
            dtlsPeers[address] = nil
            loop(of: client).execute { $0.detach(client) }
            trouble.malformed += 1
            return
        }
        for plaintext in plaintexts {
            guard let frame = TURNFrame(datagram: plaintext) else {
                trouble.malformed += 1
                continue
            }
            fromClient(frame, client: client)
        }
    }

    private func writeDTLS(_ bytes: ByteBuffer, to address: TransportAddress) {
        guard let session = dtlsPeers[address]?.session, (try? session.send(bytes)) != nil else { return }
        flush(session, to: address)
    }

    private func flush(_ session: DTLSSession, to address: TransportAddress) {
        guard let listener = dtlsListeners[address.ip.family], let datagram = session.pendingDatagram(allocator: listener.allocator) else {
            return
        }
        listener.writeAndFlush(AddressedEnvelope(remoteAddress: SocketAddress(address), data: datagram), promise: nil)
    }

    /// Each second: DTLS retransmissions, and forgetting associations that failed or went
    /// quiet for 30 s without an allocation.
    func reconcileDTLS() {
        let now = self.now
        for (address, peer) in dtlsPeers {
            peer.session.handleTimeout()
            flush(peer.session, to: address)
            guard now - peer.lastSeen > .seconds(30) else { continue }
            // Asked of its loop, then forgotten here if still quiet, then its writer forgotten
            // there: the association may have spoken up meanwhile.
            let client = RelayClient(transport: .dtls, address: address)
            let loop = loop(of: client)
            loop.execute { loop in
                guard !loop.holdsAllocation(of: client) else { return }
                self.eventLoop.execute {
                    guard let peer = self.dtlsPeers[address], self.now - peer.lastSeen > .seconds(30) else { return }
                    self.dtlsPeers[address] = nil
                    loop.execute { $0.detach(client) }
                }
            }
        }
    }
}
