import ArgumentParser
import Foundation
import Measurement
import Reporting
import Scenario

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Pass or fail a result against thresholds and a baseline, for CI.",
        discussion: """
            Holds a run's result.json to each --threshold (default: loss < 0.5%, jitter-p99 < \
            30ms, rtt-p99 < 150ms, allocation-success >= 99.9%, mos >= 4), and, with --baseline, \
            every headline figure to the baseline's: a figure more than --max-regression worse \
            (and beyond its noise floor) fails. A saturation.json is held to --min-capacity and \
            to the baseline's clean capacity, and its hold to the thresholds.

            Exit status: 0 pass, 1 a threshold or regression failed, 2 the run itself is invalid \
            (the harness was the bottleneck, or the run was interrupted), 64 bad arguments. \
            Writes junit.xml and gate.md (a Markdown summary for the CI job) beside the result, \
            or where --junit and --summary say, and prints the summary.

            Examples:
              turnload gate results/ci/result.json
              turnload gate results/ci --threshold "loss < 0.1%" --threshold "rtt-p99 < 50ms"
              turnload gate results/ci --thresholds scenarios/ci-gate.yaml
              turnload gate results/ci --baseline baseline/result.json --max-regression 10%
              turnload gate results/quarterly --min-capacity 2000
            """
    )

    @Argument(help: ArgumentHelp("A result.json or saturation.json, or the folder holding it.", valueName: "RESULT"))
    var result: String

    @OptionGroup var gate: GateOptions

    @Option(
        name: .customLong("thresholds"),
        help: ArgumentHelp(
            "Hold the result to the thresholds of this scenario (scenarios/*.yaml) instead of --threshold.",
            valueName: "FILE"))
    var scenario: String?

    @Option(
        help: ArgumentHelp("A saturation's clean capacity must reach this (the planned peak).", valueName: "CALLS"),
        transform: OptionRange.count(1...100_000))
    var minCapacity: Int?

    @Option(help: ArgumentHelp("Where to write the JUnit XML (default: junit.xml beside the result).", valueName: "FILE"))
    var junit: String?

    @Option(help: ArgumentHelp("Where to write the Markdown summary (default: gate.md beside the result).", valueName: "FILE"))
    var summary: String?

    func validate() throws {
        if scenario != nil, !gate.thresholdTexts.isEmpty { throw ValidationError("give --threshold or --thresholds FILE, not both") }
    }

    /// The scenario's thresholds (the defaults when it gives none), else `--threshold`'s.
    func thresholds() throws -> [Threshold] {
        guard let scenario else { return gate.thresholds }
        let thresholds = try Scenario.named(by: scenario).thresholds
        return thresholds.isEmpty ? Threshold.defaults : thresholds
    }

    func run() throws {
        let thresholds = try thresholds()
        let loaded = try LoadedResult.argument(result, what: "RESULT")
        let report: GateReport
        switch (loaded.content, try gate.baselineResult()?.content) {
        case let (.run(run), nil):
            report = Reporting.Gate.evaluate(run, thresholds: thresholds, maxRegressionPercent: gate.maxRegressionPercent)
        case let (.run(run), .run(before)?):
            report = Reporting.Gate.evaluate(run, thresholds: thresholds, baseline: before, maxRegressionPercent: gate.maxRegressionPercent)
        case let (.saturation(saturation, _), nil):
            report = Reporting.Gate.evaluate(saturation, thresholds: thresholds, minimumCapacity: minCapacity)
        case let (.saturation(saturation, _), .saturation(before, _)?):
            report = Reporting.Gate.evaluate(
                saturation, thresholds: thresholds, minimumCapacity: minCapacity, baseline: before,
                maxRegressionPercent: gate.maxRegressionPercent)
        default:
            throw ValidationError("--baseline must be the same kind of result as RESULT (both result.json or both saturation.json)")
        }
        let folder = URL(fileURLWithPath: loaded.path).deletingLastPathComponent().path
        let code = GateOptions.publish(report, junit: junit ?? "\(folder)/junit.xml", summary: summary ?? "\(folder)/gate.md")
        if code != 0 { throw ExitCode(code) }
    }
}
