import NIOCore
import TURNProtocol
import Testing

@Suite("wire formats")
struct WireFormatTests {
    /// Message types as the RFCs' IANA tables give them.
    @Test(arguments: [
        (STUNMethod.binding, STUNClass.request, UInt16(0x0001)), (.binding, .successResponse, 0x0101),
        (.binding, .errorResponse, 0x0111), (.binding, .indication, 0x0011),
        (.allocate, .request, 0x0003), (.allocate, .successResponse, 0x0103), (.allocate, .errorResponse, 0x0113),
        (.refresh, .request, 0x0004), (.send, .indication, 0x0016), (.data, .indication, 0x0017),
        (.createPermission, .request, 0x0008), (.channelBind, .request, 0x0009),
        (.channelBind, .successResponse, 0x0109), (STUNMethod(rawValue: 0xFFF), .errorResponse, 0x3FFF),
    ])
    func messageTypes(method: STUNMethod, messageClass: STUNClass, raw: UInt16) {
        #expect(STUNMessageType(method, messageClass).rawValue == raw)
        #expect(STUNMessageType(rawValue: raw) == STUNMessageType(method, messageClass))
    }

    @Test func errorCodes() throws {
        let codes = [300, 400, 401, 403, 420, 437, 438, 440, 441, 442, 443, 446, 447, 486, 500, 508]
        #expect(Set(STUNErrorCode.reasonPhrases.keys) == Set(codes))
        for code in codes {
            let message = STUNMessage(.allocate, .errorResponse, attributes: [.errorCode(STUNErrorCode(code))])
            let parsed = try STUNMessage(datagram: message.encoded())
            #expect(try parsed.errorCode == STUNErrorCode(code))
        }
        #expect(STUNErrorCode.allocationQuotaReached.description == "486 Allocation Quota Reached")
        #expect(STUNErrorCode.insufficientCapacity.reason == "Insufficient Capacity")
    }

    @Test func turnAttributes() throws {
        let transactionID = TransactionID.random()
        let message = STUNMessage(
            .allocate, .request, transactionID: transactionID,
            attributes: [
                .requestedTransport(.udp), .lifetime(3600), .requestedAddressFamily(.ipv6),
                .additionalAddressFamily(.ipv6), .evenPort(reserveNext: true), .dontFragment,
                .reservationToken(0x0102_0304_0506_0708), .channelNumber(ChannelNumber(rawValue: 0x4001)!),
                .addressErrorCode(AddressErrorCode(family: .ipv6, error: .addressFamilyNotSupported)),
                .icmp(ICMPReport(type: 3, code: 1, errorData: 1400)),
                .unknownAttributes([STUNAttributeType(rawValue: 0x0031), .evenPort]),
                .passwordAlgorithms([.sha256, .md5]), .data(ByteBuffer(bytes: [1, 2, 3])),
                .text(.alternateDomain, "relay.example"), .address(.alternateServer, TransportAddress("192.0.2.7:3478")!),
            ])
        let parsed = try STUNMessage(datagram: message.encoded(fingerprint: true))
        #expect(try parsed.requestedTransport == 17)
        #expect(try parsed.lifetime == 3600)
        #expect(try parsed.requestedAddressFamily == .ipv6)
        #expect(try parsed.additionalAddressFamily == .ipv6)
        #expect(try parsed.evenPortReservesNext == true)
        #expect(try parsed.dontFragment)
        #expect(try parsed.reservationToken == 0x0102_0304_0506_0708)
        #expect(try parsed.channelNumber?.rawValue == 0x4001)
        #expect(try parsed.addressErrorCode == AddressErrorCode(family: .ipv6, error: .addressFamilyNotSupported))
        #expect(try parsed.icmp == ICMPReport(type: 3, code: 1, errorData: 1400))
        #expect(try parsed.unknownAttributes == [STUNAttributeType(rawValue: 0x0031), .evenPort])
        #expect(try parsed.passwordAlgorithms == [2, 1])
        #expect(parsed.data == ByteBuffer(bytes: [1, 2, 3]))
        #expect(try parsed.text(.alternateDomain) == "relay.example")
        #expect(try parsed.address(.alternateServer) == TransportAddress("192.0.2.7:3478"))
        #expect(parsed.unknownComprehensionRequiredAttributes.isEmpty)
    }

    /// RFC 7983 §7 and RFC 9443: the first byte tells the protocol.
    @Test func demultiplexing() {
        #expect(PacketKind(firstByte: 0) == .stun)
        #expect(PacketKind(firstByte: 3) == .stun)
        #expect(PacketKind(firstByte: 4) == .unknown)
        #expect(PacketKind(firstByte: 16) == .zrtp)
        #expect(PacketKind(firstByte: 22) == .dtls)
        #expect(PacketKind(firstByte: 63) == .dtls)
        #expect(PacketKind(firstByte: 64) == .channelData)
        #expect(PacketKind(firstByte: 79) == .channelData)
        #expect(PacketKind(firstByte: 80) == .quic)
        #expect(PacketKind(firstByte: 128) == .rtpOrRTCP)
        #expect(PacketKind(firstByte: 191) == .rtpOrRTCP)
        #expect(PacketKind(firstByte: 192) == .unknown)
    }

    /// On a TURN socket, ChannelData is every first byte 0x40–0x7F: coturn's turnutils_uclient
    /// binds channels such as 0x5843, which RFC 7983 alone would call QUIC.
    @Test func turnDatagramsByTheirFirstTwoBits() {
        for channel: UInt16 in [0x4000, 0x4FFF, 0x5843, 0x7FFF] {
            var datagram = ByteBuffer()
            datagram.writeChannelData(
                ChannelData(channel: ChannelNumber(rawValue: channel)!, payload: ByteBuffer(bytes: [1, 2, 3])),
                padded: false)
            guard case .channelData(let data) = TURNFrame(datagram: datagram) else {
                Issue.record("0x\(String(channel, radix: 16)) not ChannelData")
                continue
            }
            #expect(data.channel.rawValue == channel)
        }
        #expect(TURNFrame(datagram: STUNMessage(.binding, .request).encoded()) != nil)
        #expect(TURNFrame(datagram: ByteBuffer(bytes: [0x80, 0, 0, 0])) == nil, "RTP is not TURN")
        #expect(TURNFrame(datagram: ByteBuffer(bytes: [0x40, 0, 0, 9, 1])) == nil, "truncated ChannelData")
    }

    /// An Opus-sized RTP packet inside ChannelData, as the load engine sends it, decodes back.
    @Test func rtpInChannelData() throws {
        let header = RTPHeader(marker: true, payloadType: 111, sequenceNumber: 65535, timestamp: 0xFFFF_FF00, ssrc: 0xDEAD_BEEF)
        let opus = ByteBuffer(bytes: (0..<80).map { UInt8($0) })
        var buffer = ByteBuffer()
        let channel = ChannelNumber(rawValue: 0x4000)!
        buffer.writeChannelDataHeader(channel: channel, length: header.encodedLength + opus.readableBytes)
        buffer.writeRTPHeader(header)
        buffer.writeImmutableBuffer(opus)
        #expect(buffer.readableBytes == 4 + 12 + 80)
        #expect(buffer.getBytes(at: 0, length: 8) == [0x40, 0x00, 0x00, 92, 0x80, 0xEF, 0xFF, 0xFF])
        let frame = try ChannelData(datagram: buffer)
        let packet = try RTPPacket(bytes: frame.payload)
        #expect(packet.header == header)
        #expect(packet.payload == opus)
    }

    /// RFC 8285 §4.2's own example shape: two one-byte elements and padding.
    @Test func oneByteExtensionBytes() throws {
        let headerExtension = try RTPHeaderExtension.oneByte([
            RTPExtensionElement(id: 1, data: [0xAA]), RTPExtensionElement(id: 2, data: [0xBB, 0xCC]),
        ])
        #expect(headerExtension.profile == 0xBEDE)
        #expect(Array(headerExtension.data.readableBytesView) == [0x10, 0xAA, 0x21, 0xBB, 0xCC, 0, 0, 0])
        #expect(throws: RTPParseError.self) { try RTPHeaderExtension.oneByte([RTPExtensionElement(id: 15, data: [1])]) }
        #expect(throws: RTPParseError.self) { try RTPHeaderExtension.oneByte([RTPExtensionElement(id: 1, data: [])]) }
        // Id 15 ends the parse, whatever follows.
        let stopped = RTPHeaderExtension(profile: 0xBEDE, data: ByteBuffer(bytes: [0x10, 0xAA, 0xF0, 0x10]))
        #expect(try stopped.elements() == [RTPExtensionElement(id: 1, data: [0xAA])])
        #expect(try RTPHeaderExtension(profile: 0x1234, data: ByteBuffer()).elements() == nil)
    }

    @Test func hexParsing() {
        #expect(bytes(fromHex: "00 01:ff\nAb") == [0, 1, 0xFF, 0xAB])
        #expect(bytes(fromHex: "0") == nil)
        #expect(bytes(fromHex: "0 1") == nil)
        #expect(bytes(fromHex: "zz") == nil)
    }
}
