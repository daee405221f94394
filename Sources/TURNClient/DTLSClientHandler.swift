import DTLS
import NIOCore
import NIOTLS

/// DTLS 1.2 client over a datagram channel: encrypted datagrams to and from the server below,
/// plaintext datagrams above. Reports the handshake as NIOSSL does (a
/// `TLSUserEvent.handshakeCompleted` event, or an error), so the same watcher serves TLS and
/// DTLS. Made on the connecting task and handed to the channel's event loop
/// (`NIOLoopBoundBox`), then used there only.
final class DTLSClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias InboundOut = AddressedEnvelope<ByteBuffer>
    typealias OutboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let server: SocketAddress
    private let session: DTLSSession
    private var reported = false
    private var pendingWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var retransmitTimer: Scheduled<Void>?

    init(server: SocketAddress, hostname: String, options: TLSOptions) throws {
        self.server = server
        do {
            session = try DTLSSession(
                context: DTLSContext(clientTrusting: options.caFile, insecure: options.insecure),
                peerName: hostname)
        } catch {
            throw TURNConnectionError.dtls(error.description)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        step(context: context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { step(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        retransmitTimer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == server else { return }
        let plaintexts = session.receive(envelope.data, allocator: context.channel.allocator)
        settle(context: context)
        for plaintext in plaintexts {
            context.fireChannelRead(wrapInboundOut(AddressedEnvelope(remoteAddress: server, data: plaintext)))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let plaintext = unwrapOutboundIn(data).data
        guard session.handshake == .done else {
            pendingWrites.append((plaintext, promise))
            return
        }
        encrypt(plaintext, promise: promise, context: context)
    }

    // MARK: internals

    private func step(context: ChannelHandlerContext) {
        session.advance()
        settle(context: context)
    }

    /// Sends what the session queued and acts on where the handshake stands.
    private func settle(context: ChannelHandlerContext) {
        flush(context: context, promise: nil)
        switch session.handshake {
        case .inProgress:
            scheduleRetransmission(context: context)
        case .done where !reported:
            reported = true
            retransmitTimer?.cancel()
            context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
            let writes = pendingWrites
            pendingWrites = []
            for (plaintext, promise) in writes { encrypt(plaintext, promise: promise, context: context) }
        case .failed(let why) where !reported:
            reported = true
            retransmitTimer?.cancel()
            let error = TURNConnectionError.dtls(why)
            for (_, promise) in pendingWrites { promise?.fail(error) }
            pendingWrites = []
            context.fireErrorCaught(error)
        default:
            break
        }
    }

    private func encrypt(_ plaintext: ByteBuffer, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        do {
            try session.send(plaintext)
            flush(context: context, promise: promise)
        } catch {
            promise?.fail(TURNConnectionError.dtls(error.description))
        }
    }

    /// DTLS resends lost handshake flights itself, when asked at the time it names.
    private func scheduleRetransmission(context: ChannelHandlerContext) {
        retransmitTimer?.cancel()
        guard let delay = session.retransmissionDelay else { return }
        retransmitTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            session.handleTimeout()
            settle(context: context)
        }
    }

    private func flush(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard let datagram = session.pendingDatagram(allocator: context.channel.allocator) else {
            promise?.succeed()
            return
        }
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: server, data: datagram)), promise: promise)
    }
}
