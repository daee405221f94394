/// Where the media goes once it is through the relay.
public enum Topology: String, Sendable, Codable, CaseIterable {
    /// Client → relay → a harness peer socket that echoes → relay → client: both directions
    /// and the round trip.
    case echo
    /// Clients in pairs, each sending to the other's relayed address: a fully relayed call,
    /// which also works with providers that refuse private peers.
    case pair
    /// Client → relay → harness peer socket, one way.
    case sink
}
