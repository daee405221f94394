import Crypto
import TURNProtocol

/// Stateless nonces: the expiry and a MAC of it under a per-relay secret, so that a flood of
/// unauthenticated requests costs the relay no memory, and a nonce can be checked for being
/// ours and fresh (438 when stale) without a table.
struct NonceAuthority: Sendable {
    private let secret: [UInt8]

    init(secret: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }) {
        self.secret = secret
    }

    func make(expiringAt unixTime: Int64) -> String {
        let stamp = hex(UInt64(bitPattern: unixTime), digits: 16)
        return stamp + hexString(mac(stamp).prefix(8))
    }

    enum Verdict { case valid, stale, invalid }

    func check(_ nonce: String, unixTime: Int64) -> Verdict {
        guard nonce.count == 32, let expiry = UInt64(nonce.prefix(16), radix: 16) else { return .invalid }
        guard hexString(mac(String(nonce.prefix(16))).prefix(8)) == nonce.suffix(16) else { return .invalid }
        return Int64(bitPattern: expiry) < unixTime ? .stale : .valid
    }

    private func mac(_ text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: secret)))
    }
}
