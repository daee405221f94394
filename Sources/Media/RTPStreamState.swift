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
    public init(ssrc: UInt32, firstSequence: UInt16, firstTimestamp: UInt32, libraryOffset: Int,
                payloadType: UInt8 = 111) {
        precondition(libraryOffset >= 0, "a library offset counts packets from the start")
        self.ssrc = ssrc
        self.payloadType = payloadType
        sequenceNumber = firstSequence
        timestamp = firstTimestamp
        libraryIndex = libraryOffset
    }

    /// Random SSRC, first sequence number and first timestamp, as RFC 3550 asks, and a random
    /// place in the library so that calls do not talk in unison.
    public static func random<G: RandomNumberGenerator>(using generator: inout G, libraryCount: Int) -> RTPStreamState {
        RTPStreamState(
            ssrc: generator.next(), firstSequence: generator.next(), firstTimestamp: generator.next(),
            libraryOffset: Int.random(in: 0..<max(1, libraryCount), using: &generator))
    }

    /// Advances one frame. Returns the packet to send, or nil for DTX silence, which is not sent.
    public mutating func next(in library: OpusPacketLibrary) -> OutgoingPacket? {
        let index = libraryIndex < library.count ? libraryIndex : libraryIndex % library.count
        libraryIndex = index + 1
        let frameTimestamp = timestamp
        timestamp &+= library.settings.samplesPerFrame
        if library.isSilent(index) { return nil }
        let header = RTPHeader(marker: library.startsTalkSpurt(index), payloadType: payloadType,
                               sequenceNumber: sequenceNumber, timestamp: frameTimestamp, ssrc: ssrc)
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
