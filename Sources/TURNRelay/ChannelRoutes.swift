import TURNProtocol

/// The packet path's view of an allocation's channels, both ways, in plain values: a relayed
/// ChannelData packet costs one hash lookup and no reference counting (an allocation itself
/// holds collections, each retained and released whenever it is copied out of its table).
/// Derived from the allocations: rebuilt for a client whenever its allocation changes, each
/// entry carrying the earliest of the expiries it depends on, so that a lapsed one is simply
/// not used.
struct ChannelRoutes {
    /// ChannelData from a client on a channel: out of which relayed address to which peer.
    private var outbound: [Outbound: (relayed: TransportAddress, peer: TransportAddress, expiry: Duration)] = [:]
    /// A datagram at a relayed address from a peer with a channel: to which client on which channel.
    private var inbound: [Inbound: (client: RelayClient, channel: ChannelNumber, expiry: Duration)] = [:]

    private struct Outbound: Hashable {
        let client: RelayClient
        let channel: ChannelNumber
    }

    private struct Inbound: Hashable {
        let relayed: TransportAddress
        let peer: TransportAddress
    }

    /// `client`'s allocation went from `old` to `new` (nil: none).
    mutating func update(_ client: RelayClient, from old: RelayAllocation?, to new: RelayAllocation?) {
        if let old {
            for (channel, binding) in old.channels {
                outbound[Outbound(client: client, channel: channel)] = nil
                if let relayed = old.relayed(binding.peer.ip.family) { inbound[Inbound(relayed: relayed, peer: binding.peer)] = nil }
            }
        }
        guard let new else { return }
        for (channel, binding) in new.channels {
            guard let relayed = new.relayed(binding.peer.ip.family) else { continue }
            let expiry = min(new.expiry, binding.expiry)
            outbound[Outbound(client: client, channel: channel)] = (relayed, binding.peer, expiry)
            let permitted = new.permissions[binding.peer.ip] ?? .zero
            inbound[Inbound(relayed: relayed, peer: binding.peer)] = (client, channel, min(expiry, permitted))
        }
    }

    @inline(__always)
    func route(channel: ChannelNumber, from client: RelayClient, now: Duration) -> (relayed: TransportAddress, peer: TransportAddress)? {
        guard let route = outbound[Outbound(client: client, channel: channel)], route.expiry > now else { return nil }
        return (route.relayed, route.peer)
    }

    @inline(__always)
    func recipient(from peer: TransportAddress, at relayed: TransportAddress, now: Duration) -> (
        client: RelayClient, channel: ChannelNumber
    )? {
        guard let route = inbound[Inbound(relayed: relayed, peer: peer)], route.expiry > now else { return nil }
        return (route.client, route.channel)
    }
}

extension RelayClient {
    /// The address alone: a client is rarely at one address over two transports, and hashing
    /// the transport would hash its name.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(address)
    }
}
