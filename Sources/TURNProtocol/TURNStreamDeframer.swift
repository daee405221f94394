import NIOCore

/// One unit of a TURN byte stream: a STUN message (kept as received, so that its integrity can
/// be checked) or ChannelData.
public enum TURNFrame: Hashable, Sendable {
    case stun(ByteBuffer)
    case channelData(ChannelData)

    /// The frame a datagram holds, told by its first two bits as on a stream (0b00 STUN,
    /// 0b01 ChannelData), not by RFC 7983's media demultiplexing: that one calls 0x50–0x7F
    /// QUIC (RFC 9443), but coturn's clients bind channels up to 0x7FFF (RFC 5766's range) and
    /// nothing but TURN arrives on a TURN socket. Nil for anything else and for ChannelData
    /// that does not parse. STUN is left to be parsed by its reader.
    public init?(datagram: ByteBuffer) {
        guard let first = datagram.getInteger(at: datagram.readerIndex, as: UInt8.self) else { return nil }
        switch first >> 6 {
        case 0b00:
            self = .stun(datagram)
        case 0b01:
            guard let frame = try? ChannelData(datagram: datagram) else { return nil }
            self = .channelData(frame)
        default:
            return nil
        }
    }
}

public enum TURNStreamError: Error, Hashable, Sendable {
    /// The stream is out of step: a frame must start with 0b00 (STUN) or 0b01 (ChannelData).
    /// There is no resynchronising a byte stream, so the connection must be closed.
    case invalidFrameStart(firstByte: UInt8, offset: Int)
    case stun(STUNParseError)
    case channelData(ChannelDataError)
}

extension TURNStreamError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidFrameStart(let firstByte, let offset):
            "stream out of step at byte \(offset): 0x\(hex(firstByte, digits: 2)) starts neither STUN nor ChannelData"
        case .stun(let error): error.description
        case .channelData(let error): error.description
        }
    }
}

/// Splits a TCP or TLS byte stream into frames (RFC 8656 §12.5), whatever the read boundaries.
/// Feed it with `append`, then take frames with `next()` until it returns nil.
public struct TURNStreamDeframer: Sendable {
    private var buffer = ByteBuffer()
    private var consumed = 0

    public init() {}

    public mutating func append(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 { buffer.clear() } else if buffer.readerIndex > 65_536 { buffer.discardReadBytes() }
        buffer.writeImmutableBuffer(bytes)
    }

    /// Bytes received but not yet returned as a frame.
    public var pendingBytes: Int { buffer.readableBytes }

    /// The next complete frame, or nil until more bytes arrive.
    public mutating func next() throws(TURNStreamError) -> TURNFrame? {
        let start = buffer.readerIndex
        let frame = try buffer.readTURNStreamFrame(streamOffset: consumed)
        consumed += buffer.readerIndex - start
        return frame
    }
}

extension ByteBuffer {
    /// Reads the complete frame of a TURN byte stream at the reader index, padding included;
    /// nil, with nothing consumed, until all of it is here. `streamOffset` (where the reader
    /// index is in the whole stream) only serves error messages.
    public mutating func readTURNStreamFrame(streamOffset: Int = 0) throws(TURNStreamError) -> TURNFrame? {
        guard readableBytes >= 4 else { return nil }
        let first = getInteger(at: readerIndex, as: UInt8.self)!
        let length = Int(getInteger(at: readerIndex + 2, as: UInt16.self)!)
        switch first >> 6 {
        case 0b00:
            // Header checks come before waiting for the body, so that garbage fails at once
            // instead of after up to 64 KiB have piled up.
            guard length % 4 == 0 else { throw .stun(.lengthNotMultipleOfFour(length)) }
            if let cookie = getInteger(at: readerIndex + 4, as: UInt32.self), cookie != STUN.magicCookie {
                throw .stun(.badMagicCookie(cookie))
            }
            guard readableBytes >= STUN.headerLength + length else { return nil }
            return .stun(readSlice(length: STUN.headerLength + length)!)
        case 0b01:
            let channel = getInteger(at: readerIndex, as: UInt16.self)!
            guard ChannelNumber(rawValue: channel) != nil else { throw .channelData(.invalidChannelNumber(channel)) }
            guard readableBytes >= ChannelData.headerLength + paddedLength(length) else { return nil }
            do {
                return .channelData(try readChannelData(padded: true))
            } catch {
                throw .channelData(error)
            }
        default:
            throw .invalidFrameStart(firstByte: first, offset: streamOffset)
        }
    }
}
