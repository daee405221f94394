import Campaign
import Measurement
import Reporting
import RunModel
import Testing

/// The saturation search's policy against scripted endpoints: when it steps, measures again,
/// stops and how long it holds. The end-to-end searches against the real relay are in
/// LoadRunTests.
@Suite struct SaturationSearchTests {
    /// Steps of 100 clients up to 500, 10 s each, under the default thresholds.
    func search(pastCliff: Int = 0, remeasure: Int = 1) -> SaturationSearch {
        var search = SaturationSearch(
            steps: SaturationSearch.steps(start: 100, step: 100, maxClients: 500, pairs: false),
            stepDuration: .seconds(10), thresholds: Threshold.defaults)
        search.pastCliff = pastCliff
        search.remeasure = remeasure
        return search
    }

    /// Clean up to 300 clients, 5% loss from 400 on.
    static let cliffAt400: @Sendable (Int) -> Double = { $0 >= 400 ? 5 : 0 }

    func run(_ search: SaturationSearch, _ runner: ScriptedSteps) async throws -> SaturationResult {
        try await search.run(against: "scripted", startedAt: .init(timeIntervalSince1970: 0), runner: runner)
    }

    @Test func stepsRiseToTheLastLoadAndRoundUpToPairs() {
        #expect(SaturationSearch.steps(start: 100, step: 100, maxClients: 450, pairs: false) == [100, 200, 300, 400])
        #expect(SaturationSearch.steps(start: 5, step: 5, maxClients: 20, pairs: true) == [6, 10, 16, 20])
        #expect(SaturationSearch.steps(start: 10, step: 10, maxClients: 10, pairs: false) == [10])
    }

    @Test func stopsAtTheCliff() async throws {
        let runner = ScriptedSteps(endpoint: Self.cliffAt400)
        let result = try await run(search(), runner)
        #expect(runner.measured.map(\.clients) == [100, 200, 300, 400])
        #expect(runner.measured.map(\.folder) == ["step-01-100", "step-02-200", "step-03-300", "step-04-400"])
        #expect(runner.measured.allSatisfy { $0.duration == .seconds(10) })
        #expect(result.status == .complete)
        #expect(result.finding.cleanCapacity == 300)
        #expect(result.finding.cliff?.clients == 400)
        #expect(result.steps.map(\.clients) == [100, 200, 300, 400])
        #expect(result.steps.last?.checks.contains { !$0.passed } == true)
        // Kept after every step and once more at the end, so a search cut short leaves its findings.
        #expect(runner.kept.map(\.steps.count) == [1, 2, 3, 4, 4])
        #expect(runner.told.last?.contains("cliff at 400 calls") == true)
    }

    /// On the allocations axis the loads are rates: the steps, the finding and what is told are
    /// in allocations a second, whatever clients each step's calls came to; setup failures over
    /// the default 1% make the cliff.
    @Test func allocationsAxisStepsRates() async throws {
        var search = SaturationSearch(
            steps: SaturationSearch.steps(start: 10, step: 10, maxClients: 50, pairs: false), stepDuration: .seconds(6),
            thresholds: SaturationAxis.allocations.defaultThresholds)
        search.axis = .allocations
        let runner = ScriptedSteps(endpoint: { _ in 0 })
        runner.setupFailures = { $0 > 30 ? 12.5 : 0 }
        runner.clientsPerLoad = 6
        let result = try await run(search, runner)
        #expect(runner.measured.map(\.clients) == [10, 20, 30, 40])
        #expect(result.axis == .allocations)
        #expect(result.steps.map(\.allocationsPerSecond) == [10, 20, 30, 40])
        #expect(result.finding.cleanCapacity == 30 && result.finding.cliff?.clients == 40)
        #expect(result.finding.cliff?.breaches.map(\.threshold.metric) == [.setupFailure])
        let told = try #require(runner.told.last)
        #expect(
            told.hasPrefix("step 4: 40 allocations/s: clean capacity 30 allocations/s; cliff at 40 allocations/s (setup failure 12.5%"),
            "\(told)")
    }

    @Test func pastCliffShowsTheCollapse() async throws {
        let runner = ScriptedSteps(endpoint: Self.cliffAt400)
        let result = try await run(search(pastCliff: 1), runner)
        #expect(runner.measured.map(\.clients) == [100, 200, 300, 400, 500])
        #expect(result.finding.cliff?.clients == 400)
        // Asking for more steps past the cliff than there are ends at the last one.
        let further = ScriptedSteps(endpoint: Self.cliffAt400)
        _ = try await run(search(pastCliff: 5), further)
        #expect(further.measured.map(\.clients) == [100, 200, 300, 400, 500])
    }

    @Test func stopsAtTheLastLoadWithoutACliff() async throws {
        let runner = ScriptedSteps(endpoint: { _ in 0 })
        let result = try await run(search(), runner)
        #expect(runner.measured.map(\.clients) == [100, 200, 300, 400, 500])
        #expect(result.finding.cleanCapacity == 500)
        #expect(result.finding.cliff == nil)
        #expect(result.status == .complete)
    }

    /// A stall of a shared machine finds turnload behind once: the step is measured again and
    /// the search goes on to the endpoint's real cliff, the step saying why it was repeated.
    @Test func harnessBoundStepIsMeasuredAgain() async throws {
        let runner = ScriptedSteps(endpoint: Self.cliffAt400)
        runner.harnessBehind = [200: 1]
        let result = try await run(search(), runner)
        #expect(runner.measured.map(\.clients) == [100, 200, 200, 300, 400])
        #expect(runner.measured[1].folder == runner.measured[2].folder)
        #expect(result.steps[1].remeasured == 1)
        #expect(result.steps[1].remeasuredBecause == ["sends 12 ms late at p99"])
        #expect(result.steps[0].remeasured == nil)
        #expect(result.finding.harnessBoundAt == nil)
        #expect(result.finding.cliff?.clients == 400)
        #expect(runner.told.contains { $0.contains("turnload fell behind, not the endpoint") && $0.contains("(1 of 1)") })
    }

    /// Still behind after every measurement allowed: the search ends there, harness-bound, and
    /// says so instead of naming a cliff.
    @Test func harnessBoundTwiceEndsTheSearch() async throws {
        let runner = ScriptedSteps(endpoint: Self.cliffAt400)
        runner.harnessBehind = [200: 3]
        let result = try await run(search(remeasure: 2), runner)
        #expect(runner.measured.map(\.clients) == [100, 200, 200, 200])
        #expect(result.steps.map(\.clients) == [100, 200])
        #expect(result.steps[1].remeasured == 2)
        #expect(result.finding.harnessBoundAt == 200)
        #expect(result.finding.cliff == nil)
        #expect(result.status == .complete)

        let never = ScriptedSteps(endpoint: Self.cliffAt400)
        never.harnessBehind = [200: 1]
        let unrepeated = try await run(search(remeasure: 0), never)
        #expect(never.measured.map(\.clients) == [100, 200])
        #expect(unrepeated.finding.harnessBoundAt == 200)
    }

    @Test func anEndpointThatCannotStartALoadEndsTheSearch() async throws {
        let runner = ScriptedSteps(endpoint: { _ in 0 })
        runner.failsToStart = [300]
        let result = try await run(search(), runner)
        #expect(runner.measured.map(\.clients) == [100, 200, 300])
        #expect(result.status == .endpointFailed)
        #expect(result.steps.count == 2)
    }

    @Test func ctrlCKeepsTheStepButJudgesWithoutIt() async throws {
        let runner = ScriptedSteps(endpoint: Self.cliffAt400)
        runner.interruptedAt = 400
        var held = search()
        held.hold = HoldPlan(share: 0.8, bytes: 1e9, pairs: false, longest: .seconds(86_400))
        let result = try await run(held, runner)
        #expect(result.status == .interrupted)
        #expect(result.steps.map(\.status) == [.complete, .complete, .complete, .interrupted])
        #expect(result.finding.cliff == nil)
        #expect(result.finding.cleanCapacity == 300)
        #expect(result.hold == nil)
        #expect(runner.measured.count == 4)
    }

    /// 80% of a clean capacity of 300 is 240 clients; at 10 kB/s each, 1.2 GB takes 500 s.
    @Test func holdPushesTheVolumeAtAShareOfTheCleanCapacity() async throws {
        let runner = ScriptedSteps(endpoint: Self.cliffAt400)
        var held = search()
        held.hold = HoldPlan(share: 0.8, bytes: 1.2e9, pairs: false, longest: .seconds(86_400))
        let result = try await run(held, runner)
        let hold = try #require(result.hold)
        #expect(runner.measured.last?.folder == "hold")
        #expect(runner.measured.last?.clients == 240)
        #expect(runner.measured.last?.duration == .seconds(500))
        #expect(hold.clients == 240)
        #expect(hold.targetBytes == 1.2e9)
        #expect(abs(hold.bytes - 1.2e9) < 1)
        #expect(hold.status == .complete)
        #expect(hold.checks.allSatisfy { $0.passed })
        #expect(result.status == .complete)
        #expect(runner.kept.last?.hold != nil)
    }

    @Test func holdSizing() throws {
        let plan = HoldPlan(share: 0.8, bytes: 90e9, pairs: true, longest: .seconds(30 * 86_400))
        // 75 clients × 0.8 = 60, whole pairs; 90 GB at 60 × 10 kB/s is 150,000 s.
        #expect(
            plan.load(capacity: 75, deliveredWireBitsPerSecond: 75 * 80_000)
                == .success(HoldPlan.Load(clients: 60, duration: .seconds(150_000))))
        // Never fewer than one call.
        var small = plan
        small.bytes = 1e9
        #expect(try small.load(capacity: 1, deliveredWireBitsPerSecond: 80_000).get().clients == 2)
        guard
            case let .failure(refusal) = HoldPlan(share: 0.8, bytes: 1e15, pairs: false, longest: .seconds(30 * 86_400))
                .load(capacity: 10, deliveredWireBitsPerSecond: 800_000)
        else {
            Issue.record("a petabyte through 8 calls was not refused")
            return
        }
        #expect(refusal.description.contains("days to push"))
        #expect(refusal.description.contains("give a smaller --hold-volume"))
        guard case .failure = plan.load(capacity: 10, deliveredWireBitsPerSecond: 0) else {
            Issue.record("a clean step that delivered nothing was held")
            return
        }
    }

    @Test func noCleanStepHoldsNothing() async throws {
        let runner = ScriptedSteps(endpoint: { _ in 5 })
        var held = search()
        held.hold = HoldPlan(share: 0.8, bytes: 1e9, pairs: false, longest: .seconds(86_400))
        let result = try await run(held, runner)
        #expect(runner.measured.map(\.clients) == [100])
        #expect(result.hold == nil)
        #expect(runner.told.contains("no clean step: nothing to hold"))
    }
}
