import NIOCore

/// A STUN message (RFC 8489 §5): type, transaction id and attributes in order.
///
/// When parsed, `attributes` holds everything up to the first MESSAGE-INTEGRITY and only
/// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT after it, since RFC 8489 §14.5 says anything else
/// behind the integrity check is unauthenticated and must be ignored.
public struct STUNMessage: Hashable, Sendable {
    public var type: STUNMessageType
    public var transactionID: TransactionID
    public var attributes: [STUNAttribute]

    public init(type: STUNMessageType, transactionID: TransactionID = .random(), attributes: [STUNAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    public init(
        _ method: STUNMethod, _ messageClass: STUNClass, transactionID: TransactionID = .random(),
        attributes: [STUNAttribute] = []
    ) {
        self.init(type: STUNMessageType(method, messageClass), transactionID: transactionID, attributes: attributes)
    }

    /// The first attribute of a type.
    public func attribute(_ type: STUNAttributeType) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// Comprehension-required attribute types that this package does not know, in order of
    /// appearance: a server answers a request carrying any with 420 (RFC 8489 §6.3.1).
    public var unknownComprehensionRequiredAttributes: [STUNAttributeType] {
        attributes.map(\.type).filter { $0.isComprehensionRequired && STUNAttributeType.known[$0] == nil }
    }
}

public enum STUN {
    /// RFC 8489 §5.
    public static let magicCookie: UInt32 = 0x2112_A442
    public static let headerLength = 20
}
