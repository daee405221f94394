import RunModel
import TURNProtocol

/// How a client's media reaches its peer through the relay: ChannelData on a bound channel
/// (what WebRTC stacks do once they can), or Send and Data indications (`--indications`), the
/// path some relays leave off their fast path.
enum MediaRoute: Sendable, Equatable {
    case channel(ChannelNumber)
    case indications(peer: TransportAddress)

    /// As a result names it.
    var path: MediaPath {
        switch self {
        case .channel: .channelData
        case .indications: .indications
        }
    }

    var channel: ChannelNumber? {
        if case .channel(let number) = self { number } else { nil }
    }
}
