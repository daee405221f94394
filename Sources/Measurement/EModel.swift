#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The ITU-T G.107 (06/2015) E-model, reduced to what a relay load test varies: delay and
/// packet loss. R = Ro − Is − Id − Ie,eff + A, and MOS from R per G.107 Annex B.
///
/// - Ro − Is and the echo terms of Id come from G.107's default transmission parameters
///   (see `basicRating`); with no delay and no loss R is 93.2, MOS 4.41.
/// - Id's delay term Idd follows the mouth-to-ear delay Ta = network one-way delay +
///   `jitterBufferMilliseconds` + `codecDelayMilliseconds`.
/// - Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl/BurstR + Bpl).
///
/// Opus has no Ie or Bpl in ITU-T G.113 and none has been published on the E-model's
/// narrowband scale: a study deriving fullband values notes that "currently no Ie,FB values
/// are available" for Opus (Derivation of Equipment Impairment Factors from ITU-T P.863 for
/// Fullband Speech Codecs, DAGA, https://cms.memyc.org/erweiterungen/my-conference/?article=363).
/// So the `opus` defaults are an assumption, stated here: Ie = 0 (Opus speech at 20–32 kbit/s
/// is at least as good as G.711, whose Ie is 0, and the narrowband scale tops out there) and
/// Bpl = 25.1, G.113 Appendix I's value for G.711 with packet loss concealment (G.711
/// Appendix I) under random loss, i.e. loss hurts Opus with PLC (without FEC) about as much as
/// it hurts G.711 with PLC. Ta includes 26.5 ms of Opus algorithmic delay (20 ms frame + 6.5 ms
/// look-ahead, RFC 6716 §2) and the receiver's 60 ms fixed playout buffer (`StreamReceiver`'s
/// default); change them when the scenario does.
public struct EModel: Sendable, Codable, Equatable {
    /// Ie: the codec's impairment without loss.
    public var equipmentImpairment: Double
    /// Bpl: how well the codec's concealment copes with loss (higher is more robust).
    public var packetLossRobustness: Double
    /// Playout buffer delay added to the network delay in Ta.
    public var jitterBufferMilliseconds: Double
    /// Codec algorithmic delay (frame + look-ahead) added in Ta.
    public var codecDelayMilliseconds: Double
    /// A: the advantage factor (0 for wired and most VoIP use).
    public var advantage: Double

    public init(
        equipmentImpairment: Double = 0,
        packetLossRobustness: Double = 25.1,
        jitterBufferMilliseconds: Double = 60,
        codecDelayMilliseconds: Double = 26.5,
        advantage: Double = 0
    ) {
        self.equipmentImpairment = equipmentImpairment
        self.packetLossRobustness = packetLossRobustness
        self.jitterBufferMilliseconds = jitterBufferMilliseconds
        self.codecDelayMilliseconds = codecDelayMilliseconds
        self.advantage = advantage
    }

    /// Opus at 20 ms frames with a 60 ms playout buffer, under the assumptions above.
    public static let opus = EModel()

    /// R and MOS for a call with this codec and buffer.
    ///
    /// - Parameters:
    ///   - oneWayDelayMilliseconds: network one-way delay (e.g. the median).
    ///   - lossPercent: Ppl, packets the decoder had to conceal, in percent (use
    ///     `DirectionSummary.playoutLossPercent`: late packets are as lost as missing ones).
    ///   - burstRatio: BurstR, 1 for random loss (`DirectionSummary.burstRatio`).
    public func rating(oneWayDelayMilliseconds: Double, lossPercent: Double, burstRatio: Double = 1) -> (r: Double, mos: Double) {
        let mouthToEar = oneWayDelayMilliseconds + jitterBufferMilliseconds + codecDelayMilliseconds
        let r =
            Self.basicRating
            - Self.delayImpairment(mouthToEarMilliseconds: mouthToEar)
            - Self.effectiveEquipmentImpairment(
                equipmentImpairment: equipmentImpairment, packetLossRobustness: packetLossRobustness,
                lossPercent: lossPercent, burstRatio: burstRatio)
            + advantage
        return (r, Self.mos(r: r))
    }

    /// `EModel.opus.rating(…)`.
    public static func rating(oneWayDelayMilliseconds: Double, lossPercent: Double, burstRatio: Double = 1) -> (r: Double, mos: Double) {
        opus.rating(oneWayDelayMilliseconds: oneWayDelayMilliseconds, lossPercent: lossPercent, burstRatio: burstRatio)
    }

    /// G.107 (06/2015) §7.4 Idd for mouth-to-ear delay Ta, with the default delay sensitivity
    /// sT = 1 and minimum perceivable delay mT = 100 ms: 0 up to mT, then with X = log2(Ta/mT),
    /// Idd = 25·{(1 + X^6sT)^(1/6sT) − 3·(1 + (X/3)^6sT)^(1/6sT) + 2}.
    public static func delayImpairment(mouthToEarMilliseconds ta: Double) -> Double {
        let minimumPerceivableDelay = 100.0
        let exponent = 6.0 // 6·sT with sT = 1
        guard ta > minimumPerceivableDelay else { return 0 }
        let x = log2(ta / minimumPerceivableDelay)
        return 25 * (pow(1 + pow(x, exponent), 1 / exponent) - 3 * pow(1 + pow(x / 3, exponent), 1 / exponent) + 2)
    }

    /// G.107 §7.5: Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl/BurstR + Bpl), Ppl in percent.
    public static func effectiveEquipmentImpairment(
        equipmentImpairment ie: Double, packetLossRobustness bpl: Double, lossPercent ppl: Double, burstRatio: Double
    ) -> Double {
        ie + (95 - ie) * ppl / (ppl / burstRatio + bpl)
    }

    /// G.107 Annex B: MOS = 1 + 0.035R + R(R − 60)(100 − R)·7·10⁻⁶ for 0 < R < 100, 4.5 above,
    /// 1 below. The cubic dips just under 1 for R below about 6.5; MOS is held at 1 there, the
    /// bottom of the scale.
    public static func mos(r: Double) -> Double {
        if r <= 0 { return 1 }
        if r >= 100 { return 4.5 }
        return Swift.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6)
    }
}
