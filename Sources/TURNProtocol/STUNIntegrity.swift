import Crypto
import NIOCore

/// Which MESSAGE-INTEGRITY flavour signs a message (RFC 8489 §14.5, §14.6).
public enum STUNIntegrityAlgorithm: Hashable, Sendable {
    case hmacSHA1
    case hmacSHA256

    public var attributeType: STUNAttributeType {
        switch self {
        case .hmacSHA1: .messageIntegrity
        case .hmacSHA256: .messageIntegritySHA256
        }
    }

    var macLength: Int {
        switch self {
        case .hmacSHA1: 20
        case .hmacSHA256: 32
        }
    }
}

/// A key and the algorithm to sign or check messages with. Made once per credential: it keeps
/// the keyed HMAC state, so that each message costs two hash compressions.
public struct STUNIntegrity: Sendable {
    public let algorithm: STUNIntegrityAlgorithm
    private let hmac: Keyed

    private enum Keyed: Sendable {
        case sha1(KeyedHMAC<Insecure.SHA1>)
        case sha256(KeyedHMAC<SHA256>)
    }

    public init(key: STUNKey, algorithm: STUNIntegrityAlgorithm = .hmacSHA1) {
        self.algorithm = algorithm
        switch algorithm {
        case .hmacSHA1: hmac = .sha1(KeyedHMAC(key: key.bytes))
        case .hmacSHA256: hmac = .sha256(KeyedHMAC(key: key.bytes))
        }
    }

    /// The MAC over the message bytes in `buffer[start..<end]`, computed as if the header's
    /// length field already counted the integrity attribute that follows (RFC 8489 §14.5);
    /// `macLength` is that attribute's value length, less than full when truncated.
    func authenticationCode(
        overMessageAt start: Int, endingAt end: Int, in buffer: ByteBuffer, macLength: Int? = nil
    ) -> [UInt8] {
        let length = UInt16(end - start - STUN.headerLength + 4 + (macLength ?? algorithm.macLength))
        switch hmac {
        case .sha1(let keyed):
            return keyed.authenticationCode { feed(&$0, start: start, end: end, length: length, buffer: buffer) }
        case .sha256(let keyed):
            return keyed.authenticationCode { feed(&$0, start: start, end: end, length: length, buffer: buffer) }
        }
    }

    private func feed<H: HashFunction>(_ hash: inout H, start: Int, end: Int, length: UInt16, buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { all in
            let offset = start - buffer.readerIndex
            hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: all[offset..<offset + 2]))
            withUnsafeBytes(of: length.bigEndian) { hash.update(bufferPointer: $0) }
            hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: all[offset + 4..<end - buffer.readerIndex]))
        }
    }
}

/// Why a message's integrity or fingerprint check failed.
public enum STUNIntegrityError: Error, Hashable, Sendable {
    /// No MESSAGE-INTEGRITY of the asked flavour in the message.
    case missing(STUNAttributeType)
    /// The MAC does not match: wrong key, or the message was modified on the way.
    case mismatch(STUNAttributeType)
    /// MESSAGE-INTEGRITY-SHA256 may be truncated to 16 bytes at least, in steps of 4 (RFC 8489 §14.6).
    case badLength(STUNAttributeType, Int)
    case malformed(STUNParseError)
}

extension STUNIntegrityError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missing(let type): "no \(type) attribute"
        case .mismatch(let type): "\(type) does not match: wrong key or modified message"
        case .badLength(let type, let length): "\(type) has length \(length)"
        case .malformed(let error): error.description
        }
    }
}

extension STUNIntegrity {
    /// Checks the MESSAGE-INTEGRITY(-SHA256) of the message at `bytes`' reader index, as received.
    public func verify(_ bytes: ByteBuffer) throws(STUNIntegrityError) {
        let attributeType = algorithm.attributeType
        let found: STUNAttributeLocation?
        do { found = try bytes.locateSTUNAttribute(attributeType) } catch { throw .malformed(error) }
        guard let location = found else { throw .missing(attributeType) }
        let received = location.valueLength
        guard
            received == algorithm.macLength
                || (algorithm == .hmacSHA256 && received >= 16 && received <= 32 && received % 4 == 0)
        else { throw .badLength(attributeType, received) }
        let expected = authenticationCode(
            overMessageAt: bytes.readerIndex, endingAt: location.offset, in: bytes, macLength: received)
        let actual = bytes.getBytes(at: location.offset + 4, length: received)!
        guard constantTimeEqual(actual, Array(expected.prefix(received))) else { throw .mismatch(attributeType) }
    }
}

func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}

/// Where an attribute sits inside a received message.
struct STUNAttributeLocation {
    /// Offset of the attribute header in the buffer.
    var offset: Int
    var valueLength: Int
}

extension ByteBuffer {
    /// Finds the first attribute of a type in the message at the reader index, after checking
    /// the header; attributes before it must be well-formed.
    func locateSTUNAttribute(_ type: STUNAttributeType) throws(STUNParseError) -> STUNAttributeLocation? {
        let (_, bodyLength, _) = try peekSTUNHeader()
        var offset = readerIndex + STUN.headerLength
        let end = offset + bodyLength
        while offset < end {
            let attributeType = STUNAttributeType(rawValue: getInteger(at: offset, as: UInt16.self)!)
            let length = Int(getInteger(at: offset + 2, as: UInt16.self)!)
            guard paddedLength(length) <= end - offset - 4 else {
                throw .attributeOverflow(type: attributeType, length: length, remaining: end - offset - 4)
            }
            if attributeType == type { return STUNAttributeLocation(offset: offset, valueLength: length) }
            offset += 4 + paddedLength(length)
        }
        return nil
    }
}
