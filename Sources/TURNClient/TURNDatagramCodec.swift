import NIOCore
import TURNProtocol

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
