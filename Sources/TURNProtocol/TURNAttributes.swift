import NIOCore

// Typed values of the RFC 8656 attributes, in the same shape as STUNAttribute+Values.swift.

/// The protocol numbers REQUESTED-TRANSPORT carries (RFC 8656 §18.7, RFC 6062).
public enum TransportProtocol: UInt8, Hashable, Sendable {
    case tcp = 6
    case udp = 17
}

/// ADDRESS-ERROR-CODE (RFC 8656 §18.12): why one address family of a dual allocation failed.
public struct AddressErrorCode: Hashable, Sendable {
    public var family: AddressFamily
    public var error: STUNErrorCode

    public init(family: AddressFamily, error: STUNErrorCode) {
        self.family = family
        self.error = error
    }
}

/// ICMP (RFC 8656 §18.13): an ICMP error the relay received for a peer.
public struct ICMPReport: Hashable, Sendable {
    public var type: UInt8
    public var code: UInt8
    public var errorData: UInt32

    public init(type: UInt8, code: UInt8, errorData: UInt32 = 0) {
        self.type = type
        self.code = code
        self.errorData = errorData
    }
}

extension STUNAttribute {
    public static func channelNumber(_ channel: ChannelNumber) -> STUNAttribute {
        word(.channelNumber, UInt32(channel.rawValue) << 16)
    }

    public static func lifetime(_ seconds: UInt32) -> STUNAttribute { word(.lifetime, seconds) }

    public static func requestedTransport(_ transport: TransportProtocol) -> STUNAttribute {
        word(.requestedTransport, UInt32(transport.rawValue) << 24)
    }

    public static func requestedAddressFamily(_ family: AddressFamily) -> STUNAttribute {
        word(.requestedAddressFamily, UInt32(family.rawValue) << 24)
    }

    public static func additionalAddressFamily(_ family: AddressFamily) -> STUNAttribute {
        word(.additionalAddressFamily, UInt32(family.rawValue) << 24)
    }

    public static func addressErrorCode(_ value: AddressErrorCode) -> STUNAttribute {
        var buffer = ByteBuffer()
        buffer.writeInteger(value.family.rawValue)
        buffer.writeInteger(UInt8(0))
        buffer.writeErrorCode(value.error)
        return STUNAttribute(type: .addressErrorCode, value: buffer)
    }

    /// EVEN-PORT: one byte whose top bit asks the server to reserve the next port too.
    public static func evenPort(reserveNext: Bool) -> STUNAttribute {
        STUNAttribute(type: .evenPort, bytes: [reserveNext ? 0x80 : 0x00])
    }

    public static let dontFragment = STUNAttribute(type: .dontFragment)

    public static func reservationToken(_ token: UInt64) -> STUNAttribute {
        var buffer = ByteBuffer()
        buffer.writeInteger(token)
        return STUNAttribute(type: .reservationToken, value: buffer)
    }

    public static func data(_ payload: ByteBuffer) -> STUNAttribute { STUNAttribute(type: .data, value: payload) }

    public static func icmp(_ report: ICMPReport) -> STUNAttribute {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(report.type)
        buffer.writeInteger(report.code)
        buffer.writeInteger(report.errorData)
        return STUNAttribute(type: .icmp, value: buffer)
    }

    private static func word(_ type: STUNAttributeType, _ value: UInt32) -> STUNAttribute {
        var buffer = ByteBuffer()
        buffer.writeInteger(value)
        return STUNAttribute(type: type, value: buffer)
    }
}

extension STUNMessage {
    /// The value of a fixed-length attribute, checked for its length.
    private func fixed(_ type: STUNAttributeType, length: Int) throws(STUNAttributeError) -> ByteBuffer? {
        guard let value = attribute(type)?.value else { return nil }
        guard value.readableBytes == length else {
            throw .badLength(type: type, length: value.readableBytes, expected: "\(length)")
        }
        return value
    }

    public var channelNumber: ChannelNumber? {
        get throws(STUNAttributeError) {
            guard let raw = try fixed(.channelNumber, length: 4)?.getInteger(at: 0, as: UInt16.self) else { return nil }
            guard let channel = ChannelNumber(rawValue: raw) else { throw .invalidChannelNumber(raw) }
            return channel
        }
    }

    public var lifetime: UInt32? {
        get throws(STUNAttributeError) { try fixed(.lifetime, length: 4)?.getInteger(at: 0) }
    }

    /// The protocol number as sent, so that a server can answer an unknown one with 442.
    public var requestedTransport: UInt8? {
        get throws(STUNAttributeError) { try fixed(.requestedTransport, length: 4)?.getInteger(at: 0) }
    }

    public var requestedAddressFamily: AddressFamily? {
        get throws(STUNAttributeError) { try family(.requestedAddressFamily) }
    }

    public var additionalAddressFamily: AddressFamily? {
        get throws(STUNAttributeError) { try family(.additionalAddressFamily) }
    }

    private func family(_ type: STUNAttributeType) throws(STUNAttributeError) -> AddressFamily? {
        guard let raw = try fixed(type, length: 4)?.getInteger(at: 0, as: UInt8.self) else { return nil }
        guard let family = AddressFamily(rawValue: raw) else { throw .unknownAddressFamily(type: type, family: raw) }
        return family
    }

    public var addressErrorCode: AddressErrorCode? {
        get throws(STUNAttributeError) {
            guard var value = attribute(.addressErrorCode)?.value else { return nil }
            guard let rawFamily = value.readInteger(as: UInt8.self), value.readInteger(as: UInt8.self) != nil else {
                throw .badLength(type: .addressErrorCode, length: value.readableBytes, expected: "at least 4")
            }
            guard let family = AddressFamily(rawValue: rawFamily) else {
                throw .unknownAddressFamily(type: .addressErrorCode, family: rawFamily)
            }
            return AddressErrorCode(family: family, error: try value.readErrorCode(type: .addressErrorCode))
        }
    }

    /// EVEN-PORT's R bit, or nil when absent.
    public var evenPortReservesNext: Bool? {
        get throws(STUNAttributeError) {
            try fixed(.evenPort, length: 1).map { $0.getInteger(at: 0, as: UInt8.self)! & 0x80 != 0 }
        }
    }

    public var dontFragment: Bool {
        get throws(STUNAttributeError) { try fixed(.dontFragment, length: 0) != nil }
    }

    public var reservationToken: UInt64? {
        get throws(STUNAttributeError) { try fixed(.reservationToken, length: 8)?.getInteger(at: 0) }
    }

    public var data: ByteBuffer? { attribute(.data)?.value }

    public var icmp: ICMPReport? {
        get throws(STUNAttributeError) {
            guard let value = try fixed(.icmp, length: 8) else { return nil }
            return ICMPReport(type: value.getInteger(at: 2)!, code: value.getInteger(at: 3)!, errorData: value.getInteger(at: 4)!)
        }
    }
}
