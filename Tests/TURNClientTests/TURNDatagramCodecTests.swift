import NIOCore
import NIOEmbedded
import TURNProtocol
import Testing

@testable import TURNClient

/// The UDP codec between the socket and the session: the server's datagrams become frames,
/// anyone else's are dropped, and frames leave addressed to the server.
@Suite("TURN datagram codec")
struct TURNDatagramCodecTests {
    let server = try! SocketAddress(ipAddress: "127.0.0.1", port: 3478)

    /// Made in each test: an embedded loop is confined to the thread it was made on.
    func codec() -> EmbeddedChannel { EmbeddedChannel(handler: TURNDatagramCodec(server: server)) }

    @Test func theServersDatagramsBecomeFrames() throws {
        let channel = codec()
        let binding = STUNMessage(.binding, .successResponse).encoded()
        var channelData = ByteBuffer()
        channelData.writeChannelData(
            ChannelData(channel: ChannelNumber(rawValue: 0x4001)!, payload: ByteBuffer(bytes: [1, 2, 3])), padded: false)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: server, data: binding))
        try channel.writeInbound(AddressedEnvelope(remoteAddress: server, data: channelData))
        #expect(try channel.readInbound(as: TURNFrame.self) == .stun(binding))
        #expect(
            try channel.readInbound(as: TURNFrame.self)
                == .channelData(ChannelData(channel: ChannelNumber(rawValue: 0x4001)!, payload: ByteBuffer(bytes: [1, 2, 3]))))
        #expect(try channel.finish().isClean)
    }

    @Test func strangersAndGarbageAreDropped() throws {
        let channel = codec()
        let stranger = try SocketAddress(ipAddress: "127.0.0.1", port: 3479)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: stranger, data: STUNMessage(.binding, .successResponse).encoded()))
        try channel.writeInbound(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: [0xFF, 0, 0, 0])))
        #expect(try channel.readInbound(as: TURNFrame.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test func framesLeaveAddressedToTheServer() throws {
        let channel = codec()
        let request = STUNMessage(.allocate, .request).encoded()
        try channel.writeOutbound(request)
        let envelope = try #require(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self))
        #expect(envelope.remoteAddress == server)
        #expect(envelope.data == request)
        #expect(try channel.finish().isClean)
    }
}
