import TURNProtocol

/// What a TURN client asked for; failures and events name it.
public enum TURNRequest: Hashable, Sendable {
    case binding
    case allocate
    case refresh(lifetime: UInt32)
    case createPermission(IPAddress)
    case channelBind(ChannelNumber, TransportAddress)
}

extension TURNRequest: CustomStringConvertible {
    public var description: String {
        switch self {
        case .binding: "Binding"
        case .allocate: "Allocate"
        case .refresh(let lifetime): "Refresh (lifetime \(lifetime) s)"
        case .createPermission(let peer): "CreatePermission for \(peer)"
        case .channelBind(let channel, let peer): "ChannelBind \(channel) to \(peer)"
        }
    }
}

/// Why a request failed, with the server's own reason where it gave one.
public enum TURNClientError: Error, Hashable, Sendable {
    /// No answer: the request was sent `sends` times over `seconds`.
    case timeout(sends: Int, seconds: Double)
    /// 401 although credentials were sent.
    case wrongCredentials(STUNErrorCode)
    /// A 401 challenge without REALM and NONCE cannot be answered.
    case challengeWithoutRealmOrNonce
    /// 438 again right after a fresh nonce.
    case staleNonceLoop
    /// Any other error response: 300 after a redirect was followed, 403, 437, 440, 441, 442,
    /// 443, 446, 447, 486, 500, 508…
    case rejected(STUNErrorCode)
    /// A response whose MESSAGE-INTEGRITY does not match the key: not from the server we
    /// authenticated with, or modified on the way.
    case responseIntegrity(STUNIntegrityError)
    case malformedResponse(String)
    case noAllocation
    case credential(String)
    /// The connection went away (a TCP or TLS server closed it, or it was closed here) while
    /// the request waited or before it was sent.
    case connectionClosed
    /// ICMP port unreachable came back for a datagram to the server: nothing listens there.
    case portUnreachable
}

extension TURNClientError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .timeout(let sends, let seconds):
            "no answer after \(formatSeconds(seconds)) (\(sends) \(sends == 1 ? "send" : "sends"))"
        case .wrongCredentials(let error):
            "\(error) after sending credentials: the password or shared secret is wrong"
        case .challengeWithoutRealmOrNonce:
            "401 without REALM and NONCE: the server's challenge cannot be answered"
        case .staleNonceLoop:
            "438 Stale Nonce twice in a row: the server keeps rejecting fresh nonces"
        case .rejected(let error):
            "\(error)" + (Self.advice[error.code].map { ": \($0)" } ?? "")
        case .responseIntegrity(let error):
            "response failed its integrity check (\(error))"
        case .malformedResponse(let why):
            "malformed response: \(why)"
        case .noAllocation:
            "no allocation: Allocate first"
        case .credential(let why):
            "credential: \(why)"
        case .connectionClosed:
            "the connection was closed"
        case .portUnreachable:
            "port unreachable: nothing listens there (ICMP)"
        }
    }

    /// What to try, for the codes a user meets.
    static let advice: [Int: String] = [
        300: "the server redirected twice; it may be misconfigured",
        // Which option gives a public peer is the command's to say (the probe's --peer, run's --peer-host).
        403: "the relay refuses this peer (many providers refuse private and loopback peers)",
        437: "the server has another allocation for this 5-tuple (a previous run not released?)",
        440: "the server does not relay this address family",
        441: "the username differs from the one that made the allocation",
        442: "the server does not relay this transport",
        443: "the peer's address family differs from the relayed address's",
        486: "this user has as many allocations as the server allows",
        508: "the server is out of capacity (relay ports, bandwidth or allocations)",
    ]
}

public func formatSeconds(_ seconds: Double) -> String {
    seconds >= 10 ? "\(Int(seconds.rounded())) s" : "\((seconds * 10).rounded() / 10) s"
}

/// A server address that could not be looked up or routed to: DNS, the local route.
public struct LookupError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
