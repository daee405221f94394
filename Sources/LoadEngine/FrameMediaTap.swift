import NIOCore
import TURNProtocol

/// The media tap for TCP, TLS and DTLS, in front of the session, behind the decoder: frames
/// on this client's channel are its media; anything else goes on to the session. Its client's
/// media leaves through it too, with the session's codec (TLS, DTLS) below. Made and used on
/// its channel's event loop only.
final class FrameMediaTap: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = TURNFrame
    typealias OutboundOut = ByteBuffer
    /// Weak: a connection may outlive its run (closed while the thread is gone).
    private weak var client: SimulatedClient?
    /// Set while the tap is in its pipeline.
    private var context: ChannelHandlerContext?

    init(_ client: SimulatedClient) {
        self.client = client
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        client?.tap = self
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        client?.tap = nil
    }

    /// One media frame of the client's toward the server.
    func send(_ frame: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let client, case .channelData(let frame) = unwrapInboundIn(data), frame.channel == client.channelNumber,
            client.receivedMedia(frame.payload)
        else {
            context.fireChannelRead(data)
            return
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        client?.closed()
        context.fireChannelInactive()
    }
}
