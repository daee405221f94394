import Measurement
import Testing

@testable import Campaign

/// The live metrics of `--metrics`, from the samples the engine makes each second.
@Suite("harness metrics")
struct HarnessMetricsTests {
    @Test func failuresByReasonAndTheHarnessCheckOnItself() {
        let metrics = HarnessMetrics(frameInterval: 20_000_000)
        var health = HarnessHealth()
        for lateness in [1_000_000, 2_000_000, 30_000_000] as [Int64] { health.recordSend(lateness: lateness) }
        health.recordMissedTimers()
        health.recordCPU(used: 500_000_000, over: 1_000_000_000, coresAvailable: 2)
        var sample = SecondSample(second: 1, sent: 3, activeClients: 3, errors: 3)
        sample.setupFailures = ["486": 2, "timeout": 1]
        sample.health = health
        metrics.update(sample)
        sample.setupFailures = ["486": 1]
        metrics.update(sample)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        for line in [
            "turnload_setup_failures_total 6", #"turnload_setup_failures_by_reason_total{reason="486"} 3"#,
            #"turnload_setup_failures_by_reason_total{reason="timeout"} 1"#, "turnload_late_sends_per_second 1.0",
            "turnload_harness_cpu_percent 25.0", "turnload_harness_saturated 1.0",
        ] {
            #expect(text.contains("\n" + line + "\n"), "no \(line) in\n\(text)")
        }
        // A third of the sends a frame late: its p99 is the late one's.
        #expect(text.contains("\nturnload_send_lateness_p99_milliseconds 30."), "\(text)")

        var calm = HarnessHealth()
        calm.recordSend(lateness: 100_000)
        sample.health = calm
        sample.setupFailures = nil
        metrics.update(sample)
        #expect(String(decoding: metrics.exposition(), as: UTF8.self).contains("\nturnload_harness_saturated 0.0\n"))
    }
}
