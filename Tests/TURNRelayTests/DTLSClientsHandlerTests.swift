import DTLS
import NIOCore
import NIOEmbedded
import NIOTestSupport
import TURNProtocol
import TestSupport
import Testing

@testable import TURNRelay

/// The DTLS listener's handler with a real OpenSSL client on the far side: the relay shakes
/// hands through the listener, hands the client's decrypted frames to its relay loop, and
/// counts what is not a TURN frame or over its limits.
@Suite("DTLS clients handler")
struct DTLSClientsHandlerTests {
    let certificate = try! ThrowawayCertificate()
    let clientAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 40000)

    /// A DTLS listener's channel and NIO's clients behind it, on an embedded loop made in
    /// each test (it stays on the thread it was made on).
    private struct Listener {
        let channel: EmbeddedChannel
        let loop: RelayLoop
        let clients: NIOClients

        init(certificate: ThrowawayCertificate, maximumAllocations: Int = 10) throws {
            var configuration = RelayConfiguration(realm: "turnload.test", users: ["alice": "wonderland"])
            configuration.maximumAllocations = maximumAllocations
            let eventLoop = EmbeddedEventLoop()
            loop = try RelayLoop.standalone(configuration)
            clients = NIOClients(eventLoop: eventLoop, configuration: configuration, loops: [loop])
            channel = EmbeddedChannel(handler: DTLSClientsHandler(clients: clients), loop: eventLoop)
            clients.dtlsContext = try DTLSContext(serverCertificate: certificate.certificate, key: certificate.key)
            clients.dtlsListeners[.ipv4] = channel
        }
    }

    func client() throws -> DTLSFarEnd {
        let session = try DTLSSession(context: DTLSContext(clientTrusting: nil, insecure: true), peerName: "localhost")
        session.advance()
        return DTLSFarEnd(session, at: clientAddress)
    }

    @Test func shakesHandsAndHandsFramesToTheRelayLoop() throws {
        let listener = try Listener(certificate: certificate)
        defer { listener.loop.stop() }
        let client = try client()
        try client.exchange(with: listener.channel)
        #expect(client.session.handshake == .done)
        var frame = ByteBuffer()
        frame.writeChannelData(
            ChannelData(channel: ChannelNumber(rawValue: 0x4000)!, payload: ByteBuffer(bytes: [0x80, 0x6F])), padded: false)
        try client.send(frame, to: listener.channel)
        #expect(listener.loop.countedSoFar().droppedUnroutable == 1, "the loop saw the frame, on a channel no allocation holds")
        #expect(listener.clients.trouble.malformed == 0)
        #expect(try listener.channel.finish().isClean)
    }

    @Test func whatIsNotATURNFrameIsCounted() throws {
        let listener = try Listener(certificate: certificate)
        defer { listener.loop.stop() }
        let client = try client()
        try client.exchange(with: listener.channel)
        try client.send(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF]), to: listener.channel)
        #expect(listener.clients.trouble.malformed == 1)
        #expect(listener.loop.countedSoFar().droppedUnroutable == 0)
        #expect(try listener.channel.finish().isClean)
    }

    @Test func noAssociationOverTheAllocationLimit() throws {
        let listener = try Listener(certificate: certificate, maximumAllocations: 0)
        defer { listener.loop.stop() }
        let client = try client()
        try client.exchange(with: listener.channel)
        #expect(client.session.handshake == .inProgress, "the relay never answered")
        #expect(listener.clients.trouble.malformed == 1)
        #expect(try listener.channel.finish().isClean)
    }
}
