import Foundation
import Testing

@testable import Measurement

@Suite("DirectionMetrics")
struct DirectionMetricsTests {
    static let payloadBytes = 80
    static let wireBytes = 80 + 4 + 8 + 20 // ChannelData + UDP + IPv4 headers

    /// One stream's worth of metrics: `sent` packets, some lost and delayed per the seed.
    static func stream(seed: UInt64, sent: Int = 1000) -> DirectionMetrics {
        var generator = SplitMix64(seed: seed)
        let delivered = (0..<sent).filter { _ in Double.random(in: 0..<1, using: &generator) >= 0.03 }
        let transits = (0..<sent).map { _ in Int64.random(in: 10_000_000...80_000_000, using: &generator) }
        var script = StreamScript(firstSequence: UInt16.random(in: 0...UInt16.max, using: &generator))
        script.deliver(delivered) { transits[$0] }

        var metrics = DirectionMetrics()
        metrics.addSent(packets: sent, payloadBytes: sent * payloadBytes, wireBytes: sent * wireBytes)
        for arrival in script.arrivals {
            metrics.record(arrival, payloadBytes: payloadBytes, wireBytes: wireBytes)
        }
        metrics.add(script.finish(sent: sent))
        return metrics
    }

    @Test func mergedShardsEqualTheWholeRun() throws {
        let streams = (0..<10).map { Self.stream(seed: UInt64($0) + 100) }
        var whole = DirectionMetrics()
        for stream in streams { whole.merge(stream) }

        var first = DirectionMetrics()
        for stream in streams[..<4] { first.merge(stream) }
        var second = DirectionMetrics()
        for stream in streams[4...] { second.merge(stream) }

        var merged = first
        merged.merge(second)
        #expect(merged == whole)

        // Through result files: another process decodes both shards and merges them.
        let encoder = JSONEncoder()
        var decoded = try JSONDecoder().decode(DirectionMetrics.self, from: encoder.encode(first))
        decoded.merge(try JSONDecoder().decode(DirectionMetrics.self, from: encoder.encode(second)))
        #expect(decoded == whole)
        #expect(decoded.summary(duration: 20_000_000_000) == whole.summary(duration: 20_000_000_000))
        #expect(whole.jitter.count == 10)
        #expect(whole.lossBursts.lostPackets == whole.lost)
    }

    @Test func summaryFiguresAndRates() {
        var metrics = DirectionMetrics()
        var script = StreamScript()
        script.deliver((0..<1000).filter { $0 % 100 >= 2 } + [502]) // 20 lost in runs of 2, one duplicate
        metrics.addSent(packets: 1000, payloadBytes: 1000 * Self.payloadBytes, wireBytes: 1000 * Self.wireBytes)
        for arrival in script.arrivals {
            metrics.record(arrival, payloadBytes: Self.payloadBytes, wireBytes: Self.wireBytes)
        }
        metrics.add(script.finish(sent: 1000))

        let summary = metrics.summary(duration: 20_000_000_000)
        #expect(summary.sent == 1000 && summary.expected == 1000)
        #expect(summary.received == 980 && summary.lost == 20 && summary.duplicated == 1)
        #expect(summary.lossPercent == 2)
        #expect(summary.lossBursts == [LossBurst(length: 2, count: 10)])
        #expect(summary.meanBurstLength == 2)
        // BurstR = 1/(bursts/received + bursts/lost) = 1/(10/980 + 10/20).
        #expect(abs(summary.burstRatio - 1 / (10.0 / 980 + 0.5)) < 1e-12)
        #expect(summary.goodputBitsPerSecond == Double(980 * Self.payloadBytes * 8) / 20)
        #expect(summary.receivedWireBitsPerSecond == Double(981 * Self.wireBytes * 8) / 20)
        #expect(summary.sentWireBitsPerSecond == Double(1000 * Self.wireBytes * 8) / 20)
        #expect(summary.sentPacketsPerSecond == 50 && summary.receivedPacketsPerSecond == 49)
    }

    @Test func randomLossHasBurstRatioNearOne() {
        var metrics = DirectionMetrics()
        for seed in 0..<20 { metrics.merge(Self.stream(seed: UInt64(seed), sent: 3000)) }
        #expect(abs(metrics.burstRatio - 1) < 0.05)
    }

    @Test func delayPercentiles() {
        // Delays 1…100 ms, ten packets each.
        var script = StreamScript()
        script.deliver(0..<1000) { Int64($0 % 100 + 1) * 1_000_000 }
        var metrics = DirectionMetrics()
        for arrival in script.arrivals { metrics.record(arrival, payloadBytes: 0, wireBytes: 0) }

        let delay = metrics.oneWayDelay
        #expect(delay.count == 1000)
        #expect(delay.min == 1_000_000 && delay.max == 100_000_000)
        #expect(delay.mean == 50_500_000)
        for (percentile, milliseconds) in [(50.0, 50.0), (90, 90), (99, 99)] {
            let measured = Double(delay.percentile(percentile)) / 1e6
            #expect(measured >= milliseconds && measured <= milliseconds * 1.001, "p\(percentile) = \(measured) ms")
        }
    }
}
