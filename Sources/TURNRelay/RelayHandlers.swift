import NIOCore
import TURNProtocol

// The relay's channel handlers: each hands what arrives to the server, on its event loop.

/// Clients over UDP.
final class DatagramClientsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let server: RelayServer

    init(server: RelayServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        server.fromClient(unwrapInboundIn(data))
    }
}

/// Clients over DTLS: encrypted datagrams, one association per client address.
final class DTLSClientsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let server: RelayServer

    init(server: RelayServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        server.fromDTLS(unwrapInboundIn(data), listener: context.channel)
    }
}

/// One TCP or TLS client's connection, after the stream decoder: TURN frames.
final class StreamClientHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = TURNFrame
    let server: RelayServer
    let transport: TURNTransport
    private var client: RelayClient?

    init(server: RelayServer, transport: TURNTransport) {
        self.server = server
        self.transport = transport
    }

    func channelActive(context: ChannelHandlerContext) {
        guard let remote = context.channel.remoteAddress, let address = TransportAddress(remote) else {
            context.close(promise: nil)
            return
        }
        let client = RelayClient(transport: transport, address: address)
        guard server.connected(client, on: context.channel) else {
            context.close(promise: nil)
            return
        }
        self.client = client
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let client else { return }
        server.fromClient(unwrapInboundIn(data), client: client)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let client { server.disconnected(client) }
        client = nil
        context.fireChannelInactive()
    }

    /// Garbage on the stream or a failed TLS handshake: there is no resynchronising a byte
    /// stream, so the connection goes.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        server.malformed()
        context.close(promise: nil)
    }
}

/// Peers' datagrams arriving at one allocation's relayed address.
final class PeersHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let server: RelayServer
    let relayed: TransportAddress

    init(server: RelayServer, relayed: TransportAddress) {
        self.server = server
        self.relayed = relayed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        server.fromPeer(unwrapInboundIn(data), relayed: relayed)
    }
}
