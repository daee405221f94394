import TURNProtocol

/// Where a client's long-term username and password come from. Secrets live here only, never
/// in a description.
public enum ClientCredential: Sendable {
    /// A fixed username and password.
    case staticPassword(username: String, password: String)
    /// TURN REST (shared secret): each use derives a credential valid for `ttl` seconds from
    /// now, so that a long run renews its credential before providers' short expiries.
    case sharedSecret(secret: [UInt8], user: String?, ttl: Int64)

    /// The username and password to use at `unixTime`.
    public func current(unixTime: Int64) -> (username: String, password: String) {
        switch self {
        case .staticPassword(let username, let password):
            return (username, password)
        case .sharedSecret(let secret, let user, let ttl):
            let credential = RESTCredential(secret: secret, user: user, now: unixTime, ttl: ttl)
            return (credential.username, credential.password)
        }
    }

    /// When a credential taken at `unixTime` must be replaced: a REST credential a fifth of its
    /// lifetime (at least 10 s) before it expires; a static one never.
    public func renewalTime(takenAt unixTime: Int64) -> Int64? {
        switch self {
        case .staticPassword: nil
        case .sharedSecret(_, _, let ttl): unixTime + ttl - max(10, ttl / 5)
        }
    }
}

extension ClientCredential: CustomStringConvertible {
    public var description: String {
        switch self {
        case .staticPassword(let username, _): "static credential for \(username)"
        case .sharedSecret(_, let user, let ttl): "shared-secret credential for \(user ?? "(no user)"), ttl \(ttl) s"
        }
    }
}
