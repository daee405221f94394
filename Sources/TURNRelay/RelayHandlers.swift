import NIOCore
import TURNProtocol

// The relay's NIO channel handlers: each hands what arrives to `NIOClients`, on its event loop.

/// Clients over DTLS: encrypted datagrams, one association per client address.
final class DTLSClientsHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let clients: NIOClients

    init(clients: NIOClients) {
        self.clients = clients
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        clients.fromDTLS(unwrapInboundIn(data), listener: context.channel)
    }
}

/// One TCP or TLS client's connection, after the stream decoder: TURN frames.
final class StreamClientHandler: ChannelInboundHandler {
    typealias InboundIn = TURNFrame
    let clients: NIOClients
    let transport: TURNTransport
    private var client: RelayClient?

    init(clients: NIOClients, transport: TURNTransport) {
        self.clients = clients
        self.transport = transport
    }

    func channelActive(context: ChannelHandlerContext) {
        guard let remote = context.channel.remoteAddress, let address = TransportAddress(remote) else {
            context.close(promise: nil)
            return
        }
        let client = RelayClient(transport: transport, address: address)
        guard clients.connected(client, on: context.channel) else {
            context.close(promise: nil)
            return
        }
        self.client = client
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let client else { return }
        clients.fromClient(unwrapInboundIn(data), client: client)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let client { clients.disconnected(client) }
        client = nil
        context.fireChannelInactive()
    }

    /// Garbage on the stream or a failed TLS handshake: there is no resynchronising a byte
    /// stream, so the connection goes.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        clients.malformed()
        context.close(promise: nil)
    }
}
