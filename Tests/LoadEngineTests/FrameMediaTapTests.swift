import NIOCore
import NIOEmbedded
import TURNProtocol
import Testing

@testable import LoadEngine

/// The media tap of a TCP, TLS or DTLS client: its client's media leaves through it, media on
/// its channel is measured and goes no further, the rest goes on to the session, and the
/// connection's end takes the client out of the pacing.
@Suite("frame media tap")
struct FrameMediaTapTests {
    @Test func mediaLeavesThroughTheTapAndComesBackMeasured() async throws {
        let call = try await OneCall.connect()
        do {
            let channel = EmbeddedChannel()
            let (thread, client) = call.thread(.echo, on: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(FrameMediaTap(client))
            #expect(client.tap != nil)

            // The library's first frames may be DTX silence, which is not sent.
            for frame in 0..<50 where client.sent == 0 { client.sendNextFrame(now: Int64(frame) * 20_000_000) }
            var written = try #require(try channel.readOutbound(as: ByteBuffer.self))
            let frame = try written.readChannelData(padded: true)
            #expect(frame.channel == call.channelNumber)
            let header = try frame.payload.peekRTPFixedHeader()
            #expect(header.ssrc == call.ssrc)
            #expect(thread.second.towardPeer.sent == 1)

            try channel.writeInbound(TURNFrame.channelData(ChannelData(channel: call.channelNumber, payload: frame.payload)))
            #expect(try channel.readInbound(as: TURNFrame.self) == nil, "media stops at the tap")
            #expect(client.towardClient.received == 1)
            #expect(thread.second.towardClient.payloadBytesReceived == frame.payload.readableBytes)
            #expect(try channel.finish().isClean)
        }
        await call.close()
    }

    @Test func whatIsNotItsMediaGoesOnToTheSession() async throws {
        let call = try await OneCall.connect()
        do {
            let channel = EmbeddedChannel()
            let (thread, client) = call.thread(.echo, on: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(FrameMediaTap(client))
            let otherChannel = TURNFrame.channelData(ChannelData(channel: ChannelNumber(rawValue: 0x4001)!, payload: call.rtp(sequence: 1)))
            let notRTP = TURNFrame.channelData(ChannelData(channel: call.channelNumber, payload: ByteBuffer(bytes: [1, 2])))
            let stun = TURNFrame.stun(STUNMessage(.refresh, .successResponse).encoded())
            for frame in [otherChannel, notRTP, stun] { try channel.writeInbound(frame) }
            for frame in [otherChannel, notRTP, stun] { #expect(try channel.readInbound(as: TURNFrame.self) == frame) }
            #expect(client.towardClient.received == 0)
            #expect(thread.second.towardClient.wireBytesReceived == 0)
            #expect(try channel.finish().isClean)
        }
        await call.close()
    }

    @Test func theConnectionsEndTakesTheClientOutOfThePacing() async throws {
        let call = try await OneCall.connect()
        do {
            let channel = EmbeddedChannel()
            let (thread, client) = call.thread(.echo, on: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(FrameMediaTap(client))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3478)).wait()
            try channel.close().wait()
            #expect(thread.closedClients == 1)
            channel.embeddedEventLoop.run()
            #expect(client.tap == nil, "the tap left with its pipeline")
            client.sendNextFrame(now: 0)
            #expect(client.sent == 0, "nothing is sent without a way out")
        }
        await call.close()
    }
}
