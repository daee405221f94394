import Measurement

/// Everything a run measured, lossless where it can be merged later (histograms, counts) and
/// summarised where people read it.
public struct LoadOutcome: Sendable, Codable {
    public var status: RunStatus
    /// The endpoint's SOFTWARE attribute, as its Allocate success carried it.
    public var endpointSoftware: String?
    public var clients: ClientFigures
    /// From the first send to the last, in seconds: what rates are over.
    public var sendingSeconds: Double
    /// Each client's stream as the far end received it: the peer socket (echo, sink) or the
    /// partner (pair).
    public var towardPeer: DirectionMetrics
    /// The echo as the client received it (echo only).
    public var towardClient: DirectionMetrics?
    public var rtt: Distribution?
    public var quality: CallQuality
    public var health: HarnessHealth
    /// The verdict and figures of `health`, for readers.
    public var healthSummary: HarnessHealthSummary
    public var series: [SecondSample]
    /// Every call on its own, to find the bad ones among thousands.
    public var calls: [CallFigures]
    /// The server address the clients used: of a name's addresses, the first to answer.
    public var serverAddress: String?
    /// The name's addresses tried before it that did not answer, each with why.
    public var unansweredAddresses: [String]?
    /// Calls that came and went, when they did (`--arrivals`).
    public var arrivals: ArrivalFigures?
    /// The abuse sent beside the calls, and their figures with and without it (`--abuse`).
    public var abuse: AbuseFigures?
    /// Each transport's share of a mixed run (`--mix`); the rest of the outcome is their total.
    public var byTransport: [PartOutcome]?
    /// Each group's share of a run of groups (`--group`); the rest of the outcome is their total.
    public var byGroup: [PartOutcome]?

    public init(
        status: RunStatus, endpointSoftware: String?, clients: ClientFigures, sendingSeconds: Double,
        towardPeer: DirectionMetrics, towardClient: DirectionMetrics?, rtt: Distribution?, quality: CallQuality,
        health: HarnessHealth, healthSummary: HarnessHealthSummary, series: [SecondSample], calls: [CallFigures],
        serverAddress: String? = nil, unansweredAddresses: [String]? = nil
    ) {
        self.status = status
        self.endpointSoftware = endpointSoftware
        self.clients = clients
        self.sendingSeconds = sendingSeconds
        self.towardPeer = towardPeer
        self.towardClient = towardClient
        self.rtt = rtt
        self.quality = quality
        self.health = health
        self.healthSummary = healthSummary
        self.series = series
        self.calls = calls
        self.serverAddress = serverAddress
        self.unansweredAddresses = unansweredAddresses
    }
}

/// One call: its stream at the far end, its echo back, and its E-model rating.
public struct CallFigures: Sendable, Codable {
    public var client: Int
    public var ssrc: UInt32
    public var towardPeer: StreamTotals
    public var towardClient: StreamTotals?
    public var mos: Double
    /// With calls that come and go: when its media started, in seconds after the run's start,
    /// and how long it talked.
    public var startSeconds: Double?
    public var talkSeconds: Double?
    /// How its media went through the relay, fixed for the call (absent in older results): a
    /// share of it sent another way would show here, so no fallback passes unseen.
    public var route: MediaPath?
    /// Its client's end and the server's, and its relayed address: `udp 192.0.2.1:40123 →
    /// 203.0.113.5:3478, relayed 203.0.113.5:50001`, to find it in the relay's logs.
    public var fiveTuple: String?
    /// In a run of parts (`--mix`, `--group`), the part it was in: its group's name, or its
    /// transport. Merged shards tell each part's calls by it.
    public var part: String?

    public init(
        client: Int, ssrc: UInt32, towardPeer: StreamTotals, towardClient: StreamTotals?, mos: Double, startSeconds: Double? = nil,
        talkSeconds: Double? = nil
    ) {
        self.client = client
        self.ssrc = ssrc
        self.towardPeer = towardPeer
        self.towardClient = towardClient
        self.mos = mos
        self.startSeconds = startSeconds
        self.talkSeconds = talkSeconds
    }
}

/// How the clients got going.
public struct ClientFigures: Sendable, Codable {
    public var requested: Int
    public var allocated: Int
    /// Failed setups by reason: an error code ("486", "508"), "timeout", "connect", "error".
    public var failures: [String: Int]
    /// One full message per reason.
    public var failureExamples: [String: String]
    /// Allocate request to success, 401 round included.
    public var allocationLatency: Distribution
    public var allocationSuccessPercent: Double
    /// The refreshes that kept them alive (absent in older results).
    public var refreshes: RefreshFigures?

    /// Every allocation that succeeded is one sample of `allocationLatency`.
    public init(requested: Int, allocationLatency: Distribution, failures: [String: Int], failureExamples: [String: String]) {
        self.requested = requested
        allocated = allocationLatency.count
        self.failures = failures
        self.failureExamples = failureExamples
        self.allocationLatency = allocationLatency
        allocationSuccessPercent = requested > 0 ? 100 * Double(allocated) / Double(requested) : 0
    }

    /// Failed setups of those attempted, in percent: a setup cut by the run's end is neither.
    public var setupFailurePercent: Double {
        requested > 0 ? 100 * Double(failures.values.reduce(0, +)) / Double(requested) : 0
    }

    /// Adds another process's clients of the same run (a shard): counts and latencies add up, the
    /// success rate is over them all, and each reason keeps the first example.
    public mutating func merge(_ other: ClientFigures) {
        var latency = allocationLatency
        latency.merge(other.allocationLatency)
        var refreshes = self.refreshes
        if let theirs = other.refreshes {
            refreshes = refreshes ?? RefreshFigures()
            refreshes?.merge(theirs)
        }
        self = ClientFigures(
            requested: requested + other.requested, allocationLatency: latency,
            failures: failures.merging(other.failures, uniquingKeysWith: +),
            failureExamples: failureExamples.merging(other.failureExamples) { first, _ in first })
        self.refreshes = refreshes
    }
}

/// Voice quality per call by the E-model (see `EModel`): the worse direction of each call.
public struct CallQuality: Sendable, Codable {
    public var model: EModel
    public var meanMOS: Double
    public var worstMOS: Double
    /// The MOS that 90 % of calls reach or beat.
    public var mos10thPercentile: Double
    public var meanR: Double
    /// Calls at MOS 4.0 or better, in percent.
    public var callsAtOrAbove4Percent: Double
}

extension CallQuality {
    /// Rates every call, setting its `mos`, at the run's median one-way delay (of `delay`, the
    /// way out's), and sums them up.
    public init(rating calls: inout [CallFigures], model: EModel, delay: Distribution) {
        let delayMilliseconds = Double(delay.percentile(50)) / 1e6
        let ratings = calls.indices.map { index in
            let rating = Self.rating(
                model, towardPeer: calls[index].towardPeer, towardClient: calls[index].towardClient,
                delayMilliseconds: delayMilliseconds)
            calls[index].mos = rating.mos
            return rating
        }
        self.init(model: model, ratings: ratings)
    }

    /// A call's rating: the worse of its directions' loss and late packets (missed playout)
    /// at the run's median one-way delay.
    private static func rating(
        _ model: EModel, towardPeer: StreamTotals, towardClient: StreamTotals?,
        delayMilliseconds: Double
    ) -> (r: Double, mos: Double) {
        func playoutLoss(_ stream: StreamTotals) -> Double {
            stream.sent > 0 ? 100 * Double(stream.lost + stream.late) / Double(stream.sent) : 0
        }
        let loss = max(playoutLoss(towardPeer), towardClient.map(playoutLoss) ?? 0)
        return model.rating(oneWayDelayMilliseconds: delayMilliseconds, lossPercent: loss)
    }

    private init(model: EModel, ratings: [(r: Double, mos: Double)]) {
        self.model = model
        let scores = ratings.map(\.mos).sorted()
        meanMOS = scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
        worstMOS = scores.first ?? 0
        mos10thPercentile = scores.isEmpty ? 0 : scores[scores.count / 10]
        meanR = ratings.isEmpty ? 0 : ratings.map(\.r).reduce(0, +) / Double(ratings.count)
        callsAtOrAbove4Percent = scores.isEmpty ? 0 : 100 * Double(scores.count { $0 >= 4 }) / Double(scores.count)
    }
}
