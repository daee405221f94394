import TURNProtocol

/// The addresses a search of the rate of new peers gives permissions to, one new IP address
/// each (a permission is per IP). Toward a sink on IPv4 loopback they are 127.0.0.0/8
/// addresses at the sink's port, which Linux delivers to the sink bound to 0.0.0.0, so that
/// each granted peer is sent a packet and counted where it arrives. Elsewhere a machine owns
/// one address, so they are documentation addresses (RFC 5737, RFC 3849) that nothing is ever
/// sent to, and only the relay's answer to each permission counts.
public struct NewPeerAddresses: Sendable {
    public let sink: TransportAddress

    public init(sink: TransportAddress) {
        self.sink = sink
    }

    /// Whether the peers can be sent to: whether the sink receives at every one of them.
    public var delivers: Bool { sink.ip.family == .ipv4 && sink.ip.isLoopback }

    /// How many new peers there are: more than any search spends, but for IPv4's three
    /// documentation /24s.
    public var count: Int {
        switch (delivers, sink.ip.family) {
        case (false, .ipv4): Self.documentationV4.count * 254
        default: 1_000_000
        }
    }

    /// The `index`th new peer, from 0; nil past `count`.
    public func address(_ index: Int) -> TransportAddress? {
        guard index >= 0, index < count else { return nil }
        // Hosts 1–254 of each /24, so that no peer is a network or broadcast address.
        let (network, host) = (UInt32(index / 254), UInt32(index % 254 + 1))
        switch (delivers, sink.ip.family) {
        case (true, _):
            // From 127.1.0.1: 127.0.0.0/16 holds the relay's and the sink's own addresses.
            return TransportAddress(ip: .v4(0x7F01_0000 + network << 8 + host), port: sink.port)
        case (false, .ipv4):
            return TransportAddress(ip: .v4(Self.documentationV4[Int(network)] << 8 + host), port: sink.port)
        case (false, .ipv6):
            return TransportAddress(ip: .v6(high: 0x2001_0DB8_0000_0000, low: UInt64(index) + 1), port: sink.port)
        }
    }

    /// How the peers were chosen and counted, for the finding.
    public var description: String {
        if delivers { return "new 127.0.0.0/8 addresses, each sent a packet that the sink counts" }
        let range = sink.ip.family == .ipv4 ? "192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24" : "2001:db8::/32"
        return "documentation addresses (\(range)), nothing sent to them: a peer counts when its permission is granted"
    }

    /// TEST-NET-1, -2 and -3.
    private static let documentationV4: [UInt32] = [0xC0_00_02, 0xC6_33_64, 0xCB_00_71]
}
