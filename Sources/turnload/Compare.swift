import ArgumentParser
import Foundation
import Measurement
import Reporting

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set runs or saturations side by side: every headline figure, its difference, and the cost.",
        discussion: """
            Each PATH is a result.json or saturation.json, the folder holding one, or a folder \
            whose subfolders hold one each (the --out of a run with several targets or \
            --repeat). Results are grouped by target; a group with several runs shows their \
            mean, and every other group its difference to the first. A difference is called \
            better or worse only when both groups have at least 2 runs, Welch's t-test puts the \
            means apart at 95 %, and it exceeds the figure's noise floor. turnload warns when \
            the runs differ in load, media or machine, and when a group has fewer than 3 runs.

            Prints the table as Markdown and writes compare.md and compare.html (curves overlaid, \
            self-contained) to --out, by default results/<time>-compare/. The cost is projected \
            from the measured wire bytes for --minutes-per-month under --pricing's table, by \
            default two options: hosted ($0.05/GB from the relay, 1,000 GB free) and \
            self-hosted ($0.096/h instances sized by the clean capacity, plus $0.09/GB egress).

            Examples:
              turnload run --repeat 3 --target turn:a.example.com \\
                  --target turn:b.example.com --secret-env TURN_SECRET --out results/ab
              turnload compare results/ab
              turnload compare results/coturn/result.json results/relay/result.json
              turnload compare results/sat-a results/sat-b --minutes-per-month 5000000
            """
    )

    @Argument(help: ArgumentHelp("result.json or saturation.json files, or folders holding them.", valueName: "PATH"))
    var paths: [String]

    @Option(help: ArgumentHelp("Folder for compare.md and compare.html (default results/<time>-compare).", valueName: "DIR"))
    var out: String?

    @OptionGroup var cost: CostOptions

    func validate() throws {
        guard !paths.isEmpty else {
            throw ValidationError("give the results to compare: result.json or saturation.json files, or their folders")
        }
    }

    func run() throws {
        let results: [LoadedResult]
        let comparison: Comparison
        do {
            results = try paths.flatMap { path throws(ResultFileError) in try LoadedResult.load(path) }
            guard results.count > 1 else {
                throw ValidationError("\(results[0].path) is the only result: give at least two to compare")
            }
            comparison = try Comparison(results, prices: try cost.prices(), minutesPerMonth: cost.minutesPerMonth)
        } catch let error as ResultFileError {
            throw ValidationError(error.description)
        } catch let error as ComparisonError {
            throw ValidationError(error.description)
        }
        let folder = out ?? "results/\(ResultWriter.timestamp(Date()))-compare"
        let markdown: String
        do { markdown = try ReportWriter.writeComparison(comparison, to: folder) } catch { throw error.reported() }
        print(markdown, terminator: "")
        print("\nWritten: \(folder)/compare.md, \(folder)/compare.html")
    }
}
