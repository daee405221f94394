import Foundation
import Testing

@testable import Reporting

@Suite("reading results back")
struct LoadedResultTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-loaded-\(UUID().uuidString)")

    func write(_ result: RunResult, to folder: String) throws {
        try ResultWriter.write(result, to: root.appendingPathComponent(folder).path)
    }

    @Test func readsAFileAFolderOrAFolderOfFolders() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write(try Fixtures.run(target: "turn:a"), to: "ab/a-round1")
        try write(try Fixtures.run(target: "turn:b"), to: "ab/b-round1")
        try write(try Fixtures.run(target: "turn:a"), to: "ab/a-round2")
        let file = try LoadedResult.load(root.appendingPathComponent("ab/a-round1/result.json").path)
        #expect(file.map(\.target) == ["turn:a"] && file.map(\.name) == ["a-round1"])
        #expect(try LoadedResult.load(root.appendingPathComponent("ab/b-round1").path).map(\.target) == ["turn:b"])
        #expect(try LoadedResult.load(root.appendingPathComponent("ab").path).map(\.name) == ["a-round1", "a-round2", "b-round1"])
    }

    @Test func readsASaturationWithItsSteps() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let (saturation, steps) = try Fixtures.saturation()
        let folder = root.appendingPathComponent("sat")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ResultWriter.encoder(pretty: true).encode(saturation).write(to: folder.appendingPathComponent(SaturationResult.fileName))
        // One step's folder is missing: the others still load.
        for step in steps.dropLast() { try write(step, to: "sat/step-\(step.configuration.clients)") }
        let loaded = try #require(try LoadedResult.load(folder.path).first)
        guard case let .saturation(read, readSteps) = loaded.content else {
            Issue.record("not read as a saturation")
            return
        }
        #expect(read.finding == saturation.finding)
        #expect(readSteps.map(\.configuration.clients) == [100, 200, 300, 400])
    }

    @Test func saysWhatIsWrongWithAPath() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            ("missing", "does not exist"),
            ("empty", "holds no result.json or saturation.json"),
            ("bad/result.json", "is not a turnload result"),
            ("newer/result.json", "newer than this turnload reads"),
        ]
        try FileManager.default.createDirectory(at: root.appendingPathComponent("bad"), withIntermediateDirectories: true)
        try Data("{\"schemaVersion\": 1}".utf8).write(to: root.appendingPathComponent("bad/result.json"))
        var newer = try Fixtures.echoRun()
        newer.schemaVersion = 99
        try write(newer, to: "newer")
        for (path, problem) in cases {
            do {
                _ = try LoadedResult.load(root.appendingPathComponent(path).path)
                Issue.record("\(path) loaded")
            } catch {
                #expect(error.description.contains(problem), "\(error.description)")
                #expect(error.description.contains(path))
            }
        }
    }
    /// Found by fuzzing: counts that add up past the largest whole number (a histogram's
    /// buckets, loss bursts of one length twice, or their lost packets) trapped the loader.
    /// Such a file is refused with a message, as a negative count is.
    @Test(arguments: [
        (
            #""rtt":{"buckets":[[352768,1],[359936,1]"#,
            #""rtt":{"buckets":[[352768,18446744073709551615],[359936,2]"#, "histogram"
        ),
        (
            #""late":0,"lossBursts":[],"lost":0"#,
            #""late":0,"lossBursts":[{"length":1,"count":9223372036854775807},{"length":1,"count":9223372036854775807}],"lost":0"#,
            "loss bursts"
        ),
        (
            #""late":0,"lossBursts":[],"lost":0"#,
            #""late":0,"lossBursts":[{"length":3,"count":9223372036854775807}],"lost":0"#, "loss bursts"
        ),
    ])
    func countsPastIntegersAreNotAResult(original: String, edited: String, problem: String) throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let fixture = try #require(Bundle.module.url(forResource: "echo-run", withExtension: "json", subdirectory: "Fixtures"))
        let text = try String(contentsOf: fixture, encoding: .utf8)
        let range = try #require(text.range(of: original))
        let folder = root.appendingPathComponent("huge")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("result.json")
        try text.replacingCharacters(in: range, with: edited).write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try LoadedResult.load(file.path)
            Issue.record("a result with counts past Int.max loaded")
        } catch {
            #expect(error.description.contains("is not a turnload result"), "\(error.description)")
            #expect(error.description.contains(problem), "\(error.description)")
            #expect(error.description.contains("largest whole number"), "\(error.description)")
        }
    }
}
