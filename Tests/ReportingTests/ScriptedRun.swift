import Foundation
import Measurement
import Reporting
import RunModel

/// A made-up echo run whose clients' figures each come from the client's own seed, so that a
/// client measures the same in the whole run and in the shard that holds it. Figures add up
/// the way the engine adds them; a shard is the same run over a range of its clients.
enum ScriptedRun {
    static let clients = 30
    static let seconds = 5
    static let target = "turn:127.0.0.1:3478"
    static let start = Date(timeIntervalSince1970: 1_795_532_400)
    /// A second of 32 kbit/s Opus in 20 ms packets, as the packet library measures it.
    static let media = MediaFacts(
        packets: 50, meanPayloadBytes: 80, maxPayloadBytes: 96, sentPacketFraction: 1,
        payloadBitsPerSecond: 32_000)

    static var configuration: RunConfiguration {
        RunConfiguration(
            clients: clients, durationSeconds: 30, rampPerSecond: 100, topology: .echo, transport: "udp",
            media: OpusSettings(), jitterBufferMilliseconds: 60, drainSeconds: 2, threads: 1, embeddedRelay: false,
            relayImpairment: nil, relayMaxPps: nil, seed: 1)
    }

    /// The run of `range`'s clients, as the shard `shard` (nil: the whole run in one process).
    static func result(
        _ range: Range<Int>, shard: String? = nil, startedLater: TimeInterval = 0,
        configuration: RunConfiguration = configuration
    ) throws -> RunResult {
        RunResult(
            turnloadVersion: "test", target: target, startedAt: start.addingTimeInterval(startedLater), configuration: configuration,
            media: media, outcome: outcome(range), shard: try shard.map { try ShardAssignment(parsing: $0) },
            scheduledStart: start)
    }

    static func outcome(_ range: Range<Int>) -> LoadOutcome {
        var towardPeer = DirectionMetrics()
        var towardClient = DirectionMetrics()
        var rtt = Distribution()
        var latency = Distribution()
        var health = HarnessHealth()
        var failures: [String: Int] = [:]
        var perSecond = (1...seconds).map { SecondRecord(second: $0) }
        var calls: [CallFigures] = []
        for client in range {
            var random = SplitMix64(seed: UInt64(client) + 1)
            if client % 7 == 3 {
                failures[client % 2 == 0 ? "486" : "timeout", default: 0] += 1
                perSecond[0].errors += 1
                continue
            }
            latency.record(Int64(random.next() % 40_000_000))
            var lost = (out: 0, back: 0)
            for second in 0..<seconds {
                for _ in 0..<50 {
                    health.recordSend(lateness: Int64(random.next() % 2_000_000))
                    towardPeer.addSent(packets: 1, payloadBytes: 100, wireBytes: 140)
                    perSecond[second].sent += 1
                    perSecond[second].bytesSent += 140
                    if random.next() % 100 == 0 {
                        lost.out += 1
                        continue
                    }
                    let out = Int64(5_000_000 + random.next() % 20_000_000)
                    towardPeer.oneWayDelay.record(out)
                    towardClient.addSent(packets: 1, payloadBytes: 100, wireBytes: 140)
                    if random.next() % 100 == 0 {
                        lost.back += 1
                        continue
                    }
                    let back = Int64(5_000_000 + random.next() % 20_000_000)
                    towardClient.oneWayDelay.record(back)
                    rtt.record(out + back)
                    perSecond[second].received += 1
                    perSecond[second].bytesReceived += 140
                    perSecond[second].delay.record(out)
                    perSecond[second].rtt.record(out + back)
                }
                perSecond[second].lost += lost.out + lost.back
                perSecond[second].activeClients += 1
                perSecond[second].jitter.record(Int64(random.next() % 3_000_000))
            }
            let way = totals(sent: 50 * seconds, lost: lost.out, jitter: Int64(random.next() % 3_000_000))
            let echo = totals(sent: 50 * seconds - lost.out, lost: lost.back, jitter: Int64(random.next() % 3_000_000))
            towardPeer.add(way)
            towardClient.add(echo)
            let ssrc = UInt32(truncatingIfNeeded: random.next())
            calls.append(CallFigures(client: client, ssrc: ssrc, towardPeer: way, towardClient: echo, mos: 0))
        }
        health.recordCPU(used: Int64(range.upperBound) * 10_000_000, over: 5_000_000_000, coresAvailable: 1)
        // The E-model of 20 ms Opus (and 6.5 ms look-ahead) behind a 60 ms playout buffer.
        let model = EModel(jitterBufferMilliseconds: 60, codecDelayMilliseconds: 26.5)
        let quality = CallQuality(rating: &calls, model: model, delay: towardPeer.oneWayDelay)
        return LoadOutcome(
            status: .complete, endpointSoftware: "turnload relay",
            clients: ClientFigures(
                requested: range.count, allocationLatency: latency, failures: failures,
                failureExamples: failures.mapValues { _ in "an example" }),
            sendingSeconds: Double(seconds) + Double(range.lowerBound) / 100, towardPeer: towardPeer, towardClient: towardClient,
            rtt: rtt, quality: quality, health: health, healthSummary: health.summary(frameInterval: 20_000_000),
            series: perSecond.map(\.sample), calls: calls)
    }

    private static func totals(sent: Int, lost: Int, jitter: Int64) -> StreamTotals {
        var bursts = LossBursts()
        if lost > 0 { bursts.record(length: 1, count: lost) }
        return StreamTotals(
            sent: sent, received: sent - lost, duplicated: 0, reordered: 0, late: 0, stale: 0, lost: lost,
            lossBursts: bursts, jitter: jitter)
    }

    /// One second's figures as the engine gathers them, before they become a `SecondSample`.
    private struct SecondRecord {
        var second: Int
        var sent = 0
        var received = 0
        var lost = 0
        var bytesSent = 0
        var bytesReceived = 0
        var delay = Distribution()
        var rtt = Distribution()
        var jitter = Distribution()
        var activeClients = 0
        var errors = 0

        var sample: SecondSample {
            SecondSample(
                second: second, sent: sent, received: received, lost: lost, bytesSent: bytesSent, bytesReceived: bytesReceived,
                delay: delay, rtt: rtt, jitter: jitter, activeClients: activeClients, errors: errors)
        }
    }
}
