import TURNRelay
import Testing

@Suite("impairment and capacity")
struct ImpairmentTests {
    @Test func parses() throws {
        let impairment = try Impairment(parsing: "loss=1%,delay=20ms,jitter=5ms,reorder=0.5%,duplicate=0.1%")
        #expect(impairment.loss == 0.01)
        #expect(impairment.delay == .milliseconds(20))
        #expect(impairment.jitter == .milliseconds(5))
        #expect(impairment.reorder == 0.005)
        #expect(impairment.duplicate == 0.001)
        #expect(try Impairment(parsing: "").isNone)
        for bad in ["loss=1", "loss=101%", "delay=20", "wobble=1%", "loss", "jitter=-1ms"] {
            #expect(throws: ImpairmentError.self) { try Impairment(parsing: bad) }
        }
    }

    /// The bounds: over 20,000 packets, loss=2% drops 2% ± 0.3 points and delay=20ms
    /// adds 20 ms ± 1 ms at the median, whatever the seed.
    @Test(arguments: [UInt64(1), 42, 0xDEAD_BEEF])
    func lossAndDelayLandOnTarget(seed: UInt64) throws {
        var impairer = Impairer(try Impairment(parsing: "loss=2%,delay=20ms,jitter=5ms"), seed: seed)
        var lost = 0
        var delays: [Duration] = []
        for _ in 0..<20_000 {
            let copies = impairer.fate().delays
            if copies.isEmpty { lost += 1 } else { delays += copies }
        }
        let lossPercent = Double(lost) / 200
        #expect(abs(lossPercent - 2) <= 0.3, "loss \(lossPercent)%")
        let median = delays.sorted()[delays.count / 2]
        #expect(median >= .milliseconds(19) && median <= .milliseconds(21), "median \(median)")
        #expect(delays.allSatisfy { $0 >= .milliseconds(15) && $0 <= .milliseconds(25) })
    }

    @Test func duplicatesAndReorders() throws {
        var impairer = Impairer(try Impairment(parsing: "duplicate=1%,reorder=1%,delay=10ms"), seed: 7)
        var copies = 0
        var held = 0
        for _ in 0..<20_000 {
            let fate = impairer.fate()
            copies += fate.delays.count
            if fate.heldBack { held += 1 }
            #expect(fate.delays.allSatisfy { $0 == .milliseconds(10) })
        }
        #expect(abs(Double(copies - 20_000) / 200 - 1) <= 0.3)
        #expect(abs(Double(held) / 200 - 1) <= 0.3)
    }

    @Test func sameSeedSameFates() throws {
        let impairment = try Impairment(parsing: "loss=5%,jitter=3ms")
        var first = Impairer(impairment, seed: 9)
        var second = Impairer(impairment, seed: 9)
        #expect((0..<1000).map { _ in first.fate() } == (0..<1000).map { _ in second.fate() })
    }

    /// --max-pps: offered 2.5 times the limit for 10 s, at most the limit passes, within 2%.
    @Test func rateLimitHoldsTheRate() {
        var limit = TokenBucket.packets(perSecond: 2000)
        var admitted = 0
        for index in 0..<50_000 {
            if limit.admit(now: .microseconds(Int64(index) * 200)) { admitted += 1 }
        }
        #expect(abs(Double(admitted) / 10 - 2000) <= 40, "\(admitted) in 10 s")
    }

    /// The bandwidth limit: 64 kbit/s offered 120-byte packets at 100 a second (96 kbit/s)
    /// for 10 s passes 64 kbit/s within 2%, and a stream under the limit passes whole.
    @Test func bandwidthLimitHoldsTheRate() {
        var limit = TokenBucket.bandwidth(bitsPerSecond: 64_000)
        var admittedBytes = 0
        for index in 0..<1000 where limit.admit(120, now: .milliseconds(Int64(index) * 10)) {
            admittedBytes += 120
        }
        #expect(abs(Double(admittedBytes * 8) / 10 - 64_000) <= 1280, "\(admittedBytes) bytes in 10 s")
        var roomy = TokenBucket.bandwidth(bitsPerSecond: 64_000)
        #expect((0..<500).allSatisfy { roomy.admit(120, now: .milliseconds(Int64($0) * 20)) }, "48 kbit/s under 64")
    }
}
