import NIOCore
import NIOPosix
import TURNClient

/// A UDP socket that sends every datagram back to where it came from: the far end of the
/// probe's echo path, standing where a call's other party would.
public final class EchoPeer: Sendable {
    public let channel: Channel

    private init(channel: Channel) {
        self.channel = channel
    }

    public static func start(host: String, group: EventLoopGroup) async throws -> EchoPeer {
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: host, port: 0).get()
        return EchoPeer(channel: channel)
    }

    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Sends one datagram from the peer socket, to open the path through the relay and any NAT.
    public func send(_ payload: ByteBuffer, to address: SocketAddress) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: payload))
    }

    public func close() async {
        try? await channel.close()
    }

    private final class Echo: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            context.writeAndFlush(
                wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: envelope.data)),
                promise: nil)
        }
    }
}
