import Crypto
import PropertyBased
import Testing

@testable import TURNProtocol

@Suite("HMAC and CRC-32")
struct HashingTests {
    /// The keyed-state HMAC gives swift-crypto's HMAC for any key, including keys longer than a
    /// block (hashed first) and empty ones.
    @Test func keyedHMACMatchesSwiftCrypto() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...130), Gen.uint8().array(of: 0...300)) { key, message in
            let sha1 = KeyedHMAC<Insecure.SHA1>(key: key).authenticationCode { $0.update(data: message) }
            #expect(sha1 == Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key))))
            let sha256 = KeyedHMAC<SHA256>(key: key).authenticationCode { $0.update(data: message) }
            #expect(sha256 == Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))))
        }
    }

    /// RFC 2202 test case 2.
    @Test func rfc2202() {
        let mac = KeyedHMAC<Insecure.SHA1>(key: Array("Jefe".utf8))
            .authenticationCode { $0.update(data: Array("what do ya want for nothing?".utf8)) }
        #expect(hexString(mac) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    /// The CRC-32 check value, and agreement between the sliced and byte-wise paths at every length.
    @Test func crc32() {
        var crc = CRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0xCBF4_3926)
        let data = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for split in 0...data.count {
            var whole = CRC32()
            data.withUnsafeBytes { whole.update($0) }
            var pieces = CRC32()
            data[..<split].withUnsafeBytes { pieces.update($0) }
            data[split...].withUnsafeBytes { pieces.update($0) }
            #expect(whole.value == pieces.value)
        }
    }
}
