import DTLS
import NIOCore
import NIOEmbedded
import NIOTLS
import NIOTestSupport
import TURNProtocol
import TestSupport
import Testing

@testable import TURNClient

/// The DTLS client against a real OpenSSL server session: it shakes hands when the channel
/// goes active, says so as NIOSSL would, holds writes until then, and carries TURN frames
/// both ways encrypted.
@Suite("DTLS client handler")
struct DTLSClientHandlerTests {
    let certificate = try! ThrowawayCertificate()
    let serverAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 5349)

    /// A DTLS client in a channel and the server it talks to, made in each test: an embedded
    /// loop stays on the thread it was made on.
    private struct Association {
        let channel = EmbeddedChannel()
        let server: DTLSFarEnd
        let events = HandshakeEvents()

        init(certificate: ThrowawayCertificate, serverAddress: SocketAddress) throws {
            let context = try DTLSContext(serverCertificate: certificate.certificate, key: certificate.key)
            server = DTLSFarEnd(try DTLSSession(context: context, peerName: "client"), at: serverAddress)
            let handler = try DTLSClientHandler(server: serverAddress, hostname: "localhost", options: TLSOptions(insecure: true))
            try channel.pipeline.syncOperations.addHandlers([handler, events])
        }
    }

    private func association() throws -> Association { try Association(certificate: certificate, serverAddress: serverAddress) }

    @Test func shakesHandsThenCarriesFramesBothWays() throws {
        let association = try association()
        let channel = association.channel
        let allocate = STUNMessage(.allocate, .request).encoded()
        let written = channel.writeAndFlush(AddressedEnvelope(remoteAddress: serverAddress, data: allocate))
        try channel.connect(to: serverAddress).wait()
        #expect(association.events.completed == 0)
        let received = try association.server.exchange(with: channel)
        #expect(association.server.session.handshake == .done)
        #expect(association.events.completed == 1)
        #expect(received == [allocate], "the write held during the handshake goes out after it, encrypted")
        try written.wait()

        let answer = STUNMessage(.allocate, .successResponse).encoded()
        try association.server.send(answer, to: channel)
        let plaintext = try #require(try channel.readInbound(as: AddressedEnvelope<ByteBuffer>.self))
        #expect(plaintext.data == answer)
        #expect(plaintext.remoteAddress == serverAddress)
        #expect(try channel.finish().isClean)
    }

    @Test func datagramsFromElsewhereAreIgnored() throws {
        let association = try association()
        let channel = association.channel
        try channel.connect(to: serverAddress).wait()
        try association.server.exchange(with: channel)
        let stranger = DTLSFarEnd(association.server.session, at: try SocketAddress(ipAddress: "127.0.0.1", port: 5350))
        try stranger.send(STUNMessage(.binding, .successResponse).encoded(), to: channel)
        #expect(try channel.readInbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test func aFailedHandshakeFailsTheHeldWrites() throws {
        let association = try association()
        let channel = association.channel
        let written = channel.writeAndFlush(AddressedEnvelope(remoteAddress: serverAddress, data: ByteBuffer(string: "held")))
        try channel.connect(to: serverAddress).wait()
        _ = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self)
        // A fatal handshake_failure alert, as a server that refuses the client sends.
        let alert = ByteBuffer(bytes: [21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 40])
        #expect(throws: TURNConnectionError.self, "the failure goes down the pipeline") {
            try channel.writeInbound(AddressedEnvelope(remoteAddress: serverAddress, data: alert))
        }
        #expect(throws: TURNConnectionError.self) { try written.wait() }
        #expect(association.events.completed == 0)
        _ = try channel.finish()
    }
}

/// Counts the handshake-completed events that come out of the DTLS handler.
private final class HandshakeEvents: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias InboundOut = AddressedEnvelope<ByteBuffer>
    private(set) var completed = 0

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { completed += 1 }
        context.fireUserInboundEventTriggered(event)
    }
}
