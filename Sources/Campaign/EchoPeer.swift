import NIOCore
import NIOPosix
import TURNClient

/// A UDP socket of the probe's at the peer's end of the relay. It sends first, so that the
/// relay and any NAT learn where it is (`EchoRecorder.firstContact`).
public protocol ProbePeer: Sendable {
    var channel: Channel { get }
}

extension ProbePeer {
    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Sends one datagram from the peer socket, to open the path through the relay and any NAT.
    public func send(_ payload: ByteBuffer, to address: SocketAddress) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: payload))
    }

    public func close() async {
        try? await channel.close()
    }

    /// A UDP socket on `host`, a port the kernel picks, its datagrams read by `handler`.
    static func open(host: String, group: EventLoopGroup, _ handler: @escaping @Sendable () -> ChannelHandler) async throws -> Channel {
        try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler()) }
            }
            .bind(host: host, port: 0).get()
    }
}

/// A peer that sends every datagram back to where it came from: the far end of the probe's
/// echo path, standing where a call's other party would.
public final class EchoPeer: ProbePeer {
    public let channel: Channel

    private init(channel: Channel) {
        self.channel = channel
    }

    public static func start(host: String, group: EventLoopGroup) async throws -> EchoPeer {
        EchoPeer(channel: try await open(host: host, group: group) { Echo() })
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
