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

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
        csrcs: [UInt32] = [], headerExtension: RTPHeaderExtension? = nil
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
    }

    /// The CC field has 4 bits: a header carries at most 15 CSRCs, and further ones are dropped.
    public var encodedLength: Int {
        RTPFixedHeader.length + 4 * min(csrcs.count, 15) + (headerExtension.map { 4 + $0.data.readableBytes } ?? 0)
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

extension RTPHeader {
    /// Stores the header at the start of `out`, which must hold `encodedLength` bytes, with one
    /// raw store a field; returns the length.
    @inlinable
    func store(into out: UnsafeMutableRawBufferPointer, padded: Bool) -> Int {
        let first = UInt8(0x80) | (padded ? 0x20 : 0) | (headerExtension == nil ? 0 : 0x10) | UInt8(min(csrcs.count, 15))
        let second = (marker ? 0x80 : 0) | (payloadType & 0x7F)
        out.storeBytes(of: first, toByteOffset: 0, as: UInt8.self)
        out.storeBytes(of: second, toByteOffset: 1, as: UInt8.self)
        out.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
        out.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
        out.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
        var offset = RTPFixedHeader.length
        for index in 0..<min(csrcs.count, 15) {
            out.storeBytes(of: csrcs[index].bigEndian, toByteOffset: offset, as: UInt32.self)
            offset += 4
        }
        if let headerExtension {
            let words = UInt16(truncatingIfNeeded: headerExtension.data.readableBytes / 4)
            out.storeBytes(of: headerExtension.profile.bigEndian, toByteOffset: offset, as: UInt16.self)
            out.storeBytes(of: words.bigEndian, toByteOffset: offset + 2, as: UInt16.self)
            headerExtension.data.withUnsafeReadableBytes {
                UnsafeMutableRawBufferPointer(rebasing: out[(offset + 4)...]).copyMemory(from: $0)
            }
            offset += 4 + headerExtension.data.readableBytes
        }
        return offset
    }
}

extension ByteBuffer {
    /// Writes the RTP header; `padded` sets the P bit, and the caller then writes the payload and
    /// the padding (see `writeRTPPacket`).
    @inlinable
    public mutating func writeRTPHeader(_ header: RTPHeader, padded: Bool = false) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: header.encodedLength) { header.store(into: $0, padded: padded) }
    }

    /// A media packet as a simulated call sends it, ChannelData header, RTP header and payload,
    /// in one write: this runs for every packet of every call. `padded` pads for streams.
    @inlinable
    @discardableResult
    public mutating func writeChannelDataRTP(
        channel: ChannelNumber, header: RTPHeader, payload: UnsafeRawBufferPointer, padded: Bool
    ) -> Int {
        let length = header.encodedLength + payload.count
        let total = ChannelData.frameLength(dataLength: length, padded: padded)
        writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            let channelHeader = UInt32(channel.rawValue) << 16 | UInt32(truncatingIfNeeded: length)
            out.storeBytes(of: channelHeader.bigEndian, toByteOffset: 0, as: UInt32.self)
            let rtp = UnsafeMutableRawBufferPointer(rebasing: out[ChannelData.headerLength...])
            let headerLength = header.store(into: rtp, padded: false)
            UnsafeMutableRawBufferPointer(rebasing: rtp[headerLength...]).copyMemory(from: payload)
            if total > ChannelData.headerLength + length {
                rtp.baseAddress!.advanced(by: length).initializeMemory(as: UInt8.self, repeating: 0, count: total - 4 - length)
            }
            return total
        }
        return total
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
        let fixed = try buffer.peekRTPFixedHeader()
        buffer.moveReaderIndex(forwardBy: RTPFixedHeader.length)
        let csrcCount = fixed.csrcCount
        guard buffer.readableBytes >= 4 * csrcCount else {
            throw .truncatedCSRCList(count: csrcCount, available: buffer.readableBytes)
        }
        var csrcs: [UInt32] = []
        if csrcCount > 0 {
            csrcs.reserveCapacity(csrcCount)
            for _ in 0..<csrcCount { csrcs.append(buffer.readInteger()!) }
        }
        var headerExtension: RTPHeaderExtension?
        if fixed.hasExtension {
            guard let (profile, words) = buffer.readMultipleIntegers(as: (UInt16, UInt16).self) else {
                throw .truncatedExtension(declared: 4, available: buffer.readableBytes)
            }
            guard let data = buffer.readSlice(length: 4 * Int(words)) else {
                throw .truncatedExtension(declared: 4 * Int(words), available: buffer.readableBytes)
            }
            headerExtension = RTPHeaderExtension(profile: profile, data: data)
        }
        var paddingLength: UInt8 = 0
        if fixed.hasPadding {
            let count = buffer.getInteger(at: buffer.writerIndex - 1, as: UInt8.self) ?? 0
            guard count > 0, Int(count) <= buffer.readableBytes else {
                throw .invalidPadding(count: Int(count), available: buffer.readableBytes)
            }
            paddingLength = count
            buffer.moveWriterIndex(to: buffer.writerIndex - Int(count))
        }
        self.init(
            header: RTPHeader(
                marker: fixed.marker, payloadType: fixed.payloadType, sequenceNumber: fixed.sequenceNumber,
                timestamp: fixed.timestamp, ssrc: fixed.ssrc, csrcs: csrcs, headerExtension: headerExtension),
            payload: buffer, paddingLength: paddingLength)
    }
}
