/// What a datagram carries, told by its first byte as RFC 7983 §7 (with RFC 9443's QUIC range)
/// lays out for media sockets shared between STUN, TURN channels, DTLS and RTP.
public enum PacketKind: Hashable, Sendable {
    case stun
    case zrtp
    case dtls
    case channelData
    case quic
    case rtpOrRTCP
    case unknown

    public init(firstByte: UInt8) {
        switch firstByte {
        case 0...3: self = .stun
        case 16...19: self = .zrtp
        case 20...63: self = .dtls
        case 64...79: self = .channelData
        case 80...127: self = .quic
        case 128...191: self = .rtpOrRTCP
        default: self = .unknown
        }
    }
}
