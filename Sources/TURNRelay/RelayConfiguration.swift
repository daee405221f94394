import TURNProtocol

/// What a relay allows and how long things live (RFC 8656 defaults).
public struct RelayConfiguration: Sendable {
    public var realm: String
    /// Static long-term users: name to password.
    public var users: [String: String]
    /// TURN REST shared secret (coturn's `use-auth-secret`): usernames `expiry:user`.
    public var sharedSecret: [UInt8]?
    public var software: String? = "turnload relay"
    public var nonceLifetime: Duration = .seconds(600)
    public var defaultLifetime: UInt32 = 600
    public var maximumLifetime: UInt32 = 3600
    public var permissionLifetime: Duration = .seconds(300)
    public var channelLifetime: Duration = .seconds(600)
    public var maximumAllocationsPerUser = 100
    public var maximumAllocations = 20_000
    /// New allocations granted a second, all clients together, with a second's worth as a
    /// burst (`--max-allocate-rate`); the rest are refused with 508: a control-plane cliff
    /// placed where a measurement should find it.
    public var maximumAllocationsPerSecond: Double?
    /// Requests without valid credentials, and Binding requests, answered a second from one
    /// source address (an IPv4 address or IPv6 /64, all its ports together) and in all; the
    /// rest are dropped unanswered. Every client's first Allocate is one, so a source's share
    /// must hold a load generator's ramp from one address (`turnload run --ramp 400`) with its
    /// retransmissions and the bursts of a harness catching up.
    public var maximumUnauthenticatedPerAddressPerSecond = 1000
    public var maximumUnauthenticatedPerSecond = 5000
    /// TCP and TLS connections open at once from one source address; more are closed at once.
    public var maximumConnectionsPerAddress = 1000
    /// TCP and TLS connections that hold no allocation this long after they opened are closed,
    /// so that idle connections cannot hold the relay's file descriptors.
    public var unauthenticatedConnectionTimeout: Duration = .seconds(10)
    /// Relayed ports, when not the kernel's choice (a firewall opening, or to stay out of the
    /// kernel's ephemeral range as coturn's min-port/max-port do).
    public var relayPorts: ClosedRange<UInt16>?
    /// Relayed bits a second per allocation, both ways together; the excess is dropped, as
    /// providers drop above a per-client rate.
    public var maximumBitsPerSecondPerAllocation: Int?
    /// Relayed packets a second per allocation, both ways together; the excess is dropped, as
    /// providers cap a client's packet rate whatever the packets' size.
    public var maximumPacketsPerSecondPerAllocation: Int?
    /// Peer addresses an allocation may add a second, by CreatePermission or ChannelBind for an
    /// IP it holds no permission for (`--max-new-peer-rate`); the rest are refused with 508, as
    /// providers stop a client that reaches new addresses as fast as a port scan.
    public var maximumNewPeersPerSecondPerAllocation: Double?
    public var peerPolicy = PeerPolicy()
    /// TLS 1.0 and 1.1 and DTLS 1.0, deprecated by RFC 8996, for old clients (turnutils_uclient
    /// 4.6 picks one of them at random for each connection); TLS 1.2+ and DTLS 1.2 otherwise.
    public var allowsLegacyTLS = false
    /// Injected on every relayed packet, both ways.
    public var impairment = Impairment()
    public var seed: UInt64 = 1
    /// Relayed packets a second in total, both ways; the excess is dropped.
    public var maximumPacketsPerSecond: Int?

    public init(realm: String, users: [String: String] = [:], sharedSecret: [UInt8]? = nil) {
        self.realm = realm
        self.users = users
        self.sharedSecret = sharedSecret
    }
}

/// Which peers a relay forwards to: like hosted providers, none in private, loopback,
/// link-local, multicast, unspecified or reserved space, nor special-purpose space
/// (documentation, benchmarking…) unless allowed, so that the relay cannot be turned on the
/// network it stands in. IPv4 written as IPv6 (mapped, NAT64, 6to4) is judged as the IPv4 it
/// carries.
public struct PeerPolicy: Sendable, Hashable {
    public var allowLoopback = false
    public var allowPrivate = false

    public init(allowLoopback: Bool = false, allowPrivate: Bool = false) {
        self.allowLoopback = allowLoopback
        self.allowPrivate = allowPrivate
    }

    public func permits(_ address: IPAddress) -> Bool {
        let address = address.embeddedIPv4 ?? address
        if address.isUnspecified || address.isMulticast || address.isReserved { return false }
        if address.isLoopback { return allowLoopback }
        if address.isPrivate || address.isLinkLocal || address.isSpecialPurpose { return allowPrivate }
        return true
    }
}
