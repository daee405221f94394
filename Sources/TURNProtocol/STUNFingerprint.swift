import NIOCore

/// FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to the attribute, XOR 0x5354554e,
/// with the header length already counting the 8-byte attribute.
public enum STUNFingerprint {
    static let xorValue: UInt32 = 0x5354_554E

    static func value(overMessageAt start: Int, endingAt end: Int, in buffer: ByteBuffer) -> UInt32 {
        let length = UInt16(end - start - STUN.headerLength + 8)
        var crc = CRC32()
        buffer.withUnsafeReadableBytes { all in
            let offset = start - buffer.readerIndex
            crc.update(UnsafeRawBufferPointer(rebasing: all[offset..<offset + 2]))
            withUnsafeBytes(of: length.bigEndian) { crc.update($0) }
            crc.update(UnsafeRawBufferPointer(rebasing: all[offset + 4..<end - buffer.readerIndex]))
        }
        return crc.value ^ xorValue
    }

    static func bytes(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
    }

    /// Checks the FINGERPRINT of the message at `bytes`' reader index, as received.
    public static func verify(_ bytes: ByteBuffer) throws(STUNIntegrityError) {
        let found: STUNAttributeLocation?
        do { found = try bytes.locateSTUNAttribute(.fingerprint) } catch { throw .malformed(error) }
        guard let location = found else { throw .missing(.fingerprint) }
        guard location.valueLength == 4 else { throw .badLength(.fingerprint, location.valueLength) }
        let expected = value(overMessageAt: bytes.readerIndex, endingAt: location.offset, in: bytes)
        guard bytes.getInteger(at: location.offset + 4, as: UInt32.self) == expected else {
            throw .mismatch(.fingerprint)
        }
    }
}

/// CRC-32 as in ISO 3309 / ITU-T V.42 (the zlib and Ethernet one), table driven.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { byte in
        (0..<8).reduce(UInt32(byte)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }

    private var state: UInt32 = 0xFFFF_FFFF

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes {
                state = table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
            }
        }
    }

    var value: UInt32 { state ^ 0xFFFF_FFFF }
}
