import NIOCore
import TURNProtocol

/// TCP and TLS: bytes in, TURN frames out, across any read boundaries (RFC 8656 §12.5).
struct TURNStreamDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = TURNFrame
    private var deframer = TURNStreamDeframer()

    mutating func decode(buffer: inout ByteBuffer) throws -> TURNFrame? {
        if buffer.readableBytes > 0 {
            deframer.append(buffer.readSlice(length: buffer.readableBytes)!)
        }
        return try deframer.next()
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> TURNFrame? {
        try decode(buffer: &buffer)
    }
}

/// UDP: datagrams from the server become frames; frames to send go to the server's address.
final class TURNDatagramCodec: ChannelDuplexHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias InboundOut = TURNFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let server: SocketAddress

    init(server: SocketAddress) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == server, let frame = TURNFrame(datagram: envelope.data) else { return }
        context.fireChannelRead(wrapInboundOut(frame))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: server, data: unwrapOutboundIn(data))), promise: promise)
    }
}
