import RunModel

/// What happens to every relayed packet, either way, before it leaves: the relay's capacity
/// (`--max-pps`, shared by the loops through a `CapacityPool`), the allocation's packet rate
/// (`--max-allocation-pps`) and bandwidth (`--max-allocation-bitrate`), then the impairment
/// (`--impair`). Pure: it says what to do
/// and the loop does it, and its statistics are the ground truth a measurement of injected
/// loss, duplication and reordering is held to.
///
/// `Flow` is where a packet goes (reordering swaps packets within one flow), `Packet` an owned
/// copy of it, asked for only when the packet is impaired.
struct RelayShaper<Flow: Hashable, Packet> {
    enum Outcome {
        /// Send it now, as it is: nothing impairs this relay.
        case sendNow
        /// Refused: over capacity, over the allocation's packet rate or over its bandwidth.
        case dropped
        /// Admitted, then lost to the impairment: the relay counts it as relayed, as a lossy
        /// path beyond it would have lost it.
        case lost
        /// Send these, each after its delay (from now); none when the packet is held back.
        case planned([Transmission])
    }

    struct Transmission {
        let delay: Duration
        let packet: Packet
    }

    /// A packet held back for reordering, and when it leaves anyway.
    private struct Held {
        let packet: Packet
        let deadline: Duration
    }

    /// How long a held packet waits for its flow's next packet before it leaves, late but in
    /// order (the stream ended).
    static var holdLimit: Duration { .milliseconds(500) }

    private var capacity: CapacityShare?
    private let bitsPerSecondPerAllocation: Int?
    private let packetsPerSecondPerAllocation: Int?
    private var budgets: [RelayClient: TokenBucket] = [:]
    private var packetBudgets: [RelayClient: TokenBucket] = [:]
    private var impairer: Impairer
    private var held: [Flow: Held] = [:]
    private(set) var statistics = RelayCounters()

    init(
        capacity: CapacityPool?, bitsPerSecondPerAllocation: Int?, packetsPerSecondPerAllocation: Int? = nil,
        impairment: Impairment, seed: UInt64
    ) {
        self.capacity = capacity.map(CapacityShare.init)
        self.bitsPerSecondPerAllocation = bitsPerSecondPerAllocation
        self.packetsPerSecondPerAllocation = packetsPerSecondPerAllocation
        impairer = Impairer(impairment, seed: seed)
    }

    /// The fate of a packet of `bytes` bytes of `client`'s allocation, going to `flow`.
    @inline(__always)
    mutating func shape(
        bytes: Int, of client: RelayClient, to flow: Flow, now: Duration,
        packet: () -> Packet
    ) -> Outcome {
        guard admit(bytes: bytes, of: client, now: now) else { return .dropped }
        if impairer.impairment.isNone { return .sendNow }
        let fate = impairer.fate()
        guard let last = fate.delays.max() else {
            statistics.droppedImpairment += 1
            return .lost
        }
        statistics.duplicatedImpairment += fate.delays.count - 1
        let copy = packet()
        var sends = fate.delays.map { Transmission(delay: $0, packet: copy) }
        if let earlier = held.removeValue(forKey: flow) {
            // After this packet's last copy: the successor has overtaken it.
            statistics.reorderedImpairment += 1
            sends.append(Transmission(delay: last + .microseconds(1), packet: earlier.packet))
        } else if fate.heldBack {
            held[flow] = Held(packet: copy, deadline: now + Self.holdLimit)
            return .planned([])
        }
        return .planned(sends)
    }

    /// Whether packets leave as they came, once admitted: nothing is impaired.
    var isTransparent: Bool { impairer.impairment.isNone }

    /// The capacity, packet-rate and bandwidth checks alone, for the path that sends at once
    /// when `isTransparent`. A packet over the packet rate spends none of the bandwidth.
    @inline(__always)
    mutating func admit(bytes: Int, of client: RelayClient, now: Duration) -> Bool {
        if capacity != nil, !capacity!.admit(now: now) {
            statistics.droppedCapacity += 1
            return false
        }
        // Each client's bucket is spent where it is stored, made on its first packet.
        if let rate = packetsPerSecondPerAllocation, !packetBudgets[client, default: .packets(perSecond: rate)].admit(now: now) {
            statistics.droppedPacketRate += 1
            return false
        }
        if let rate = bitsPerSecondPerAllocation, !budgets[client, default: .bandwidth(bitsPerSecond: rate)].admit(Double(bytes), now: now)
        {
            statistics.droppedBandwidth += 1
            return false
        }
        return true
    }

    /// Held packets whose successor never came by `now`: they leave now, to their flows.
    mutating func overdue(now: Duration) -> [(Flow, Packet)] {
        guard !held.isEmpty else { return [] }
        let due = held.filter { $0.value.deadline <= now }
        for flow in due.keys { held[flow] = nil }
        return due.map { ($0.key, $0.value.packet) }
    }

    /// When the next held packet leaves anyway, if one is held.
    var nextHoldDeadline: Duration? { held.values.map(\.deadline).min() }

    /// Forgets the packet-rate and bandwidth budgets of the clients that have no allocation any more.
    mutating func forget(where gone: (RelayClient) -> Bool) {
        for client in budgets.keys where gone(client) { budgets[client] = nil }
        for client in packetBudgets.keys where gone(client) { packetBudgets[client] = nil }
    }
}
