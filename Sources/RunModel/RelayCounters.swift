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
        rejections.overAllocateRate += other.rejections.overAllocateRate
        rejections.overNewPeerRate += other.rejections.overNewPeerRate
    }

    /// Reads result files written before a counter existed: a missing counter is 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allocations = try container.count(.allocations)
        packetsToPeers = try container.count(.packetsToPeers)
        bytesToPeers = try container.count(.bytesToPeers)
        packetsToClients = try container.count(.packetsToClients)
        bytesToClients = try container.count(.bytesToClients)
        droppedCapacity = try container.count(.droppedCapacity)
        droppedBandwidth = try container.count(.droppedBandwidth)
        droppedPacketRate = try container.count(.droppedPacketRate)
        droppedImpairment = try container.count(.droppedImpairment)
        duplicatedImpairment = try container.count(.duplicatedImpairment)
        reorderedImpairment = try container.count(.reorderedImpairment)
        droppedUnroutable = try container.count(.droppedUnroutable)
        droppedMalformed = try container.count(.droppedMalformed)
        droppedReceiveQueue = try container.count(.droppedReceiveQueue)
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
    /// Authenticated Allocates refused with 508 over `--max-allocate-rate`.
    public var overAllocateRate = 0
    /// CreatePermission and ChannelBind requests refused with 508 over `--max-new-peer-rate`.
    public var overNewPeerRate = 0

    public init() {}

    /// Reads result files written before a reason existed: a missing count is 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        malformed = try container.count(.malformed)
        challenged = try container.count(.challenged)
        badCredentials = try container.count(.badCredentials)
        rateLimited = try container.count(.rateLimited)
        refused = try container.count(.refused)
        overAllocateRate = try container.count(.overAllocateRate)
        overNewPeerRate = try container.count(.overNewPeerRate)
    }
}

extension KeyedDecodingContainer {
    /// A count, 0 in a file written before it existed.
    fileprivate func count(_ key: Key) throws -> Int { try decodeIfPresent(Int.self, forKey: key) ?? 0 }
}
