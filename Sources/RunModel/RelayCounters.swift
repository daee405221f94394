/// What the relay has done since it started; payload bytes, without headers.
public struct RelayCounters: Sendable, Hashable, Codable {
    public var allocations = 0
    public var packetsToPeers = 0
    public var bytesToPeers = 0
    public var packetsToClients = 0
    public var bytesToClients = 0
    /// Over `--max-pps`.
    public var droppedCapacity = 0
    /// Over an allocation's bandwidth limit.
    public var droppedBandwidth = 0
    /// Over an allocation's packet-rate limit.
    public var droppedPacketRate = 0
    /// Lost to `--impair loss=`.
    public var droppedImpairment = 0
    /// Extra copies sent for `--impair duplicate=`: the ground truth a measurement of
    /// duplicates is checked against.
    public var duplicatedImpairment = 0
    /// Packets held back by `--impair reorder=` and sent after their successor.
    public var reorderedImpairment = 0
    /// No allocation, channel or permission for it.
    public var droppedUnroutable = 0
    /// Neither STUN nor ChannelData, a broken TCP/TLS stream, a failed DTLS handshake.
    public var droppedMalformed = 0
    /// Dropped by the kernel before the relay read them: a UDP or DTLS listener's or a relayed
    /// socket's receive queue was full, so the relay fell behind.
    public var droppedReceiveQueue = 0
    /// Requests refused or dropped, by why.
    public var rejections = RelayRejections()

    public init() {}
}

extension RelayCounters {
    /// Adds every count of `other` (allocations and rejections too): the relay's totals are
    /// its loops' summed.
    public mutating func add(_ other: RelayCounters) {
        allocations += other.allocations
        packetsToPeers += other.packetsToPeers
        bytesToPeers += other.bytesToPeers
        packetsToClients += other.packetsToClients
        bytesToClients += other.bytesToClients
        droppedCapacity += other.droppedCapacity
        droppedBandwidth += other.droppedBandwidth
        droppedPacketRate += other.droppedPacketRate
        droppedImpairment += other.droppedImpairment
        duplicatedImpairment += other.duplicatedImpairment
        reorderedImpairment += other.reorderedImpairment
        droppedUnroutable += other.droppedUnroutable
        droppedMalformed += other.droppedMalformed
        droppedReceiveQueue += other.droppedReceiveQueue
        rejections.malformed += other.rejections.malformed
        rejections.challenged += other.rejections.challenged
        rejections.badCredentials += other.rejections.badCredentials
        rejections.rateLimited += other.rejections.rateLimited
        rejections.refused += other.rejections.refused
    }

    /// Reads result files written before a counter existed: a missing counter is 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        allocations = try count(.allocations)
        packetsToPeers = try count(.packetsToPeers)
        bytesToPeers = try count(.bytesToPeers)
        packetsToClients = try count(.packetsToClients)
        bytesToClients = try count(.bytesToClients)
        droppedCapacity = try count(.droppedCapacity)
        droppedBandwidth = try count(.droppedBandwidth)
        droppedPacketRate = try count(.droppedPacketRate)
        droppedImpairment = try count(.droppedImpairment)
        duplicatedImpairment = try count(.duplicatedImpairment)
        reorderedImpairment = try count(.reorderedImpairment)
        droppedUnroutable = try count(.droppedUnroutable)
        droppedMalformed = try count(.droppedMalformed)
        droppedReceiveQueue = try count(.droppedReceiveQueue)
        rejections = try container.decodeIfPresent(RelayRejections.self, forKey: .rejections) ?? RelayRejections()
    }
}

/// Requests the relay refused or dropped, by why; the server logs what grew each second.
public struct RelayRejections: Sendable, Hashable, Codable {
    /// Unparseable STUN, missing USERNAME/NONCE/REALM, unknown comprehension-required attributes.
    public var malformed = 0
    /// Challenged with 401 or 438: no credentials yet, or a stale nonce; every client's first
    /// request is one.
    public var challenged = 0
    /// Credentials present but wrong: unknown user, bad integrity, a nonce the relay never made
    /// or made for another client (a replay, or a client whose NAT rebound; answered 438).
    public var badCredentials = 0
    /// Dropped unanswered: over the limit on requests without valid credentials.
    public var rateLimited = 0
    /// Authenticated requests refused with an error (quota, forbidden peer, mismatch…).
    public var refused = 0

    public init() {}
}
