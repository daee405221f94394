/// Everything measured about one direction (e.g. client → peer) over many streams.
///
/// Fill it per packet with `addSent(packets:payloadBytes:wireBytes:)` on the send path and
/// `record(_:payloadBytes:wireBytes:)` on the receive path, then `add(_:)` each stream's
/// `StreamTotals` when it ends. Instances from several threads or shards `merge` exactly, and
/// encode losslessly (histograms included), so the merge can happen in another process.
public struct DirectionMetrics: Sendable, Codable, Equatable {
    /// Packets sent and their bytes, RTP packet only (`payloadBytes`) and as put on the wire
    /// including ChannelData/UDP/IP framing (`wireBytes`).
    public var sent = 0
    public var payloadBytesSent = 0
    public var wireBytesSent = 0
    /// Bytes that arrived: `wireBytes` for every datagram, duplicates included (they loaded
    /// the network); `payloadBytes` only for new packets (what the call could use).
    public var payloadBytesReceived = 0
    public var wireBytesReceived = 0

    /// Sums of the finished streams' `StreamTotals`; `expected` is what their senders sent.
    public var expected = 0
    public var received = 0
    public var lost = 0
    public var duplicated = 0
    public var reordered = 0
    public var late = 0
    public var stale = 0
    public var lossBursts = LossBursts()

    /// One-way delay of every new packet with a known send time.
    public var oneWayDelay = Distribution()
    /// One sample per finished stream: its final RFC 3550 interarrival jitter. The engine may
    /// record further samples (e.g. each stream's running jitter once a second).
    public var jitter = Distribution()

    public init() {}

    public mutating func addSent(packets: Int, payloadBytes: Int, wireBytes: Int) {
        sent += packets
        payloadBytesSent += payloadBytes
        wireBytesSent += wireBytes
    }

    /// Accounts for one received datagram as `StreamReceiver.receive` judged it.
    @inlinable
    public mutating func record(_ arrival: Arrival, payloadBytes: Int, wireBytes: Int) {
        wireBytesReceived += wireBytes
        guard arrival.isNew else { return }
        payloadBytesReceived += payloadBytes
        if let delay = arrival.oneWayDelay {
            oneWayDelay.record(delay)
        }
    }

    /// Adds a finished stream's counts, loss runs and final jitter.
    public mutating func add(_ stream: StreamTotals) {
        expected += stream.sent
        received += stream.received
        lost += stream.lost
        duplicated += stream.duplicated
        reordered += stream.reordered
        late += stream.late
        stale += stream.stale
        lossBursts.merge(stream.lossBursts)
        if let streamJitter = stream.jitter {
            jitter.record(streamJitter)
        }
    }

    public mutating func merge(_ other: DirectionMetrics) {
        sent += other.sent
        payloadBytesSent += other.payloadBytesSent
        wireBytesSent += other.wireBytesSent
        payloadBytesReceived += other.payloadBytesReceived
        wireBytesReceived += other.wireBytesReceived
        expected += other.expected
        received += other.received
        lost += other.lost
        duplicated += other.duplicated
        reordered += other.reordered
        late += other.late
        stale += other.stale
        lossBursts.merge(other.lossBursts)
        oneWayDelay.merge(other.oneWayDelay)
        jitter.merge(other.jitter)
    }

    /// The figures for a report, with rates over `duration` nanoseconds (the measured span).
    public func summary(duration: Int64) -> DirectionSummary {
        let seconds = Double(duration) / 1e9
        func perSecond(_ amount: Int) -> Double { seconds > 0 ? Double(amount) / seconds : 0 }
        func percent(_ part: Int) -> Double { expected > 0 ? 100 * Double(part) / Double(expected) : 0 }
        return DirectionSummary(
            sent: sent,
            expected: expected,
            received: received,
            lost: lost,
            duplicated: duplicated,
            reordered: reordered,
            late: late,
            stale: stale,
            lossPercent: percent(lost),
            playoutLossPercent: percent(lost + late),
            lossBursts: lossBursts.runs,
            meanBurstLength: lossBursts.meanLength,
            burstRatio: burstRatio,
            oneWayDelay: oneWayDelay.summary,
            jitter: jitter.summary,
            payloadBytesSent: payloadBytesSent,
            wireBytesSent: wireBytesSent,
            payloadBytesReceived: payloadBytesReceived,
            wireBytesReceived: wireBytesReceived,
            goodputBitsPerSecond: perSecond(8 * payloadBytesReceived),
            sentWireBitsPerSecond: perSecond(8 * wireBytesSent),
            receivedWireBitsPerSecond: perSecond(8 * wireBytesReceived),
            sentPacketsPerSecond: perSecond(sent),
            receivedPacketsPerSecond: perSecond(received)
        )
    }

    /// G.107's BurstR = 1/(p + q) for a two-state loss model, estimated from the counts: p, the
    /// chance a received packet is followed by a loss, ≈ bursts/received; q, the chance a lost
    /// one is followed by a receipt, ≈ bursts/lost. 1 for random loss, above 1 for bursty loss;
    /// 1 when nothing (or everything) was lost, where it does not matter.
    public var burstRatio: Double {
        let bursts = Double(lossBursts.burstCount)
        guard bursts > 0, received > 0, lost > 0 else { return 1 }
        return 1 / (bursts / Double(received) + bursts / Double(lost))
    }
}

/// The report figures of one direction (see `DirectionMetrics.summary(duration:)`).
public struct DirectionSummary: Sendable, Codable, Equatable {
    /// Packets sent on this direction.
    public var sent: Int
    /// Packets sent on the finished streams, the denominator of the loss percentages.
    public var expected: Int
    /// Distinct packets received.
    public var received: Int
    /// expected − received, tail losses included.
    public var lost: Int
    public var duplicated: Int
    public var reordered: Int
    /// Received after the fixed playout buffer's deadline.
    public var late: Int
    /// Received more than 1024 packets late; counted in `lost`.
    public var stale: Int
    /// 100 · lost / expected.
    public var lossPercent: Double
    /// 100 · (lost + late) / expected: what the decoder had to conceal.
    public var playoutLossPercent: Double
    /// Runs of consecutive lost packets, shortest first.
    public var lossBursts: [LossBurst]
    /// Mean run length in packets (0 without loss).
    public var meanBurstLength: Double
    /// G.107 BurstR (1 = random loss), for `EModel`.
    public var burstRatio: Double
    /// Milliseconds.
    public var oneWayDelay: DistributionSummary
    /// RFC 3550 interarrival jitter, milliseconds, one sample per stream (plus engine samples).
    public var jitter: DistributionSummary
    public var payloadBytesSent: Int
    public var wireBytesSent: Int
    public var payloadBytesReceived: Int
    public var wireBytesReceived: Int
    /// Payload bits of new packets delivered per second.
    public var goodputBitsPerSecond: Double
    public var sentWireBitsPerSecond: Double
    public var receivedWireBitsPerSecond: Double
    public var sentPacketsPerSecond: Double
    /// Distinct packets received per second.
    public var receivedPacketsPerSecond: Double
}
