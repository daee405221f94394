import RunModel

/// The line `turnload relay` prints each second: allocations, what it relayed each way in that
/// second, and what it dropped, by why.
public enum RelayStatusLine {
    public static func render(_ now: RelayCounters, since last: RelayCounters, seconds: Int) -> String {
        let dropped = [
            ("capacity", now.droppedCapacity - last.droppedCapacity), ("bandwidth", now.droppedBandwidth - last.droppedBandwidth),
            ("packet rate", now.droppedPacketRate - last.droppedPacketRate),
            ("impairment", now.droppedImpairment - last.droppedImpairment), ("unroutable", now.droppedUnroutable - last.droppedUnroutable),
            ("malformed", now.droppedMalformed - last.droppedMalformed),
            ("receive queue full", now.droppedReceiveQueue - last.droppedReceiveQueue),
        ].filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
        return "\(seconds) s: \(now.allocations) allocations, "
            + "to peers \(now.packetsToPeers - last.packetsToPeers) pkt/s \((now.bytesToPeers - last.bytesToPeers) / 1000) kB/s, "
            + "to clients \(now.packetsToClients - last.packetsToClients) pkt/s \((now.bytesToClients - last.bytesToClients) / 1000) kB/s, "
            + "dropped: \(dropped.isEmpty ? "none" : dropped.joined(separator: ", "))"
    }
}
