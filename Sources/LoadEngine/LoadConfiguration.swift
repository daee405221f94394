import Media
import RunModel
import TURNClient
import TURNProtocol

/// One TURN endpoint and how to authenticate with it.
public struct LoadTarget: Sendable {
    public var uri: TURNURI
    public var credential: ClientCredential
    public var tls: TLSOptions

    public init(uri: TURNURI, credential: ClientCredential, tls: TLSOptions = TLSOptions()) {
        self.uri = uri
        self.credential = credential
        self.tls = tls
    }
}

/// Everything a run needs but the target.
public struct LoadConfiguration: Sendable {
    /// The whole load's clients, all shards together.
    public var clients = 100
    public var duration: Duration = .seconds(30)
    /// New allocations a second, all shards together, so that the endpoint is not hit by a
    /// thundering herd.
    public var rampPerSecond = 100
    public var topology = Topology.echo
    public var media = OpusSettings()
    /// A packet later than this behind its stream's fastest one counts as late (missed its
    /// playout), as a fixed jitter buffer would drop it.
    public var jitterBuffer: Duration = .milliseconds(60)
    /// After the last send, how long to wait for packets still in flight.
    public var drain: Duration = .seconds(2)
    /// Each request's timeout, and the connect and handshake timeout.
    public var requestTimeout: Duration = .seconds(10)
    /// The address the relay sees the harness's peer sockets at; by default the local address
    /// that routes to the endpoint.
    public var peerHost: IPAddress?
    /// The relayed address family each client asks for; nil for the family of the server's
    /// address. With `both` (dual allocations) media goes through the relayed address of the
    /// peer's family.
    public var relayFamily: RelayFamily?
    /// Media in Send and Data indications to a permitted peer instead of ChannelData on a
    /// bound channel (`--indications`).
    public var indications = false
    /// How often each client refreshes its permissions and channel bindings: shorter than RFC
    /// 8656's for a server configured with shorter lifetimes.
    public var refreshIntervals = RefreshIntervals.rfc8656
    /// Event-loop threads for the clients.
    public var threads = 1
    public var seed: UInt64 = 1
    /// The share of `clients` this process runs.
    public var shard = ShardAssignment.whole
    /// Calls that come and go instead of `clients` held for `duration`: they arrive over
    /// `duration`, each talks for its holding time and hangs up.
    public var arrivals: ArrivalPlan?
    /// Several transports against one endpoint: a run of each, together, takes the calls
    /// the mix gives its transport.
    public var mix: TransportMix?
    /// Shares of the clients with media of their own (`--group`): a load of each, together.
    public var groups: [CallGroup] = []
    /// The clients this load takes of the run's, when it is one group's.
    public var clientRange: Range<Int>?
    /// Hostile traffic beside the calls, in alternate windows (`--abuse`).
    public var abuse: AbusePlan?
    /// RTP packets each client sends every frame interval, back to back (`burst=` of a group).
    public var packetsPerFrame = 1

    public init() {}

    /// Clients that make one call: both ends run in the same process.
    public var callSize: Int { topology == .pair ? 2 : 1 }

    /// The global indices of the clients this process runs.
    public var localClients: Range<Int> { shard.clients(of: clients, inGroupsOf: callSize) }

    /// Whether the call whose first client is `first` is this load's and goes over `transport`:
    /// always without a mix (the run's one transport) and without groups.
    func carries(_ first: Int, over transport: TURNTransport) -> Bool {
        (clientRange?.contains(first) ?? true)
            && (mix.map { $0.transport(ofCall: first / callSize, seed: seed) == transport } ?? true)
    }

    /// This process's clients over `transport`.
    public func localClients(over transport: TURNTransport) -> Int {
        stride(from: localClients.lowerBound, to: localClients.upperBound, by: callSize).filter { carries($0, over: transport) }.count
            * callSize
    }
}
