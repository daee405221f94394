import ArgumentParser
import Campaign
import Foundation
import Measurement
import Reporting

/// Thresholds and the CI gate, shared by `run`, `saturate` and `gate`.
struct GateOptions: ParsableArguments {
    @Option(
        name: .customLong("threshold"),
        help: ArgumentHelp(
            "A limit such as \"loss < 0.5%\", \"rtt-p99 < 150ms\"; repeat for several (default: loss < 0.5%, "
                + "jitter-p99 < 30ms, rtt-p99 < 150ms, allocation-success >= 99.9%, mos >= 4; saturate --axis allocations: "
                + "setup-failure < 1%, allocation-p99 < 500ms).", valueName: "EXPR"))
    var thresholdTexts: [String] = []

    @Option(help: ArgumentHelp("A result.json (or saturation.json) to hold this one against.", valueName: "RESULT"))
    var baseline: String?

    @Option(
        help: ArgumentHelp("How much worse than the baseline a figure may be: 10%. (default: 10%)", valueName: "PERCENT"),
        transform: OptionRange.share())
    var maxRegression = FractionArgument(argument: "10%")!

    func validate() throws {
        for text in thresholdTexts {
            do { _ = try Threshold(parsing: text) } catch { throw ValidationError("--threshold: \(error)") }
        }
    }

    var thresholds: [Threshold] { thresholds(else: Threshold.defaults) }

    /// The `--threshold`s given, or `defaults` when none was.
    func thresholds(else defaults: [Threshold]) -> [Threshold] {
        let given = thresholdTexts.compactMap { try? Threshold(parsing: $0) }
        return given.isEmpty ? defaults : given
    }

    var maxRegressionPercent: Double { maxRegression.fraction * 100 }

    /// The `--baseline` result, when given.
    func baselineResult() throws -> LoadedResult? {
        try baseline.map { try LoadedResult.argument($0, what: "--baseline") }
    }

    /// Prints the verdict, writes it as JUnit XML and Markdown, and gives its exit code (1 at
    /// least when a file cannot be written: CI would miss it).
    static func publish(_ report: GateReport, junit: String, summary: String) -> Int32 {
        print(report.markdown)
        var code = report.exitCode
        for (path, text) in [(junit, report.junitXML), (summary, report.markdown)] {
            do { try OutputFile.write(text, to: path) } catch {
                printError(error.description)
                code = max(code, ExitStatus.cannotWrite)
            }
        }
        return code
    }
}

extension LoadedResult {
    /// `single` for a command-line argument: a bad path is a usage error (exit 64).
    static func argument(_ path: String, what: String) throws -> LoadedResult {
        do { return try single(path, what: what) } catch { throw ValidationError(error.description) }
    }
}
