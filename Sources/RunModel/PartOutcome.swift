import Measurement

/// One part of a run made of several loads at once, a transport of a mix (`--mix`) or a group
/// of calls (`--group`): its clients' setup and their media, on their own, beside the run's
/// total.
public struct PartOutcome: Sendable, Codable {
    /// The group's name, for a group.
    public var group: String?
    /// `udp`, `tcp`, `tls` or `dtls`.
    public var transport: String
    /// The URI its clients used.
    public var uri: String
    /// A group's media, and its packets each frame interval when more than one.
    public var media: OpusSettings?
    public var packetsPerFrame: Int?
    public var status: RunStatus
    public var clients: ClientFigures
    public var towardPeer: DirectionMetrics
    public var towardClient: DirectionMetrics?
    public var rtt: Distribution?
    public var quality: CallQuality
    public var healthSummary: HarnessHealthSummary
    /// Jain's index over the part's own calls.
    public var fairness: Double?

    /// What tells it from the run's other parts and its calls from theirs (`CallFigures.part`).
    public var key: String { group ?? transport }

    public init(transport: String, uri: String, outcome: LoadOutcome) {
        self.transport = transport
        self.uri = uri
        status = outcome.status
        clients = outcome.clients
        towardPeer = outcome.towardPeer
        towardClient = outcome.towardClient
        rtt = outcome.rtt
        quality = outcome.quality
        healthSummary = outcome.healthSummary
    }
}
