import Foundation
import Reporting
import RunModel
import TestSupport
import Testing

/// `--watch-metrics`: the relay's own Prometheus series scraped through a run against it.
@Suite("scraping the relay's metrics", .serialized)
struct WatchMetricsTests {
    static let environment = ["TL_SCRAPE_PASSWORD": "scrape-\(UUID().uuidString.prefix(8))"]

    @Test func theRelaysAllocationsAreScrapedEachSecond() async throws {
        let metricsPort = try LoopbackAddress.freePort()
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TL_SCRAPE_PASSWORD", "--metrics", "127.0.0.1:\(metricsPort)"],
            environment: Self.environment)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-scrape-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--target", "turn:127.0.0.1:\(relay.port)", "--user", "alice", "--password-env", "TL_SCRAPE_PASSWORD",
                "--clients", "40", "--ramp", "80", "--duration", "3s", "--out", folder.path,
                "--watch-metrics", "http://127.0.0.1:\(metricsPort)/metrics", "--watch-series", "^turnload_relay_(allocations|packets)",
            ], environment: Self.environment)
        let data = try #require(
            FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path), "\(outcome.errors)")
        let scraped = try #require(try ResultWriter.decode(data).scraped)
        #expect(scraped.failedScrapes == 0, "\(scraped.lastFailure ?? "")")
        #expect(Set(scraped.series.map(\.name)) == ["turnload_relay_allocations", "turnload_relay_packets_total"])
        let allocations = try #require(scraped.series.first { $0.name == "turnload_relay_allocations" })
        #expect(allocations.points.count >= 4, "\(allocations)")
        // The relay counts its allocations as it updates its metrics, once a second.
        #expect(allocations.points.map(\.value).max() == 40, "\(allocations)")
        let relayed = scraped.series.filter { $0.name == "turnload_relay_packets_total" }
        #expect(relayed.count == 2 && relayed.allSatisfy { ($0.points.last?.value ?? 0) > 1000 }, "\(relayed)")
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("## Scraped metrics"))
    }

    @Test func anEndpointThatDoesNotAnswerIsRefusedBeforeTheLoad() async throws {
        let closed = try LoopbackAddress.freePort()
        let outcome = try await TurnloadBinary().run(
            ["run", "--clients", "2", "--duration", "1s", "--watch-metrics", "http://127.0.0.1:\(closed)/metrics"])
        #expect(outcome.status == 64, "\(outcome.errors)")
        #expect(outcome.errors.contains("--watch-metrics http://127.0.0.1:\(closed)/metrics: cannot scrape it"), "\(outcome.errors)")
        let notHTTP = try await TurnloadBinary().run(["run", "--clients", "2", "--watch-metrics", "https://relay.example.com/metrics"])
        #expect(notHTTP.status == 64)
        #expect(notHTTP.errors.contains("is not a plain-HTTP URL"), "\(notHTTP.errors)")
    }
}
