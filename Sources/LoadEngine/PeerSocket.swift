import NIOCore
import NIOPosix
import TURNProtocol

/// The far end of every call on a thread: a UDP socket that the relay delivers the clients'
/// media to. It tells streams apart by SSRC, measures the way out, and in `echo` sends each
/// packet seen for the first time back to the relayed address it came from.
final class PeerSocket: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private unowned let thread: ClientThread
    private var pendingFlush = false

    init(thread: ClientThread) {
        self.thread = thread
    }

    static func open(on eventLoop: EventLoop, host: IPAddress, thread: ClientThread) async throws -> Channel {
        try await DatagramBootstrap(group: eventLoop)
            // The one socket of a thread takes every client's stream: read in batches.
            .channelOption(.datagramVectorReadMessageCount, value: 32)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(PeerSocket(thread: thread)) }
            }
            .bind(to: SocketAddress(TransportAddress(ip: host, port: 0))).get()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let header = try? envelope.data.peekRTPFixedHeader() else { return }
        let now = monotonicNanoseconds()
        if let client = thread.receivedAtPeer(header: header, rtpBytes: envelope.data.readableBytes, arrival: now) {
            client._withUnsafeGuaranteedRef { $0.echoing(sequence: header.sequenceNumber, arrivedAt: now, sentAt: now) }
            context.write(wrapOutboundOut(envelope), promise: nil)
            pendingFlush = true
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }
}
