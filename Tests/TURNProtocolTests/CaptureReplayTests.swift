import NIOCore
import TURNProtocol
import Testing

/// Real coturn 4.6.1 traffic (see Captures/README.md): every message parses to the fields
/// tshark decoded, verifies with the test credential, and re-encodes to the same bytes.
@Suite("coturn capture replay")
struct CaptureReplayTests {
    static let key = try! STUNKey.longTerm(username: "alice", realm: "turnload.test", password: "wonderland")

    static let stunCaptures = [
        "coturn-udp-01-allocate-request", "coturn-udp-02-allocate-401", "coturn-udp-03-allocate-request-auth",
        "coturn-udp-04-allocate-success", "coturn-udp-05-refresh-request", "coturn-udp-06-refresh-success",
        "coturn-udp-07-channelbind-request", "coturn-udp-08-channelbind-success",
        "coturn-udp-09-createpermission-request", "coturn-udp-10-createpermission-success",
        "coturn-udp-13-refresh-request-lifetime0", "coturn-udp-14-refresh-success-lifetime0",
    ]

    @Test(arguments: stunCaptures)
    func verifiesAndReencodes(name: String) throws {
        let bytes = try capture(name)
        var message = try STUNMessage(datagram: bytes)
        try STUNFingerprint.verify(bytes)
        let signed = message.attribute(.messageIntegrity) != nil
        if signed { try STUNIntegrity(key: Self.key).verify(bytes) }
        message.attributes.removeAll { $0.type == .messageIntegrity || $0.type == .fingerprint }
        let encoded = message.encoded(integrity: signed ? STUNIntegrity(key: Self.key) : nil, fingerprint: true)
        #expect(encoded.hex == bytes.hex)
    }

    @Test func allocateChallenge() throws {
        let message = try STUNMessage(datagram: capture("coturn-udp-02-allocate-401"))
        #expect(message.type == STUNMessageType(.allocate, .errorResponse))
        #expect(message.transactionID.description == "0e6a89d67aa72df1655b726a")
        #expect(try message.errorCode == STUNErrorCode(401, reason: "Unauthorized"))
        #expect(try message.nonce == "f672cfd4dbfb4829")
        #expect(try message.realm == "turnload.test")
        #expect(try message.software == "Coturn-4.6.1 'Gorst'")
    }

    @Test func allocateRequest() throws {
        let message = try STUNMessage(datagram: capture("coturn-udp-01-allocate-request"))
        #expect(message.type == STUNMessageType(.allocate, .request))
        #expect(try message.requestedTransport == TransportProtocol.udp.rawValue)
        #expect(try message.lifetime == 777)
        #expect(try message.evenPortReservesNext == false)
        #expect(try message.requestedAddressFamily == .ipv4)
        #expect(message.unknownComprehensionRequiredAttributes.isEmpty)
    }

    @Test func allocateSuccess() throws {
        let message = try STUNMessage(datagram: capture("coturn-udp-04-allocate-success"))
        #expect(message.type == STUNMessageType(.allocate, .successResponse))
        #expect(try message.address(.xorRelayedAddress) == TransportAddress("127.0.0.1:61502"))
        #expect(try message.address(.xorMappedAddress) == TransportAddress("127.0.0.1:48082"))
        #expect(try message.lifetime == 777)
    }

    @Test func channelBind() throws {
        let message = try STUNMessage(datagram: capture("coturn-udp-07-channelbind-request"))
        #expect(message.type == STUNMessageType(.channelBind, .request))
        let channel = try #require(try message.channelNumber)
        #expect(channel.rawValue == 0x5843)
        #expect(!channel.isRFC8656)
        #expect(try message.address(.xorPeerAddress) == TransportAddress("127.0.0.1:3481"))
        #expect(try message.username == "alice")
    }

    @Test(arguments: [
        ("coturn-udp-11-channeldata-client-to-server", UInt16(0x48C2), 120),
        ("coturn-udp-12-channeldata-server-to-client", 0x48C2, 120),
        ("coturn-udp-15-channeldata-odd-length-unpadded", 0x62CA, 121),
    ])
    func channelData(name: String, channel: UInt16, length: Int) throws {
        let bytes = try capture(name)
        let frame = try ChannelData(datagram: bytes)
        #expect(frame.channel.rawValue == channel)
        #expect(frame.payload.readableBytes == length)
        var encoded = ByteBuffer()
        encoded.writeChannelData(frame, padded: false)
        #expect(encoded == bytes)
    }

    /// The TCP streams, cut at every possible size of read from 1 byte up, deframe into the
    /// same frames: the message counts tshark saw, nothing left over, every STUN message valid.
    @Test(arguments: [
        ("coturn-tcp-client-stream", 11, 5),
        ("coturn-tcp-server-stream", 11, 5),
        ("coturn-tcp-padded-client-stream", 11, 3),
        ("coturn-tcp-padded-server-stream", 11, 3),
        ("coturn-tcp-s0-client-stream", 3, 0),
        ("coturn-tcp-s0-server-stream", 3, 0),
    ])
    func streamDeframes(name: String, stunCount: Int, channelDataCount: Int) throws {
        let stream = try capture(name)
        var reference: [TURNFrame]?
        for chunkSize in [1, 2, 3, 5, 7, 13, 64, 200, stream.readableBytes] {
            var deframer = TURNStreamDeframer()
            var frames: [TURNFrame] = []
            var offset = 0
            while offset < stream.readableBytes {
                let length = min(chunkSize, stream.readableBytes - offset)
                deframer.append(stream.getSlice(at: offset, length: length)!)
                offset += length
                while let frame = try deframer.next() { frames.append(frame) }
            }
            #expect(deframer.pendingBytes == 0)
            if let reference { #expect(frames == reference, "chunk size \(chunkSize)") } else { reference = frames }
        }
        let frames = try #require(reference)
        var stunMessages = 0
        for case .stun(let bytes) in frames {
            let message = try STUNMessage(datagram: bytes)
            try STUNFingerprint.verify(bytes)
            if message.attribute(.messageIntegrity) != nil { try STUNIntegrity(key: Self.key).verify(bytes) }
            stunMessages += 1
        }
        #expect(stunMessages == stunCount)
        #expect(frames.count - stunMessages == channelDataCount)
    }
}
