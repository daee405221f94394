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
    /// Rates each call by the worse of its directions: its own loss and late packets (missed
    /// playout) at the run's median one-way delay.
    init(streams: [StreamTotals], echoes: [StreamTotals], oneWayDelay: Distribution, configuration: LoadConfiguration) {
        let frameMilliseconds = Double(configuration.media.frameMilliseconds)
        let model = EModel(jitterBufferMilliseconds: Double(configuration.jitterBuffer.nanosecondsValue) / 1e6,
                       // Opus's algorithmic delay: the frame and 6.5 ms of look-ahead (RFC 6716 §2).
                       codecDelayMilliseconds: frameMilliseconds + 6.5)
        let delay = Double(oneWayDelay.percentile(50)) / 1e6
        func playoutLoss(_ stream: StreamTotals) -> Double {
            stream.sent > 0 ? 100 * Double(stream.lost + stream.late) / Double(stream.sent) : 0
        }
        let ratings = streams.indices.map { index in
            let loss = max(playoutLoss(streams[index]), echoes.indices.contains(index) ? playoutLoss(echoes[index]) : 0)
            return model.rating(oneWayDelayMilliseconds: delay, lossPercent: loss)
        }
        self.model = model
        let scores = ratings.map(\.mos).sorted()
        meanMOS = scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
        worstMOS = scores.first ?? 0
        mos10thPercentile = scores.isEmpty ? 0 : scores[scores.count / 10]
        meanR = ratings.isEmpty ? 0 : ratings.map(\.r).reduce(0, +) / Double(ratings.count)
        callsAtOrAbove4Percent = scores.isEmpty ? 0 : 100 * Double(scores.count { $0 >= 4 }) / Double(scores.count)
    }
}
