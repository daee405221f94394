import NIOCore

/// Send and Data indications (RFC 8656 §10.1, §11.4) on a media path that carries one packet
/// in each, written and read in place: a client without a channel (`--indications`) sends its
/// RTP in Send indications and hears its echo in Data indications, with no `STUNMessage` and no
/// allocation per packet. The layout is the one RFC 8489 defines: a 20-byte header, then
/// XOR-PEER-ADDRESS, then DATA padded to four bytes; no FINGERPRINT, which indications need not carry.
public enum MediaIndication {
    static let sendType: UInt16 = 0x0016
    static let dataType: UInt16 = 0x0017
    static let xorPeerAddress: UInt16 = 0x0012
    static let dataAttribute: UInt16 = 0x0013

    /// The bytes of an indication carrying `dataLength` bytes to or from a peer of `family`.
    public static func length(dataLength: Int, family: AddressFamily) -> Int {
        STUN.headerLength + 4 + (family == .ipv4 ? 8 : 20) + 4 + (dataLength + 3) & ~3
    }

    /// Where the DATA of a Data indication lies in `datagram`, or nil when the datagram is not
    /// a well-formed Data indication (a STUN answer, ChannelData, garbage).
    public static func dataRange(in datagram: UnsafeRawBufferPointer) -> Range<Int>? {
        guard datagram.count >= STUN.headerLength,
            UInt16(bigEndian: datagram.loadUnaligned(fromByteOffset: 0, as: UInt16.self)) == dataType,
            UInt32(bigEndian: datagram.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == STUN.magicCookie
        else { return nil }
        let end = STUN.headerLength + Int(UInt16(bigEndian: datagram.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        guard end <= datagram.count else { return nil }
        var offset = STUN.headerLength
        while offset + 4 <= end {
            let type = UInt16(bigEndian: datagram.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let length = Int(UInt16(bigEndian: datagram.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self)))
            guard offset + 4 + length <= end else { return nil }
            if type == dataAttribute { return offset + 4..<offset + 4 + length }
            offset += 4 + (length + 3) & ~3
        }
        return nil
    }
}

extension ByteBuffer {
    /// Writes a Send indication carrying an RTP packet (`header`, then `payload`) to `peer`,
    /// under `transactionID`; returns its length.
    @discardableResult
    public mutating func writeSendIndicationRTP(
        to peer: TransportAddress, transactionID: TransactionID, header: RTPHeader, payload: UnsafeRawBufferPointer
    ) -> Int {
        let dataLength = header.encodedLength + payload.count
        let total = MediaIndication.length(dataLength: dataLength, family: peer.ip.family)
        writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            func store<Value: FixedWidthInteger>(_ value: Value, at offset: Int) {
                out.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Value.self)
            }
            store(MediaIndication.sendType, at: 0)
            store(UInt16(total - STUN.headerLength), at: 2)
            store(STUN.magicCookie, at: 4)
            store(transactionID.high, at: 8)
            store(transactionID.middle, at: 12)
            store(transactionID.low, at: 16)
            let xored = peer.xored(with: transactionID)
            store(MediaIndication.xorPeerAddress, at: 20)
            store(UInt8(0), at: 24)
            store(peer.ip.family.rawValue, at: 25)
            store(xored.port, at: 26)
            var offset = 28
            switch xored.ip {
            case .v4(let word):
                store(UInt16(8), at: 22)
                store(word, at: 28)
                offset += 4
            case .v6(let high, let low):
                store(UInt16(20), at: 22)
                store(high, at: 28)
                store(low, at: 36)
                offset += 16
            }
            store(MediaIndication.dataAttribute, at: offset)
            store(UInt16(dataLength), at: offset + 2)
            let data = UnsafeMutableRawBufferPointer(rebasing: out[(offset + 4)...])
            let headerLength = header.store(into: data, padded: false)
            UnsafeMutableRawBufferPointer(rebasing: data[headerLength...]).copyMemory(from: payload)
            let written = offset + 4 + dataLength
            if total > written {
                out.baseAddress!.advanced(by: written).initializeMemory(as: UInt8.self, repeating: 0, count: total - written)
            }
            return total
        }
        return total
    }
}
