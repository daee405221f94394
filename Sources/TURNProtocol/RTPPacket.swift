import NIOCore

/// The RTP fixed header (RFC 3550 §5.1) with its CSRC list and header extension.
public struct RTPHeader: Hashable, Sendable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    public var headerExtension: RTPHeaderExtension?

    public init(marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                csrcs: [UInt32] = [], headerExtension: RTPHeaderExtension? = nil) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
    }

    public static let fixedLength = 12

    public var encodedLength: Int {
        Self.fixedLength + 4 * csrcs.count + (headerExtension.map { 4 + $0.data.readableBytes } ?? 0)
    }
}

/// An RTP packet: header, payload, and the RFC 3550 padding count (0 for none).
public struct RTPPacket: Hashable, Sendable {
    public var header: RTPHeader
    public var payload: ByteBuffer
    public var paddingLength: UInt8

    public init(header: RTPHeader, payload: ByteBuffer, paddingLength: UInt8 = 0) {
        self.header = header
        self.payload = payload
        self.paddingLength = paddingLength
    }

    public var encodedLength: Int { header.encodedLength + payload.readableBytes + Int(paddingLength) }
}

public enum RTPParseError: Error, Hashable, Sendable {
    case truncatedHeader(available: Int)
    case unsupportedVersion(UInt8)
    case truncatedCSRCList(count: Int, available: Int)
    case truncatedExtension(declared: Int, available: Int)
    /// The last byte counts the padding, itself included: zero or more than the packet holds is wrong.
    case invalidPadding(count: Int, available: Int)
    case invalidExtensionElement(String)
}

extension RTPParseError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncatedHeader(let available): "truncated RTP header: \(available) of 12 bytes"
        case .unsupportedVersion(let version): "RTP version \(version), expected 2"
        case .truncatedCSRCList(let count, let available): "RTP header lists \(count) CSRCs, \(available) bytes present"
        case .truncatedExtension(let declared, let available):
            "RTP header extension of \(declared) bytes, \(available) present"
        case .invalidPadding(let count, let available): "RTP padding count \(count) with \(available) bytes after the header"
        case .invalidExtensionElement(let why): "RTP header extension element: \(why)"
        }
    }
}

extension ByteBuffer {
    /// Writes the RTP header; `padded` sets the P bit, and the caller then writes the payload and
    /// the padding (see `writeRTPPacket`).
    @inlinable
    public mutating func writeRTPHeader(_ header: RTPHeader, padded: Bool = false) {
        let first = UInt8(0x80) | (padded ? 0x20 : 0) | (header.headerExtension == nil ? 0 : 0x10)
            | UInt8(truncatingIfNeeded: header.csrcs.count & 0x0F)
        let second = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7F)
        writeMultipleIntegers(first, second, header.sequenceNumber, header.timestamp, header.ssrc)
        for csrc in header.csrcs { writeInteger(csrc) }
        if let headerExtension = header.headerExtension {
            writeInteger(headerExtension.profile)
            writeInteger(UInt16(truncatingIfNeeded: headerExtension.data.readableBytes / 4))
            writeImmutableBuffer(headerExtension.data)
        }
    }

    @discardableResult
    public mutating func writeRTPPacket(_ packet: RTPPacket) -> Int {
        writeRTPHeader(packet.header, padded: packet.paddingLength > 0)
        writeImmutableBuffer(packet.payload)
        if packet.paddingLength > 0 {
            writeRepeatingByte(0, count: Int(packet.paddingLength) - 1)
            writeInteger(packet.paddingLength)
        }
        return packet.encodedLength
    }
}

extension RTPPacket {
    /// Parses a whole RTP packet: every readable byte belongs to it, as in a datagram or a
    /// ChannelData payload.
    @inlinable
    public init(bytes: ByteBuffer) throws(RTPParseError) {
        var buffer = bytes
        guard buffer.readableBytes >= RTPHeader.fixedLength else { throw .truncatedHeader(available: buffer.readableBytes) }
        let (first, second, sequenceNumber, timestamp, ssrc) = buffer.readMultipleIntegers(
            as: (UInt8, UInt8, UInt16, UInt32, UInt32).self)!
        guard first >> 6 == 2 else { throw .unsupportedVersion(first >> 6) }
        let csrcCount = Int(first & 0x0F)
        guard buffer.readableBytes >= 4 * csrcCount else {
            throw .truncatedCSRCList(count: csrcCount, available: buffer.readableBytes)
        }
        var csrcs: [UInt32] = []
        if csrcCount > 0 {
            csrcs.reserveCapacity(csrcCount)
            for _ in 0..<csrcCount { csrcs.append(buffer.readInteger()!) }
        }
        var headerExtension: RTPHeaderExtension?
        if first & 0x10 != 0 {
            guard let (profile, words) = buffer.readMultipleIntegers(as: (UInt16, UInt16).self) else {
                throw .truncatedExtension(declared: 4, available: buffer.readableBytes)
            }
            guard let data = buffer.readSlice(length: 4 * Int(words)) else {
                throw .truncatedExtension(declared: 4 * Int(words), available: buffer.readableBytes)
            }
            headerExtension = RTPHeaderExtension(profile: profile, data: data)
        }
        var paddingLength: UInt8 = 0
        if first & 0x20 != 0 {
            let count = buffer.getInteger(at: buffer.writerIndex - 1, as: UInt8.self) ?? 0
            guard count > 0, Int(count) <= buffer.readableBytes else {
                throw .invalidPadding(count: Int(count), available: buffer.readableBytes)
            }
            paddingLength = count
            buffer.moveWriterIndex(to: buffer.writerIndex - Int(count))
        }
        self.init(
            header: RTPHeader(marker: second & 0x80 != 0, payloadType: second & 0x7F, sequenceNumber: sequenceNumber,
                              timestamp: timestamp, ssrc: ssrc, csrcs: csrcs, headerExtension: headerExtension),
            payload: buffer, paddingLength: paddingLength)
    }
}
