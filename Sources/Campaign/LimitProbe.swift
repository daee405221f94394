import NIOCore
import RunModel
import TURNClient
import TURNProtocol

/// `probe --limits`: steps one allocation's sending up to find its packet-rate cap (small
/// packets), its bit-rate cap (large ones) and its rate of new peers (a permission and a
/// packet for a new address each), each step a warm-up at twice its rate then a measured
/// window, counted where it arrives: by a `LimitSink`, or for peers it cannot hear by the
/// relay's answers. Every search is bounded by its time and its ceiling; the decisions are
/// `LimitSearch`'s.
struct LimitProbe {
    let connection: TURNClientConnection
    let sink: LimitSink
    /// Where the relay reaches the sink.
    let sinkAddress: TransportAddress
    /// The three searches together end within it, a third each.
    let bound: Duration

    /// At twice the step's rate, long enough to spend a burst allowance of 200 ms of traffic at
    /// the cap (turnload's relay gives that much), so that the window meets the long-run rate.
    static let warmUp = Duration.milliseconds(500)
    static let window = Duration.seconds(1)
    /// After each step, for its last packets and answers to arrive and the relay's budget to
    /// fill again.
    static let settle = Duration.milliseconds(300)
    static var stepTime: Duration { warmUp + window + settle }

    /// Small packets: ChannelData of an Opus frame's size.
    static let smallPacketBytes = 100
    /// Large packets: what fits in a 1,280-byte IPv6 minimum MTU with every header around it.
    static let largePacketBytes = 1200

    func run(lossLimitPercent: Double) async -> ProbeLimits {
        var limits = ProbeLimits(lossLimitPercent: lossLimitPercent, boundSeconds: bound.seconds)
        let start = ContinuousClock().now
        var step: UInt32 = 0
        let packetRate = LimitSearch(unit: "packets/s", start: 100, ceiling: 20_000, lossLimitPercent: lossLimitPercent)
        limits.packetRate = await search(packetRate, until: start + bound / 3, step: &step) { step, rate in
            await sendPackets(step: step, rate: rate, bytes: Self.smallPacketBytes, unitsPerPacket: 1, catchUp: 0.02)
        }
        limits.packetRate?.packetBytes = Self.smallPacketBytes
        let bitRate = LimitSearch(unit: "bits/s", start: 256_000, ceiling: 100_000_000, lossLimitPercent: lossLimitPercent)
        limits.bitRate = await search(bitRate, until: start + bound * 2 / 3, step: &step) { step, rate in
            await sendPackets(
                step: step, rate: rate, bytes: Self.largePacketBytes, unitsPerPacket: Double(Self.largePacketBytes * 8), catchUp: 0.1)
        }
        limits.bitRate?.packetBytes = Self.largePacketBytes
        // Providers refuse or drop a client that reaches new addresses as fast as a port scan.
        let peers = NewPeerOpener(connection: connection, addresses: NewPeerAddresses(sink: sinkAddress))
        let peerRate = LimitSearch(unit: "peers/s", start: 5, ceiling: 2_000, lossLimitPercent: lossLimitPercent)
        limits.peerRate = await search(peerRate, until: start + bound, step: &step, while: { peers.remaining > Int(2 * $0) }) {
            step, rate in await openPeers(peers, step: step, rate: rate)
        }
        limits.peerRate?.peers = peers.addresses.description
        return limits
    }

    /// Runs `search`, each step measured by `measure` (given the step's number and rate),
    /// while a step still fits before `end` and `more` allows its rate.
    private func search(
        _ search: LimitSearch, until end: ContinuousClock.Instant, step: inout UInt32, while more: (Double) -> Bool = { _ in true },
        measure: (UInt32, Double) async -> LimitStep
    ) async -> LimitFinding {
        var search = search
        let clock = ContinuousClock()
        while let rate = search.next, clock.now + Self.stepTime <= end, more(rate), !Task.isCancelled {
            step += 1
            search.record(await measure(step, rate))
        }
        return search.finding
    }

    /// One step of packets of `bytes`, each `unitsPerPacket` of the search's unit, paced on
    /// the connection's own event loop, then a wait for the last to arrive: what the window
    /// sent and what the sink counted. A late tick catches up at most `catchUp` seconds of
    /// what fell due (20 ms of small packets, 100 ms of large ones), as a busy machine stalls
    /// a thread for that long often enough; a longer burst would outrun a policer's allowance
    /// (turnload's relay allows 20 ms of packets and 200 ms of bytes) and read as its cap.
    private func sendPackets(step: UInt32, rate: Double, bytes: Int, unitsPerPacket: Double, catchUp: Double) async -> LimitStep {
        let (warmUp, measured) = (
            LimitSink.packet(step: step, measured: false, bytes: bytes), LimitSink.packet(step: step, measured: true, bytes: bytes)
        )
        let (connection, to) = (connection, sinkAddress)
        let pacer = Pacer(eventLoop: connection.channel.eventLoop, unitsPerSecond: rate / unitsPerPacket, catchUp: catchUp) {
            connection.send($0 ? measured : warmUp, to: to)
        }
        let sent = (try? await pacer.run()) ?? 0
        try? await ContinuousClock().sleep(for: Self.settle)
        let seconds = Self.window.seconds
        return LimitStep(
            offered: rate, sent: Double(sent) * unitsPerPacket / seconds,
            delivered: Double(sink.delivered(step: step)) * unitsPerPacket / seconds)
    }

    /// One step of new peers at `rate` a second: what the window asked for, and what reached
    /// the sink, or where it cannot hear them what the relay granted; the refusals with it.
    private func openPeers(_ peers: NewPeerOpener, step: UInt32, rate: Double) async -> LimitStep {
        let pacer = Pacer(eventLoop: connection.channel.eventLoop, unitsPerSecond: rate, catchUp: 0.02) {
            peers.open(step: step, measured: $0)
        }
        let sent = (try? await pacer.run()) ?? 0
        try? await ContinuousClock().sleep(for: Self.settle)
        let (granted, refused) = peers.tally(step: step)
        let delivered = peers.addresses.delivers ? sink.delivered(step: step) : granted
        let seconds = Self.window.seconds
        var measured = LimitStep(offered: rate, sent: Double(sent) / seconds, delivered: Double(delivered) / seconds)
        measured.refused = refused.isEmpty ? nil : refused
        return measured
    }
}
