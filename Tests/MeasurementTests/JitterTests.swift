import Testing

@testable import Measurement

@Suite("RFC 3550 interarrival jitter")
struct JitterTests {
    @Test func constantTransitHasNoJitter() {
        var script = StreamScript(firstTimestamp: UInt32.max - 5 * 960) // crosses the timestamp wrap too
        script.deliver(0..<200)
        #expect(script.receiver.jitter == 0)
        #expect(script.finish(sent: 200).jitter == 0)
    }

    @Test func handComputedSteps() {
        // Transits 30, 46, 46 ms: D = 16 ms then 0.
        // J1 = 0 + (16 − 0)/16 = 1 ms; J2 = 1 + (0 − 1)/16 = 0.9375 ms = 45 ticks at 48 kHz.
        var script = StreamScript()
        script.deliver(0..<2) { $0 == 0 ? 30_000_000 : 46_000_000 }
        #expect(script.receiver.jitter == 1_000_000)
        script.deliver(2..<3) { _ in 46_000_000 }
        #expect(script.receiver.jitter == 937_500)
        #expect(abs(script.receiver.jitterInTimestampUnits - 45) < 1e-9)
    }

    @Test func alternatingOneMillisecondConvergesGeometrically() {
        // |D| = 1 ms for every packet after the first, so J_n = 1 ms · (1 − (15/16)^n).
        var script = StreamScript()
        script.deliver(0..<200) { $0.isMultiple(of: 2) ? 30_000_000 : 31_000_000 }
        var expected = 1.0
        for _ in 0..<199 { expected *= 15.0 / 16 }
        expected = 1_000_000 * (1 - expected)
        #expect(abs(Double(script.receiver.jitter) - expected) <= 0.5)
        #expect(script.receiver.jitter > 999_990)
    }
}
