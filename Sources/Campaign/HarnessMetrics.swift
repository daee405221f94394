import Measurement
import NIOConcurrencyHelpers
import Prometheus

/// The harness's current second as Prometheus metrics (`--metrics`), so that a long run can be
/// watched live (deploy/grafana): fed once a second from the sample the progress line shows,
/// so that the packet path pays nothing for them.
final class HarnessMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let clients: Gauge
    private let packets: (sent: Gauge, received: Gauge)
    private let bits: (sent: Gauge, received: Gauge)
    private let loss: Gauge
    private let jitter: Gauge
    private let delay: Gauge
    private let rtt: (p50: Gauge, p99: Gauge)
    private let setupFailures: Counter
    /// By reason, made as reasons first occur: a family cannot hold the total as well.
    private let setupFailuresByReason: NIOLockedValueBox<[String: Counter]> = NIOLockedValueBox([:])
    private let sendLateness: Gauge
    private let lateSends: Gauge
    private let harnessCPU: Gauge
    private let harnessSaturated: Gauge
    /// The media's frame interval in nanoseconds, which the harness's verdict is judged by.
    private let frameInterval: Int64
    /// The run's losses so far at the last sample: a second's loss is what it added.
    private let lostBefore = NIOLockedValueBox(0)

    init(frameInterval: Int64) {
        self.frameInterval = frameInterval
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        func gauge(_ name: String, _ unit: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: "turnload", metricName: name, unitName: unit, helpText: help),
                labels: labels)
        }
        clients = gauge("clients", "active", "Clients with an allocation, sending.")
        let packetsHelp = "Packets a second the harness sent, and received at the far ends."
        packets = (
            gauge("packets", "per_second", packetsHelp, [("direction", "sent")]),
            gauge("packets", "per_second", packetsHelp, [("direction", "received")])
        )
        let bitsHelp = "Bits a second on the wire the harness sent, and received at the far ends."
        bits = (
            gauge("wire", "bits_per_second", bitsHelp, [("direction", "sent")]),
            gauge("wire", "bits_per_second", bitsHelp, [("direction", "received")])
        )
        loss = gauge("loss", "percent", "Packets lost in the last second, in percent of those sent.")
        jitter = gauge("jitter_p99", "milliseconds", "RFC 3550 jitter, 99th percentile over the streams, last second.")
        delay = gauge("delay_p99", "milliseconds", "One-way delay, 99th percentile, last second.")
        let rttHelp = "Round-trip time through the relay (echo), last second."
        rtt = (gauge("rtt_p50", "milliseconds", rttHelp), gauge("rtt_p99", "milliseconds", rttHelp))
        setupFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "turnload", metricName: "setup_failures", unitName: "total",
                helpText: "Clients that failed to connect, allocate or bind."))
        sendLateness = gauge(
            "send_lateness_p99", "milliseconds", "How late the harness's sends left against their schedule, 99th percentile, last second.")
        lateSends = gauge("late_sends", "per_second", "Sends that left more than a frame interval late, last second.")
        harnessCPU = gauge("harness_cpu", "percent", "CPU of the harness's client threads, in percent of those threads, last second.")
        harnessSaturated = gauge(
            "harness", "saturated", "1 when the harness, not the endpoint, was the limit in the last second (see the run's verdict).")
    }

    /// The second that just ended.
    func update(_ sample: SecondSample) {
        let lostBefore = self.lostBefore.withLockedValue { before in
            defer { before = sample.lost }
            return before
        }
        clients.set(Int64(sample.activeClients))
        packets.sent.set(Int64(sample.sent))
        packets.received.set(Int64(sample.received))
        bits.sent.set(Int64(sample.bytesSent * 8))
        bits.received.set(Int64(sample.bytesReceived * 8))
        loss.set(sample.lossPercent(lostBefore: lostBefore))
        func milliseconds(_ data: DistributionData, at percentile: Double) -> Double {
            (try? Distribution(data)).map { Double($0.percentile(percentile)) / 1e6 } ?? 0
        }
        jitter.set(milliseconds(sample.jitter, at: 99))
        delay.set(milliseconds(sample.delay, at: 99))
        rtt.p50.set(milliseconds(sample.rtt, at: 50))
        rtt.p99.set(milliseconds(sample.rtt, at: 99))
        if sample.errors > 0 { setupFailures.increment(by: Int64(sample.errors)) }
        for (reason, count) in sample.setupFailures ?? [:] { failures(reason).increment(by: Int64(count)) }
        if let health = sample.health {
            sendLateness.set(Double(health.sendLateness.percentile(99)) / 1e6)
            lateSends.set(Int64(health.missedTimers))
            harnessCPU.set(100 * health.cpuUtilization)
            harnessSaturated.set(Int64(health.verdict(frameInterval: frameInterval) == .healthy ? 0 : 1))
        }
    }

    private func failures(_ reason: String) -> Counter {
        setupFailuresByReason.withLockedValue { counters in
            if let counter = counters[reason] { return counter }
            let counter = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "turnload", metricName: "setup_failures_by_reason", unitName: "total",
                    helpText: "Clients that failed to connect, allocate or bind, by reason: an error code (486, 508…), timeout, connect."),
                labels: [("reason", reason)])
            counters[reason] = counter
            return counter
        }
    }

    /// The Prometheus text exposition format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
