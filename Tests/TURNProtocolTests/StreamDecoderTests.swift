import NIOCore
import NIOEmbedded
import TURNProtocol
import Testing

/// The stream decoder inside a real NIO pipeline: every frame of a read comes out with that
/// read, not with the next one (NIO stops asking a decoder once its buffer is empty).
@Suite("stream decoder")
struct StreamDecoderTests {
    @Test func everyFrameOfOneReadComesOutAtOnce() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TURNStreamDecoder()))
        let binding = STUNMessage(.binding, .request).encoded()
        var read = ByteBuffer()
        read.writeImmutableBuffer(binding)
        for index in 0..<3 {
            read.writeChannelData(
                ChannelData(channel: ChannelNumber(rawValue: 0x4000)!, payload: ByteBuffer(repeating: UInt8(index), count: 5)),
                padded: true)
        }
        read.writeImmutableBuffer(binding.getSlice(at: 0, length: 7)!)
        try channel.writeInbound(read)
        #expect(try channel.readInbound(as: TURNFrame.self) == .stun(binding))
        for index in 0..<3 {
            guard case .channelData(let data) = try channel.readInbound(as: TURNFrame.self) else {
                Issue.record("ChannelData \(index) missing")
                return
            }
            #expect(data.payload == ByteBuffer(repeating: UInt8(index), count: 5))
        }
        #expect(try channel.readInbound(as: TURNFrame.self) == nil, "the half frame waits")
        try channel.writeInbound(binding.getSlice(at: 7, length: binding.readableBytes - 7)!)
        #expect(try channel.readInbound(as: TURNFrame.self) == .stun(binding))
        _ = try channel.finish()
    }
}
