import NIOCore
import TURNProtocol

/// The media tap for TCP, TLS and DTLS, in front of the session, behind the decoder: frames
/// on this client's channel are its media; anything else goes on to the session.
final class FrameMediaTap: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = TURNFrame
    /// Weak: a connection may outlive its run (closed while the thread is gone).
    private weak var client: SimulatedClient?

    init(_ client: SimulatedClient) {
        self.client = client
    }

    func handlerAdded(context: ChannelHandlerContext) { client?.link = context }

    func handlerRemoved(context: ChannelHandlerContext) { client?.link = nil }

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
