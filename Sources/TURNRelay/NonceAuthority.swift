import Crypto
import TURNProtocol

/// Stateless nonces: the expiry and a MAC of it and of the client's transport and address
/// under a per-relay secret, so that a flood of unauthenticated requests costs the relay no
/// memory, and a nonce can be checked for being ours, fresh and given to this client (438
/// otherwise) without a table. Bound to the client so that a signed request seen on the wire
/// and sent again from another address or port takes nothing (RFC 8489 §9.2.2 lets a server
/// bind nonces to the client's address).
public struct NonceAuthority: Sendable {
    private let secret: [UInt8]

    public init(secret: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }) {
        self.secret = secret
    }

    func make(expiringAt unixTime: Int64, for client: RelayClient) -> String {
        let stamp = hex(UInt64(bitPattern: unixTime), digits: 16)
        return stamp + hexString(mac(stamp, client).prefix(8))
    }

    /// `foreign`: made for another client (a replay, or a client whose NAT rebound) or not by
    /// this relay. Both it and `stale` get 438 and a fresh nonce, which a client with the
    /// password can use and a replayer cannot.
    enum Verdict { case valid, stale, foreign }

    func check(_ nonce: String, from client: RelayClient, unixTime: Int64) -> Verdict {
        guard nonce.count == 32, let expiry = UInt64(nonce.prefix(16), radix: 16),
            hexString(mac(String(nonce.prefix(16)), client).prefix(8)) == nonce.suffix(16)
        else { return .foreign }
        return Int64(bitPattern: expiry) < unixTime ? .stale : .valid
    }

    private func mac(_ stamp: String, _ client: RelayClient) -> [UInt8] {
        let port = [UInt8(client.address.port >> 8), UInt8(truncatingIfNeeded: client.address.port)]
        let message = Array(stamp.utf8) + Array(client.transport.rawValue.utf8) + client.address.ip.bytes + port
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }
}
