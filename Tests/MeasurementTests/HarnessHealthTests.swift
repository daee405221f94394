import Foundation
import Testing

@testable import Measurement

@Suite("HarnessHealth")
struct HarnessHealthTests {
    static let frame: Int64 = 20_000_000

    /// 10 000 sends 0.1–1 ms late, no misses or drops, half the CPU.
    static func healthy() -> HarnessHealth {
        var health = HarnessHealth()
        for index in 0..<10_000 { health.recordSend(lateness: 100_000 + Int64(index % 10) * 100_000) }
        health.recordCPU(used: 10_000_000_000, over: 10_000_000_000, coresAvailable: 2)
        return health
    }

    @Test func quietRunIsHealthy() {
        #expect(Self.healthy().verdict(frameInterval: Self.frame) == .healthy)
    }

    @Test func lateSendsSaturate() {
        var health = HarnessHealth()
        for _ in 0..<98 { health.recordSend(lateness: 1_000_000) }
        for _ in 0..<2 { health.recordSend(lateness: 7_100_000) }
        #expect(
            health.verdict(frameInterval: Self.frame)
                == .saturated(reasons: [
                    "send lateness p99 7.1 ms exceeds 5 ms (a quarter of the 20 ms frame interval)"
                ]))
    }

    @Test func missedTimersSaturateAboveOnePerMille() {
        var health = Self.healthy() // 10 000 sends
        health.recordMissedTimers(10) // 10 of 10 000 = 0.1 %, the limit itself
        #expect(health.verdict(frameInterval: Self.frame) == .healthy)
        health.recordMissedTimers() // 11 of 10 000 = 0.11 %
        #expect(
            health.verdict(frameInterval: Self.frame)
                == .saturated(reasons: [
                    "11 of 10000 sends (0.11%) left more than one frame interval late, above the 0.1% limit"
                ]))
    }

    @Test func anyReceiveQueueDropSaturates() {
        var health = Self.healthy()
        health.addReceiveQueueDrops(1)
        #expect(
            health.verdict(frameInterval: Self.frame)
                == .saturated(reasons: [
                    "the kernel dropped 1 received datagrams from the harness's full socket receive queues"
                ]))
    }

    @Test func busyCPUSaturatesAbove90Percent() {
        var health = Self.healthy()
        health.recordCPU(used: 17_000_000_000, over: 10_000_000_000, coresAvailable: 2) // 85 %
        #expect(health.verdict(frameInterval: Self.frame) == .healthy)
        health.recordCPU(used: 19_000_000_000, over: 10_000_000_000, coresAvailable: 2) // 95 %
        #expect(
            health.verdict(frameInterval: Self.frame)
                == .saturated(reasons: [
                    "CPU use 1.9 of 2 cores (95%) exceeds 90% of the cores available"
                ]))
    }

    @Test func everyReasonIsReported() {
        var health = Self.healthy()
        for _ in 0..<200 { health.recordSend(lateness: 30_000_000) }
        health.recordMissedTimers(100)
        health.addReceiveQueueDrops(3)
        health.recordCPU(used: 20_000_000_000, over: 10_000_000_000, coresAvailable: 2)
        guard case .saturated(let reasons) = health.verdict(frameInterval: Self.frame) else {
            Issue.record("expected saturated")
            return
        }
        #expect(reasons.count == 4)
    }

    @Test func mergeAddsCountsAndKeepsTheBusierMachine() throws {
        var shardA = Self.healthy()
        var shardB = Self.healthy()
        shardB.recordCPU(used: 19_000_000_000, over: 10_000_000_000, coresAvailable: 2)
        shardB.addReceiveQueueDrops(2)
        shardA.merge(shardB)
        #expect(shardA.sends == 20_000)
        #expect(shardA.receiveQueueDrops == 2)
        #expect(abs(shardA.cpuUtilization - 0.95) < 1e-12)

        let summary = shardA.summary(frameInterval: Self.frame)
        let decoded = try JSONDecoder().decode(HarnessHealthSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
        #expect(decoded.cpuPercentOfAvailable == 95)
    }
}
