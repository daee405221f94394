import Measurement
import RunModel
import Testing

@testable import Reporting

/// Fairness between calls: one starved call among alike ones shows in the index, is named,
/// and marks the worst tenth.
@Suite("call spread")
struct CallSpreadTests {
    static func call(_ client: Int, sent: Int, lost: Int, jitter: Int64 = 1_000_000, mos: Double = 4.4) -> CallFigures {
        var bursts = LossBursts()
        if lost > 0 { bursts.record(length: lost) }
        let way = StreamTotals(
            sent: sent, received: sent - lost, duplicated: 0, reordered: 0, late: 0, stale: 0, lost: lost, lossBursts: bursts,
            jitter: jitter)
        let clean = StreamTotals(
            sent: sent - lost, received: sent - lost, duplicated: 0, reordered: 0, late: 0, stale: 0, lost: 0, lossBursts: LossBursts(),
            jitter: jitter)
        var call = CallFigures(client: client, ssrc: UInt32(client), towardPeer: way, towardClient: clean, mos: mos)
        call.fiveTuple = "udp 192.0.2.1:\(40_000 + client) → 203.0.113.5:3478, relayed 203.0.113.5:\(50_000 + client)"
        return call
    }

    @Test func aStarvedCallIsNamedAndLowersTheIndex() throws {
        // 19 calls of 1,000 packets lose none; call 7 loses half of its way out.
        let calls = (0..<20).map {
            $0 == 7 ? Self.call(7, sent: 1000, lost: 500, jitter: 9_000_000, mos: 1.5) : Self.call($0, sent: 1000, lost: 0)
        }
        let spread = CallSpread(calls)
        // Delivered shares: 19 of 1.0, one of (500 + 500) / (1000 + 500).
        let shares = Array(repeating: 1.0, count: 19) + [1000.0 / 1500]
        #expect(spread.fairness == JainIndex.of(shares))
        #expect(try #require(spread.fairness) < 0.999)
        let loss = try #require(spread.spreads.first { $0.metric == "loss %" })
        #expect(loss.worst == 50 && loss.worstClient == 7 && loss.median == 0)
        // The worst tenth of 20 calls is 2: its edge is the second worst, a clean one.
        #expect(loss.worstDecile == 0)
        let mos = try #require(spread.spreads.first { $0.metric == "MOS" })
        #expect(mos.worst == 1.5 && mos.worstClient == 7 && mos.median == 4.4)
        let jitter = try #require(spread.spreads.first { $0.metric == "jitter ms" })
        #expect(jitter.worst == 9 && jitter.worstClient == 7)
        #expect(spread.mosWorstFirst.first == 1.5 && spread.lossWorstFirst.first == 50)
        let line = try #require(FairnessSection.summary(spread))
        #expect(
            line.contains("worst call by loss: client 7 (udp 192.0.2.1:40007 → 203.0.113.5:3478, relayed 203.0.113.5:50007), 50")
                && line.contains("by MOS: client 7, 1.50"), "\(line)")
        #expect(loss.worstFiveTuple == calls[7].fiveTuple)
    }

    @Test func alikeCallsAreFair() throws {
        let spread = CallSpread((0..<10).map { Self.call($0, sent: 500, lost: 5) })
        #expect(abs(try #require(spread.fairness) - 1) < 1e-12)
        #expect(FairnessSection.summary(spread)?.hasSuffix("no call fared worse than the median") == true)
        #expect(CallSpread([]).fairness == nil && CallSpread([]).spreads.isEmpty)
    }
}
