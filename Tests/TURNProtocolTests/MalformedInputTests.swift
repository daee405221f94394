import NIOCore
import TURNProtocol
import Testing

/// Every way a sender can get the framing wrong ends in a typed error, never a trap.
@Suite("malformed input")
struct MalformedInputTests {
    /// A Binding request with one SOFTWARE attribute, as a starting point to break.
    static var valid: [UInt8] {
        Array(
            STUNMessage(.binding, .request, attributes: [.software("turnload")]).encoded(fingerprint: true)
                .readableBytesView)
    }

    func parse(_ bytes: [UInt8]) throws(STUNParseError) -> STUNMessage {
        try STUNMessage(datagram: ByteBuffer(bytes: bytes))
    }

    @Test func truncatedHeader() {
        #expect(throws: STUNParseError.truncatedHeader(available: 19)) { try parse(Array(Self.valid.prefix(19))) }
        #expect(throws: STUNParseError.truncatedHeader(available: 0)) { try parse([]) }
    }

    @Test func truncatedBody() {
        let bytes = Self.valid
        #expect(throws: STUNParseError.truncatedMessage(declared: bytes.count - 20, available: bytes.count - 24)) {
            try parse(Array(bytes.dropLast(4)))
        }
    }

    @Test func lengthNotMultipleOfFour() {
        var bytes = Self.valid
        bytes[3] += 1
        bytes.append(0)
        #expect(throws: STUNParseError.lengthNotMultipleOfFour(bytes.count - 20)) { try parse(bytes) }
    }

    /// A sender that forgets the padding after an 8-byte SOFTWARE value's 9th byte: the message
    /// length is then odd.
    @Test func missingPadding() {
        var message = ByteBuffer()
        message.writeInteger(STUNMessageType(.binding, .request).rawValue)
        message.writeInteger(UInt16(4 + 9))
        message.writeInteger(STUN.magicCookie)
        message.writeBytes([UInt8](repeating: 1, count: 12))
        message.writeInteger(STUNAttributeType.software.rawValue)
        message.writeInteger(UInt16(9))
        message.writeString("turnload!")
        #expect(throws: STUNParseError.lengthNotMultipleOfFour(13)) { try STUNMessage(datagram: message) }
    }

    @Test func attributeLongerThanMessage() {
        var bytes = Self.valid
        bytes[23] = 0xF0 // SOFTWARE's length, now 240 bytes in a message of 20
        #expect(throws: STUNParseError.attributeOverflow(type: .software, length: 0xF0, remaining: bytes.count - 24)) {
            try parse(bytes)
        }
    }

    @Test func wrongMagicCookie() {
        var bytes = Self.valid
        bytes[4] = 0x21 ^ 0xFF
        #expect(throws: STUNParseError.badMagicCookie(0xDE12_A442)) { try parse(bytes) }
    }

    @Test func notSTUN() {
        var bytes = Self.valid
        bytes[0] = 0x80
        #expect(throws: STUNParseError.notSTUN(firstByte: 0x80)) { try parse(bytes) }
    }

    @Test func trailingBytes() {
        #expect(throws: STUNParseError.trailingBytes(3)) { try parse(Self.valid + [1, 2, 3]) }
    }

    @Test func integrityOverModifiedBody() throws {
        let key = STUNKey(bytes: Array("key".utf8))
        var bytes = Array(
            STUNMessage(.allocate, .request, attributes: [.lifetime(600), .requestedTransport(.udp)])
                .encoded(integrity: STUNIntegrity(key: key), fingerprint: true).readableBytesView)
        try STUNIntegrity(key: key).verify(ByteBuffer(bytes: bytes))
        bytes[27] ^= 0x01 // LIFETIME 600 → 601
        #expect(throws: STUNIntegrityError.mismatch(.messageIntegrity)) {
            try STUNIntegrity(key: key).verify(ByteBuffer(bytes: bytes))
        }
        #expect(throws: STUNIntegrityError.mismatch(.fingerprint)) { try STUNFingerprint.verify(ByteBuffer(bytes: bytes)) }
    }

    /// Attributes after MESSAGE-INTEGRITY are not covered by it and must not be believed.
    @Test func attributesAfterIntegrityAreIgnored() throws {
        let key = STUNKey(bytes: Array("key".utf8))
        var bytes = STUNMessage(.allocate, .request, attributes: [.lifetime(600)]).encoded(integrity: STUNIntegrity(key: key))
        let lifetime = STUNMessage(.allocate, .request, attributes: [.username("mallory")]).encoded()
        bytes.writeImmutableBuffer(lifetime.getSlice(at: 20, length: lifetime.readableBytes - 20)!)
        bytes.setInteger(UInt16(bytes.readableBytes - 20), at: 2)
        let message = try STUNMessage(datagram: bytes)
        #expect(try message.username == nil)
        #expect(try message.lifetime == 600)
    }

    @Test func malformedAttributeValues() throws {
        let transactionID = TransactionID.random()
        func message(_ type: STUNAttributeType, _ value: [UInt8]) -> STUNMessage {
            STUNMessage(
                .allocate, .successResponse, transactionID: transactionID,
                attributes: [STUNAttribute(type: type, bytes: value)])
        }
        #expect(throws: STUNAttributeError.badLength(type: .xorMappedAddress, length: 7, expected: "8 or 20")) {
            try message(.xorMappedAddress, [0, 1, 0, 0, 0, 0, 0]).address(.xorMappedAddress)
        }
        #expect(throws: STUNAttributeError.unknownAddressFamily(type: .xorMappedAddress, family: 3)) {
            try message(.xorMappedAddress, [0, 3, 0, 0, 0, 0, 0, 0]).address(.xorMappedAddress)
        }
        #expect(throws: STUNAttributeError.badLength(type: .xorMappedAddress, length: 20, expected: "8 for IPv4")) {
            try message(.xorMappedAddress, [0, 1] + [UInt8](repeating: 0, count: 18)).address(.xorMappedAddress)
        }
        #expect(throws: STUNAttributeError.invalidUTF8(type: .software)) { try message(.software, [0xFF, 0xFE]).software }
        #expect(throws: STUNAttributeError.invalidErrorCode(class: 7, number: 1)) {
            try message(.errorCode, [0, 0, 7, 1]).errorCode
        }
        #expect(throws: STUNAttributeError.badLength(type: .lifetime, length: 3, expected: "4")) {
            try message(.lifetime, [0, 0, 1]).lifetime
        }
        #expect(throws: STUNAttributeError.invalidChannelNumber(0x3FFF)) {
            try message(.channelNumber, [0x3F, 0xFF, 0, 0]).channelNumber
        }
        #expect(throws: STUNAttributeError.invalidChannelNumber(0x8000)) {
            try message(.channelNumber, [0x80, 0x00, 0, 0]).channelNumber
        }
    }

    @Test func channelDataErrors() {
        #expect(throws: ChannelDataError.truncatedHeader(available: 3)) {
            try ChannelData(datagram: ByteBuffer(bytes: [0x40, 0, 0]))
        }
        #expect(throws: ChannelDataError.invalidChannelNumber(0x8001)) {
            var buffer = ByteBuffer(bytes: [0x80, 0x01, 0, 0])
            _ = try buffer.readChannelData(padded: false)
        }
        #expect(throws: ChannelDataError.truncatedPayload(declared: 8, available: 4)) {
            try ChannelData(datagram: ByteBuffer(bytes: [0x40, 0x00, 0, 8, 1, 2, 3, 4]))
        }
        #expect(throws: ChannelDataError.missingPadding(declared: 5, available: 5)) {
            var buffer = ByteBuffer(bytes: [0x40, 0x00, 0, 5, 1, 2, 3, 4, 5])
            _ = try buffer.readChannelData(padded: true)
        }
        #expect(throws: ChannelDataError.trailingBytes(4)) {
            try ChannelData(datagram: ByteBuffer(bytes: [0x40, 0x00, 0, 4, 1, 2, 3, 4, 9, 9, 9, 9]))
        }
        #expect(ChannelNumber(rawValue: 0x3FFF) == nil)
        #expect(ChannelNumber(rawValue: 0x8000) == nil)
        #expect(ChannelNumber(rawValue: 0x4FFF)?.isRFC8656 == true)
        #expect(ChannelNumber(rawValue: 0x5000)?.isRFC8656 == false)
    }

    @Test func deframerRejectsGarbage() {
        var deframer = TURNStreamDeframer()
        deframer.append(ByteBuffer(bytes: [0xC0, 0, 0, 0]))
        #expect(throws: TURNStreamError.invalidFrameStart(firstByte: 0xC0, offset: 0)) { try deframer.next() }

        var wrongCookie = TURNStreamDeframer()
        wrongCookie.append(ByteBuffer(bytes: [0x00, 0x01, 0x00, 0x40, 0xDE, 0xAD, 0xBE, 0xEF]))
        #expect(throws: TURNStreamError.stun(.badMagicCookie(0xDEAD_BEEF))) { try wrongCookie.next() }

        var reserved = TURNStreamDeframer()
        reserved.append(ByteBuffer(bytes: [0x00, 0x01, 0x00, 0x03]))
        #expect(throws: TURNStreamError.stun(.lengthNotMultipleOfFour(3))) { try reserved.next() }
    }

    @Test func rtpErrors() {
        #expect(throws: RTPParseError.truncatedHeader(available: 11)) {
            try RTPPacket(bytes: ByteBuffer(bytes: [UInt8](repeating: 0x80, count: 11)))
        }
        #expect(throws: RTPParseError.unsupportedVersion(1)) {
            try RTPPacket(bytes: ByteBuffer(bytes: [0x40] + [UInt8](repeating: 0, count: 11)))
        }
        #expect(throws: RTPParseError.truncatedCSRCList(count: 2, available: 4)) {
            try RTPPacket(bytes: ByteBuffer(bytes: [0x82] + [UInt8](repeating: 0, count: 15)))
        }
        #expect(throws: RTPParseError.truncatedExtension(declared: 4, available: 2)) {
            try RTPPacket(bytes: ByteBuffer(bytes: [0x90] + [UInt8](repeating: 0, count: 11) + [0xBE, 0xDE]))
        }
        #expect(throws: RTPParseError.truncatedExtension(declared: 8, available: 0)) {
            try RTPPacket(bytes: ByteBuffer(bytes: [0x90] + [UInt8](repeating: 0, count: 11) + [0xBE, 0xDE, 0, 2]))
        }
        #expect(throws: RTPParseError.invalidPadding(count: 0, available: 2)) {
            try RTPPacket(bytes: ByteBuffer(bytes: [0xA0] + [UInt8](repeating: 0, count: 11) + [7, 0]))
        }
        #expect(throws: RTPParseError.invalidPadding(count: 9, available: 2)) {
            try RTPPacket(bytes: ByteBuffer(bytes: [0xA0] + [UInt8](repeating: 0, count: 11) + [7, 9]))
        }
    }

    /// Random bytes, bounded in count, through every parser: errors are fine, traps are not.
    /// Half the rounds start from a valid message with random known attributes and corrupt a
    /// few bytes of it, so that the attribute readers are reached, not only the header checks.
    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        let knownTypes = Array(STUNAttributeType.known.keys)
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                let attributes = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    STUNAttribute(
                        type: knownTypes.randomElement(using: &generator)!,
                        bytes: (0..<Int.random(in: 0...24, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
                }
                bytes = Array(
                    STUNMessage(.allocate, .successResponse, attributes: attributes)
                        .encoded(fingerprint: true).readableBytesView)
                for _ in 0..<Int.random(in: 0...2, using: &generator) {
                    bytes[Int.random(in: 20..<bytes.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
                }
            } else {
                bytes = (0..<Int.random(in: 0...96, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            let buffer = ByteBuffer(bytes: bytes)
            // The dissector runs every attribute reader on what parses.
            _ = PacketDissector.describe(buffer)
            if (try? STUNMessage(datagram: buffer)) != nil { parsed += 1 }
            _ = try? STUNIntegrity(key: STUNKey(bytes: [1])).verify(buffer)
            _ = try? STUNFingerprint.verify(buffer)
            _ = try? ChannelData(datagram: buffer)
            _ = try? RTPPacket(bytes: buffer)
            var deframer = TURNStreamDeframer()
            deframer.append(buffer)
            while (try? deframer.next()) != nil {}
        }
        #expect(parsed > 3000, "the corrupted-message half should reach the attribute readers often")
    }
}
