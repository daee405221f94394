/// ERROR-CODE (RFC 8489 §14.8): a code from 300 to 699 and a reason phrase.
public struct STUNErrorCode: Hashable, Sendable {
    public var code: Int
    public var reason: String

    /// A code with the reason phrase the RFCs give it (or "Error" for a code they do not name).
    public init(_ code: Int, reason: String? = nil) {
        self.code = code
        self.reason = reason ?? Self.reasonPhrases[code] ?? "Error"
    }

    public static let tryAlternate = STUNErrorCode(300)
    public static let badRequest = STUNErrorCode(400)
    public static let unauthenticated = STUNErrorCode(401)
    public static let forbidden = STUNErrorCode(403)
    public static let unknownAttribute = STUNErrorCode(420)
    public static let allocationMismatch = STUNErrorCode(437)
    public static let staleNonce = STUNErrorCode(438)
    public static let addressFamilyNotSupported = STUNErrorCode(440)
    public static let wrongCredentials = STUNErrorCode(441)
    public static let unsupportedTransportProtocol = STUNErrorCode(442)
    public static let peerAddressFamilyMismatch = STUNErrorCode(443)
    public static let connectionAlreadyExists = STUNErrorCode(446)
    public static let connectionTimeoutOrFailure = STUNErrorCode(447)
    public static let allocationQuotaReached = STUNErrorCode(486)
    public static let serverError = STUNErrorCode(500)
    public static let insufficientCapacity = STUNErrorCode(508)

    /// RFC 8489 §14.8, RFC 8656 §19 and RFC 6062 §6.3.
    public static let reasonPhrases: [Int: String] = [
        300: "Try Alternate", 400: "Bad Request", 401: "Unauthenticated", 403: "Forbidden",
        420: "Unknown Attribute", 437: "Allocation Mismatch", 438: "Stale Nonce",
        440: "Address Family not Supported", 441: "Wrong Credentials", 442: "Unsupported Transport Protocol",
        443: "Peer Address Family Mismatch", 446: "Connection Already Exists", 447: "Connection Timeout or Failure",
        486: "Allocation Quota Reached", 500: "Server Error", 508: "Insufficient Capacity",
    ]
}

extension STUNErrorCode: CustomStringConvertible {
    public var description: String { "\(code) \(reason)" }
}
