import Foundation
import Measurement
import Reporting
import RunModel
import TestSupport
import Testing

/// A load larger than one machine, on one: three `turnload run --shard I/3` processes with one
/// `--start-at` through one `turnload relay`, then `turnload merge`.
@Suite("Sharded runs", .serialized)
struct ShardedRunTests {
    static let password = "shard-secret-\(UUID().uuidString.prefix(8))"
    static let environment = ["TL_SHARD_PASSWORD": password]
    static let inAnHour = String(Int(Date().timeIntervalSince1970) + 3600)
    /// A file that is surely there and surely not a result.
    static let readme = TurnloadBinary.packageRoot.appendingPathComponent("README.md").path

    @Test func threeShardsMergeIntoTheSumOfTheirParts() async throws {
        let binary = try TurnloadBinary()
        let port = try LoopbackAddress.freePort()
        let relay = try RunningProcess(
            binary.url,
            [
                "relay", "--listen", "127.0.0.1:\(port)", "--user", "alice",
                "--password-env", "TL_SHARD_PASSWORD", "--allow-loopback-peers",
            ],
            environment: Self.environment)
        try await relay.waitForErrors(containing: "relay listening on")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-shards-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 4).rounded(.up))
        let startText = ISO8601DateFormatter().string(from: start)
        let shardFolders = (1...3).map { folder.appendingPathComponent("shard-\($0)").path }

        let outcomes = try await withThrowingTaskGroup(of: (Int, TestProcess.Outcome).self) { group in
            for index in 1...3 {
                group.addTask {
                    (
                        index,
                        try await binary.run(
                            [
                                "run", "--target", "turn:127.0.0.1:\(port)", "--user", "alice", "--password-env", "TL_SHARD_PASSWORD",
                                "--clients", "30", "--group", "heavy:6:bitrate=64k", "--duration", "3s", "--drain", "1s", "--shard",
                                "\(index)/3",
                                "--start-at", startText,
                                "--out", shardFolders[index - 1],
                            ],
                            environment: Self.environment, limit: .seconds(60))
                    )
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (index, outcome) in outcomes {
            #expect(outcome.status == 0, "shard \(index): \(outcome.errors)")
            let groups = index == 1 ? "heavy 6, others 4" : "others 10"
            #expect(outcome.errors.contains("shard \(index)/3, 10 of 30 clients (\(groups))"), "\(outcome.errors)")
        }
        let merging = try await binary.run(["merge"] + shardFolders + ["--out", folder.appendingPathComponent("merged").path])
        #expect(merging.status == 0, "\(merging.errors)")
        relay.interrupt()

        let parts = try shardFolders.map { try Self.result(in: $0) }
        let merged = try Self.result(in: folder.appendingPathComponent("merged").path)
        for (index, part) in parts.enumerated() {
            #expect(part.shard?.description == "\(index + 1)/3" && part.scheduledStart == start)
            #expect(part.configuration.clients == 30 && part.outcome.clients.requested == 10)
            // No shard opened a client before the agreed start.
            #expect(part.startedAt >= start)
        }
        let outcome = merged.outcome
        func sum(_ figure: (LoadOutcome) -> Int) -> Int { parts.map { figure($0.outcome) }.reduce(0, +) }
        #expect(outcome.clients.requested == 30 && outcome.clients.allocated == sum(\.clients.allocated))
        #expect(outcome.clients.allocated == 30)
        #expect(outcome.clients.allocationLatency.count == sum(\.clients.allocationLatency.count))
        let directions: [(LoadOutcome) -> DirectionMetrics?] = [{ $0.towardPeer }, { $0.towardClient }]
        for direction in directions {
            let whole = try #require(direction(outcome))
            let shares = parts.compactMap { direction($0.outcome) }
            func sum(_ figure: (DirectionMetrics) -> Int) -> Int { shares.map(figure).reduce(0, +) }
            #expect(shares.count == 3 && whole.sent > 30 * 50 * 3 / 2)
            #expect(whole.sent == sum(\.sent) && whole.expected == sum(\.expected))
            #expect(whole.received == sum(\.received) && whole.lost == sum(\.lost))
            #expect(whole.wireBytesReceived == sum(\.wireBytesReceived))
            #expect(whole.oneWayDelay.count == sum(\.oneWayDelay.count) && whole.jitter.count == sum(\.jitter.count))
        }
        #expect(outcome.rtt?.count == sum { $0.rtt?.count ?? 0 })
        #expect(outcome.calls.map(\.client) == Array(0..<30))
        // A group among the first shard's clients only runs there, and merges group by group.
        #expect(parts.map { $0.outcome.byGroup?.map(\.key) ?? [] } == [["heavy", "others"], ["others"], ["others"]])
        let groups = try #require(outcome.byGroup)
        #expect(groups.map(\.key) == ["heavy", "others"] && groups.map(\.clients.allocated) == [6, 24])
        #expect(groups[1].towardPeer.sent == sum { $0.byGroup?.last?.towardPeer.sent ?? 0 })
        #expect(outcome.calls.filter { $0.part == "heavy" }.map(\.client) == Array(0..<6))

        // Every client once, each with its own SSRC, whichever process ran it.
        let calls = parts.flatMap(\.outcome.calls)
        #expect(calls.map(\.client).sorted() == Array(0..<30))
        #expect(Set(calls.map(\.ssrc)).count == 30)

        // Each second's row is the sum of the shards' rows measured in that second.
        let record = try #require(merged.parts)
        #expect(record.map(\.shard.index) == [1, 2, 3])
        for row in outcome.series {
            let measured = zip(parts, record).compactMap { part, place in
                part.outcome.series.first { $0.second + place.seriesOffsetSeconds == row.second }
            }
            #expect(row.sent == measured.map(\.sent).reduce(0, +))
            #expect(row.received == measured.map(\.received).reduce(0, +))
            #expect(row.activeClients == measured.map(\.activeClients).reduce(0, +))
            #expect(try Distribution(row.rtt).count == measured.map { try Distribution($0.rtt).count }.reduce(0, +))
        }
        #expect(outcome.series.map(\.sent).reduce(0, +) == sum { $0.series.map(\.sent).reduce(0, +) })

        let csv = try String(contentsOf: folder.appendingPathComponent("merged/timeseries.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == outcome.series.count + 1)
        #expect(merging.output.contains("shard 3/3 on"))
        let json = try String(contentsOf: folder.appendingPathComponent("merged/result.json"), encoding: .utf8)
        for text in [json, merging.output] + outcomes.values.flatMap({ [$0.output, $0.errors] }) {
            #expect(!text.contains(Self.password))
        }

        // Only every shard, once.
        let missing = try await binary.run(["merge", shardFolders[0], shardFolders[1]])
        #expect(missing.status == 64 && missing.errors.contains("shard 3/3 missing"), "\(missing.errors)")
        let twice = try await binary.run(["merge"] + shardFolders + [shardFolders[0]])
        #expect(
            twice.status == 64 && twice.errors.contains("shard 1/3 is there twice (\(shardFolders[0]), \(shardFolders[0]))"),
            "\(twice.errors)")
    }

    @Test(arguments: [
        (["--shard", "0/3"], "0/3 is out of range"),
        (["--shard", "4/3"], "4/3 is out of range"),
        (["--shard", "1/0"], "1/0 has no shards"),
        (["--shard", "abc"], "abc is not I/N"),
        (["--shard", "2/3", "--clients", "2"], "--shard 2/3 leaves shards without clients"),
        (["--shard", "2/3", "--topology", "pair", "--clients", "4"], "--clients 4 makes 2 calls for 3 shards"),
        (["--start-at", "soon"], "soon is not a time"),
        (["--start-at", "2026-13-45T00:00:00Z"], "is not a time"),
        (["--start-at", "2099-01-01T00:00:00Z"], "--start-at 2099-01-01T00:00:00Z is more than 24 h ahead"),
        (["--start-at", inAnHour, "--repeat", "2"], "not --repeat"),
        (["--start-at", inAnHour, "--target", "turn:127.0.0.1:3479"], "give one --target"),
    ])
    func badShardsAndStartsAreExplained(_ arguments: [String], _ message: String) async throws {
        let outcome = try await TurnloadBinary().run(
            ["run", "--target", "turn:127.0.0.1:3478", "--user", "alice", "--password-env", "TL_SHARD_PASSWORD"] + arguments,
            environment: Self.environment, limit: .seconds(20))
        #expect(outcome.status == 64)
        #expect(outcome.errors.contains(message), "\(outcome.errors)")
    }

    @Test func shardsNeedATarget() async throws {
        let outcome = try await TurnloadBinary().run(["run", "--shard", "1/2"], limit: .seconds(20))
        #expect(outcome.status == 64 && outcome.errors.contains("give it --target"), "\(outcome.errors)")
    }

    @Test(arguments: [
        ([String](), "give the result of every shard"),
        (["/nonexistent/result.json"], "cannot read /nonexistent/result.json"),
        ([readme], "\(readme) is not a turnload result.json"),
    ])
    func badMergesAreExplained(_ arguments: [String], _ message: String) async throws {
        let outcome = try await TurnloadBinary().run(["merge"] + arguments, limit: .seconds(20))
        #expect(outcome.status == 64)
        #expect(outcome.errors.contains(message), "\(outcome.errors)")
        #expect(!outcome.errors.contains("Fatal error"))
    }

    /// A start already past: a warning, and the run goes ahead at once.
    @Test func aPastStartRunsAtOnceWithAWarning() async throws {
        let run = try await LoadRun.start(["--clients", "4", "--duration", "1s", "--drain", "500ms", "--start-at", "1000"])
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        #expect(run.outcome.errors.contains("--start-at 1970-01-01T00:16:40Z has passed: starting now"), "\(run.outcome.errors)")
        #expect(run.result?.scheduledStart == Date(timeIntervalSince1970: 1000))
        #expect(run.result?.shard == nil)
    }

    /// Ctrl-C while waiting for the start: exit 130 at once, no client opened, no result.
    @Test func ctrlCWhileWaitingStopsCleanly() async throws {
        let start = Int(Date().timeIntervalSince1970) + 600
        let run = try await LoadRun.start(["--clients", "4", "--start-at", "\(start)"], interruptAfter: .seconds(2))
        #expect(run.outcome.status == 130, "\(run.outcome.errors)")
        #expect(run.outcome.errors.contains("(--start-at), in "), "\(run.outcome.errors)")
        #expect(run.outcome.errors.contains("interrupted before --start-at: no client was opened"))
        #expect(run.result == nil)
    }
}

extension ShardedRunTests {
    static func result(in folder: String) throws -> RunResult {
        let data = try #require(FileManager.default.contents(atPath: "\(folder)/result.json"), "no result in \(folder)")
        return try ResultWriter.decode(data)
    }
}
