import Foundation
import Measurement
import RunModel
import Testing

@testable import Reporting

@Suite("reports")
struct ReportTests {
    @Test func runReportShowsTheFiguresTheirThresholdsAndThePlots() throws {
        let result = try Fixtures.run(loss: 1)
        let figures = LoadFigures(result)
        let checks = Threshold.defaults.map { $0.check(figures) }
        let document = RunReport.document(result, checks: checks)
        let markdown = document.markdown
        #expect(markdown.hasPrefix("# turnload run: in-process relay\n"))
        #expect(markdown.contains("complete"))
        #expect(markdown.contains("1 of 5 thresholds broken: loss < 0.5%"))
        #expect(markdown.contains("| loss | \(Metric.loss.format(figures.lossPercent)) | < 0.5% | ✗ |"))
        #expect(markdown.contains("| mean MOS | \(Metric.mos.format(figures.meanMOS)) | >= 4 | ✓ |"))
        #expect(markdown.contains("| figure | client → peer | peer → client |"))
        #expect(markdown.contains("|---|---:|---:|"))
        #expect(markdown.contains("| round trip |"))
        #expect(!markdown.contains("HARNESS SATURATED") && !markdown.contains("Partial results"))
        #expect(document.tone == .fail)

        let html = document.html
        #expect(html.contains("<header class=\"fail\">"))
        #expect(html.contains("<td class=\"fail\">✗</td>") && html.contains("<td class=\"pass\">✓</td>"))
        for title in [
            "Packets per second", "Loss per second, end to end", "One-way delay per second", "RTT per second", "Jitter per second",
            "Active clients", "One-way delay distribution", "RTT distribution", "MOS of each call", "Loss of each call",
        ] {
            #expect(html.contains("<title id=\"chart-") && html.contains(">\(title)</title>"), "missing plot \(title)")
        }
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 10)
        // The run's 4 seconds drawn per second: every per-second plot has its line.
        #expect(html.components(separatedBy: "<path class=\"series\" d=\"M").count - 1 >= 10)
    }

    @Test func runReportWarnsWhenItsFiguresAreTheHarnesssOrPartial() throws {
        var result = try Fixtures.echoRun()
        result.outcome.healthSummary.verdict = .saturated(reasons: ["send lateness p99 9 ms exceeds 5 ms"])
        result.outcome.status = .interrupted
        let document = RunReport.document(result)
        #expect(document.tone == .fail)
        let markdown = document.markdown
        #expect(
            markdown.contains(
                "> **HARNESS SATURATED: these figures measure turnload, not the endpoint**\n> - send lateness p99 9 ms exceeds 5 ms"))
        #expect(markdown.contains("Partial results: the run was interrupted"))
        #expect(document.html.contains("<div class=\"alert fail\" role=\"alert\"><strong>HARNESS SATURATED"))

        result.outcome.healthSummary.verdict = .healthy
        result.outcome.status = .complete
        #expect(RunReport.document(result).tone == .pass)
    }

    /// A soak's refreshes are counted in the summary and the report; a lapse is said with the
    /// endpoint-failed status it explains.
    @Test func refreshesAndALapseAreReported() throws {
        var result = try Fixtures.echoRun()
        var refreshes = RefreshFigures()
        refreshes.allocation = 8
        refreshes.permission = 12
        refreshes.channel = 6
        refreshes.credentialRenewals = 3
        refreshes.failures = ["timeout": 2]
        refreshes.failureExamples = ["timeout": "permission refresh: no answer"]
        refreshes.lapse = "the calls went silent about 8 s after the first channel was bound"
        result.outcome.clients.refreshes = refreshes
        result.outcome.status = .endpointFailed
        let counted = "refreshes: 8 allocation, 12 permission, 6 channel, 3 credential renewals"
        let summary = RunSummary.render(result, folder: "results/x")
        for line in [counted, "2 refreshes failed: permission refresh: no answer", refreshes.lapse!] {
            #expect(summary.contains(line), "\(summary)")
        }
        let markdown = RunReport.document(result).markdown
        #expect(markdown.contains(counted), "\(markdown)")
        #expect(markdown.contains("> - " + refreshes.lapse!), "\(markdown)")
    }

    @Test func runReportProjectsTheCost() throws {
        let result = try Fixtures.echoRun()
        let cost = CostProjection(
            volume: TrafficVolume(result), options: PriceOption.defaults, minutesPerMonth: 1_000_000, cleanCapacity: 600)
        let markdown = RunReport.document(result, cost: cost).markdown
        #expect(markdown.contains("## Cost projection"))
        #expect(markdown.contains("per million call-minutes"))
        #expect(markdown.contains("| hosted, $0.05/GB from-relay, 1,000 GB free | $"))
        #expect(markdown.contains("| self-hosted, $0.096/h instances + $0.09/GB egress | $"))
        #expect(markdown.contains("1 instance(s) of 600 calls"))
        #expect(markdown.contains("cost the same at") || markdown.contains("do not break even"))
    }

    /// On the allocations axis the loads are rates: the facts, finding and steps say
    /// allocations a second, each step its allocation latency and setup failures, and the
    /// setups are plotted first.
    @Test func allocationsAxisReportSaysRates() throws {
        let (fixture, _) = try Fixtures.saturation()
        var saturation = fixture
        saturation.axis = .allocations
        saturation.thresholds = SaturationAxis.allocations.defaultThresholds
        for index in saturation.steps.indices {
            saturation.steps[index].clients /= 10
            saturation.steps[index].allocationsPerSecond = saturation.steps[index].clients
            saturation.steps[index].figures.allocationP50Milliseconds = 2
            saturation.steps[index].figures.allocationP99Milliseconds = 7.5
            saturation.steps[index].figures.setupFailurePercent = index < 3 ? 0 : 12.5
        }
        saturation.finding = CliffFinder.find(
            saturation.steps.map(\.figures), thresholds: saturation.thresholds, loads: saturation.steps.map(\.clients))
        let document = SaturationReport.document(saturation)
        let markdown = document.markdown
        #expect(markdown.contains("5 steps from 10 to 50 allocations/s"))
        #expect(markdown.contains("**Clean capacity: 30 allocations/s**"))
        #expect(markdown.contains("**Cliff at 40 allocations/s**: setup failure 12.5% (was 0%), limit < 1%"))
        #expect(markdown.contains("| allocations/s | status | allocation p50 / p99 | setup failure |"))
        #expect(markdown.contains("| 40 | complete | 2 ms / 7.5 ms | 12.5% |"), "\(markdown)")
        #expect(document.html.contains(">Setup failures against load</title>"))
    }

    @Test func saturationReportMarksCapacityAndCliffOnEveryPlot() throws {
        let (saturation, steps) = try Fixtures.saturation()
        #expect(saturation.finding.cleanCapacity == 300 && saturation.finding.cliff?.clients == 400)
        let document = SaturationReport.document(saturation, stepResults: steps)
        let markdown = document.markdown
        #expect(markdown.contains(saturation.headline))
        #expect(markdown.contains("**Clean capacity: 300 calls**"))
        #expect(markdown.contains("**Cliff at 400 calls**: loss 3.5% (was 0.01%), limit < 0.5%"))
        #expect(markdown.contains("| calls | status | allocation p50 / p99 | setup failure | loss |"))
        #expect(markdown.contains("loss < 0.5% |"))
        let stepRows = markdown.split(separator: "\n").filter { $0.hasPrefix("| 300 |") || $0.hasPrefix("| 400 |") }
        #expect(stepRows.count == 2)
        #expect(stepRows.first?.hasSuffix("| ✓ | ✓ | ✓ | ✓ | ✓ |") == true)
        #expect(stepRows.last?.contains("✗") == true)

        let html = document.html
        for title in [
            "Loss against load", "Jitter p99 against load", "RTT p99 against load", "Throughput against load", "MOS against load",
        ] {
            #expect(html.contains(">\(title)</title>"))
        }
        #expect(html.components(separatedBy: ">clean capacity 300</text>").count - 1 == 5)
        #expect(html.components(separatedBy: ">cliff 400</text>").count - 1 == 5)
        #expect(html.contains(">knee 400</text>"))
        #expect(html.contains(">limit: loss &lt; 0.5%</text>") && html.contains(">limit: mos &gt;= 4</text>"))
        // With the steps' results, their distributions are drawn one curve a step.
        #expect(html.contains(">500 calls</text>"))
    }

    @Test func saturationReportSaysWhenTheHarnessWasTheLimit() throws {
        var (saturation, _) = try Fixtures.saturation()
        saturation.finding = SaturationFinding(
            cleanCapacity: 200, cliff: nil, knee: 300, harnessBoundAt: 300,
            harnessReasons: ["CPU use 0.95 of 1 cores (95%) exceeds 90% of the cores available"])
        saturation.status = .interrupted
        let document = SaturationReport.document(saturation)
        let markdown = document.markdown
        #expect(markdown.contains("HARNESS SATURATED at 300 calls"))
        #expect(markdown.contains("CPU use 0.95"))
        #expect(markdown.contains("**Harness-bound at 300 calls**, not a cliff"))
        #expect(markdown.contains("Partial results: stepping was cut short (interrupted)"))
        #expect(!markdown.contains("Distributions by step"))
        #expect(document.tone == .fail)
    }

    @Test func saturationReportShowsTheHold() throws {
        var (saturation, _) = try Fixtures.saturation()
        let held = saturation.steps[1]
        saturation.hold = SaturationHold(
            clients: 240, targetBytes: 90e9, bytes: 91.2e9, folder: "hold", status: .complete,
            figures: held.figures, checks: held.checks)
        let markdown = SaturationReport.document(saturation).markdown
        #expect(markdown.contains("## Hold at 240 calls"))
        #expect(markdown.contains("91.2 GB of the 90 GB asked for"))
    }

    @Test func targetsCannotBreakTheMarkup() throws {
        let result = try Fixtures.run(target: "turn:<b>evil</b>|x")
        let document = RunReport.document(result)
        #expect(!document.html.contains("<b>evil"))
        #expect(document.html.contains("turn:&lt;b&gt;evil&lt;/b&gt;|x"))
        let comparison = try Comparison([Fixtures.loaded(result, name: "a"), Fixtures.loaded(try Fixtures.run(), name: "b")])
        #expect(ComparisonReport.document(comparison).markdown.contains("| figure | turn:<b>evil</b>\\|x (1 run) |"))
    }

    @Test func writerPutsBothFilesInTheFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-report-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ReportWriter.writeRun(try Fixtures.echoRun(), to: folder)
        let markdown = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(markdown.hasPrefix("# turnload run"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Self-contained: nothing is fetched.
        for reference in ["<link", "src=", "href=", "@import", "url(", "http://", "https://"] {
            #expect(!html.contains(reference), "the page refers to \(reference)")
        }
    }
}
