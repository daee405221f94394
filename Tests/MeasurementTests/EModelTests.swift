import Testing

@testable import Measurement

@Suite("E-model (ITU-T G.107)")
struct EModelTests {
    /// Ta enters as given: no playout buffer or codec delay added.
    static let bare = EModel(equipmentImpairment: 0, packetLossRobustness: 25.1, jitterBufferMilliseconds: 0, codecDelayMilliseconds: 0)

    @Test func defaultParametersGiveR93point2AndMOS4point41() {
        // G.107: "the default values … result in a very high quality with a rating factor R = 93.2".
        #expect(abs(EModel.basicRating - 93.2) < 0.05)
        let (r, mos) = Self.bare.rating(oneWayDelayMilliseconds: 0, lossPercent: 0)
        #expect(abs(r - 93.2) < 0.05)
        #expect(abs(mos - 4.41) < 0.005)
    }

    @Test func opusDefaultsStayBelowTheDelayThreshold() {
        // 0 ms network + 60 ms buffer + 26.5 ms codec = 86.5 ms < mT = 100 ms: no delay impairment.
        let (r, _) = EModel.rating(oneWayDelayMilliseconds: 0, lossPercent: 0)
        #expect(abs(r - 93.2) < 0.05)
        let (r150, _) = EModel.rating(oneWayDelayMilliseconds: 150 - 86.5, lossPercent: 0)
        #expect(abs(r150 - Self.bare.rating(oneWayDelayMilliseconds: 150, lossPercent: 0).r) < 1e-9)
    }

    @Test(arguments: [
        // Idd by hand from G.107 §7.4 with X = log2(Ta/100):
        // 150 ms: X = 0.585, 25·(1.00656 − 3.00003 + 2) = 0.16  → R 93.04
        // 200 ms: X = 1,     25·(1.12246 − 3.00069 + 2) = 3.04  → R 90.16
        // 300 ms: X = 1.585, 25·(1.60046 − 3.01072 + 2) = 14.74 → R 78.46
        // 400 ms: X = 2,     25·(2.00517 − 3.04232 + 2) = 24.07 → R 69.13
        (100.0, 93.2), (150, 93.04), (200, 90.16), (300, 78.46), (400, 69.13),
    ])
    func delayPoints(mouthToEar: Double, expectedR: Double) {
        let (r, _) = Self.bare.rating(oneWayDelayMilliseconds: mouthToEar, lossPercent: 0)
        #expect(abs(r - expectedR) < 0.5)
        #expect(abs(r - expectedR) < 0.06) // and in fact to the rounding of the hand computation
    }

    @Test(arguments: [
        // G.107 Annex B / G.109 Table 1: R → MOS. (G.109 prints 4.03 for R = 80, where the
        // Annex B formula gives 4.024.)
        (100.0, 4.5), (90, 4.34), (80, 4.03), (70, 3.60), (60, 3.10), (50, 2.58), (0, 1.0), (-5, 1.0), (3, 1.0),
    ])
    func mosFromR(r: Double, expectedMOS: Double) {
        #expect(abs(EModel.mos(r: r) - expectedMOS) <= 0.0061)
    }

    @Test func randomAndBurstyLoss() {
        // Ie,eff = 0 + 95 · 2/(2/1 + 25.1) = 7.011 for 2 % random loss.
        let random = Self.bare.rating(oneWayDelayMilliseconds: 0, lossPercent: 2, burstRatio: 1)
        #expect(abs(random.r - (EModel.basicRating - 95 * 2 / 27.1)) < 1e-9)
        #expect(abs(random.r - 86.19) < 0.05)
        // The same loss in bursts (BurstR 2) hurts more: 95 · 2/(1 + 25.1) = 7.280.
        let bursty = Self.bare.rating(oneWayDelayMilliseconds: 0, lossPercent: 2, burstRatio: 2)
        #expect(abs(random.r - bursty.r - (95 * 2 / 26.1 - 95 * 2 / 27.1)) < 1e-9)
        // At 100 % loss Ie,eff = 95 · 100/(100 + 25.1) = 75.94: R 17.3, MOS 1.18.
        let silent = Self.bare.rating(oneWayDelayMilliseconds: 0, lossPercent: 100)
        #expect(abs(silent.r - (EModel.basicRating - 9500 / 125.1)) < 1e-9)
        #expect(abs(silent.mos - 1.18) < 0.005)
    }
}
