import Campaign
import RunModel
import Testing

/// The limit search's choices against scripted relays: which rate it tries next, when it
/// stops, and the cap and evidence it reports.
@Suite("limit search")
struct LimitSearchTests {
    /// Runs `search` to its end against a relay that delivers `delivered(offered)` of what the
    /// harness managed to send, `sendable(offered)`; at most 50 steps.
    func run(
        _ search: LimitSearch, sendable: (Double) -> Double = { $0 }, delivered: (Double) -> Double
    ) -> LimitSearch {
        var search = search
        for _ in 0..<50 {
            guard let rate = search.next else { break }
            let sent = sendable(rate)
            search.record(LimitStep(offered: rate, sent: sent, delivered: min(sent, delivered(sent))))
        }
        return search
    }

    /// A relay that polices at 500 packets a second: doubling from 100 breaks at 800, then
    /// bisecting brackets 500 within 5%; the cap is what the broken steps delivered.
    @Test func policedRateIsBracketedAndReadFromWhatWasDelivered() throws {
        let search = run(LimitSearch(unit: "packets/s", start: 100, ceiling: 20_000)) { min($0, 500) }
        #expect(search.steps.prefix(5).map { Int($0.offered.rounded()) } == [100, 200, 400, 800, 566])
        let finding = search.finding
        #expect(finding.verdict == .cap)
        #expect(finding.cap == 500)
        let below = try #require(finding.below)
        let broke = try #require(finding.broke)
        #expect(below.offered <= 500 && broke.offered > 500)
        #expect(broke.offered / below.offered <= 1.05, "bracketed within the precision")
        #expect(broke.delivered == 500 && broke.lossPercent > 2 && below.lossPercent == 0)
        #expect(search.next == nil)
    }

    /// Loss at or under the limit (2%) does not break a step: a relay that loses 1% everywhere
    /// has no cap up to the ceiling, which is tried once, exactly.
    @Test func noCapUpToTheCeiling() {
        let search = run(LimitSearch(unit: "bits/s", start: 256_000, ceiling: 5_000_000)) { $0 * 0.99 }
        #expect(search.steps.map(\.offered) == [256_000, 512_000, 1_024_000, 2_048_000, 4_096_000, 5_000_000])
        #expect(search.finding.verdict == .noCap)
        #expect(search.finding.cleanUpTo == 5_000_000)
        #expect(search.finding.cap == nil && search.finding.broke == nil)
    }

    /// A harness that cannot send more than 2,000 a second ends the search there: the relay
    /// was not what the step measured, so its loss names no cap.
    @Test func aStepTheHarnessCouldNotSendEndsTheSearch() {
        let harnessBound = run(LimitSearch(unit: "packets/s", start: 100, ceiling: 20_000), sendable: { min($0, 2000) }) { $0 }
        #expect(harnessBound.steps.map(\.offered) == [100, 200, 400, 800, 1600, 3200])
        #expect(harnessBound.finding.verdict == .harnessBound)
        #expect(harnessBound.finding.cleanUpTo == 1600 && harnessBound.finding.cap == nil)
    }

    /// A cap below the first step: the search halves down until a step goes through, then
    /// bisects as before.
    @Test func capBelowTheStartIsFoundByHalving() {
        let search = run(LimitSearch(unit: "packets/s", start: 100, ceiling: 20_000)) { min($0, 30) }
        #expect(search.steps.prefix(3).map(\.offered) == [100, 50, 25])
        #expect(search.finding.verdict == .cap && search.finding.cap == 30)
        #expect(search.finding.below.map { $0.offered <= 30 } == true)
    }

    /// Nothing gets through even at an eighth of the start: a cap all the same, read from what
    /// the steps delivered, with no clean step below it.
    @Test func nothingCleanAtAll() {
        let search = run(LimitSearch(unit: "packets/s", start: 100, ceiling: 20_000)) { _ in 5 }
        #expect(search.steps.map(\.offered) == [100, 50, 25, 12.5])
        #expect(search.finding.verdict == .cap && search.finding.cap == 5 && search.finding.below == nil)
        #expect(search.finding.broke?.offered == 12.5)
    }

    /// A step the harness stalled in wastes some of a policer's allowance: it delivers less
    /// than the cap, never more, so the cap is the most any step delivered.
    @Test func aStalledStepDoesNotLowerTheCap() {
        var search = LimitSearch(unit: "packets/s", start: 100, ceiling: 20_000)
        for (offered, delivered) in [(100.0, 100.0), (200, 200), (400, 400), (800, 420), (566, 500)] {
            search.record(LimitStep(offered: offered, sent: offered, delivered: delivered))
        }
        #expect(search.finding.cap == 500)
        #expect(search.finding.broke?.offered == 566 && search.finding.below?.offered == 400)
    }
}
