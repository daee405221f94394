import Histogram

/// The lossless, compact form of a `Distribution` for result files: its non-empty histogram
/// buckets as `[value, count]` pairs plus the exact count, sum, minimum and maximum, and the
/// histogram layout they belong to.
///
/// Decoding and merging these gives exactly the distribution of all the samples behind them
/// (same buckets, same percentiles, same exact figures), so shards written by different
/// processes merge without approximation. Each pair's `value` is the lowest value of its
/// bucket, so a reader with any HdrHistogram of the same layout can replay it.
public struct DistributionData: Sendable, Codable, Equatable {
    public var lowestDiscernibleValue: UInt64
    public var highestTrackableValue: UInt64
    public var significantDigits: Int
    public var count: UInt64
    /// The exact sum of all samples in nanoseconds.
    public var sum: UInt64
    /// Exact smallest and largest sample (both 0 when `count` is 0).
    public var min: UInt64
    public var max: UInt64
    public var buckets: [Bucket]

    /// `count` samples in the histogram bucket that holds `value`; encoded as `[value, count]`.
    public struct Bucket: Sendable, Codable, Equatable {
        public var value: UInt64
        public var count: UInt64

        public init(value: UInt64, count: UInt64) {
            self.value = value
            self.count = count
        }

        public init(from decoder: any Decoder) throws {
            var pair = try decoder.unkeyedContainer()
            value = try pair.decode(UInt64.self)
            count = try pair.decode(UInt64.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var pair = encoder.unkeyedContainer()
            try pair.encode(value)
            try pair.encode(count)
        }
    }
}

extension Distribution {
    /// This distribution's lossless form.
    public var data: DistributionData {
        let empty = count == 0
        return DistributionData(
            lowestDiscernibleValue: Self.lowestDiscernibleValue,
            highestTrackableValue: Self.highestTrackableValue,
            significantDigits: Int(Self.significantDigits.rawValue),
            count: UInt64(count),
            sum: total,
            min: empty ? 0 : smallest,
            max: empty ? 0 : largest,
            buckets: histogram.recordedValues().map { bucket in
                DistributionData.Bucket(value: histogram.lowestEquivalentForValue(bucket.value), count: bucket.count)
            }
        )
    }

    /// Rebuilds the distribution `data` describes.
    ///
    /// - Throws: `DistributionData.Mismatch` when `data` was written with another histogram
    ///   layout or does not describe a possible distribution.
    public init(_ data: DistributionData) throws(DistributionData.Mismatch) {
        self.init()
        guard data.lowestDiscernibleValue == Self.lowestDiscernibleValue,
            data.highestTrackableValue == Self.highestTrackableValue,
            data.significantDigits == Int(Self.significantDigits.rawValue)
        else { throw .layout }
        // Counts are added with overflow checks: a file's counts past what an Int holds
        // describe no run (and would trap where they are added or read as an Int).
        var bucketTotal: UInt64 = 0
        for bucket in data.buckets {
            guard bucket.count > 0, bucket.value <= Self.highestTrackableValue else { throw .content }
            let (sum, overflow) = bucketTotal.addingReportingOverflow(bucket.count)
            guard !overflow else { throw .content }
            bucketTotal = sum
        }
        guard bucketTotal == data.count, data.count <= UInt64(Int.max), data.min <= data.max else { throw .content }
        guard data.count > 0 else { return }

        // Replay each bucket at a value inside it. The exact extremes are replayed once each,
        // so the histogram's own minimum and maximum (which cap its percentiles) come back too.
        let lowest = Swift.min(data.min, Self.highestTrackableValue)
        let highest = Swift.min(data.max, Self.highestTrackableValue)
        for bucket in data.buckets {
            var remaining = bucket.count
            if histogram.valuesAreEquivalent(bucket.value, highest) {
                histogram.record(highest)
                remaining -= 1
            }
            let representative = histogram.valuesAreEquivalent(bucket.value, lowest) ? lowest : bucket.value
            if remaining > 0 {
                histogram.record(representative, count: remaining)
            }
        }
        total = data.sum
        smallest = data.min
        largest = data.max
    }
}

extension DistributionData {
    public enum Mismatch: Error, Sendable, Equatable {
        /// Written with another histogram range or precision; cannot be merged bucket for bucket.
        case layout
        /// Empty or out-of-range buckets, counts that do not add up to `count` or add up past
        /// the largest whole number, or min above max.
        case content
    }
}

extension DistributionData.Mismatch: CustomStringConvertible {
    public var description: String {
        switch self {
        case .layout: "a histogram written with another range or precision"
        case .content:
            "a histogram whose bucket counts do not add up to its count (or pass the largest whole number), "
                + "or whose minimum is above its maximum"
        }
    }
}

extension Distribution: Codable {
    public init(from decoder: any Decoder) throws {
        do {
            try self.init(DistributionData(from: decoder))
        } catch let mismatch as DistributionData.Mismatch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(mismatch)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try data.encode(to: encoder)
    }
}
