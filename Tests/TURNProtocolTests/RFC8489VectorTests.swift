import Crypto
import NIOCore
import TURNProtocol
import Testing

/// RFC 8489 Appendix B.1 (as corrected by erratum 6268): SHA-256 long-term key, USERHASH,
/// PASSWORD-ALGORITHM and MESSAGE-INTEGRITY-SHA256.
@Suite("RFC 8489 Appendix B")
struct RFC8489VectorTests {
    static let request = """
        000100902112a44278ad3433c6ad72c029da412e001e00204a3cf38fef6992bda952c678
        0417da0f24819415569e60b205c46e41407f1704001500296f624d61744a6f7332414141
        43662f2f3439396b39353464364f4c33346f4c394653547679363473410000000014000b
        6578616d706c652e6f726700001d000400020000001c0020b5c7bf005b6c52a21c51c5e8
        92f81924136296cb927c43149309278cc6518e65
        """.filter { !$0.isWhitespace }
    static let username = "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}"
    static let password = "The\u{00AD}M\u{00AA}tr\u{2168}"

    @Test func parsesAndVerifies() throws {
        let bytes = hexBuffer(Self.request)
        let message = try STUNMessage(datagram: bytes)
        #expect(try message.userhash == STUNKey.userhash(username: Self.username, realm: "example.org"))
        #expect(try message.nonce == "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA")
        #expect(try message.realm == "example.org")
        #expect(try message.passwordAlgorithm == PasswordAlgorithm.sha256.rawValue)
        let key = try STUNKey.longTerm(
            username: Self.username, realm: "example.org", password: Self.password,
            algorithm: .sha256)
        try STUNIntegrity(key: key, algorithm: .hmacSHA256).verify(bytes)
        #expect(throws: STUNIntegrityError.missing(.messageIntegrity)) {
            try STUNIntegrity(key: key, algorithm: .hmacSHA1).verify(bytes)
        }
        let md5Key = try STUNKey.longTerm(username: Self.username, realm: "example.org", password: Self.password)
        #expect(throws: STUNIntegrityError.mismatch(.messageIntegritySHA256)) {
            try STUNIntegrity(key: md5Key, algorithm: .hmacSHA256).verify(bytes)
        }
    }

    @Test func encodesByteForByte() throws {
        let original = try STUNMessage(datagram: hexBuffer(Self.request))
        let message = STUNMessage(
            .binding, .request, transactionID: original.transactionID,
            attributes: [
                .userhash(try STUNKey.userhash(username: Self.username, realm: "example.org")),
                .nonce("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"),
                .realm("example.org"),
                .passwordAlgorithm(.sha256),
            ])
        let key = try STUNKey.longTerm(
            username: Self.username, realm: "example.org", password: Self.password,
            algorithm: .sha256)
        #expect(message.encoded(integrity: STUNIntegrity(key: key, algorithm: .hmacSHA256)).hex == Self.request)
    }

    /// A MESSAGE-INTEGRITY-SHA256 truncated to 16 bytes (RFC 8489 §14.6) verifies; the header
    /// length then counts the attribute at its truncated size.
    @Test func truncatedSHA256MACVerifies() throws {
        let secret = Array("secret".utf8)
        var bytes = ByteBuffer()
        bytes.writeInteger(STUNMessageType(.binding, .request).rawValue)
        bytes.writeInteger(UInt16(4 + 16))
        bytes.writeInteger(STUN.magicCookie)
        bytes.writeBytes(TransactionID.random().bytes)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(bytes.readableBytesView), using: SymmetricKey(data: secret))
        bytes.writeInteger(STUNAttributeType.messageIntegritySHA256.rawValue)
        bytes.writeInteger(UInt16(16))
        bytes.writeBytes(Array(mac).prefix(16))
        try STUNIntegrity(key: STUNKey(bytes: secret), algorithm: .hmacSHA256).verify(bytes)
        bytes.setInteger(UInt8(0xFF), at: bytes.writerIndex - 1)
        #expect(throws: STUNIntegrityError.mismatch(.messageIntegritySHA256)) {
            try STUNIntegrity(key: STUNKey(bytes: secret), algorithm: .hmacSHA256).verify(bytes)
        }
    }

    @Test func saslprep() throws {
        #expect(try SASLprep.prepare("user") == "user")
        #expect(try SASLprep.prepare(Self.password) == "TheMatrIX")
        #expect(try SASLprep.prepare("I\u{00AD}X") == "IX")
        #expect(try SASLprep.prepare("a\u{00A0}b") == "a b")
        #expect(try SASLprep.prepare("\u{2168}") == "IX")
        #expect(throws: SASLprepError.prohibitedCharacter(0x07)) { try SASLprep.prepare("a\u{07}b") }
        #expect(throws: SASLprepError.prohibitedCharacter(0xE000)) { try SASLprep.prepare("x\u{E000}") }
    }
}
