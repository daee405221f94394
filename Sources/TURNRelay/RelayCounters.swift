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
    /// Requests refused or dropped, by why.
    public var rejections = RelayRejections()

    public init() {}
}
