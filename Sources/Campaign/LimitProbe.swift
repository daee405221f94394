import NIOCore
import RunModel
import TURNClient
import TURNProtocol

/// `probe --limits`: steps one allocation's sending up to find its packet-rate cap (small
/// packets) and its bit-rate cap (large ones), each step a warm-up at twice its rate then a
/// measured window of packets to a `LimitSink`, whose count of the window's arrivals is what was delivered. Every
/// search is bounded by its time and its ceiling; the decisions are `LimitSearch`'s.
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
            packetRate, bytes: Self.smallPacketBytes, unitsPerPacket: 1, until: clock.now + bound / 2, step: &step)
        let bitRate = LimitSearch(unit: "bits/s", start: 256_000, ceiling: 100_000_000, lossLimitPercent: lossLimitPercent)
        limits.bitRate = await search(
            bitRate, bytes: Self.largePacketBytes, unitsPerPacket: Double(Self.largePacketBytes * 8), until: end, step: &step)
        return limits
    }

    /// Runs `search` with packets of `bytes`, each `unitsPerPacket` of its unit, while a step
    /// still fits before `end`.
    private func search(
        _ search: LimitSearch, bytes: Int, unitsPerPacket: Double, until end: ContinuousClock.Instant, step: inout UInt32
    ) async -> LimitFinding {
        var search = search
        let clock = ContinuousClock()
        while let rate = search.next, clock.now + Self.stepTime <= end, !Task.isCancelled {
            step += 1
            let (sent, delivered, seconds) = await send(step: step, packetsPerSecond: rate / unitsPerPacket, bytes: bytes)
            search.record(
                LimitStep(
                    offered: rate, sent: Double(sent) * unitsPerPacket / seconds, delivered: Double(delivered) * unitsPerPacket / seconds))
        }
        var finding = search.finding
        finding.packetBytes = bytes
        return finding
    }

    /// One step: packets paced on an absolute schedule every 2 ms, the warm-up's (at twice the
    /// rate) then the window's. Returns how many of the window's were sent, how many the sink counted, and
    /// the seconds they took to leave: the window, and however long the connection's event
    /// loop took after it to write what was handed to it (a harness behind shows there, as a
    /// rate sent below the one offered).
    private func send(step: UInt32, packetsPerSecond: Double, bytes: Int) async -> (sent: Int, delivered: Int, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let windowStart = start + Self.warmUp
        let windowEnd = windowStart + Self.window
        let warmUp = LimitSink.packet(step: step, measured: false, bytes: bytes)
        let measured = LimitSink.packet(step: step, measured: true, bytes: bytes)
        var sentBefore = 0
        var sentInWindow = 0
        while !Task.isCancelled {
            let now = clock.now
            let inWindow = now >= windowStart
            let rate = inWindow ? packetsPerSecond : 2 * packetsPerSecond
            let due = Int(((min(now, windowEnd) - (inWindow ? windowStart : start)) / .seconds(1)) * rate)
            let sent = inWindow ? sentInWindow : sentBefore
            for _ in sent..<max(sent, due) { connection.send(inWindow ? measured : warmUp, to: sinkAddress) }
            if inWindow { sentInWindow = max(sent, due) } else { sentBefore = max(sent, due) }
            if now >= windowEnd { break }
            try? await clock.sleep(until: min(now + .milliseconds(2), inWindow ? windowEnd : windowStart))
        }
        // Sends run on the connection's event loop in order: this runs once they have all been written.
        try? await connection.channel.eventLoop.submit {}.get()
        let seconds = (clock.now - windowStart).seconds
        try? await clock.sleep(for: Self.settle)
        return (sentInWindow, sink.delivered(step: step), max(seconds, Self.window.seconds))
    }
}
