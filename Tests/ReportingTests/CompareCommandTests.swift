import Foundation
import TestSupport
import Testing

@testable import Reporting

/// `turnload compare` as a user runs it: results written by `run`, the table on standard
/// output, the files in `--out`, and clear refusals of bad input.
@Suite("turnload compare")
struct CompareCommandTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-compare-\(UUID().uuidString)")

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    @Test func printsTheTableAndWritesBothFiles() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        for (index, loss) in [0.0, 0.05, 0.1, 2, 2.1, 2.2].enumerated() {
            let target = index < 3 ? "turn:a.example.com" : "turn:b.example.com"
            try ResultWriter.write(
                try Fixtures.run(loss: loss, target: target), to: path("ab/\(index < 3 ? "a" : "b")-round\(index % 3 + 1)"))
        }
        let outcome = try await TurnloadBinary().run(["compare", path("ab"), "--out", path("out"), "--minutes-per-month", "2000000"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(outcome.output.contains("| figure | turn:a.example.com (3 runs) | turn:b.example.com (3 runs) | difference | verdict |"))
        #expect(outcome.output.contains("| loss |") && outcome.output.contains("| worse |"))
        #expect(outcome.output.contains("## Cost for 2,000,000 minutes a month"))
        #expect(!outcome.output.contains("cannot tell a difference from noise"))
        let html = try String(contentsOfFile: path("out/compare.html"), encoding: .utf8)
        #expect(html.contains("<svg class=\"chart\""))
        #expect(
            try String(contentsOfFile: path("out/compare.md"), encoding: .utf8).hasPrefix(
                "# turnload compare: turn:a.example.com vs turn:b.example.com"))
    }

    @Test func refusesWhatItCannotCompare() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try ResultWriter.write(try Fixtures.echoRun(), to: path("one"))
        let (saturation, _) = try Fixtures.saturation()
        try FileManager.default.createDirectory(atPath: path("sat"), withIntermediateDirectories: true)
        try ResultWriter.encoder(pretty: true).encode(saturation).write(to: root.appendingPathComponent("sat/saturation.json"))
        let cases: [([String], String)] = [
            ([path("missing"), path("one")], "missing does not exist"),
            ([path("one")], "is the only result: give at least two to compare"),
            ([path("one"), path("sat")], "compare runs with runs and saturations with saturations"),
            ([path("one"), path("one"), "--minutes-per-month", "0"], "'--minutes-per-month <N>': give a number from 1 to"),
        ]
        for (arguments, message) in cases {
            let outcome = try await TurnloadBinary().run(["compare"] + arguments + ["--out", path("out")])
            #expect(outcome.status == 64, "\(arguments): \(outcome.errors)")
            #expect(outcome.errors.contains(message), "\(arguments): \(outcome.errors)")
            #expect(!outcome.errors.contains("Fatal error"))
        }
        #expect(!FileManager.default.fileExists(atPath: path("out")))
    }
}
