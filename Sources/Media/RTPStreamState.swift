import Measurement
import TURNProtocol

/// One simulated call's outgoing RTP stream: where it is in the packet library and which
/// sequence number and timestamp come next. A few words of plain values, per client.
public struct RTPStreamState: Sendable, Hashable {
    public let ssrc: UInt32
    public let payloadType: UInt8
    /// The sequence number of the next packet sent.
    public private(set) var sequenceNumber: UInt16
    /// The timestamp of the next frame, sent or not.
    public private(set) var timestamp: UInt32
    /// The library packet of the next frame; taken modulo the library's count.
    public private(set) var libraryIndex: Int

    /// 111 is the payload type Chrome and Firefox offer for Opus; `libraryOffset` may exceed the
    /// library's count, it wraps.
    public init(
        ssrc: UInt32, firstSequence: UInt16, firstTimestamp: UInt32, libraryOffset: Int,
        payloadType: UInt8 = 111
    ) {
        precondition(libraryOffset >= 0, "a library offset counts packets from the start")
        self.ssrc = ssrc
        self.payloadType = payloadType
        sequenceNumber = firstSequence
        timestamp = firstTimestamp
        libraryIndex = libraryOffset
    }

    /// The stream of global client `index` in a run seeded `seed`: a random-looking SSRC, first
    /// sequence number and timestamp, as RFC 3550 asks, and place in the library (so that calls
    /// do not talk in unison). Derived from the index alone, so that processes running parts of
    /// one load (shards) send exactly the streams one process would. The SSRC is a bijection of
    /// the index: no two clients of a run share one, whichever process runs them, and the peer
    /// tells streams apart by it.
    public static func seeded(client index: Int, seed: UInt64, libraryCount: Int) -> RTPStreamState {
        precondition(index >= 0, "client indices count from 0")
        var keys = SplitMix64(seed: seed)
        let key = UInt32(truncatingIfNeeded: keys.next())
        var random = SplitMix64(seed: seed ^ ((UInt64(index) + 1) &* 0xD1B5_4A32_D192_ED03))
        return RTPStreamState(
            ssrc: permuted(UInt32(truncatingIfNeeded: index) &+ key), firstSequence: UInt16(truncatingIfNeeded: random.next()),
            firstTimestamp: UInt32(truncatingIfNeeded: random.next()),
            libraryOffset: Int(random.next() % UInt64(max(1, libraryCount))))
    }

    /// A bijection of the 32-bit words that scatters neighbours (xor-shifts and odd multipliers
    /// are each invertible; constants from Chris Wellons's hash-prospector "lowbias32").
    static func permuted(_ value: UInt32) -> UInt32 {
        var x = value
        x ^= x >> 16
        x &*= 0x7FEB_352D
        x ^= x >> 15
        x &*= 0x846C_A68B
        x ^= x >> 16
        return x
    }

    /// Advances one frame. Returns the packet to send, or nil for DTX silence, which is not sent.
    public mutating func next(in library: OpusPacketLibrary) -> OutgoingPacket? {
        let index = libraryIndex < library.count ? libraryIndex : libraryIndex % library.count
        libraryIndex = index + 1
        let frameTimestamp = timestamp
        timestamp &+= library.settings.samplesPerFrame
        if library.isSilent(index) { return nil }
        let header = RTPHeader(
            marker: library.startsTalkSpurt(index), payloadType: payloadType,
            sequenceNumber: sequenceNumber, timestamp: frameTimestamp, ssrc: ssrc)
        sequenceNumber &+= 1
        return OutgoingPacket(header: header, index: index)
    }

    /// Another packet of the frame `next` just gave, as a video frame leaves in several: the
    /// same timestamp, the next sequence number, the next library packet as its payload (nil
    /// when that is DTX silence).
    public mutating func continueFrame(in library: OpusPacketLibrary) -> OutgoingPacket? {
        let index = libraryIndex < library.count ? libraryIndex : libraryIndex % library.count
        libraryIndex = index + 1
        if library.isSilent(index) { return nil }
        let header = RTPHeader(
            marker: false, payloadType: payloadType, sequenceNumber: sequenceNumber,
            timestamp: timestamp &- library.settings.samplesPerFrame, ssrc: ssrc)
        sequenceNumber &+= 1
        return OutgoingPacket(header: header, index: index)
    }
}

/// An RTP packet ready to write: its header, and the library packet that is its payload
/// (`library.withPayload(index)`).
public struct OutgoingPacket: Sendable, Hashable {
    public let header: RTPHeader
    public let index: Int
}
