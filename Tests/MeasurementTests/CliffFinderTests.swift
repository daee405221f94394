import Measurement
import Testing

@Suite("cliff finder")
struct CliffFinderTests {
    /// A step as an endpoint capped at `capacity` calls would show it: what is offered above the
    /// cap is dropped.
    static func step(_ clients: Int, capacity: Int = 500, harnessSaturated: Bool = false) -> LoadFigures {
        let offered = Double(clients) * 100
        let delivered = Double(min(clients, capacity)) * 100
        let loss = 100 * (offered - delivered) / offered
        return LoadFigures(
            clients: clients, allocated: clients, allocationSuccessPercent: 100, lossPercent: loss, playoutLossPercent: loss,
            jitterP99Milliseconds: 2, delayP99Milliseconds: 3, rttP99Milliseconds: 6, meanMOS: loss > 1 ? 2.5 : 4.4,
            mos10thPercentile: loss > 1 ? 2.2 : 4.4, offeredPacketsPerSecond: offered, deliveredPacketsPerSecond: delivered,
            deliveredWireBitsPerSecond: delivered * 944, harnessSaturated: harnessSaturated,
            harnessReasons: harnessSaturated ? ["send lateness p99 9 ms exceeds 5 ms"] : [])
    }

    /// On the allocations axis the loads are the steps' rates, not their clients: the finding
    /// and its headline are in allocations a second, and a step whose setups stall breaks
    /// allocation-p99.
    @Test func loadsInTheAxisUnit() throws {
        let figures = [10, 20, 30, 40].map { rate -> LoadFigures in
            var step = Self.step(rate * 6)
            step.allocationP99Milliseconds = rate > 30 ? 1200 : 4
            step.setupFailurePercent = 0
            return step
        }
        let finding = CliffFinder.find(figures, thresholds: SaturationAxis.allocations.defaultThresholds, loads: [10, 20, 30, 40])
        #expect(finding.cleanCapacity == 30 && finding.cliff?.clients == 40)
        #expect(finding.cliff?.breaches.map(\.threshold.metric) == [.allocationP99])
        #expect(finding.headline(.allocations).contains("cliff at 40 allocations/s (allocation p99 1200 ms (was 4 ms)"))
    }

    @Test func cleanCapacityCliffAndKneeOfACappedEndpoint() throws {
        let finding = CliffFinder.find([100, 200, 300, 400, 500, 600, 700].map { Self.step($0) })
        #expect(finding.cleanCapacity == 500)
        let cliff = try #require(finding.cliff)
        #expect(cliff.clients == 600)
        #expect(Set(cliff.breaches.map(\.threshold.metric)) == [.loss, .mos])
        let loss = try #require(cliff.breaches.first { $0.threshold.metric == .loss })
        #expect(abs(loss.value - 100.0 / 6) < 1e-9 && loss.previous == 0)
        #expect(finding.knee == 500)
        #expect(finding.harnessBoundAt == nil)
        #expect(finding.headline(.calls).contains("cliff at 600 calls (loss 16.67% (was 0%), limit < 0.5%"))
    }

    @Test func aSaturatedHarnessIsNotACliff() {
        let steps = [Self.step(100), Self.step(200), Self.step(300, capacity: 250, harnessSaturated: true)]
        let finding = CliffFinder.find(steps)
        #expect(finding.cleanCapacity == 200)
        #expect(finding.cliff == nil)
        #expect(finding.harnessBoundAt == 300)
        #expect(finding.headline(.calls).contains("harness-bound at 300 calls, not a cliff"))
    }

    @Test func noCleanStepAndNoCliffAreSaid() {
        #expect(CliffFinder.find([Self.step(600)]).cleanCapacity == nil)
        #expect(CliffFinder.find([Self.step(600)]).cliff?.breaches.first?.previous == nil)
        let allClean = CliffFinder.find([Self.step(100), Self.step(200)])
        #expect(allClean.cleanCapacity == 200 && allClean.cliff == nil && allClean.knee == 200)
        #expect(allClean.headline(.calls).contains("no cliff up to the last step"))
    }

    @Test func unmeasuredRTTPassesAndOwnThresholdsApply() {
        var sink = Self.step(100)
        sink.rttP99Milliseconds = nil
        sink.jitterP99Milliseconds = 40
        #expect(CliffFinder.find([sink], thresholds: [Threshold(.rttP99, .below, 150)]).cleanCapacity == 100)
        #expect(CliffFinder.find([sink]).cliff?.breaches.map(\.threshold.metric) == [.jitterP99])
    }
}
