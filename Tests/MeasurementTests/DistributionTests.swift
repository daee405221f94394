import Foundation
import Testing

@testable import Measurement

@Suite("Distribution")
struct DistributionTests {
    /// Delays spread over 0.2 ms … 2 s, log-uniform, the way real delay tails look.
    static func samples(_ count: Int, seed: UInt64) -> [Int64] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Int64(200_000 * pow(10, Double.random(in: 0..<4, using: &generator))) }
    }

    static func distribution(_ values: [Int64]) -> Distribution {
        var distribution = Distribution()
        for value in values { distribution.record(value) }
        return distribution
    }

    @Test func exactFiguresAndPercentilesWithinThePrecision() {
        let values = Self.samples(20_000, seed: 3)
        let distribution = Self.distribution(values)
        let sorted = values.sorted()
        #expect(distribution.count == 20_000)
        #expect(distribution.min == sorted.first)
        #expect(distribution.max == sorted.last)
        #expect(distribution.mean == Double(values.reduce(0, +)) / 20_000)
        for perMille in [500, 900, 990, 999] {
            let rank = (perMille * 20_000 + 999) / 1000 // the smallest rank with perMille ‰ at or below it
            let exact = sorted[rank - 1]
            let percentile = Double(perMille) / 10
            let measured = distribution.percentile(percentile)
            #expect(
                measured >= exact && Double(measured - exact) <= Double(exact) * 0.001 + 512,
                "p\(percentile): \(measured) vs \(exact)")
        }
    }

    @Test func emptyIsAllZero() {
        let distribution = Distribution()
        #expect(distribution.count == 0)
        #expect(distribution.percentile(99) == 0)
        #expect(distribution.summary == DistributionSummary(count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0))
    }

    @Test func outOfRangeValuesAreKeptNotDropped() {
        var distribution = Distribution()
        distribution.record(-5)
        distribution.record(90_000_000_000) // 90 s, above the 60 s histogram range
        #expect(distribution.count == 2)
        #expect(distribution.min == 0)
        #expect(distribution.max == 90_000_000_000)
        #expect(distribution.percentile(99) >= 59_000_000_000)
    }

    @Test func summaryIsInMilliseconds() {
        let distribution = Self.distribution([1_000_000, 2_000_000, 3_000_000, 4_000_000])
        let summary = distribution.summary
        #expect(summary.count == 4)
        #expect(summary.min == 1 && summary.max == 4 && summary.mean == 2.5)
        #expect(abs(summary.p50 - 2) < 0.002)
    }

    @Test func encodedFormDecodesToTheSameDistribution() throws {
        let original = Self.distribution(Self.samples(10_000, seed: 4))
        let json = try JSONEncoder().encode(original)
        let decoded = try JSONDecoder().decode(Distribution.self, from: json)
        #expect(decoded == original)
        for percentile in [0.0, 1, 50, 90, 99, 99.9, 99.99, 100] {
            #expect(decoded.percentile(percentile) == original.percentile(percentile))
        }
        #expect(decoded.summary == original.summary)
    }

    @Test func decodedShardsMergeExactlyIntoTheWhole() throws {
        let first = Self.samples(7_000, seed: 5)
        let second = Self.samples(9_000, seed: 6)
        let whole = Self.distribution(first + second)

        let encoder = JSONEncoder()
        var merged = try JSONDecoder().decode(Distribution.self, from: encoder.encode(Self.distribution(first)))
        merged.merge(try JSONDecoder().decode(Distribution.self, from: encoder.encode(Self.distribution(second))))

        #expect(merged == whole)
        for percentile in [50.0, 90, 99, 99.9] {
            #expect(merged.percentile(percentile) == whole.percentile(percentile))
        }
        #expect(merged.mean == whole.mean)
    }

    @Test func dataFromAnotherLayoutIsRefused() {
        var data = Self.distribution([1_000_000]).data
        data.significantDigits = 2
        #expect(throws: DistributionData.Mismatch.layout) { try Distribution(data) }

        var miscounted = Self.distribution([1_000_000]).data
        miscounted.count = 2
        #expect(throws: DistributionData.Mismatch.content) { try Distribution(miscounted) }
    }
}
