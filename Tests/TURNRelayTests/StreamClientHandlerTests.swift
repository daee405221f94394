import NIOCore
import NIOEmbedded
import NIOTestSupport
import TURNProtocol
import TestSupport
import Testing

@testable import TURNRelay

/// A TCP or TLS client's connection at the relay: registered with NIO's clients while open,
/// its frames handed to the relay loop, refused over the limit per address, and closed on
/// garbage.
@Suite("stream client handler")
struct StreamClientHandlerTests {
    let clientAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 40000)

    /// NIO's clients of a relay with one loop, on an embedded loop made in each test (it stays
    /// on the thread it was made on).
    private struct Relay {
        let eventLoop = EmbeddedEventLoop()
        let loop: RelayLoop
        let clients: NIOClients

        init(maximumConnectionsPerAddress: Int = 10) throws {
            var configuration = RelayConfiguration(realm: "turnload.test", users: ["alice": "wonderland"])
            configuration.maximumConnectionsPerAddress = maximumConnectionsPerAddress
            loop = try RelayLoop.standalone(configuration)
            clients = NIOClients(eventLoop: eventLoop, configuration: configuration, loops: [loop])
        }

        func channel() -> EmbeddedChannel {
            EmbeddedChannel(handler: StreamClientHandler(clients: clients, transport: .tcp), loop: eventLoop)
        }

        /// Stops the relay loop while the test still holds `channels`: the loop's writers hold
        /// them too, and an embedded channel must go on the thread it was made on.
        func stop(keeping channels: EmbeddedChannel...) {
            withExtendedLifetime(channels) { loop.stop() }
        }

        /// A connection accepted from `client`, active.
        func connection(from client: SocketAddress) throws -> EmbeddedChannel {
            let channel = channel()
            try channel.connect(to: client).wait()
            return channel
        }
    }

    @Test func framesReachTheRelayLoopWhileConnected() throws {
        let relay = try Relay()
        let channel = try relay.connection(from: clientAddress)
        defer { relay.stop(keeping: channel) }
        #expect(channel.isActive)
        #expect(relay.clients.streamChannels.count == 1)
        var rtp = ByteBuffer()
        rtp.writeRTPHeader(RTPHeader(payloadType: 111, sequenceNumber: 1, timestamp: 960, ssrc: 7))
        try channel.writeInbound(TURNFrame.channelData(ChannelData(channel: ChannelNumber(rawValue: 0x4000)!, payload: rtp)))
        #expect(relay.loop.countedSoFar().droppedUnroutable == 1, "the loop saw the frame, on a channel no allocation holds")
        _ = try channel.finish()
        #expect(relay.clients.streamChannels.isEmpty)
    }

    @Test func refusedOverTheLimitPerAddress() throws {
        let relay = try Relay(maximumConnectionsPerAddress: 1)
        let first = try relay.connection(from: clientAddress)
        let second = try relay.connection(from: SocketAddress(ipAddress: "127.0.0.1", port: 40001))
        defer { relay.stop(keeping: first, second) }
        #expect(first.isActive)
        #expect(!second.isActive)
        #expect(relay.clients.trouble.refused == 1)
        _ = try first.finish()
        _ = try second.finish(acceptAlreadyClosed: true)
    }

    @Test func withoutAnAddressTheConnectionGoes() throws {
        let relay = try Relay()
        let channel = relay.channel()
        defer { relay.stop(keeping: channel) }
        channel.pipeline.fireChannelActive()
        channel.embeddedEventLoop.run()
        #expect(channel.closeFuture.settled != nil, "closed")
        #expect(relay.clients.streamChannels.isEmpty)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func garbageClosesTheConnection() throws {
        let relay = try Relay()
        let channel = try relay.connection(from: clientAddress)
        defer { relay.stop(keeping: channel) }
        channel.pipeline.fireErrorCaught(TURNStreamError.invalidFrameStart(firstByte: 0xFF, offset: 0))
        #expect(!channel.isActive)
        #expect(relay.clients.trouble.malformed == 1)
        #expect(relay.clients.streamChannels.isEmpty)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}
