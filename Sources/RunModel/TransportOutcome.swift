import Measurement

/// One transport's share of a mixed run (`--mix`): its clients' setup and their media, on
/// their own, beside the run's total.
public struct TransportOutcome: Sendable, Codable {
    /// `udp`, `tcp`, `tls` or `dtls`.
    public var transport: String
    /// The URI its clients used.
    public var uri: String
    public var status: RunStatus
    public var clients: ClientFigures
    public var towardPeer: DirectionMetrics
    public var towardClient: DirectionMetrics?
    public var rtt: Distribution?
    public var quality: CallQuality
    public var healthSummary: HarnessHealthSummary

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
