import LibFuzzerDriver
import NIOCore
import TURNProtocol

/// Any datagram as an RTP packet (RFC 3550) and its header extension's RFC 8285 elements, and
/// the same bytes as the data of a one-byte and of a two-byte extension. What parses must
/// re-encode to what parses equal; the fixed header read in place must agree with the packet's.
public func fuzzRTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))

    // The extension parsers on their own, whatever the RTP header around them would say.
    roundTrip(RTPHeaderExtension(profile: RTPHeaderExtension.oneByteProfile, data: buffer))
    roundTrip(RTPHeaderExtension(profile: RTPHeaderExtension.twoByteProfileBase | UInt16(size & 0x0F), data: buffer))

    // The fixed header as the media path reads it, in a datagram and inside ChannelData.
    for offset in [0, 4] {
        if let fixed = try? buffer.peekRTPFixedHeader(at: offset) {
            precondition(size >= offset + RTPFixedHeader.length, "a fixed header read from \(size - offset) bytes")
            precondition(fixed.csrcCount <= 15, "\(fixed.csrcCount) CSRCs in a 4-bit count")
        }
    }

    guard let packet = try? RTPPacket(bytes: buffer) else { return 0 }
    let fixed = try! buffer.peekRTPFixedHeader()
    precondition(fixed.sequenceNumber == packet.header.sequenceNumber && fixed.timestamp == packet.header.timestamp
        && fixed.ssrc == packet.header.ssrc && fixed.marker == packet.header.marker
        && fixed.payloadType == packet.header.payloadType && fixed.csrcCount == packet.header.csrcs.count,
        "the fixed header and the packet disagree")
    precondition(packet.encodedLength == size, "a packet of \(size) bytes measures \(packet.encodedLength)")
    if let headerExtension = packet.header.headerExtension {
        precondition(headerExtension.data.readableBytes % 4 == 0, "extension data not in whole words")
        roundTrip(headerExtension)
    }

    var encoded = ByteBuffer()
    let written = encoded.writeRTPPacket(packet)
    precondition(written == encoded.readableBytes && written == size, "wrote \(encoded.readableBytes) bytes, said \(written), read \(size)")
    guard let reparsed = try? RTPPacket(bytes: encoded) else { fatalError("a re-encoded RTP packet does not parse: \(packet)") }
    precondition(reparsed == packet, "a re-encoded RTP packet parses different: \(packet) became \(reparsed)")

    // The hot path's writer: ChannelData header, RTP header and payload in one write.
    var framed = ByteBuffer()
    let unpadded = RTPPacket(header: packet.header, payload: packet.payload)
    let total = packet.payload.withUnsafeReadableBytes { payload in
        framed.writeChannelDataRTP(channel: ChannelNumber(rawValue: 0x4000)!, header: packet.header, payload: payload,
                                   padded: size & 1 == 0)
    }
    precondition(total == framed.readableBytes, "ChannelData of \(framed.readableBytes) bytes, said \(total)")
    guard packet.header.csrcs.count <= 15, unpadded.encodedLength <= Int(UInt16.max),
          case .channelData(let channelData)? = TURNFrame(datagram: framed),
          let inside = try? RTPPacket(bytes: channelData.payload)
    else { fatalError("an RTP packet in ChannelData does not parse back: \(packet)") }
    precondition(inside == unpadded, "an RTP packet in ChannelData parses different: \(unpadded) became \(inside)")
    return 0
}

/// Elements that parse must build the same extension's elements again.
private func roundTrip(_ headerExtension: RTPHeaderExtension) {
    guard let elements = try? headerExtension.elements() else { return }
    let rebuilt: RTPHeaderExtension
    if headerExtension.profile == RTPHeaderExtension.oneByteProfile {
        // Ids 0 (with a length) and 15 do not build: the builder refuses what RFC 8285 forbids.
        guard let built = try? RTPHeaderExtension.oneByte(elements) else { return }
        rebuilt = built
    } else {
        guard let built = try? RTPHeaderExtension.twoByte(elements, appBits: UInt8(headerExtension.profile & 0x0F)) else {
            fatalError("two-byte elements that parsed do not build: \(elements)")
        }
        rebuilt = built
    }
    precondition(rebuilt.profile == headerExtension.profile, "profile \(headerExtension.profile) rebuilt as \(rebuilt.profile)")
    guard let again = try? rebuilt.elements(), again == elements else {
        fatalError("extension elements do not survive a rebuild: \(elements)")
    }
}

@_cdecl("FuzzRTP_main")
public func fuzzRTPMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzRTP)
}
