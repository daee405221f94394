import TURNProtocol

/// Bytes a packet takes on the wire beyond what the application handed to its socket: the
/// figures a bill by the gigabyte counts. Layer 2 is left out (it differs by link).
public struct WireOverhead: Sendable, Hashable {
    /// IP and UDP or TCP headers, and the TLS or DTLS record around each frame.
    public let perPacket: Int

    public init(transport: TURNTransport, ipv6: Bool) {
        let ip = ipv6 ? 40 : 20
        perPacket =
            switch transport {
            case .udp: ip + 8
            // TCP with the timestamp option that Linux sends by default.
            case .tcp: ip + 32
            // TLS 1.3 record: 5 header + 1 content type + 16 AEAD tag.
            case .tls: ip + 32 + 22
            // DTLS 1.2 AES-GCM record: 13 header + 8 explicit nonce + 16 tag.
            case .dtls: ip + 8 + 37
            }
    }

    /// The harness's peer sockets: plain UDP from and to the relay.
    public static func peerLeg(ipv6: Bool) -> WireOverhead { WireOverhead(transport: .udp, ipv6: ipv6) }
}
