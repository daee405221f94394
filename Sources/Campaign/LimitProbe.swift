import NIOCore
import RunModel
import TURNClient
import TURNProtocol

/// `probe --limits`: steps one allocation's sending up to find its packet-rate cap (small
/// packets) and its bit-rate cap (large ones), each step a warm-up at twice its rate then a
/// measured window of packets to a `LimitSink`, whose count of the window's arrivals is what
/// was delivered. Every search is bounded by its time and its ceiling; the decisions are
/// `LimitSearch`'s.
struct LimitProbe {
    let connection: TURNClientConnection
    let sink: LimitSink
    /// Where the relay reaches the sink.
    let sinkAddress: TransportAddress
    /// Both searches together end within it; each gets what the one before left, at most half.
    let bound: Duration

    /// At twice the step's rate, long enough to spend a burst allowance of 200 ms of traffic at
    /// the cap (turnload's relay gives that much), so that the window meets the long-run rate.
    static let warmUp = Duration.milliseconds(500)
    static let window = Duration.seconds(1)
    /// After each step, for its last packets to arrive and the relay's budget to fill again.
    static let settle = Duration.milliseconds(300)
    static var stepTime: Duration { warmUp + window + settle }

    /// Small packets: ChannelData of an Opus frame's size.
    static let smallPacketBytes = 100
    /// Large packets: what fits in a 1,280-byte IPv6 minimum MTU with every header around it.
    static let largePacketBytes = 1200

    func run(lossLimitPercent: Double) async -> ProbeLimits {
        var limits = ProbeLimits(lossLimitPercent: lossLimitPercent, boundSeconds: bound.seconds)
        let clock = ContinuousClock()
        let end = clock.now + bound
        var step: UInt32 = 0
        let packetRate = LimitSearch(unit: "packets/s", start: 100, ceiling: 20_000, lossLimitPercent: lossLimitPercent)
        limits.packetRate = await search(
            packetRate, bytes: Self.smallPacketBytes, unitsPerPacket: 1, catchUp: 0.02, until: clock.now + bound / 2, step: &step)
        let bitRate = LimitSearch(unit: "bits/s", start: 256_000, ceiling: 100_000_000, lossLimitPercent: lossLimitPercent)
        limits.bitRate = await search(
            bitRate, bytes: Self.largePacketBytes, unitsPerPacket: Double(Self.largePacketBytes * 8), catchUp: 0.1, until: end,
            step: &step)
        return limits
    }

    /// Runs `search` with packets of `bytes`, each `unitsPerPacket` of its unit, while a step
    /// still fits before `end`. A late tick of the pacer catches up at most `catchUp` seconds of
    /// packets: half of what turnload's relay allows a burst, 20 ms of packets and 200 ms of
    /// bytes, as a busy machine stalls a thread for that long often enough.
    private func search(
        _ search: LimitSearch, bytes: Int, unitsPerPacket: Double, catchUp: Double, until end: ContinuousClock.Instant,
        step: inout UInt32
    ) async -> LimitFinding {
        var search = search
        let clock = ContinuousClock()
        while let rate = search.next, clock.now + Self.stepTime <= end, !Task.isCancelled {
            step += 1
            let (sent, delivered) = await send(step: step, packetsPerSecond: rate / unitsPerPacket, bytes: bytes, catchUp: catchUp)
            let seconds = Self.window.seconds
            search.record(
                LimitStep(
                    offered: rate, sent: Double(sent) * unitsPerPacket / seconds, delivered: Double(delivered) * unitsPerPacket / seconds))
        }
        var finding = search.finding
        finding.packetBytes = bytes
        return finding
    }

    /// One step: its packets paced by `Pacer` on the connection's own event loop, then a wait
    /// for the last to arrive: how many of the window's were sent and how many the sink counted.
    private func send(step: UInt32, packetsPerSecond: Double, bytes: Int, catchUp: Double) async -> (sent: Int, delivered: Int) {
        let pacer = Pacer(
            connection: connection, to: sinkAddress, packetsPerSecond: packetsPerSecond,
            warmUp: LimitSink.packet(step: step, measured: false, bytes: bytes),
            measured: LimitSink.packet(step: step, measured: true, bytes: bytes), catchUp: catchUp)
        let sent = (try? await pacer.run()) ?? 0
        try? await ContinuousClock().sleep(for: Self.settle)
        return (sent, sink.delivered(step: step))
    }
}
