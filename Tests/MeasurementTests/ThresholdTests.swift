import Measurement
import Testing

@Suite("thresholds")
struct ThresholdTests {
    @Test func parsesWhatUsersWrite() throws {
        #expect(try Threshold(parsing: "loss < 0.5%") == Threshold(.loss, .below, 0.5))
        #expect(try Threshold(parsing: "jitter-p99<30ms") == Threshold(.jitterP99, .below, 30))
        #expect(try Threshold(parsing: "rtt-p99 <= 0.15s") == Threshold(.rttP99, .atMost, 150))
        #expect(try Threshold(parsing: "allocation-success >= 99.9%") == Threshold(.allocationSuccess, .atLeast, 99.9))
        #expect(try Threshold(metric: "mos", condition: ">= 4") == Threshold(.mos, .atLeast, 4))
        #expect(try Threshold(parsing: "allocation-p99 < 0.5s") == Threshold(.allocationP99, .below, 500))
        #expect(try Threshold(parsing: "setup-failure < 1%") == Threshold(.setupFailure, .below, 1))
    }

    @Test func explainsWhatIsWrong() {
        #expect(throws: ThresholdParseError.self) { try Threshold(parsing: "los < 1%") }
        #expect(throws: ThresholdParseError.self) { try Threshold(parsing: "loss 1%") }
        #expect(throws: ThresholdParseError.self) { try Threshold(parsing: "loss < 1ms") }
        #expect(throws: ThresholdParseError.self) { try Threshold(parsing: "mos >= good") }
        do { _ = try Threshold(parsing: "rtt < 1") } catch { #expect(error.description.contains("rtt-p99")) }
    }
}
