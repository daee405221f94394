import NIOCore

/// The 12 fixed bytes of an RTP header (RFC 3550 §5.1), read straight from memory without
/// touching the heap: all the receive path needs per packet to count loss, order and jitter.
/// `RTPPacket` builds the full packet (CSRCs, extension, padding, payload) on top of it.
public struct RTPFixedHeader: Hashable, Sendable {
    public var hasPadding: Bool
    public var hasExtension: Bool
    public var csrcCount: Int
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32

    public static let length = 12

    @inlinable
    public static func parse(_ raw: UnsafeRawBufferPointer) -> Result<RTPFixedHeader, RTPParseError> {
        guard raw.count >= length else { return .failure(.truncatedHeader(available: raw.count)) }
        let first = raw[0]
        guard first >> 6 == 2 else { return .failure(.unsupportedVersion(first >> 6)) }
        let second = raw[1]
        return .success(
            RTPFixedHeader(
                hasPadding: first & 0x20 != 0, hasExtension: first & 0x10 != 0, csrcCount: Int(first & 0x0F),
                marker: second & 0x80 != 0, payloadType: second & 0x7F,
                sequenceNumber: UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self)),
                timestamp: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
                ssrc: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))))
    }

    @inlinable
    init(
        hasPadding: Bool, hasExtension: Bool, csrcCount: Int, marker: Bool, payloadType: UInt8,
        sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32
    ) {
        self.hasPadding = hasPadding
        self.hasExtension = hasExtension
        self.csrcCount = csrcCount
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
    }
}

extension ByteBuffer {
    /// The fixed RTP header at `offset` bytes past the reader index (4 to look inside ChannelData).
    @inlinable
    public func peekRTPFixedHeader(at offset: Int = 0) throws(RTPParseError) -> RTPFixedHeader {
        let result = withUnsafeReadableBytes { raw in
            RTPFixedHeader.parse(UnsafeRawBufferPointer(rebasing: raw[min(offset, raw.count)...]))
        }
        return try result.get()
    }
}
