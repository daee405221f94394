/// How often a session refreshes its permissions and channel bindings. RFC 8656 gives them
/// 300 s (§9) and 600 s (§12); a server may be configured shorter (coturn
/// `--permission-lifetime`, `--channel-lifetime`), and then these must be shorter too.
/// The allocation's own refresh follows the lifetime the server grants, so it needs no setting.
public struct RefreshIntervals: Sendable, Equatable {
    public var permission: Duration
    public var channel: Duration

    public init(permission: Duration, channel: Duration) {
        self.permission = permission
        self.channel = channel
    }

    /// A minute before RFC 8656's lifetimes end.
    public static let rfc8656 = RefreshIntervals(permission: .seconds(240), channel: .seconds(540))

    /// When a refresh that failed (no answer, a server error) is tried again: soon enough to
    /// fit a few tries in the margin left before the lifetime ends, at most every 5 s so that a
    /// broken server is not hammered.
    static func retryDelay(after interval: Duration) -> Duration {
        min(.seconds(5), interval / 8)
    }
}

/// A refresh the session sent on its own to keep the allocation, a permission or a channel
/// binding alive, once it was answered or given up on: what its owner counts and times.
public struct TURNRefresh: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case allocation, permission, channel
    }

    public var kind: Kind
    /// From its first send to the final answer, a 401 or 438 round included.
    public var latency: Duration
    /// Why it failed; nil when the server refreshed it. A failed refresh is tried again
    /// unless the allocation is gone (437).
    public var error: TURNClientError?
    /// A 401 on the way made the session take a fresh REST credential (its old one expired).
    public var credentialRenewed: Bool

    public init(kind: Kind, latency: Duration, error: TURNClientError? = nil, credentialRenewed: Bool = false) {
        self.kind = kind
        self.latency = latency
        self.error = error
        self.credentialRenewed = credentialRenewed
    }
}
