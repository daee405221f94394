import Crypto
import FoundationEssentials

/// Time-limited TURN credentials from a shared secret, the scheme of coturn's
/// `use-auth-secret` and of hosted providers (draft-uberti-behave-turn-rest): the username is
/// `expiry:user` (expiry in Unix seconds), the password base64(HMAC-SHA1(secret, username)).
public struct RESTCredential: Hashable, Sendable {
    public let username: String
    public let password: String
    /// Unix time in seconds after which the server refuses the credential.
    public let expiry: Int64

    public init(secret: some Sequence<UInt8>, user: String?, expiry: Int64) {
        let username = if let user, !user.isEmpty { "\(expiry):\(user)" } else { "\(expiry)" }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(username.utf8), using: SymmetricKey(data: Array(secret)))
        self.username = username
        self.password = Data(mac).base64EncodedString()
        self.expiry = expiry
    }

    /// A credential valid for `ttl` seconds from `now` (Unix seconds).
    public init(secret: some Sequence<UInt8>, user: String?, now: Int64, ttl: Int64) {
        self.init(secret: secret, user: user, expiry: now + ttl)
    }
}

extension RESTCredential: CustomStringConvertible {
    public var description: String { "RESTCredential(username: \(username), password: <redacted>)" }
}
