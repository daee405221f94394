/// Why bytes are not a well-formed STUN message. Each case names what a sender got wrong.
public enum STUNParseError: Error, Hashable, Sendable {
    /// Fewer than the 20 header bytes.
    case truncatedHeader(available: Int)
    /// The two most significant bits are not zero: not STUN (RFC 8489 §5).
    case notSTUN(firstByte: UInt8)
    case badMagicCookie(UInt32)
    /// Attributes are padded to 4 bytes, so a correct length is always a multiple of 4.
    case lengthNotMultipleOfFour(Int)
    /// The header announces more attribute bytes than arrived.
    case truncatedMessage(declared: Int, available: Int)
    /// An attribute (with its padding) runs past the end of the message.
    case attributeOverflow(type: STUNAttributeType, length: Int, remaining: Int)
    /// A datagram holds bytes after the message its header describes.
    case trailingBytes(Int)
}

extension STUNParseError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncatedHeader(let available):
            "truncated STUN header: \(available) of 20 bytes"
        case .notSTUN(let firstByte):
            "not a STUN message: first byte 0x\(hex(firstByte, digits: 2)) has its top bits set"
        case .badMagicCookie(let cookie):
            "wrong magic cookie 0x\(hex(cookie, digits: 8)) (expected 0x2112a442)"
        case .lengthNotMultipleOfFour(let length):
            "message length \(length) is not a multiple of 4 (attribute padding missing?)"
        case .truncatedMessage(let declared, let available):
            "truncated STUN message: header announces \(declared) attribute bytes, \(available) present"
        case .attributeOverflow(let type, let length, let remaining):
            "attribute \(type) of length \(length) (padded \(paddedLength(length))) overruns the message: \(remaining) bytes left"
        case .trailingBytes(let count):
            "\(count) bytes follow the STUN message in the datagram"
        }
    }
}

/// Why an attribute's value cannot be read as its type demands.
public enum STUNAttributeError: Error, Hashable, Sendable {
    case badLength(type: STUNAttributeType, length: Int, expected: String)
    case unknownAddressFamily(type: STUNAttributeType, family: UInt8)
    case invalidUTF8(type: STUNAttributeType)
    case invalidErrorCode(class: UInt8, number: UInt8)
    case invalidChannelNumber(UInt16)
}

extension STUNAttributeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .badLength(let type, let length, let expected):
            "attribute \(type) has length \(length), expected \(expected)"
        case .unknownAddressFamily(let type, let family):
            "attribute \(type) has unknown address family 0x\(hex(family, digits: 2))"
        case .invalidUTF8(let type):
            "attribute \(type) is not valid UTF-8"
        case .invalidErrorCode(let errorClass, let number):
            "error code class \(errorClass) number \(number) is outside 300-699"
        case .invalidChannelNumber(let number):
            "channel number 0x\(hex(number, digits: 4)) is outside 0x4000-0x7FFF"
        }
    }
}
