import NIOCore
import PropertyBased
import TURNProtocol
import Testing

/// Whatever is encoded parses back to the same value.
@Suite("round-trip properties")
struct RoundTripPropertyTests {
    static let bytes = Gen.uint8().array(of: 0...40)
    static let method = Gen.uint16(in: 0...0x0FFF).map { STUNMethod(rawValue: $0) }
    static let messageClass = Gen<STUNClass>.case
    static let transactionID = zip(Gen.uint32(), Gen.uint32(), Gen.uint32())
        .map { TransactionID(high: $0, middle: $1, low: $2) }
    static let attribute = zip(Gen.uint16(in: 0...0xFFFF), bytes)
        .map { STUNAttribute(type: STUNAttributeType(rawValue: $0), bytes: $1) }
        .filter { ![STUNAttributeType.messageIntegrity, .messageIntegritySHA256, .fingerprint].contains($0.type) }
    static let ipAddress = Gen.oneOf(
        Gen.uint32().map { IPAddress.v4($0) },
        zip(Gen.uint64(), Gen.uint64()).map { IPAddress.v6(high: $0, low: $1) })
    static let transportAddress = zip(ipAddress, Gen.uint16()).map { TransportAddress(ip: $0, port: $1) }

    @Test func messageType() async {
        await propertyCheck(input: Self.method, Self.messageClass) { method, messageClass in
            let type = STUNMessageType(method, messageClass)
            #expect(type.rawValue & 0xC000 == 0)
            #expect(STUNMessageType(rawValue: type.rawValue) == type)
        }
    }

    @Test func stunMessage() async {
        await propertyCheck(
            input: Self.method, Self.messageClass, Self.transactionID, Self.attribute.array(of: 0...8), Gen.bool, Gen.bool
        ) { method, messageClass, transactionID, attributes, signed, fingerprinted in
            let message = STUNMessage(method, messageClass, transactionID: transactionID, attributes: attributes)
            let key = STUNKey(bytes: Array("round trip".utf8))
            let bytes = message.encoded(integrity: signed ? STUNIntegrity(key: key) : nil, fingerprint: fingerprinted)
            var parsed = try #require(try? STUNMessage(datagram: bytes))
            if signed { #expect(throws: Never.self) { try STUNIntegrity(key: key).verify(bytes) } }
            if fingerprinted { #expect(throws: Never.self) { try STUNFingerprint.verify(bytes) } }
            parsed.attributes.removeAll { $0.type == .messageIntegrity || $0.type == .fingerprint }
            #expect(parsed == message)
        }
    }

    @Test func xorAddresses() async {
        await propertyCheck(input: Self.transportAddress, Self.transactionID) { address, transactionID in
            for type in [STUNAttributeType.xorMappedAddress, .xorPeerAddress, .xorRelayedAddress] {
                let message = STUNMessage(
                    .allocate, .successResponse, transactionID: transactionID,
                    attributes: [.xorAddress(type, address, transactionID: transactionID)])
                let parsed = try #require(try? STUNMessage(datagram: message.encoded()))
                #expect(try parsed.address(type) == address)
            }
            let plain = STUNMessage(.binding, .successResponse, attributes: [.address(.mappedAddress, address)])
            #expect(try STUNMessage(datagram: plain.encoded()).address(.mappedAddress) == address)
            #expect(TransportAddress(address.description) == address)
        }
    }

    @Test func channelData() async {
        await propertyCheck(input: Gen.uint16(in: 0x4000...0x7FFF), Gen.uint8().array(of: 0...300), Gen.bool) {
            channel, payload, padded throws in
            let frame = ChannelData(channel: ChannelNumber(rawValue: channel)!, payload: ByteBuffer(bytes: payload))
            var buffer = ByteBuffer()
            let written = buffer.writeChannelData(frame, padded: padded)
            #expect(written == buffer.readableBytes)
            #expect(buffer.readableBytes % 4 == 0 || !padded)
            #expect(try ChannelData(datagram: buffer) == frame)
            #expect(try buffer.readChannelData(padded: padded) == frame)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func rtpPacket() async {
        let element = zip(Gen.uint8(in: 1...14), Gen.uint8().array(of: 1...16))
            .map { RTPExtensionElement(id: $0, data: $1) }
        await propertyCheck(
            input: zip(Gen.bool, Gen.uint8(in: 0...127), Gen.uint16(), Gen.uint32(), Gen.uint32()),
            Gen.uint32().array(of: 0...15), element.array(of: 0...4), Gen.uint8().array(of: 0...200),
            Gen.uint8(in: 0...255)
        ) { fields, csrcs, elements, payload, paddingLength in
            let (marker, payloadType, sequenceNumber, timestamp, ssrc) = fields
            let headerExtension = elements.isEmpty ? nil : try RTPHeaderExtension.oneByte(elements)
            let packet = RTPPacket(
                header: RTPHeader(
                    marker: marker, payloadType: payloadType, sequenceNumber: sequenceNumber,
                    timestamp: timestamp, ssrc: ssrc, csrcs: csrcs, headerExtension: headerExtension),
                payload: ByteBuffer(bytes: payload), paddingLength: paddingLength)
            var buffer = ByteBuffer()
            #expect(buffer.writeRTPPacket(packet) == buffer.readableBytes)
            let parsed = try RTPPacket(bytes: buffer)
            #expect(parsed == packet)
            #expect(try parsed.header.headerExtension?.elements() == (elements.isEmpty ? nil : elements))
        }
    }

    /// The one-write send path produces what the general writers produce, and both decoders read it.
    @Test func channelDataRTPSendPath() async {
        await propertyCheck(
            input: Gen.uint16(), Gen.uint32(), Gen.uint32().array(of: 0...3), Gen.uint8().array(of: 0...160), Gen.bool
        ) { sequenceNumber, ssrc, csrcs, payload, padded in
            let header = RTPHeader(
                marker: sequenceNumber % 2 == 0, payloadType: 111, sequenceNumber: sequenceNumber,
                timestamp: ssrc &* 3, ssrc: ssrc, csrcs: csrcs)
            var sent = ByteBuffer()
            let written = payload.withUnsafeBytes {
                sent.writeChannelDataRTP(channel: .first, header: header, payload: $0, padded: padded)
            }
            var expected = ByteBuffer()
            expected.writeChannelDataHeader(channel: .first, length: header.encodedLength + payload.count)
            expected.writeRTPHeader(header)
            expected.writeBytes(payload)
            if padded { expected.writeChannelDataPadding(length: header.encodedLength + payload.count) }
            #expect(written == sent.readableBytes)
            #expect(sent == expected)
            let fixed = try sent.peekRTPFixedHeader(at: ChannelData.headerLength)
            #expect(fixed.sequenceNumber == sequenceNumber && fixed.ssrc == ssrc && fixed.csrcCount == csrcs.count)
            var stream = sent
            let frame = try stream.readChannelData(padded: padded)
            #expect(try RTPPacket(bytes: frame.payload) == RTPPacket(header: header, payload: ByteBuffer(bytes: payload)))
        }
    }

    @Test func twoByteHeaderExtension() async {
        let element = zip(Gen.uint8(in: 1...255), Gen.uint8().array(of: 0...40))
            .map { RTPExtensionElement(id: $0, data: $1) }
        await propertyCheck(input: element.array(of: 0...6), Gen.uint8(in: 0...15)) { elements, appBits in
            let headerExtension = try RTPHeaderExtension.twoByte(elements, appBits: appBits)
            #expect(headerExtension.profile == 0x1000 | UInt16(appBits))
            #expect(headerExtension.data.readableBytes % 4 == 0)
            #expect(try headerExtension.elements() == elements)
        }
    }

    /// Any split of a stream of frames gives back the same frames.
    @Test func deframerSplits() async {
        let frame = zip(Gen.bool, Gen.uint8().array(of: 0...60))
        await propertyCheck(input: frame.array(of: 1...8), Gen.int(in: 1...50)) { frames, chunk in
            var stream = ByteBuffer()
            var expected: [TURNFrame] = []
            for (isSTUN, payload) in frames {
                if isSTUN {
                    let bytes = STUNMessage(.send, .indication, attributes: [.data(ByteBuffer(bytes: payload))]).encoded()
                    stream.writeImmutableBuffer(bytes)
                    expected.append(.stun(bytes))
                } else {
                    let frame = ChannelData(channel: .first, payload: ByteBuffer(bytes: payload))
                    stream.writeChannelData(frame, padded: true)
                    expected.append(.channelData(frame))
                }
            }
            var deframer = TURNStreamDeframer()
            var received: [TURNFrame] = []
            while stream.readableBytes > 0 {
                deframer.append(stream.readSlice(length: min(chunk, stream.readableBytes))!)
                while let frame = try deframer.next() { received.append(frame) }
            }
            #expect(received == expected)
        }
    }

    @Test func turnURI() async {
        let host = Gen.oneOf(
            Gen.letterOrNumber.string(of: 1...20).map { "\($0).example" }.eraseToAnySequence(),
            Self.ipAddress.map(\.description).eraseToAnySequence())
        await propertyCheck(input: host, Gen.uint16(in: 1...65535), Gen<TURNTransport>.case) { host, port, transport throws in
            let uri = TURNURI(host: host, port: port, transport: transport)
            #expect(try TURNURI(uri.description) == uri)
        }
    }
}
