import Testing

@testable import Measurement

@Suite("StreamReceiver counting")
struct StreamReceiverTests {
    @Test func noLossCountsEveryPacketOnce() {
        var script = StreamScript()
        script.deliver(0..<500)
        let totals = script.finish(sent: 500)
        #expect(totals.received == 500)
        #expect(totals.lost == 0)
        #expect(totals.duplicated == 0)
        #expect(totals.reordered == 0)
        #expect(totals.late == 0)
        #expect(totals.lossBursts.burstCount == 0)
        #expect(script.receiver.expected == 500)
        #expect(script.arrivals.allSatisfy { $0.kind == .fresh && $0.oneWayDelay == 30_000_000 })
    }

    @Test func everyFiftiethPacketLostIsTwoPercentInSingleRuns() {
        var script = StreamScript()
        script.deliver((0..<1000).filter { $0 % 50 != 7 })
        #expect(script.receiver.lostSoFar == 20)
        let totals = script.finish(sent: 1000)
        #expect(totals.received == 980)
        #expect(totals.lost == 20)
        #expect(totals.lossBursts.table == [1: 20])

        var metrics = DirectionMetrics()
        metrics.add(totals)
        #expect(metrics.summary(duration: 20_000_000_000).lossPercent == 2.0)
    }

    @Test func randomTwoPercentLossMatchesTheScript() {
        var generator = SplitMix64(seed: 2)
        let delivered = Set((0..<5000).filter { _ in Double.random(in: 0..<1, using: &generator) >= 0.02 })
        var script = StreamScript()
        script.deliver(delivered.sorted())
        let totals = script.finish(sent: 5000)
        #expect(totals.lost == 5000 - delivered.count)
        #expect(totals.lossBursts.table == referenceBursts(sent: 5000, delivered: delivered))
    }

    @Test func duplicatesAreCountedAndNotReceivedTwice() {
        var script = StreamScript()
        script.deliver((0..<300).flatMap { $0 % 10 == 3 ? [$0, $0] : [$0] })
        script.deliver([5, 150]) // late copies, still inside the window
        let totals = script.finish(sent: 300)
        #expect(totals.received == 300)
        #expect(totals.duplicated == 32)
        #expect(totals.lost == 0)
        #expect(script.arrivals.filter { $0.kind == .duplicate }.allSatisfy { $0.oneWayDelay == nil })
    }

    @Test func swappedPairsAreReorderedNotLost() {
        var script = StreamScript()
        var order = Array(0..<400)
        for first in stride(from: 10, to: 400, by: 20) { order.swapAt(first, first + 1) }
        script.deliver(order)
        let totals = script.finish(sent: 400)
        #expect(totals.reordered == 20)
        #expect(totals.received == 400)
        #expect(totals.lost == 0)
        #expect(totals.lossBursts.burstCount == 0)
    }

    @Test func sequenceWrapAt65535() {
        var script = StreamScript(firstSequence: 65_000)
        let lostAcrossWrap = [535, 536] // sequence numbers 65535 and 0
        // 1 (index 537) arrives before 65534 (index 534): reordering across the wrap.
        var order = (0..<2000).filter { !lostAcrossWrap.contains($0) }
        let early = order.firstIndex(of: 537)!
        order.remove(at: early)
        order.insert(537, at: order.firstIndex(of: 534)!)
        script.deliver(order)

        #expect(script.receiver.expected == 2000)
        #expect(script.receiver.lostSoFar == 2)
        let totals = script.finish(sent: 2000)
        #expect(totals.received == 1998)
        #expect(totals.reordered == 1)
        #expect(totals.lost == 2)
        #expect(totals.lossBursts.table == [2: 1])
    }

    @Test func tailLossIsOnlyVisibleWithTheSentCount() {
        var script = StreamScript()
        script.deliver(0..<970)
        #expect(script.receiver.lostSoFar == 0) // RFC 3550 A.3 cannot see it
        let totals = script.finish(sent: 1000)
        #expect(totals.lost == 30)
        #expect(totals.lossBursts.table == [30: 1])
    }

    @Test func headLossIsCountedFromTheFirstSequence() {
        var script = StreamScript(firstSequence: 65_533)
        script.deliver(5..<100)
        let totals = script.finish(sent: 100)
        #expect(totals.lost == 5)
        #expect(totals.lossBursts.table == [5: 1])
    }

    @Test func burstLengthsIncludingOneLongerThanTheWindow() {
        let gaps: [Range<Int>] = [10..<11, 20..<22, 40..<43, 100..<105, 200..<1400, 3000..<3001]
        let delivered = Set((0..<4000).filter { index in !gaps.contains { $0.contains(index) } })
        var script = StreamScript()
        script.deliver(delivered.sorted())
        let totals = script.finish(sent: 4000)
        #expect(totals.lossBursts.table == [1: 2, 2: 1, 3: 1, 5: 1, 1200: 1])
        #expect(totals.lossBursts.lostPackets == totals.lost)
        #expect(totals.lost == 1212)
    }

    @Test func packetOlderThanTheWindowIsStaleAndStaysLost() {
        var script = StreamScript()
        script.deliver((0..<2000).filter { $0 != 100 })
        script.deliver([100])
        #expect(script.arrivals.last?.kind == .stale)
        let totals = script.finish(sent: 2000)
        #expect(totals.stale == 1)
        #expect(totals.received == 1999)
        #expect(totals.lost == 1)
        #expect(totals.lossBursts.table == [1: 1])
    }

    @Test func lateMeansBeyondLowestDelayPlusTheFixedBuffer() {
        var script = StreamScript(receiver: StreamReceiver(jitterBuffer: 60_000_000))
        let extra: [Int: Int64] = [50: 59_000_000, 60: 61_000_000, 70: 200_000_000]
        script.deliver(0..<100) { 20_000_000 + (extra[$0] ?? 0) }
        #expect(script.receiver.lowestOneWayDelay == 20_000_000)
        let totals = script.finish(sent: 100)
        #expect(totals.late == 2)
        #expect(script.arrivals[60].isLate && script.arrivals[70].isLate && !script.arrivals[50].isLate)
        #expect(script.arrivals[70].oneWayDelay == 220_000_000)
    }

    @Test func streamThatReceivedNothingLostEverything() {
        let totals = StreamReceiver().finish(sent: 50, firstSequence: 7)
        #expect(totals.lost == 50)
        #expect(totals.lossBursts.table == [50: 1])
        #expect(totals.jitter == nil)
    }

    @Test(arguments: [UInt64(1), 7, 42, 1_000])
    func randomImpairmentsAgreeWithAReferenceCount(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let sent = 6000
        let firstSequence = UInt16.random(in: 0...UInt16.max, using: &generator)
        // Loss in bursts (Gilbert model), duplicates, and local reordering within 30 packets.
        var delivered: [Int] = []
        var losing = false
        for index in 0..<sent {
            losing = losing ? Double.random(in: 0..<1, using: &generator) < 0.6 : Double.random(in: 0..<1, using: &generator) < 0.03
            if !losing { delivered.append(index) }
        }
        for position in stride(from: 0, to: delivered.count - 30, by: 37) {
            delivered.swapAt(position, position + Int.random(in: 1..<30, using: &generator))
        }
        let duplicates = (0..<40).map { _ in delivered[Int.random(in: 0..<delivered.count, using: &generator)] }
        for copy in duplicates {
            let at = min(delivered.count, delivered.firstIndex(of: copy)! + Int.random(in: 1..<20, using: &generator))
            delivered.insert(copy, at: at)
        }

        var script = StreamScript(firstSequence: firstSequence)
        script.deliver(delivered)
        let totals = script.finish(sent: sent)
        let unique = Set(delivered)
        #expect(totals.received == unique.count)
        #expect(totals.duplicated == delivered.count - unique.count)
        #expect(totals.lost == sent - unique.count)
        #expect(totals.lossBursts.table == referenceBursts(sent: sent, delivered: unique))
    }
}
