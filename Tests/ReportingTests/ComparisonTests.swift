import Foundation
import Measurement
import RunModel
import Testing

@testable import Reporting

@Suite("comparison")
struct ComparisonTests {
    let a = "turn:a.example.com"
    let b = "turn:b.example.com"

    func runs(_ target: String, losses: [Double], clients: Int? = nil) throws -> [LoadedResult] {
        try losses.enumerated().map { round, loss in
            Fixtures.loaded(try Fixtures.run(loss: loss, target: target, clients: clients), name: "\(target)-round\(round + 1)")
        }
    }

    func row(_ comparison: Comparison, _ metric: Metric) throws -> Comparison.Row {
        try #require(comparison.rows.first { $0.figure == .metric(metric) })
    }

    @Test func groupsByTargetInOrderAndAveragesTheirRuns() throws {
        let comparison = try Comparison(try runs(a, losses: [1, 2, 3]) + runs(b, losses: [4, 5, 6]))
        #expect(comparison.kind == .runs)
        #expect(comparison.groups.map(\.name) == [a, b])
        #expect(comparison.groups.map(\.results.count) == [3, 3])
        let loss = try row(comparison, .loss)
        #expect(abs(loss.cells[0].mean! - 2) < 0.05 && abs(loss.cells[1].mean! - 5) < 0.05)
        #expect(abs(loss.cells[1].difference! - 3) < 0.05 && abs(loss.cells[1].relative! - 1.5) < 0.05)
        #expect(loss.cells[0].verdict == nil)
        #expect(loss.cells[1].verdict == .worse)
        #expect(comparison.warnings.isEmpty, "\(comparison.warnings)")
    }

    @Test func callsADifferenceOnlyWhenItStandsOutOfTheNoise() throws {
        // Means 2 apart but the runs spread over 6: Welch's t-test cannot tell.
        let spread = try Comparison(try runs(a, losses: [0, 3, 6]) + runs(b, losses: [2, 5, 8]))
        #expect(try row(spread, .loss).cells[1].verdict == .noise)
        // Consistently apart but by less than the noise floor (0.1 % of loss).
        let small = try Comparison(try runs(a, losses: [1, 1, 1]) + runs(b, losses: [1.05, 1.05, 1.05]))
        #expect(try row(small, .loss).cells[1].verdict == .noise)
        // Lower loss is better.
        let better = try Comparison(try runs(a, losses: [3, 3.1, 3.2]) + runs(b, losses: [0.1, 0.2, 0.1]))
        #expect(try row(better, .loss).cells[1].verdict == .better)
        // Unchanged figures are within noise.
        #expect(try row(better, .mos).cells[1].verdict == .noise)
        // One run a side: no spread to judge by.
        let single = try Comparison(try runs(a, losses: [0]) + runs(b, losses: [5]))
        #expect(try row(single, .loss).cells[1].verdict == .untested)
    }

    @Test func warnsWhenRunsAreTooFewToTellADifferenceFromNoise() throws {
        let comparison = try Comparison(try runs(a, losses: [0]) + runs(b, losses: [0, 0]))
        let warning = try #require(comparison.warnings.first { $0.contains("noise") })
        #expect(warning.contains("\(a) has 1 run, \(b) has 2 runs"))
        #expect(
            warning.contains("one run cannot tell a difference from noise: repeat with `turnload run --repeat 3 --target A --target B`"))
        let markdown = ComparisonReport.document(comparison).markdown
        #expect(markdown.contains("too few runs to tell a difference from noise"))
    }

    @Test func warnsWhenTheLoadOrMediaDiffer() throws {
        var other = try Fixtures.run(target: b, clients: 200)
        other.configuration.media.bitrate = 64_000
        other.environment.cores = 64
        let comparison = try Comparison(try runs(a, losses: [0, 0, 0]) + [Fixtures.loaded(other, name: "b")])
        let unfair = comparison.warnings.filter { $0.contains("not fair") }
        #expect(unfair.count == 3)
        #expect(unfair.contains { $0.hasPrefix("the runs differ in clients (\(a): 4; \(b): 200)") })
        #expect(unfair.contains { $0.contains("differ in media") && $0.contains("Opus 64 kbit/s") })
        #expect(unfair.contains { $0.contains("differ in cores") })
        #expect(!comparison.warnings.contains { $0.contains("differ in topology") })
    }

    @Test func warnsAboutPartialAndHarnessBoundRuns() throws {
        var interrupted = try Fixtures.run(target: b)
        interrupted.outcome.status = .interrupted
        interrupted.outcome.healthSummary.verdict = .saturated(reasons: ["x"])
        let comparison = try Comparison(try runs(a, losses: [0]) + [Fixtures.loaded(interrupted, name: "b-round1")])
        #expect(comparison.warnings.contains("b-round1 has partial results (interrupted)"))
        #expect(comparison.warnings.contains { $0.hasPrefix("b-round1: HARNESS SATURATED") })
    }

    @Test func theInProcessRelaysShapingMakesAnotherTarget() throws {
        var impaired = try Fixtures.run()
        impaired.configuration.relayImpairment = "loss=2%"
        let comparison = try Comparison([Fixtures.loaded(try Fixtures.run(), name: "plain"), Fixtures.loaded(impaired, name: "impaired")])
        #expect(comparison.groups.map(\.name) == ["in-process relay", "in-process relay (impair loss=2%)"])
    }

    @Test func comparesSaturationCapacitiesAndTheFiguresAtASharedLoad() throws {
        let first = try Fixtures.saturation(target: a)
        let second = try Fixtures.saturation(target: b, shift: 1, loads: [100, 200, 300, 400, 500, 600])
        let comparison = try Comparison(
            [
                LoadedResult(path: "/r/a/saturation.json", content: .saturation(first.0, steps: first.steps)),
                LoadedResult(path: "/r/b/saturation.json", content: .saturation(second.0, steps: second.steps)),
            ], minutesPerMonth: 1_000_000)
        #expect(comparison.kind == .saturations)
        #expect(comparison.sharedLoad == 500)
        #expect(comparison.rows.prefix(3).map(\.figure) == [.cleanCapacity, .cliff, .knee])
        #expect(comparison.rows[0].cells.map(\.mean) == [300, 400])
        #expect(comparison.rows[1].cells.map(\.mean) == [400, 500])
        #expect(comparison.warnings.contains { $0.hasPrefix("the saturation runs stepped through different loads") })
        let markdown = ComparisonReport.document(comparison).markdown
        #expect(markdown.contains("| clean capacity | 300 calls | 400 calls | +100 calls (+33.3%) | not tested |"))
        #expect(markdown.contains("at 500 calls, the highest load every saturation ran"))
        #expect(markdown.contains("## Cost for 1,000,000 minutes a month"))
        let html = ComparisonReport.document(comparison).html
        #expect(html.contains(">Loss against load</title>") && html.contains(">\(b)</text>"))
    }

    @Test func refusesToMixRunsAndSaturations() throws {
        let saturation = try Fixtures.saturation()
        #expect(throws: ComparisonError.self) {
            try Comparison(
                try runs(a, losses: [0]) + [LoadedResult(path: "/s/saturation.json", content: .saturation(saturation.0, steps: []))])
        }
    }

    @Test func runComparisonOverlaysTheTargetsCurvesAndPricesThem() throws {
        let comparison = try Comparison(try runs(a, losses: [0, 0]) + runs(b, losses: [1, 1]), minutesPerMonth: 2_000_000)
        let document = ComparisonReport.document(comparison)
        let html = document.html
        #expect(html.contains(">Packets per second</title>") && html.contains(">RTT distribution</title>"))
        #expect(html.contains(">\(a) received</text>") && html.contains(">\(b) received</text>"))
        let markdown = document.markdown
        #expect(markdown.contains("| figure | \(a) (2 runs) | \(b) (2 runs) | difference | verdict |"))
        #expect(markdown.contains("| GB from the relay per million minutes |"))
        #expect(markdown.contains("| hosted, $0.05/GB from-relay, 1,000 GB free, a month | $"))
        #expect(markdown.contains("worse than \(a) in loss"))
    }

    @Test func welchsTestMatchesTheTextbook() {
        // Welch's t ≈ 4.0 on about 5.5 degrees of freedom: apart at 95 %.
        #expect(WelchTest.differs([19.1, 20.3, 21.0, 19.8], [22.5, 21.4, 24.0, 23.1]) == true)
        #expect(WelchTest.differs([1, 2, 3], [1.5, 2.5, 3.5]) == false)
        #expect(WelchTest.differs([1], [5, 6]) == nil)
        #expect(WelchTest.differs([2, 2], [2, 2]) == false)
        #expect(WelchTest.differs([2, 2], [3, 3]) == true)
        #expect(abs(WelchTest.criticalT(1) - 12.706) < 1e-9)
        #expect(WelchTest.criticalT(2.5) < 4.303 && WelchTest.criticalT(2.5) > 3.182)
        #expect(abs(WelchTest.criticalT(1e12) - 1.96) < 0.001)
    }
}
