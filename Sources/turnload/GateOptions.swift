import ArgumentParser
import Foundation
import Measurement
import Reporting

/// Thresholds and the CI gate, shared by `run`, `saturate` and `gate`.
struct GateOptions: ParsableArguments {
    @Option(name: .customLong("threshold"),
            help: ArgumentHelp("A limit such as \"loss < 0.5%\", \"rtt-p99 < 150ms\"; repeat for several (default: loss < 0.5%, "
                + "jitter-p99 < 30ms, rtt-p99 < 150ms, allocation-success >= 99.9%, mos >= 4).", valueName: "EXPR"))
    var thresholdTexts: [String] = []

    @Option(help: ArgumentHelp("A result.json (or saturation.json) to hold this one against.", valueName: "RESULT"))
    var baseline: String?

    @Option(help: ArgumentHelp("How much worse than the baseline a figure may be: 10%.", valueName: "PERCENT"))
    var maxRegression = FractionArgument(argument: "10%")!

    func validate() throws {
        for text in thresholdTexts {
            do { _ = try Threshold(parsing: text) } catch { throw ValidationError("--threshold: \(error)") }
        }
    }

    var thresholds: [Threshold] {
        let given = thresholdTexts.compactMap { try? Threshold(parsing: $0) }
        return given.isEmpty ? Threshold.defaults : given
    }

    var maxRegressionPercent: Double { maxRegression.fraction * 100 }

    func baselineData() throws -> Data? {
        guard let baseline else { return nil }
        return try ResultFiles.read(baseline, kind: "--baseline")
    }

    /// Prints the verdict, writes it as JUnit XML and Markdown, and gives its exit code (1 at
    /// least when a file cannot be written: CI would miss it).
    static func publish(_ report: GateReport, junit: String, summary: String) -> Int32 {
        print(report.markdown)
        var code = report.exitCode
        for (path, text) in [(junit, report.junitXML), (summary, report.markdown)] {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
                printError("cannot write \(path): \(error.localizedDescription)")
                code = max(code, 1)
            }
        }
        return code
    }
}

/// Finds and reads result files: a `result.json` or `saturation.json`, or a folder holding one.
enum ResultFiles {
    static func read(_ path: String, kind: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(kind) \(path): no such file or folder")
        }
        var file = path
        if FileManager.default.isDirectory(path) {
            let candidates = [SaturationResult.fileName, "result.json"].map { "\(path)/\($0)" }
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw ValidationError("\(kind) \(path): the folder holds neither saturation.json nor result.json")
            }
            file = found
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(kind) \(file): cannot read it") }
        return data
    }

    /// A run or a saturation, whichever the file holds.
    static func decode(_ data: Data, path: String) throws -> Either {
        if let saturation = try? ResultWriter.decodeSaturation(data) { return .saturation(saturation) }
        do { return .run(try ResultWriter.decode(data)) } catch {
            throw ValidationError("\(path) is neither a turnload result.json nor a saturation.json (\(error))")
        }
    }

    enum Either {
        case run(RunResult)
        case saturation(SaturationResult)
    }
}
