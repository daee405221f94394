import NIOCore

/// A ChannelData message (RFC 8656 §12.4): a 4-byte header and the application data, padded to
/// a multiple of 4 on stream transports (TCP, TLS) and optionally on datagrams.
public struct ChannelData: Hashable, Sendable {
    public var channel: ChannelNumber
    public var payload: ByteBuffer

    public init(channel: ChannelNumber, payload: ByteBuffer) {
        self.channel = channel
        self.payload = payload
    }

    public static let headerLength = 4

    /// The channel and data length of the ChannelData message at the start of `raw`, checked
    /// to be complete (with its padding when `padded`), straight from memory.
    @inlinable
    public static func parseHeader(_ raw: UnsafeRawBufferPointer, padded: Bool) -> Result<
        (channel: ChannelNumber, length: Int), ChannelDataError
    > {
        guard raw.count >= headerLength else { return .failure(.truncatedHeader(available: raw.count)) }
        let header = UInt32(bigEndian: raw.loadUnaligned(as: UInt32.self))
        let rawChannel = UInt16(truncatingIfNeeded: header >> 16)
        guard let channel = ChannelNumber(rawValue: rawChannel) else { return .failure(.invalidChannelNumber(rawChannel)) }
        let length = Int(header & 0xFFFF)
        let available = raw.count - headerLength
        guard length <= available else { return .failure(.truncatedPayload(declared: length, available: available)) }
        if padded, paddedLength(length) > available { return .failure(.missingPadding(declared: length, available: available)) }
        return .success((channel, length))
    }

    /// Bytes a ChannelData message with `length` bytes of data takes: the header, the data
    /// and, on streams (`padded`), the padding to 4 bytes.
    @inlinable
    public static func frameLength(dataLength length: Int, padded: Bool) -> Int {
        headerLength + (padded ? paddedLength(length) : length)
    }
}

public enum ChannelDataError: Error, Hashable, Sendable {
    case truncatedHeader(available: Int)
    case invalidChannelNumber(UInt16)
    /// The header announces more data than arrived.
    case truncatedPayload(declared: Int, available: Int)
    /// On a stream the 0–3 padding bytes after the data are part of the frame.
    case missingPadding(declared: Int, available: Int)
    /// A datagram holds bytes after the data and its padding.
    case trailingBytes(Int)
}

extension ChannelDataError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncatedHeader(let available): "truncated ChannelData header: \(available) of 4 bytes"
        case .invalidChannelNumber(let number): "channel number 0x\(hex(number, digits: 4)) is outside 0x4000-0x7FFF"
        case .truncatedPayload(let declared, let available): "truncated ChannelData: \(declared) bytes announced, \(available) present"
        case .missingPadding(let declared, let available):
            "ChannelData of \(declared) bytes lacks its padding to \(paddedLength(declared)): \(available) present"
        case .trailingBytes(let count): "\(count) bytes follow the ChannelData message in the datagram"
        }
    }
}

extension ByteBuffer {
    /// Writes the 4-byte ChannelData header; the caller writes `length` bytes of data after it,
    /// then `writeChannelDataPadding(length:)` on streams. Split so that RTP can be written in
    /// place without an intermediate buffer.
    @inlinable
    public mutating func writeChannelDataHeader(channel: ChannelNumber, length: Int) {
        writeInteger(UInt32(channel.rawValue) << 16 | UInt32(truncatingIfNeeded: length))
    }

    @inlinable
    public mutating func writeChannelDataPadding(length: Int) {
        writeRepeatingByte(0, count: paddedLength(length) - length)
    }

    @discardableResult
    public mutating func writeChannelData(_ frame: ChannelData, padded: Bool) -> Int {
        let length = frame.payload.readableBytes
        writeChannelDataHeader(channel: frame.channel, length: length)
        writeImmutableBuffer(frame.payload)
        if padded { writeChannelDataPadding(length: length) }
        return ChannelData.frameLength(dataLength: length, padded: padded)
    }

    /// The channel and data length of the ChannelData message at the reader index, checked to
    /// be complete (with its padding when `padded`), without consuming or copying anything.
    @inlinable
    public func peekChannelDataHeader(padded: Bool) throws(ChannelDataError) -> (channel: ChannelNumber, length: Int) {
        try withUnsafeReadableBytes { ChannelData.parseHeader($0, padded: padded) }.get()
    }

    /// Reads one ChannelData message at the reader index; `padded` demands the stream padding.
    /// On error nothing is consumed.
    @inlinable
    public mutating func readChannelData(padded: Bool) throws(ChannelDataError) -> ChannelData {
        let (channel, length) = try peekChannelDataHeader(padded: padded)
        moveReaderIndex(forwardBy: ChannelData.headerLength)
        let payload = readSlice(length: length)!
        if padded { moveReaderIndex(forwardBy: paddedLength(length) - length) }
        return ChannelData(channel: channel, payload: payload)
    }
}

extension ChannelData {
    /// Parses a datagram holding one ChannelData message, with or without padding (RFC 8656
    /// §12.5 lets UDP senders pad, and some do).
    public init(datagram: ByteBuffer) throws(ChannelDataError) {
        var buffer = datagram
        self = try buffer.readChannelData(padded: false)
        let rest = buffer.readableBytes
        guard rest == 0 || rest == paddedLength(payload.readableBytes) - payload.readableBytes else {
            throw .trailingBytes(rest)
        }
    }
}
