/// Address scopes a relay's peer policy judges by (RFC 6890 special-purpose ranges).
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
            high >> 57 == 0x7E  // fc00::/7
        }
    }

    public var isLinkLocal: Bool {
        switch self {
        case .v4(let word): word >> 16 == 0xA9FE
        case .v6(let high, _): high >> 54 == 0x3FA  // fe80::/10
        }
    }

    public var isMulticast: Bool {
        switch self {
        case .v4(let word): word >> 28 == 0xE
        case .v6(let high, _): high >> 56 == 0xFF
        }
    }
}
