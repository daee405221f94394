import Benchmark
import NIOCore
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The per-packet work of the harness, beside one loopback UDP round of the kernel in the same
/// run, so that the figures read as ratios and survive a noisy machine.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    // An Opus frame at 32 kbit/s and 20 ms is 80 bytes: what a simulated call sends every 20 ms,
    // written as the send path does and read back as the receive path does (fixed headers only).
    Benchmark("ChannelData+RTP send encode + receive decode (80-byte Opus)") { benchmark in
        let opus = [UInt8](repeating: 0xA5, count: 80)
        let channel = ChannelNumber(rawValue: 0x4001)!
        var header = RTPHeader(payloadType: 111, sequenceNumber: 0, timestamp: 0, ssrc: 0x1234_5678)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256)
        benchmark.startMeasurement()
        try opus.withUnsafeBytes { payload in
            for iteration in benchmark.scaledIterations {
                header.sequenceNumber = UInt16(truncatingIfNeeded: iteration)
                header.timestamp = UInt32(truncatingIfNeeded: iteration &* 960)
                buffer.clear()
                buffer.writeChannelDataRTP(channel: channel, header: header, payload: payload, padded: false)
                let (received, length) = try buffer.peekChannelDataHeader(padded: false)
                let rtp = try buffer.peekRTPFixedHeader(at: ChannelData.headerLength)
                blackHole((received, length, rtp.sequenceNumber))
            }
        }
    }

    // The same frame decoded into values (ChannelData and RTPPacket with payload slices), as
    // the relay, the dissector and tests read it.
    Benchmark("ChannelData+RTP encode + full decode (80-byte Opus)") { benchmark in
        let opus = ByteBuffer(repeating: 0xA5, count: 80)
        let channel = ChannelNumber(rawValue: 0x4001)!
        var header = RTPHeader(payloadType: 111, sequenceNumber: 0, timestamp: 0, ssrc: 0x1234_5678)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256)
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            header.sequenceNumber = UInt16(truncatingIfNeeded: iteration)
            buffer.clear()
            buffer.writeChannelDataHeader(channel: channel, length: header.encodedLength + opus.readableBytes)
            buffer.writeRTPHeader(header)
            buffer.writeImmutableBuffer(opus)
            let frame = try ChannelData(datagram: buffer)
            let packet = try RTPPacket(bytes: frame.payload)
            blackHole(packet.header.sequenceNumber)
        }
    }

    // coturn 4.6.1's Allocate success response from Tests/TURNProtocolTests/Captures.
    Benchmark("Allocate success: parse + MESSAGE-INTEGRITY + FINGERPRINT") { benchmark in
        let response = ByteBuffer(bytes: bytes(fromHex: allocateSuccess)!)
        let integrity = STUNIntegrity(key: try STUNKey.longTerm(username: "alice", realm: "turnload.test", password: "wonderland"))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let message = try STUNMessage(datagram: response)
            try integrity.verify(response)
            try STUNFingerprint.verify(response)
            blackHole(try message.address(.xorRelayedAddress))
        }
    }

    Benchmark("Allocate request: encode + MESSAGE-INTEGRITY + FINGERPRINT") { benchmark in
        let integrity = STUNIntegrity(key: try STUNKey.longTerm(username: "alice", realm: "turnload.test", password: "wonderland"))
        let attributes: [STUNAttribute] = [
            .requestedTransport(.udp), .lifetime(600), .username("alice"), .realm("turnload.test"),
            .nonce("f672cfd4dbfb4829"),
        ]
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            buffer.clear()
            buffer.writeSTUNMessage(STUNMessage(.allocate, .request, attributes: attributes),
                                    integrity: integrity, fingerprint: true)
            blackHole(buffer.readableBytes)
        }
    }

    // The yardstick: one 96-byte datagram sent and received over loopback by the kernel.
    Benchmark("loopback UDP sendto+recv (96 bytes, reference)") { benchmark in
        let socketPair = LoopbackUDPPair()
        defer { socketPair.close() }
        var datagram = [UInt8](repeating: 0x40, count: 96)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            socketPair.roundTrip(&datagram)
        }
    }
}

/// Two UDP sockets bound to 127.0.0.1, the first sending to the second.
struct LoopbackUDPPair {
    let sender: CInt
    let receiver: CInt
    var receiverAddress = sockaddr_in()

    init() {
        sender = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        receiver = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        receiverAddress.sin_family = sa_family_t(AF_INET)
        receiverAddress.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &receiverAddress) { address in
            address.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                precondition(bind(receiver, $0, length) == 0, "bind to 127.0.0.1 failed")
                precondition(getsockname(receiver, $0, &length) == 0)
            }
        }
    }

    func roundTrip(_ datagram: inout [UInt8]) {
        var address = receiverAddress
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(sender, datagram, datagram.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(sent == datagram.count)
        precondition(recv(receiver, &datagram, datagram.count, 0) == datagram.count)
    }

    func close() {
        _ = Glibc.close(sender)
        _ = Glibc.close(receiver)
    }
}

let allocateSuccess = "010300582112a4421e62904ea71533f407bc39f1001600080001d12c5e12a4430020000800019ac05e12a443000d00040000030980220014436f7475726e2d342e362e312027476f7273742700080014dab3d49780df46a04caa1369d78a6d95f98b8cbc8028000498d916fc"
