import NIOCore

/// One attribute as it travels: a type and its value bytes, without padding.
/// Typed constructors and readers live in `STUNAttribute+Values.swift`.
public struct STUNAttribute: Hashable, Sendable {
    public var type: STUNAttributeType
    public var value: ByteBuffer

    public init(type: STUNAttributeType, value: ByteBuffer) {
        self.type = type
        self.value = value
    }

    public init(type: STUNAttributeType, bytes: some Sequence<UInt8> = []) {
        self.init(type: type, value: ByteBuffer(bytes: bytes))
    }

    /// Length on the wire: header, value and padding to a multiple of 4.
    public var encodedLength: Int { 4 + paddedLength(value.readableBytes) }
}

/// STUN and ChannelData pad values to a 4-byte boundary.
@inlinable
func paddedLength(_ length: Int) -> Int { (length + 3) & ~3 }
