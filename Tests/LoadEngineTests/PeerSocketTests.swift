import NIOCore
import NIOEmbedded
import RunModel
import TURNProtocol
import Testing

@testable import LoadEngine

/// The peer socket of a thread: each client's stream measured on arrival, and in `echo` each
/// packet seen for the first time sent back where it came from, flushed once per read batch.
@Suite("peer socket")
struct PeerSocketTests {
    let relayed = try! SocketAddress(ipAddress: "127.0.0.1", port: 50000)

    @Test func echoesWhatArrivesNewOncePerBatch() async throws {
        let call = try await OneCall.connect()
        do {
            let channel = EmbeddedChannel()
            let (thread, client) = call.thread(.echo, on: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(PeerSocket(thread: thread))
            let packet = AddressedEnvelope(remoteAddress: relayed, data: call.rtp(sequence: 100))
            channel.pipeline.fireChannelRead(packet)
            channel.pipeline.fireChannelRead(packet)
            #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil, "held until the batch ends")
            channel.pipeline.fireChannelReadComplete()
            #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == packet)
            #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil, "a duplicate is not echoed")
            #expect(client.echoed == 1)
            #expect(client.towardPeer.received == 1)
            #expect(client.towardPeer.duplicated == 1)
            #expect(thread.second.towardPeer.payloadBytesReceived == packet.data.readableBytes, "the duplicate's bytes not again")
            #expect(thread.second.towardClient.sent == 1)
            #expect(try channel.finish().isClean)
        }
        await call.close()
    }

    @Test func measuresWithoutEchoingInSink() async throws {
        let call = try await OneCall.connect()
        do {
            let channel = EmbeddedChannel()
            let (thread, client) = call.thread(.sink, on: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(PeerSocket(thread: thread))
            try channel.writeInbound(AddressedEnvelope(remoteAddress: relayed, data: call.rtp(sequence: 100)))
            #expect(client.towardPeer.received == 1)
            #expect(thread.second.towardPeer.payloadBytesReceived == call.rtp(sequence: 100).readableBytes)
            #expect(client.echoed == 0)
            #expect(try channel.finish().isClean)
        }
        await call.close()
    }

    @Test func strangersAndNonRTPAreIgnored() async throws {
        let call = try await OneCall.connect()
        do {
            let channel = EmbeddedChannel()
            let (thread, client) = call.thread(.echo, on: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(PeerSocket(thread: thread))
            try channel.writeInbound(AddressedEnvelope(remoteAddress: relayed, data: call.rtp(sequence: 100, ssrc: 0xBAD)))
            try channel.writeInbound(AddressedEnvelope(remoteAddress: relayed, data: ByteBuffer(bytes: [0, 1, 0, 0])))
            #expect(client.towardPeer.received == 0)
            #expect(thread.second.towardPeer.wireBytesReceived == 0)
            #expect(try channel.finish().isClean)
        }
        await call.close()
    }
}
