/// A STUN attribute type (RFC 8489 §18.3, RFC 8656 §18).
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// Types below 0x8000 must be understood: an agent that does not know one must reject the
    /// request with 420 and list it in UNKNOWN-ATTRIBUTES (RFC 8489 §14).
    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    /// XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS hide their address by XOR.
    public var isXORAddress: Bool { self == .xorMappedAddress || self == .xorPeerAddress || self == .xorRelayedAddress }

    // RFC 8489
    public static let mappedAddress = STUNAttributeType(rawValue: 0x0001)
    public static let username = STUNAttributeType(rawValue: 0x0006)
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    public static let realm = STUNAttributeType(rawValue: 0x0014)
    public static let nonce = STUNAttributeType(rawValue: 0x0015)
    public static let messageIntegritySHA256 = STUNAttributeType(rawValue: 0x001C)
    public static let passwordAlgorithm = STUNAttributeType(rawValue: 0x001D)
    public static let userhash = STUNAttributeType(rawValue: 0x001E)
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    public static let passwordAlgorithms = STUNAttributeType(rawValue: 0x8002)
    public static let alternateDomain = STUNAttributeType(rawValue: 0x8003)
    public static let software = STUNAttributeType(rawValue: 0x8022)
    public static let alternateServer = STUNAttributeType(rawValue: 0x8023)
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)

    // RFC 8656
    public static let channelNumber = STUNAttributeType(rawValue: 0x000C)
    public static let lifetime = STUNAttributeType(rawValue: 0x000D)
    public static let xorPeerAddress = STUNAttributeType(rawValue: 0x0012)
    public static let data = STUNAttributeType(rawValue: 0x0013)
    public static let xorRelayedAddress = STUNAttributeType(rawValue: 0x0016)
    public static let requestedAddressFamily = STUNAttributeType(rawValue: 0x0017)
    public static let evenPort = STUNAttributeType(rawValue: 0x0018)
    public static let requestedTransport = STUNAttributeType(rawValue: 0x0019)
    public static let dontFragment = STUNAttributeType(rawValue: 0x001A)
    public static let reservationToken = STUNAttributeType(rawValue: 0x0022)
    public static let additionalAddressFamily = STUNAttributeType(rawValue: 0x8000)
    public static let addressErrorCode = STUNAttributeType(rawValue: 0x8001)
    public static let icmp = STUNAttributeType(rawValue: 0x8004)

    /// The attribute types this package can decode.
    public static let known: [STUNAttributeType: String] = [
        .mappedAddress: "MAPPED-ADDRESS", .username: "USERNAME", .messageIntegrity: "MESSAGE-INTEGRITY",
        .errorCode: "ERROR-CODE", .unknownAttributes: "UNKNOWN-ATTRIBUTES", .realm: "REALM", .nonce: "NONCE",
        .messageIntegritySHA256: "MESSAGE-INTEGRITY-SHA256", .passwordAlgorithm: "PASSWORD-ALGORITHM",
        .userhash: "USERHASH", .xorMappedAddress: "XOR-MAPPED-ADDRESS", .passwordAlgorithms: "PASSWORD-ALGORITHMS",
        .alternateDomain: "ALTERNATE-DOMAIN", .software: "SOFTWARE", .alternateServer: "ALTERNATE-SERVER",
        .fingerprint: "FINGERPRINT", .channelNumber: "CHANNEL-NUMBER", .lifetime: "LIFETIME",
        .xorPeerAddress: "XOR-PEER-ADDRESS", .data: "DATA", .xorRelayedAddress: "XOR-RELAYED-ADDRESS",
        .requestedAddressFamily: "REQUESTED-ADDRESS-FAMILY", .evenPort: "EVEN-PORT",
        .requestedTransport: "REQUESTED-TRANSPORT", .dontFragment: "DONT-FRAGMENT",
        .reservationToken: "RESERVATION-TOKEN", .additionalAddressFamily: "ADDITIONAL-ADDRESS-FAMILY",
        .addressErrorCode: "ADDRESS-ERROR-CODE", .icmp: "ICMP",
    ]
}

extension STUNAttributeType: CustomStringConvertible {
    public var description: String { Self.known[self] ?? "0x\(hex(rawValue, digits: 4))" }
}
