/// A TURN channel number.
///
/// RFC 8656 §12 allows 0x4000–0x4FFF and reserves the rest for DTLS-SRTP demultiplexing, but
/// RFC 5766 allowed 0x4000–0x7FFF and peers still use it (coturn 4.6's turnutils_uclient binds
/// 0x5843, see Tests/TURNProtocolTests/Captures), so the wire format accepts the older range and
/// `isRFC8656` tells which side of the line a number is on: our client binds only RFC 8656
/// numbers, and a relay decides whether to accept the others.
public struct ChannelNumber: RawRepresentable, Hashable, Sendable, Comparable {
    public let rawValue: UInt16

    /// Any number a ChannelData header can carry: its first two bits are 0b01.
    public init?(rawValue: UInt16) {
        guard Self.wireRange.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public static let rfc8656Range: ClosedRange<UInt16> = 0x4000...0x4FFF
    public static let wireRange: ClosedRange<UInt16> = 0x4000...0x7FFF
    public static let first = ChannelNumber(rawValue: 0x4000)!

    public var isRFC8656: Bool { Self.rfc8656Range.contains(rawValue) }

    public static func < (lhs: ChannelNumber, rhs: ChannelNumber) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ChannelNumber: CustomStringConvertible {
    public var description: String { "0x\(hex(rawValue, digits: 4))" }
}
