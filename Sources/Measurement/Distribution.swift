import Histogram

/// A mergeable distribution of durations in nanoseconds: an HdrHistogram (1 µs to 60 s,
/// 3 significant digits) plus the exact count, sum, minimum and maximum.
///
/// Percentiles carry the histogram's quantisation (within 0.1 % of the value, and at least
/// 512 ns, the power of two at or below 1 µs); `min`, `max` and `mean` are exact. Values
/// below zero are recorded as 0 and values above 60 s are counted in the top bucket (their
/// exact maximum is kept), so no sample is ever dropped.
///
/// `record` does not allocate once the distribution exists (the counts array, about 140 KB,
/// is allocated by `init`), provided this value is not shared with a copy (copy-on-write).
/// Keep one per direction and thread, not one per stream.
///
/// Encodes as its lossless `DistributionData`, so another process can merge it exactly.
public struct Distribution: Sendable {
    /// 1 µs; the histogram rounds it down to 512 ns, its unit.
    public static let lowestDiscernibleValue: UInt64 = 1_000
    /// 60 s.
    public static let highestTrackableValue: UInt64 = 60_000_000_000
    public static let significantDigits: SignificantDigits = .three

    @usableFromInline var histogram: Histogram<UInt64>
    @usableFromInline var total: UInt64 = 0
    @usableFromInline var smallest: UInt64 = .max
    @usableFromInline var largest: UInt64 = 0

    public init() {
        histogram = Histogram(
            lowestDiscernibleValue: Self.lowestDiscernibleValue,
            highestTrackableValue: Self.highestTrackableValue,
            numberOfSignificantValueDigits: Self.significantDigits
        )
    }

    /// Adds one sample.
    @inlinable
    public mutating func record(_ nanoseconds: Int64) {
        let value = UInt64(clamping: nanoseconds)
        histogram.record(Swift.min(value, Self.highestTrackableValue))
        total &+= value
        smallest = Swift.min(smallest, value)
        largest = Swift.max(largest, value)
    }

    /// Adds all of `other`'s samples, exactly as if they had been recorded here.
    public mutating func merge(_ other: Distribution) {
        histogram.add(other.histogram)
        total &+= other.total
        smallest = Swift.min(smallest, other.smallest)
        largest = Swift.max(largest, other.largest)
    }

    /// Forgets every sample, keeping the storage (for per-second reuse).
    public mutating func reset() {
        histogram.reset()
        total = 0
        smallest = .max
        largest = 0
    }

    public var count: Int { Int(histogram.totalCount) }

    /// The smallest sample in nanoseconds, exact; 0 when empty.
    public var min: Int64 { count == 0 ? 0 : Int64(smallest) }

    /// The largest sample in nanoseconds, exact; 0 when empty.
    public var max: Int64 { count == 0 ? 0 : Int64(largest) }

    /// The exact mean in nanoseconds; 0 when empty.
    public var mean: Double { count == 0 ? 0 : Double(total) / Double(count) }

    /// The value at or below which `percentile` % of the samples lie (0...100), in nanoseconds,
    /// to the histogram's resolution (the top of the sample's bucket, capped at the largest
    /// sample); 0 when empty. The ends, 0 and 100, are the exact minimum and maximum.
    public func percentile(_ percentile: Double) -> Int64 {
        guard count > 0 else { return 0 }
        if percentile <= 0 { return min }
        if percentile >= 100 { return max }
        return Int64(histogram.valueAtPercentile(percentile))
    }

    /// The usual figures in milliseconds.
    public var summary: DistributionSummary {
        DistributionSummary(
            count: count,
            min: Double(min) / 1e6,
            mean: mean / 1e6,
            p50: Double(percentile(50)) / 1e6,
            p90: Double(percentile(90)) / 1e6,
            p99: Double(percentile(99)) / 1e6,
            p999: Double(percentile(99.9)) / 1e6,
            max: Double(max) / 1e6
        )
    }
}

extension Distribution: Equatable {
    /// Equal when they hold the same samples to the histogram's resolution and the same exact
    /// count, sum, minimum and maximum.
    public static func == (lhs: Distribution, rhs: Distribution) -> Bool {
        lhs.data == rhs.data
    }
}

/// The usual figures of a `Distribution`, in milliseconds (all 0 when `count` is 0).
public struct DistributionSummary: Sendable, Codable, Equatable {
    public var count: Int
    public var min: Double
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    public init(count: Int, min: Double, mean: Double, p50: Double, p90: Double, p99: Double, p999: Double, max: Double) {
        self.count = count
        self.min = min
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
    }
}
