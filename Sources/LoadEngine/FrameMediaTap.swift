import NIOCore
import TURNProtocol

/// Where a client's media enters and leaves its connection's pipeline.
enum MediaLink {
    /// A plain UDP socket, at the head of its pipeline: datagrams as read, envelopes out.
    case datagram(ChannelHandlerContext, server: SocketAddress)
    /// In front of the TURN session, behind the stream decoder or DTLS: frames in and out.
    case frames(ChannelHandlerContext)
}

/// The UDP tap: a datagram holding this client's channel is media, anything else (STUN)
/// goes on to the codec and the session.
final class DatagramMediaTap: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    /// Weak: a connection may outlive its run (closed while the shard is gone).
    private weak var client: SimulatedClient?
    private let server: SocketAddress

    init(_ client: SimulatedClient, server: SocketAddress) {
        self.client = client
        self.server = server
    }

    func handlerAdded(context: ChannelHandlerContext) { client?.link = .datagram(context, server: server) }

    func handlerRemoved(context: ChannelHandlerContext) { client?.link = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if client?.receivedDatagram(unwrapInboundIn(data).data) != true { context.fireChannelRead(data) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        client?.closed()
        context.fireChannelInactive()
    }
}

/// The tap for TCP, TLS and DTLS, where frames come out of a decoder.
final class FrameMediaTap: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = TURNFrame
    private weak var client: SimulatedClient?

    init(_ client: SimulatedClient) {
        self.client = client
    }

    func handlerAdded(context: ChannelHandlerContext) { client?.link = .frames(context) }

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
