import Crypto

/// The key that MESSAGE-INTEGRITY(-SHA256) is computed with. Its description never shows the
/// key, so that it can be logged by accident without leaking a credential.
public struct STUNKey: Sendable {
    let bytes: [UInt8]

    public init(bytes: some Sequence<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// Short-term credentials (RFC 8489 §9.1.1): the OpaqueString-prepared password itself.
    public static func shortTerm(password: String) throws(SASLprepError) -> STUNKey {
        STUNKey(bytes: Array(try SASLprep.prepare(password).utf8))
    }

    /// Long-term credentials (RFC 8489 §9.2.2): MD5 or SHA-256 of `username:realm:password`,
    /// realm and password prepared with SASLprep; the username is used as sent in USERNAME.
    public static func longTerm(
        username: String, realm: String, password: String, algorithm: PasswordAlgorithm = .md5
    ) throws(SASLprepError) -> STUNKey {
        let input = Array("\(username):\(try SASLprep.prepare(realm)):\(try SASLprep.prepare(password))".utf8)
        switch algorithm {
        case .md5: return STUNKey(bytes: Insecure.MD5.hash(data: input))
        case .sha256: return STUNKey(bytes: SHA256.hash(data: input))
        }
    }

    /// USERHASH (RFC 8489 §14.4): SHA-256 of `username:realm`, prepared.
    public static func userhash(username: String, realm: String) throws(SASLprepError) -> [UInt8] {
        let input = "\(try SASLprep.prepare(username)):\(try SASLprep.prepare(realm))"
        return Array(SHA256.hash(data: Array(input.utf8)))
    }
}

extension STUNKey: CustomStringConvertible {
    public var description: String { "STUNKey(<redacted>)" }
}

/// Password algorithms of PASSWORD-ALGORITHM(S) (RFC 8489 §18.5).
public enum PasswordAlgorithm: UInt16, Hashable, Sendable, CaseIterable {
    case md5 = 0x0001
    case sha256 = 0x0002
}
