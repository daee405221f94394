import Foundation
import Measurement
import TestSupport
import Testing

@testable import Reporting

/// The HTML reports opened in headless Chromium, as a person would open them: each page must
/// draw every plot (its SVG has a size) without a script error. The pages mark their body
/// themselves (`data-rendered`, `data-script-error`); `--dump-dom` shows the marks.
@Suite("rendering in Chromium")
struct ChromiumRenderTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// CI must render the reports: there a missing Chromium fails the test instead of skipping it.
    static let required = ProcessInfo.processInfo.environment["CI"] != nil

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-render-\(UUID().uuidString)")

    @Test(.enabled(if: chromium != nil || required, "chromium is not installed (make test installs it)"))
    func reportsRenderEveryPlotWithoutScriptErrors() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Fixtures.run(loss: 0.4)
        try ReportWriter.writeRun(result, checks: Threshold.defaults.map { $0.check(LoadFigures(result)) }, to: path("run"))
        let (saturation, steps) = try Fixtures.saturation()
        try ReportWriter.writeSaturation(saturation, stepResults: steps, to: path("saturation"))
        let runs = try [0.0, 0.1, 1, 1.2].enumerated().map { index, loss in
            Fixtures.loaded(try Fixtures.run(loss: loss, target: index < 2 ? "turn:a" : "turn:b"), name: "round\(index)")
        }
        try ReportWriter.writeComparison(try Comparison(runs, minutesPerMonth: 1_000_000), to: path("compare"))

        for (page, charts) in [("run/report.html", 10), ("saturation/report.html", 7), ("compare/compare.html", 8)] {
            let dom = try await dumpDOM(page)
            // Only the body's own attributes: the script that sets them names them too.
            #expect(body(dom) == "<body data-rendered=\"ok\">", "\(page) did not render cleanly")
            let svgs = dom.components(separatedBy: "<svg class=\"chart\"").dropFirst()
            #expect(svgs.count == charts, "\(page) has \(svgs.count) plots")
            for svg in svgs { #expect(svg.contains("<path class=\"series\" d=\"M"), "\(page) has a plot without data") }
        }
    }

    /// The marks the test reads can fail: a script error and a plot without size both show.
    @Test(.enabled(if: chromium != nil || required, "chromium is not installed (make test installs it)"))
    func theMarksCatchBrokenPages() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try ReportWriter.writeRun(try Fixtures.echoRun(), to: path("run"))
        let page = try String(contentsOfFile: path("run/report.html"), encoding: .utf8)
        try Data(page.replacingOccurrences(of: "</body>", with: "<script>notAFunction()</script></body>").utf8).write(
            to: folder.appendingPathComponent("error.html"))
        try Data(page.replacingOccurrences(of: "svg.chart{display:block;", with: "svg.chart{display:none;").utf8)
            .write(to: folder.appendingPathComponent("hidden.html"))
        #expect(body(try await dumpDOM("error.html")).contains("data-script-error=\"1\""))
        #expect(body(try await dumpDOM("hidden.html")) == "<body data-rendered=\"failed\">")
    }

    /// The opening tag of the page's body.
    func body(_ dom: String) -> String {
        guard let start = dom.range(of: "<body") else { return "" }
        return String(dom[start.lowerBound...].prefix { $0 != ">" }) + ">"
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func dumpDOM(_ page: String) async throws -> String {
        let chromium = try #require(Self.chromium, "chromium is missing: apt-get install chromium (make test does)")
        let outcome = try await TestProcess.run(
            URL(fileURLWithPath: chromium),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(path("profile"))", "--dump-dom",
                folder.appendingPathComponent(page).absoluteString,
            ], limit: .seconds(60))
        try #require(outcome.status == 0, "chromium failed: \(outcome.errors.suffix(500))")
        return outcome.output
    }
}
