import NIOCore

extension ByteBuffer {
    /// Reads one STUN message at the reader index. On error nothing is consumed.
    public mutating func readSTUNMessage() throws(STUNParseError) -> STUNMessage {
        let (message, length) = try peekSTUNMessage()
        moveReaderIndex(forwardBy: length)
        return message
    }

    /// Parses the STUN message at the reader index without consuming it, and returns its
    /// total length on the wire.
    public func peekSTUNMessage() throws(STUNParseError) -> (STUNMessage, length: Int) {
        let (type, bodyLength, transactionID) = try peekSTUNHeader()
        var body = getSlice(at: readerIndex + STUN.headerLength, length: bodyLength)!
        var attributes: [STUNAttribute] = []
        attributes.reserveCapacity(8)
        var integrityReached = false
        while body.readableBytes > 0 {
            let attributeType = STUNAttributeType(rawValue: body.readInteger(as: UInt16.self)!)
            let length = Int(body.readInteger(as: UInt16.self)!)
            guard paddedLength(length) <= body.readableBytes else {
                throw .attributeOverflow(type: attributeType, length: length, remaining: body.readableBytes)
            }
            let value = body.readSlice(length: length)!
            body.moveReaderIndex(forwardBy: paddedLength(length) - length)
            switch attributeType {
            case .messageIntegrity, .messageIntegritySHA256:
                integrityReached = true
            case .fingerprint:
                break
            default:
                if integrityReached { continue }
            }
            attributes.append(STUNAttribute(type: attributeType, value: value))
        }
        return (
            STUNMessage(type: type, transactionID: transactionID, attributes: attributes),
            STUN.headerLength + bodyLength
        )
    }

    /// Validates the 20-byte header at the reader index and that the whole message is present.
    func peekSTUNHeader() throws(STUNParseError) -> (STUNMessageType, bodyLength: Int, TransactionID) {
        guard readableBytes >= STUN.headerLength else { throw .truncatedHeader(available: readableBytes) }
        let rawType = getInteger(at: readerIndex, as: UInt16.self)!
        guard let type = STUNMessageType(rawValue: rawType) else {
            throw .notSTUN(firstByte: UInt8(truncatingIfNeeded: rawType >> 8))
        }
        let bodyLength = Int(getInteger(at: readerIndex + 2, as: UInt16.self)!)
        let cookie = getInteger(at: readerIndex + 4, as: UInt32.self)!
        guard cookie == STUN.magicCookie else { throw .badMagicCookie(cookie) }
        guard bodyLength % 4 == 0 else { throw .lengthNotMultipleOfFour(bodyLength) }
        guard bodyLength <= readableBytes - STUN.headerLength else {
            throw .truncatedMessage(declared: bodyLength, available: readableBytes - STUN.headerLength)
        }
        let transactionID = TransactionID(
            high: getInteger(at: readerIndex + 8)!,
            middle: getInteger(at: readerIndex + 12)!,
            low: getInteger(at: readerIndex + 16)!)
        return (type, bodyLength, transactionID)
    }

    /// Writes a message, then MESSAGE-INTEGRITY(-SHA256) over it when `integrity` is given, then
    /// FINGERPRINT when asked. `padding` is the byte used to pad values; receivers ignore it, and
    /// RFC 5769's vectors use spaces.
    @discardableResult
    public mutating func writeSTUNMessage(
        _ message: STUNMessage, integrity: STUNIntegrity? = nil, fingerprint: Bool = false, padding: UInt8 = 0
    ) -> Int {
        let start = writerIndex
        writeInteger(message.type.rawValue)
        writeInteger(UInt16(0))
        writeInteger(STUN.magicCookie)
        writeInteger(message.transactionID.high)
        writeInteger(message.transactionID.middle)
        writeInteger(message.transactionID.low)
        for attribute in message.attributes {
            writeSTUNAttribute(attribute, padding: padding)
        }
        if let integrity {
            let mac = integrity.authenticationCode(overMessageAt: start, endingAt: writerIndex, in: self)
            writeSTUNAttribute(STUNAttribute(type: integrity.algorithm.attributeType, bytes: mac), padding: padding)
        }
        if fingerprint {
            let value = STUNFingerprint.value(overMessageAt: start, endingAt: writerIndex, in: self)
            writeSTUNAttribute(STUNAttribute(type: .fingerprint, bytes: STUNFingerprint.bytes(value)), padding: padding)
        }
        setInteger(UInt16(writerIndex - start - STUN.headerLength), at: start + 2)
        return writerIndex - start
    }

    mutating func writeSTUNAttribute(_ attribute: STUNAttribute, padding: UInt8) {
        let length = attribute.value.readableBytes
        writeInteger(attribute.type.rawValue)
        writeInteger(UInt16(length))
        writeImmutableBuffer(attribute.value)
        writeRepeatingByte(padding, count: paddedLength(length) - length)
    }
}

extension STUNMessage {
    /// Parses a datagram that must hold exactly one STUN message.
    public init(datagram: ByteBuffer) throws(STUNParseError) {
        var buffer = datagram
        self = try buffer.readSTUNMessage()
        guard buffer.readableBytes == 0 else { throw .trailingBytes(buffer.readableBytes) }
    }

    /// The message on the wire, optionally signed and fingerprinted.
    public func encoded(integrity: STUNIntegrity? = nil, fingerprint: Bool = false, padding: UInt8 = 0) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(STUN.headerLength + attributes.reduce(72) { $0 + $1.encodedLength })
        buffer.writeSTUNMessage(self, integrity: integrity, fingerprint: fingerprint, padding: padding)
        return buffer
    }
}
