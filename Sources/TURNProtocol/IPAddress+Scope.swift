/// Address scopes a relay's peer policy judges by (RFC 6890 special-purpose ranges and the
/// IANA registries that continue it).
extension IPAddress {
    public var isLoopback: Bool {
        switch self {
        case .v4(let word): word >> 24 == 127
        case .v6(let high, let low): high == 0 && low == 1
        }
    }

    public var isUnspecified: Bool {
        switch self {
        case .v4(let word): word == 0
        case .v6(let high, let low): high == 0 && low == 0
        }
    }

    /// RFC 1918, RFC 6598 shared address space, and IPv6 unique local addresses.
    public var isPrivate: Bool {
        switch self {
        case .v4(let word):
            word >> 24 == 10 || word >> 20 == 0xAC1 || word >> 16 == 0xC0A8 || word >> 22 == (100 << 2 | 1)
        case .v6(let high, _):
            high >> 57 == 0x7E // fc00::/7
        }
    }

    public var isLinkLocal: Bool {
        switch self {
        case .v4(let word): word >> 16 == 0xA9FE
        case .v6(let high, _): high >> 54 == 0x3FA // fe80::/10
        }
    }

    public var isMulticast: Bool {
        switch self {
        case .v4(let word): word >> 28 == 0xE
        case .v6(let high, _): high >> 56 == 0xFF
        }
    }

    /// IPv4 space no host can be sent to: "this network" (0.0.0.0/8) and the reserved
    /// 240.0.0.0/4 with the limited broadcast address 255.255.255.255 in it.
    public var isReserved: Bool {
        switch self {
        case .v4(let word): word >> 24 == 0 || word >> 28 == 0xF
        case .v6: false
        }
    }

    /// Not globally reachable by the special-purpose registries, for labs and books rather than
    /// hosts on the Internet: IETF protocol assignments (192.0.0.0/24, 2001::/23 with Teredo),
    /// documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32,
    /// 3fff::/20), benchmarking (198.18.0.0/15), the retired 6to4 relay anycast
    /// (192.88.99.0/24), discard-only (100::/64) and local-use NAT64 (64:ff9b:1::/48).
    public var isSpecialPurpose: Bool {
        switch self {
        case .v4(let word):
            [0xC0_00_00, 0xC0_00_02, 0xC6_33_64, 0xCB_00_71, 0xC0_58_63].contains(word >> 8) || word >> 17 == 0xC612 >> 1
        case .v6(let high, _):
            high >> 41 == 0x2001 << 7 || high >> 32 == 0x2001_0DB8 || high >> 44 == 0x3FFF0
                || high == 0x0100_0000_0000_0000 || high >> 16 == 0x0064_FF9B_0001
        }
    }
}
