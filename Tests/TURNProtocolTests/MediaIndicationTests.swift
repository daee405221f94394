import NIOCore
import Testing

@testable import TURNProtocol

/// The media path's in-place Send and Data indications against the general STUN codec: the
/// same bytes, and the DATA found whatever else the server adds.
@Suite struct MediaIndicationTests {
    static let header = RTPHeader(marker: true, payloadType: 111, sequenceNumber: 7, timestamp: 960, ssrc: 0xDEAD_BEEF)
    static let id = TransactionID(high: 0x0102_0304, middle: 0x0506_0708, low: 0x090A_0B0C)

    static func rtp(_ payload: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeRTPPacket(RTPPacket(header: header, payload: ByteBuffer(bytes: payload)))
        return buffer
    }

    @Test(
        arguments: [
            TransportAddress(ip: .v4(0xC000_0201), port: 49_152),
            TransportAddress(ip: .v6(high: 0x2001_0DB8_0000_0000, low: 0x0000_0000_0000_0001), port: 3478),
        ], [80, 81, 83])
    func sendIndicationIsWhatTheCodecEncodes(peer: TransportAddress, payloadLength: Int) {
        let payload = (0..<payloadLength).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var written = ByteBuffer()
        let length = payload.withUnsafeBytes {
            written.writeSendIndicationRTP(to: peer, transactionID: Self.id, header: Self.header, payload: $0)
        }
        let expected = STUNMessage(
            .send, .indication, transactionID: Self.id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: Self.id), .data(Self.rtp(payload))]
        ).encoded()
        #expect(written == expected)
        #expect(length == expected.readableBytes)
        #expect(length == MediaIndication.length(dataLength: 12 + payloadLength, family: peer.ip.family))
    }

    @Test func dataIsFoundInADataIndicationWithOrWithoutAFingerprint() {
        let peer = TransportAddress(ip: .v4(0x7F00_0001), port: 40_000)
        let rtp = Self.rtp([1, 2, 3, 4, 5])
        for fingerprint in [false, true] {
            let message = STUNMessage(
                .data, .indication, transactionID: Self.id,
                attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: Self.id), .data(rtp)]
            ).encoded(fingerprint: fingerprint)
            let bytes = Array(message.readableBytesView)
            let range = bytes.withUnsafeBytes { MediaIndication.dataRange(in: $0) }
            #expect(range.map { Array(bytes[$0]) } == Array(rtp.readableBytesView))
        }
    }

    @Test func anythingElseHasNoData() {
        let peer = TransportAddress(ip: .v4(0x7F00_0001), port: 40_000)
        let send = STUNMessage(
            .send, .indication, transactionID: Self.id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: Self.id), .data(Self.rtp([9]))]
        ).encoded()
        let data = STUNMessage(
            .data, .indication, transactionID: Self.id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: Self.id), .data(Self.rtp([9]))]
        ).encoded()
        var truncated = Array(data.readableBytesView)
        truncated.removeLast(2)
        let noData = STUNMessage(
            .data, .indication, transactionID: Self.id, attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: Self.id)]
        ).encoded()
        for bytes in [Array(send.readableBytesView), truncated, Array(noData.readableBytesView), [0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4], []] {
            #expect(bytes.withUnsafeBytes { MediaIndication.dataRange(in: $0) } == nil, "\(bytes)")
        }
    }
}
