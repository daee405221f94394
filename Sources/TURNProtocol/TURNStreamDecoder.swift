import NIOCore

/// TCP and TLS: bytes in, TURN frames out, across any read boundaries (RFC 8656 §12.5). Frames
/// are cut from NIO's own buffer, so that NIO keeps asking for the next one while bytes remain.
public struct TURNStreamDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = TURNFrame
    private var consumed = 0

    public init() {}

    public mutating func decode(buffer: inout ByteBuffer) throws -> TURNFrame? {
        let start = buffer.readerIndex
        let frame = try buffer.readTURNStreamFrame(streamOffset: consumed)
        consumed += buffer.readerIndex - start
        return frame
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> TURNFrame? {
        try decode(buffer: &buffer)
    }
}
