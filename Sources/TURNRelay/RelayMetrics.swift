import NIOConcurrencyHelpers
import Prometheus
import RunModel

/// The relay's counters as Prometheus metrics. Fed from `RelayCounters` snapshots (once a
/// second by the command), so that the packet path pays nothing for them.
public final class RelayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let allocations: Gauge
    private let counters: [(Counter, @Sendable (RelayCounters) -> Int)]
    private let last = NIOLockedValueBox(RelayCounters())

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        allocations = registry.makeGauge(name: "turnload_relay_allocations", help: "Allocations open now.")
        func counter(
            _ name: String, _ labels: [(String, String)], _ help: String,
            _ value: @escaping @Sendable (RelayCounters) -> Int
        ) -> (Counter, @Sendable (RelayCounters) -> Int) {
            (registry.makeCounter(name: name, labels: labels, help: help), value)
        }
        let relayed = "Packets relayed, by direction."
        let bytes = "Payload bytes relayed, by direction."
        let dropped = "Packets dropped, by reason."
        let rejected = "Requests refused or dropped, by reason."
        counters = [
            counter("turnload_relay_packets_total", [("direction", "to_peer")], relayed, \.packetsToPeers),
            counter("turnload_relay_packets_total", [("direction", "to_client")], relayed, \.packetsToClients),
            counter("turnload_relay_bytes_total", [("direction", "to_peer")], bytes, \.bytesToPeers),
            counter("turnload_relay_bytes_total", [("direction", "to_client")], bytes, \.bytesToClients),
            counter("turnload_relay_dropped_total", [("reason", "capacity")], dropped, \.droppedCapacity),
            counter("turnload_relay_dropped_total", [("reason", "bandwidth")], dropped, \.droppedBandwidth),
            counter("turnload_relay_dropped_total", [("reason", "packet_rate")], dropped, \.droppedPacketRate),
            counter("turnload_relay_dropped_total", [("reason", "impairment")], dropped, \.droppedImpairment),
            counter("turnload_relay_dropped_total", [("reason", "unroutable")], dropped, \.droppedUnroutable),
            counter("turnload_relay_dropped_total", [("reason", "malformed")], dropped, \.droppedMalformed),
            counter("turnload_relay_dropped_total", [("reason", "receive_queue")], dropped, \.droppedReceiveQueue),
            counter("turnload_relay_rejected_requests_total", [("reason", "malformed")], rejected, \.rejections.malformed),
            counter("turnload_relay_rejected_requests_total", [("reason", "challenged")], rejected, \.rejections.challenged),
            counter("turnload_relay_rejected_requests_total", [("reason", "bad_credentials")], rejected, \.rejections.badCredentials),
            counter("turnload_relay_rejected_requests_total", [("reason", "rate_limited")], rejected, \.rejections.rateLimited),
            counter("turnload_relay_rejected_requests_total", [("reason", "refused")], rejected, \.rejections.refused),
            counter("turnload_relay_rejected_requests_total", [("reason", "allocate_rate")], rejected, \.rejections.overAllocateRate),
            counter("turnload_relay_rejected_requests_total", [("reason", "new_peer_rate")], rejected, \.rejections.overNewPeerRate),
        ]
    }

    /// Moves every counter on by what it grew since the last update.
    public func update(_ counters: RelayCounters) {
        let previous = last.withLockedValue { last in
            defer { last = counters }
            return last
        }
        allocations.set(Int64(counters.allocations))
        for (counter, value) in self.counters {
            let grown = value(counters) - value(previous)
            if grown > 0 { counter.increment(by: Int64(grown)) }
        }
    }

    /// The Prometheus text exposition format.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
