/// Per-second rows of a run, ordered by second, mergeable across shards.
///
/// Encodes as a JSON array of `SecondSample`s; decoding re-sorts and merges rows of the same
/// second, so a hand-edited or concatenated file still reads as a valid series.
public struct TimeSeries: Sendable, Equatable {
    /// One row per second that has data, in increasing `second` order.
    public private(set) var samples: [SecondSample] = []

    public init() {}

    /// Adds a row; a row for a second already present merges into it.
    public mutating func add(_ sample: SecondSample) throws(DistributionData.Mismatch) {
        let index = samples.partitioningIndex { $0.second >= sample.second }
        if index < samples.count, samples[index].second == sample.second {
            try samples[index].merge(sample)
        } else {
            samples.insert(sample, at: index)
        }
    }

    /// Adds every row of `other` (another shard's series over the same run clock).
    public mutating func merge(_ other: TimeSeries) throws(DistributionData.Mismatch) {
        for sample in other.samples {
            try add(sample)
        }
    }

    public static let csvHeader =
        "second,sent,received,lost,bytes_sent,bytes_received,delay_p50_ms,delay_p99_ms,"
        + "rtt_p50_ms,rtt_p99_ms,jitter_p99_ms,active_clients,errors,allocations,releases"

    /// The series as CSV with a header row, one line per second; milliseconds with three
    /// decimals (microseconds); a percentile cell is empty when that second had no sample.
    public func csv() throws(DistributionData.Mismatch) -> String {
        var lines = [Self.csvHeader]
        for sample in samples {
            let delay = try Distribution(sample.delay)
            let rtt = try Distribution(sample.rtt)
            let jitter = try Distribution(sample.jitter)
            let cells: [String] = [
                String(sample.second), String(sample.sent), String(sample.received), String(sample.lost),
                String(sample.bytesSent), String(sample.bytesReceived),
                Self.milliseconds(delay, 50), Self.milliseconds(delay, 99),
                Self.milliseconds(rtt, 50), Self.milliseconds(rtt, 99),
                Self.milliseconds(jitter, 99),
                String(sample.activeClients), String(sample.errors),
                sample.allocations.map(String.init) ?? "", sample.releases.map(String.init) ?? "",
            ]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func milliseconds(_ distribution: Distribution, _ percentile: Double) -> String {
        guard distribution.count > 0 else { return "" }
        return DecimalText.fixed(Double(distribution.percentile(percentile)) / 1e6, decimals: 3)
    }
}

extension TimeSeries: Codable {
    public init(from decoder: any Decoder) throws {
        self.init()
        for sample in try [SecondSample](from: decoder) {
            try add(sample)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try samples.encode(to: encoder)
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array partitioned so that all
    /// such elements come last (binary search).
    fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
