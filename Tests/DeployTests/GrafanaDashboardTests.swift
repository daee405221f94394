import Foundation
import TestSupport
import Testing

/// deploy/grafana's dashboard against what `turnload run --metrics` serves: every series a
/// panel queries is one the harness exposes, with a value while a load runs.
@Suite("the Grafana dashboard", .serialized)
struct GrafanaDashboardTests {
    static let dashboard = TurnloadBinary.packageRoot.appendingPathComponent("deploy/grafana/turnload-dashboard.json")

    /// The `turnload_…` series each panel's query names.
    static func seriesInPanels() throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: dashboard))
        let panels = try #require((object as? [String: Any])?["panels"] as? [[String: Any]])
        let queries = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        let name = try Regex("turnload_[a-z0-9_]+")
        return Set(queries.flatMap { $0.matches(of: name).map { String($0.output[0].substring ?? "") } })
    }

    @Test func everySeriesItQueriesIsServedDuringARun() async throws {
        let wanted = try Self.seriesInPanels()
        #expect(wanted.count >= 8, "\(wanted)")
        let port = try LoopbackAddress.freePort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try RunningProcess(
            try TurnloadBinary().url,
            ["run", "--clients", "20", "--duration", "8s", "--metrics", "127.0.0.1:\(port)", "--out", folder.path])
        defer { run.kill() }
        // Once the clients are up, a whole second comes with all of them sending: 20 calls of 50
        // packets a second each.
        let sentSeries = "turnload_packets_per_second{direction=\"sent\"}"
        var served = ""
        for _ in 0..<100 where !(900...1100).contains(Self.value(sentSeries, in: served) ?? 0) {
            try await Task.sleep(for: .milliseconds(100))
            served = (try? LoopbackTCP.get(port: port, path: "/metrics")) ?? ""
        }
        #expect(
            served.hasPrefix("HTTP/1.1 200") || served.hasPrefix("HTTP/1.0 200"),
            "\(served.prefix(300))\nturnload run: \(run.errors.suffix(1500))")
        #expect(Self.value("turnload_clients_active", in: served) == 20, "\(served)")
        // Served from the first failure on, each with its reason: a clean run has none
        // (CampaignTests' HarnessMetricsTests check them).
        for series in wanted.subtracting(["turnload_setup_failures_by_reason_total"]).sorted() {
            #expect(served.contains("\n\(series)"), "\(series) is not served:\n\(served)")
        }
        #expect((900...1100).contains(Self.value(sentSeries, in: served) ?? 0), "\(served)")
    }

    /// The value of the sample line for `series` (name and labels, as exposed).
    static func value(_ series: String, in exposition: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test func aTakenPortIsRefusedBeforeTheLoad() async throws {
        let taken = try LoopbackAddress.freePort()
        let listener = try #require(LoopbackTCP.listening(onPort: taken))
        defer { close(listener) }
        let outcome = try await TurnloadBinary().run(["run", "--clients", "2", "--duration", "1s", "--metrics", "127.0.0.1:\(taken)"])
        #expect(outcome.status == 64, "\(outcome.errors)")
        #expect(outcome.errors.contains("--metrics 127.0.0.1:\(taken): cannot serve metrics there"), "\(outcome.errors)")
    }
}
