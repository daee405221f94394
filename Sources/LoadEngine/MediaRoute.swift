import TURNProtocol

/// How a client's media reaches its peer through the relay: ChannelData on a bound channel
/// (what WebRTC stacks do once they can), or Send and Data indications (`--indications`), the
/// path some relays leave off their fast path.
enum MediaRoute: Sendable, Equatable {
    case channel(ChannelNumber)
    case indications(peer: TransportAddress)

    var channel: ChannelNumber? {
        if case .channel(let number) = self { number } else { nil }
    }
}
