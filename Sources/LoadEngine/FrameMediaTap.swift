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
        let media: Bool
        // A call that hung up and left has no more media: what still comes is for its session.
        switch (client.flatMap { $0.hungUp ? nil : $0 }, unwrapInboundIn(data)) {
        case (let client?, .channelData(let frame)): media = frame.channel == client.route.channel && client.receivedMedia(frame.payload)
        case (let client?, .stun(let message)): media = client.receivedIndication(message)
        case (nil, _): media = false
        }
        if !media { context.fireChannelRead(data) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        client?.closed()
        context.fireChannelInactive()
    }
}
