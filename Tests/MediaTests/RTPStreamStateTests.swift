import NIOCore
import TURNProtocol
import Testing

@testable import Media

@Suite("RTP stream state")
struct RTPStreamStateTests {
    @Test func sequenceAndTimestampWrapAround() throws {
        let library = TestLibraries.voice
        var stream = RTPStreamState(ssrc: 0xDEAD_BEEF, firstSequence: 65_534, firstTimestamp: .max - 959, libraryOffset: 0)
        let headers = (0..<4).compactMap { _ in stream.next(in: library)?.header }
        #expect(headers.map(\.sequenceNumber) == [65_534, 65_535, 0, 1])
        #expect(headers.map(\.timestamp) == [.max - 959, 0, 960, 1_920])
        #expect(headers.allSatisfy { $0.ssrc == 0xDEAD_BEEF && $0.payloadType == 111 && $0.csrcs.isEmpty })
    }

    /// A video-like burst: the frame's further packets keep its timestamp and take the next
    /// sequence numbers and library packets; the next frame steps on as usual.
    @Test func aBurstSharesItsFramesTimestamp() throws {
        let library = TestLibraries.constantBitrate
        var stream = RTPStreamState(ssrc: 7, firstSequence: 65_535, firstTimestamp: 1_000, libraryOffset: 0)
        let next = stream.next(in: library)
        let first = try #require(next)
        let rest = (0..<3).compactMap { _ in stream.continueFrame(in: library) }
        let after = stream.next(in: library)
        let following = try #require(after)
        #expect(([first] + rest).map(\.header.sequenceNumber) == [65_535, 0, 1, 2])
        #expect(([first] + rest).allSatisfy { $0.header.timestamp == 1_000 } && rest.allSatisfy { !$0.header.marker })
        #expect(([first] + rest + [following]).map(\.index) == [0, 1, 2, 3, 4])
        #expect(following.header.sequenceNumber == 3 && following.header.timestamp == 1_000 + library.settings.samplesPerFrame)
    }

    /// Twice round the library from an arbitrary offset: one packet a frame, timestamps one frame
    /// apart, markers exactly where the library starts a talk spurt.
    @Test(arguments: [TestLibraries.voice, TestLibraries.constantBitrate])
    func oneMarkedPacketPerSpurtAndOneFrameStepEach(library: OpusPacketLibrary) throws {
        var stream = RTPStreamState(ssrc: 1, firstSequence: 100, firstTimestamp: 5_000, libraryOffset: 37)
        for frame in 0..<2 * library.count {
            let next = stream.next(in: library)
            let packet = try #require(next)
            #expect(packet.index == (37 + frame) % library.count)
            #expect(packet.header.sequenceNumber == UInt16(truncatingIfNeeded: 100 + frame))
            #expect(packet.header.timestamp == 5_000 &+ UInt32(frame) * library.settings.samplesPerFrame)
            #expect(packet.header.marker == library.startsTalkSpurt(packet.index))
        }
        #expect(stream.libraryIndex == 37 && stream.timestamp == 5_000 &+ UInt32(2 * library.count) * 960)
    }

    /// DTX silence is not sent: the timestamp jumps over it, the sequence number does not, so a
    /// receiver sees no loss, just as with a WebRTC sender.
    @Test(arguments: [TestLibraries.dtx, TestLibraries.longFramesDTXFEC])
    func silentFramesAreSkippedWithoutASequenceGap(library: OpusPacketLibrary) throws {
        let step = library.settings.samplesPerFrame
        var stream = RTPStreamState(ssrc: 9, firstSequence: 65_000, firstTimestamp: 1, libraryOffset: 0)
        var sent: [OutgoingPacket] = []
        var skipped = 0
        for frame in 0..<library.count + 50 {
            if let packet = stream.next(in: library) {
                #expect(packet.header.timestamp == 1 &+ UInt32(frame) * step)
                #expect(!library.isSilent(packet.index))
                sent.append(packet)
            } else {
                #expect(library.isSilent(frame % library.count))
                skipped += 1
            }
        }
        #expect(skipped > library.count / 20)
        #expect(zip(sent, sent.dropFirst()).allSatisfy { $1.header.sequenceNumber == $0.header.sequenceNumber &+ 1 })
        #expect(stream.sequenceNumber == UInt16(truncatingIfNeeded: 65_000 + sent.count))
        // After a run of skipped frames, the next packet's timestamp jumps by the silence's length.
        let gaps = zip(sent, sent.dropFirst()).map { ($1.header.timestamp &- $0.header.timestamp) / step }
        #expect(gaps.contains { $0 > 1 })
    }

    @Test func libraryOffsetWrapsModuloCount() throws {
        let library = TestLibraries.voice
        var last = RTPStreamState(ssrc: 1, firstSequence: 0, firstTimestamp: 0, libraryOffset: library.count - 1)
        #expect(last.next(in: library)?.index == library.count - 1)
        #expect(last.next(in: library)?.index == 0)
        var beyond = RTPStreamState(ssrc: 1, firstSequence: 0, firstTimestamp: 0, libraryOffset: 2 * library.count + 5)
        #expect(beyond.next(in: library)?.index == 5)
        #expect(beyond.next(in: library)?.index == 6)
    }

    /// Streams by global client index: SSRCs never repeat within a run (shards running parts of
    /// it cannot collide), the rest is scattered, and the same index and seed give the same stream
    /// whichever process asks.
    @Test func seededStreamsAreUniquePerClientAndRepeatable() {
        let streams = (0..<100_000).map { RTPStreamState.seeded(client: $0, seed: 3, libraryCount: 520) }
        #expect(Set(streams.map(\.ssrc)).count == 100_000)
        #expect(Set(streams.prefix(1_000).map(\.sequenceNumber)).count > 900)
        #expect(Set(streams.prefix(1_000).map(\.timestamp)).count > 990)
        #expect(streams.allSatisfy { (0..<520).contains($0.libraryIndex) && $0.payloadType == 111 })
        #expect(Set(streams.prefix(1_000).map(\.libraryIndex)).count > 400)
        #expect(RTPStreamState.seeded(client: 77_777, seed: 3, libraryCount: 520) == streams[77_777])
        let reseeded = (0..<1_000).map { RTPStreamState.seeded(client: $0, seed: 4, libraryCount: 520) }
        #expect(zip(reseeded, streams).filter { $0.ssrc == $1.ssrc || $0.sequenceNumber == $1.sequenceNumber }.count < 20)
    }

    /// What the load engine does with a packet: ChannelData around RTP around the library's bytes.
    @Test func writesAsChannelDataRTP() throws {
        let library = TestLibraries.voice
        var stream = RTPStreamState(ssrc: 7, firstSequence: 1, firstTimestamp: 2, libraryOffset: 0)
        let next = stream.next(in: library)
        let packet = try #require(next)
        var buffer = ByteBuffer()
        let written = library.withPayload(packet.index) {
            buffer.writeChannelDataRTP(channel: .first, header: packet.header, payload: $0, padded: false)
        }
        #expect(written == 4 + 12 + library.withPayload(0) { $0.count })
        buffer.moveReaderIndex(forwardBy: 4)
        let parsed = try RTPPacket(bytes: buffer)
        #expect(parsed.header == packet.header && parsed.header.marker)
        #expect(Array(parsed.payload.readableBytesView) == TestLibraries.payload(library, 0))
    }
}
