import Foundation
import Reporting
import RunModel
import TestSupport
import Testing

/// `--watch-pid`: a relay's own resources sampled through a run against it.
@Suite("watching the relay's process", .serialized)
struct WatchPidTests {
    static let environment = ["TL_WATCH_PASSWORD": "watch-\(UUID().uuidString.prefix(8))"]

    /// 300 allocations held on a `turnload relay`: each holds a relayed socket, so the relay's
    /// descriptors grow by at least 300 and its memory with them.
    @Test func aRelayHoldingMoreAllocationsShowsItsGrowth() async throws {
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TL_WATCH_PASSWORD", "--user-quota", "1000"],
            environment: Self.environment)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--target", "turn:127.0.0.1:\(relay.port)", "--user", "alice", "--password-env", "TL_WATCH_PASSWORD",
                "--clients", "300", "--ramp", "150", "--duration", "4s", "--watch-pid", "\(relay.pid)",
                "--threshold", "rss-growth < 100000MB/h", "--out", folder.path,
            ], environment: Self.environment)
        let data = try #require(
            FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path), "\(outcome.errors)")
        let result = try ResultWriter.decode(data)
        #expect(result.outcome.clients.allocated == 300, "\(result.outcome.clients.failureExamples)")
        let watched = try #require(result.watched)
        #expect(watched.pid == Int(relay.pid))
        #expect(watched.command == "turnload")
        #expect(watched.lost == nil)
        #expect(watched.samples.first?.second == 0 && watched.samples.first?.cpuPercent == nil)
        #expect(watched.samples.count >= 6, "\(watched.samples)")
        let first = try #require(watched.samples.first)
        #expect(watched.samples.map(\.openFiles).max()! - first.openFiles >= 300, "\(watched.samples)")
        #expect(watched.samples.map(\.residentBytes).max()! > first.residentBytes)
        #expect(watched.samples.compactMap(\.cpuPercent).max()! > 0)
        #expect(watched.residentGrowthBytesPerHour != nil)
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("## Watched process"))
        #expect(report.contains("memory growth"), "\(report)")
    }

    @Test func aProcessThatIsNotThereIsRefusedBeforeTheLoad() async throws {
        let outcome = try await TurnloadBinary().run(["run", "--clients", "2", "--duration", "1s", "--watch-pid", "4194303"])
        #expect(outcome.status == 64, "\(outcome.errors)")
        #expect(outcome.errors.contains("--watch-pid 4194303: no process 4194303 that this user may read"), "\(outcome.errors)")
        #expect(!outcome.errors.contains("allocated"))
    }
}
