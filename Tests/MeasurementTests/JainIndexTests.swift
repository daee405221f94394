import Measurement
import Testing

@Suite("Jain's fairness index")
struct JainIndexTests {
    @Test func oneWhenAllAlikeOneOverNWhenOneGetsAll() throws {
        let alike = try #require(JainIndex.of(Array(repeating: 0.98, count: 50)))
        #expect(abs(alike - 1) < 1e-12)
        let hog = try #require(JainIndex.of([1] + Array(repeating: 0, count: 9)))
        #expect(abs(hog - 0.1) < 1e-12)
        // (1 + 0.5)² / (2 × (1 + 0.25))
        let two = try #require(JainIndex.of([1, 0.5]))
        #expect(abs(two - 0.9) < 1e-12)
    }

    @Test func nothingToShareHasNoIndex() {
        #expect(JainIndex.of([]) == nil)
        #expect(JainIndex.of([0, 0, 0]) == nil)
    }

    @Test func aThresholdCanHoldIt() throws {
        let threshold = try Threshold(parsing: "fairness >= 0.95")
        #expect(threshold.metric == .fairness && threshold.limit == 0.95)
    }
}
