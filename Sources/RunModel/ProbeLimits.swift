/// What `probe --limits` found of one allocation's caps: how many packets a second and how
/// many bits a second it relays before it drops, and how many new peers a second it reaches.
/// Holds no credential.
public struct ProbeLimits: Codable, Sendable, Hashable {
    /// Small packets stepped up in rate: the packet-rate cap.
    public var packetRate: LimitFinding?
    /// Large packets stepped up in rate: the bit-rate cap.
    public var bitRate: LimitFinding?
    /// Permissions for new peer addresses stepped up in rate: the rate of new peers.
    public var peerRate: LimitFinding?
    /// Why the search could not run, when it could not (the sink peer got no channel…).
    public var error: String?
    /// A step breaks when more than this share of what was sent is lost.
    public var lossLimitPercent: Double
    /// The bound on both searches together.
    public var boundSeconds: Double

    public init(lossLimitPercent: Double, boundSeconds: Double) {
        self.lossLimitPercent = lossLimitPercent
        self.boundSeconds = boundSeconds
    }
}

/// One search's answer, with its evidence: the highest step that went through clean and the
/// lowest that broke, each as offered, sent and delivered.
public struct LimitFinding: Codable, Sendable, Hashable {
    public enum Verdict: String, Codable, Sendable, Hashable {
        /// Offered more, the relay delivered about `cap`: a cap.
        case cap
        /// Every step up to `cleanUpTo` went through; the ceiling or the time bound ended the search.
        case noCap
        /// The harness could not send the next step's rate: no cap found up to `cleanUpTo`,
        /// and the relay was not the limit.
        case harnessBound
        /// Every new peer of a step was refused with 403, none reached: the relay forbids those
        /// addresses whatever the rate, so no rate was measured.
        case forbidden
    }

    /// What the rates count: `packets/s` or `bits/s` (of payload, as relays meter it).
    public var unit: String
    /// The payload of every packet the search sent, in bytes.
    public var packetBytes: Int?
    public var verdict: Verdict
    /// The cap: the most any step delivered, once a step broke. A relay that polices delivers
    /// its cap whatever is offered above it and never more (the warm-up spends its burst
    /// allowance), while a harness that stalls only wastes some of it: the highest figure is
    /// the one least spoilt.
    public var cap: Double?
    /// The highest offered rate that went through clean.
    public var cleanUpTo: Double?
    /// The highest clean step: the evidence below the cap.
    public var below: LimitStep?
    /// The lowest broken step: the evidence at the cap.
    public var broke: LimitStep?
    /// Every step, in the order taken.
    public var steps: [LimitStep]
    /// For new peers: which addresses they were and how a peer counted as reached.
    public var peers: String?

    public init(unit: String, verdict: Verdict, steps: [LimitStep]) {
        self.unit = unit
        self.verdict = verdict
        self.steps = steps
    }
}

/// One step of a limit search, over its measured window (after a warm-up that spends any
/// burst allowance the relay gives): rates a second in the search's unit.
public struct LimitStep: Codable, Sendable, Hashable {
    /// The rate the step aimed at.
    public var offered: Double
    /// What the harness sent.
    public var sent: Double
    /// What reached the peer.
    public var delivered: Double
    /// Of what was sent, the share that did not reach the peer.
    public var lossPercent: Double
    /// New peers whose permission the relay refused, by why (`508`, `403`, `timeout`…).
    public var refused: [String: Int]?

    public init(offered: Double, sent: Double, delivered: Double) {
        self.offered = offered
        self.sent = sent
        self.delivered = delivered
        lossPercent = sent > 0 ? max(0, (sent - delivered) / sent * 100) : 0
    }
}
