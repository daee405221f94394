import TURNProtocol

extension IPAddress {
    /// What the relay counts a client's requests and connections against: one IPv4 address,
    /// or one IPv6 /64 (a single subscriber's subnet, whose interface IDs cost nothing to
    /// vary). An IPv4 address written as IPv6 (a dual-stack listener's ::ffff:a.b.c.d) is
    /// counted as itself.
    var source: IPAddress {
        let address = embeddedIPv4 ?? self
        guard case .v6(let high, _) = address else { return address }
        return .v6(high: high, low: 0)
    }
}
