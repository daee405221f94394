/// IPv4 addresses that IPv6 addresses carry (RFC 4291 §2.5.5, RFC 6052, RFC 3056), so that a
/// policy on IPv4 space cannot be walked around by writing the same host in IPv6.
extension IPAddress {
    /// The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), IPv4-translated
    /// (::ffff:0:0:0/96), IPv4-compatible (::/96 but :: and ::1), NAT64 well-known prefix
    /// (64:ff9b::/96) or 6to4 (2002::/16) address; nil for IPv4 and other IPv6.
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let high, let low) = self else { return nil }
        let last32 = IPAddress.v4(UInt32(truncatingIfNeeded: low))
        switch (high, low >> 32) {
        case (0, 0xFFFF), (0, 0xFFFF_0000): return last32
        case (0, 0): return low > 1 ? last32 : nil
        case (0x0064_FF9B_0000_0000, 0): return last32
        default: return high >> 48 == 0x2002 ? .v4(UInt32(truncatingIfNeeded: high >> 16)) : nil
        }
    }
}
