import NIOCore

// Typed values of the RFC 8489 attributes: a constructor on `STUNAttribute` for each, and a
// reader on `STUNMessage` that returns nil when the attribute is absent and throws when it is
// present but malformed.

extension STUNAttribute {
    /// USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN: UTF-8 text.
    public static func text(_ type: STUNAttributeType, _ value: String) -> STUNAttribute {
        STUNAttribute(type: type, bytes: Array(value.utf8))
    }

    public static func username(_ value: String) -> STUNAttribute { .text(.username, value) }
    public static func realm(_ value: String) -> STUNAttribute { .text(.realm, value) }
    public static func nonce(_ value: String) -> STUNAttribute { .text(.nonce, value) }
    public static func software(_ value: String) -> STUNAttribute { .text(.software, value) }

    /// MAPPED-ADDRESS and ALTERNATE-SERVER: family, port and address in the clear.
    public static func address(_ type: STUNAttributeType, _ address: TransportAddress) -> STUNAttribute {
        var value = ByteBuffer()
        value.writeInteger(UInt8(0))
        value.writeInteger(address.ip.family.rawValue)
        value.writeInteger(address.port)
        value.writeBytes(address.ip.bytes)
        return STUNAttribute(type: type, value: value)
    }

    /// XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS: port XOR the cookie's top half,
    /// address XOR the cookie (and, for IPv6, the transaction id).
    public static func xorAddress(
        _ type: STUNAttributeType, _ address: TransportAddress, transactionID: TransactionID
    ) -> STUNAttribute {
        Self.address(type, address.xored(with: transactionID))
    }

    public static func errorCode(_ error: STUNErrorCode) -> STUNAttribute {
        var value = ByteBuffer()
        value.writeInteger(UInt16(0))
        value.writeErrorCode(error)
        return STUNAttribute(type: .errorCode, value: value)
    }

    public static func unknownAttributes(_ types: [STUNAttributeType]) -> STUNAttribute {
        var value = ByteBuffer()
        for type in types { value.writeInteger(type.rawValue) }
        return STUNAttribute(type: .unknownAttributes, value: value)
    }

    public static func userhash(_ hash: [UInt8]) -> STUNAttribute {
        STUNAttribute(type: .userhash, bytes: hash)
    }

    public static func passwordAlgorithm(_ algorithm: PasswordAlgorithm) -> STUNAttribute {
        var value = ByteBuffer()
        value.writePasswordAlgorithm(algorithm)
        return STUNAttribute(type: .passwordAlgorithm, value: value)
    }

    public static func passwordAlgorithms(_ algorithms: [PasswordAlgorithm]) -> STUNAttribute {
        var value = ByteBuffer()
        for algorithm in algorithms { value.writePasswordAlgorithm(algorithm) }
        return STUNAttribute(type: .passwordAlgorithms, value: value)
    }
}

extension ByteBuffer {
    /// Class, number and reason: the part ERROR-CODE and ADDRESS-ERROR-CODE share.
    mutating func writeErrorCode(_ error: STUNErrorCode) {
        writeInteger(UInt8(error.code / 100))
        writeInteger(UInt8(error.code % 100))
        writeString(error.reason)
    }

    mutating func readErrorCode(type: STUNAttributeType) throws(STUNAttributeError) -> STUNErrorCode {
        guard readableBytes >= 2 else { throw .badLength(type: type, length: readableBytes, expected: "at least 4") }
        let errorClass = readInteger(as: UInt8.self)! & 0x07
        let number = readInteger(as: UInt8.self)!
        guard (3...6).contains(errorClass), number < 100 else { throw .invalidErrorCode(class: errorClass, number: number) }
        guard let reason = String(validating: readableBytesView, as: UTF8.self) else { throw .invalidUTF8(type: type) }
        return STUNErrorCode(Int(errorClass) * 100 + Int(number), reason: reason)
    }

    /// Algorithm number and an empty parameter list: neither MD5 nor SHA-256 has parameters.
    fileprivate mutating func writePasswordAlgorithm(_ algorithm: PasswordAlgorithm) {
        writeInteger(algorithm.rawValue)
        writeInteger(UInt16(0))
    }
}

extension TransportAddress {
    /// XOR is its own inverse, so this both obfuscates and recovers an address.
    public func xored(with transactionID: TransactionID) -> TransportAddress {
        let port = port ^ UInt16(STUN.magicCookie >> 16)
        switch ip {
        case .v4(let word):
            return TransportAddress(ip: .v4(word ^ STUN.magicCookie), port: port)
        case .v6(let high, let low):
            let cookieAndID = UInt64(STUN.magicCookie) << 32 | UInt64(transactionID.high)
            let rest = UInt64(transactionID.middle) << 32 | UInt64(transactionID.low)
            return TransportAddress(ip: .v6(high: high ^ cookieAndID, low: low ^ rest), port: port)
        }
    }
}

extension STUNMessage {
    public func text(_ type: STUNAttributeType) throws(STUNAttributeError) -> String? {
        guard let attribute = attribute(type) else { return nil }
        guard let text = String(validating: attribute.value.readableBytesView, as: UTF8.self) else {
            throw .invalidUTF8(type: type)
        }
        return text
    }

    public var username: String? { get throws(STUNAttributeError) { try text(.username) } }
    public var realm: String? { get throws(STUNAttributeError) { try text(.realm) } }
    public var nonce: String? { get throws(STUNAttributeError) { try text(.nonce) } }
    public var software: String? { get throws(STUNAttributeError) { try text(.software) } }

    /// An address attribute, with the XOR undone for the XOR- types.
    public func address(_ type: STUNAttributeType) throws(STUNAttributeError) -> TransportAddress? {
        guard let value = attribute(type)?.value else { return nil }
        return try decodeAddress(value, type: type)
    }

    /// Every attribute of an address type, in order: a dual allocation's two
    /// XOR-RELAYED-ADDRESS (RFC 8656 §7.1), a CreatePermission's XOR-PEER-ADDRESS list.
    public func addresses(_ type: STUNAttributeType) throws(STUNAttributeError) -> [TransportAddress] {
        var found: [TransportAddress] = []
        for attribute in attributes where attribute.type == type {
            found.append(try decodeAddress(attribute.value, type: type))
        }
        return found
    }

    private func decodeAddress(_ value: ByteBuffer, type: STUNAttributeType) throws(STUNAttributeError) -> TransportAddress {
        var value = value
        let length = value.readableBytes
        guard length == 8 || length == 20 else { throw .badLength(type: type, length: length, expected: "8 or 20") }
        _ = value.readInteger(as: UInt8.self)
        let family = value.readInteger(as: UInt8.self)!
        let port = value.readInteger(as: UInt16.self)!
        switch (AddressFamily(rawValue: family), length) {
        case (.ipv4, 8), (.ipv6, 20):
            let address = TransportAddress(ip: IPAddress(bytes: value.readableBytesView)!, port: port)
            return type.isXORAddress ? address.xored(with: transactionID) : address
        case (nil, _):
            throw .unknownAddressFamily(type: type, family: family)
        default:
            throw .badLength(type: type, length: length, expected: family == 1 ? "8 for IPv4" : "20 for IPv6")
        }
    }

    public var errorCode: STUNErrorCode? {
        get throws(STUNAttributeError) {
            guard var value = attribute(.errorCode)?.value else { return nil }
            guard value.readInteger(as: UInt16.self) != nil else {
                throw .badLength(type: .errorCode, length: value.readableBytes, expected: "at least 4")
            }
            return try value.readErrorCode(type: .errorCode)
        }
    }

    public var unknownAttributes: [STUNAttributeType]? {
        get throws(STUNAttributeError) {
            guard var value = attribute(.unknownAttributes)?.value else { return nil }
            guard value.readableBytes % 2 == 0 else {
                throw .badLength(type: .unknownAttributes, length: value.readableBytes, expected: "a multiple of 2")
            }
            var types: [STUNAttributeType] = []
            while let raw = value.readInteger(as: UInt16.self) { types.append(STUNAttributeType(rawValue: raw)) }
            return types
        }
    }

    public var userhash: [UInt8]? {
        get throws(STUNAttributeError) {
            guard let value = attribute(.userhash)?.value else { return nil }
            guard value.readableBytes == 32 else {
                throw .badLength(type: .userhash, length: value.readableBytes, expected: "32")
            }
            return Array(value.readableBytesView)
        }
    }

    /// PASSWORD-ALGORITHMS as raw numbers, unknown algorithms included, in the server's order.
    public var passwordAlgorithms: [UInt16]? {
        get throws(STUNAttributeError) {
            guard let value = attribute(.passwordAlgorithms)?.value else { return nil }
            return try Self.readPasswordAlgorithms(value, type: .passwordAlgorithms)
        }
    }

    public var passwordAlgorithm: UInt16? {
        get throws(STUNAttributeError) {
            guard let value = attribute(.passwordAlgorithm)?.value else { return nil }
            let algorithms = try Self.readPasswordAlgorithms(value, type: .passwordAlgorithm)
            guard algorithms.count == 1 else {
                throw .badLength(type: .passwordAlgorithm, length: value.readableBytes, expected: "one algorithm")
            }
            return algorithms[0]
        }
    }

    private static func readPasswordAlgorithms(
        _ value: ByteBuffer, type: STUNAttributeType
    ) throws(STUNAttributeError) -> [UInt16] {
        var value = value
        var algorithms: [UInt16] = []
        while value.readableBytes > 0 {
            guard let algorithm = value.readInteger(as: UInt16.self),
                let parameterLength = value.readInteger(as: UInt16.self).map(Int.init),
                value.readableBytes >= paddedLength(parameterLength)
            else { throw .badLength(type: type, length: value.readableBytes, expected: "algorithm, length, parameters") }
            value.moveReaderIndex(forwardBy: paddedLength(parameterLength))
            algorithms.append(algorithm)
        }
        return algorithms
    }
}
