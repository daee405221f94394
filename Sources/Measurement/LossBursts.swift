/// How many runs of consecutive lost packets there were of each length.
///
/// A run is a maximal stretch of sequence numbers that never arrived, bounded by received
/// packets or by the ends of what was sent. The E-model's burst ratio and a report's
/// "how bursty was the loss" both come from this.
public struct LossBursts: Sendable, Equatable {
    /// Run length → number of runs of that length.
    @usableFromInline var countByLength: [Int: Int]

    public init() {
        // A stream rarely sees more than a few distinct run lengths; reserving them up front
        // keeps the receive path from allocating when a run ends.
        countByLength = Dictionary(minimumCapacity: 8)
    }

    @inlinable
    public mutating func record(length: Int, count: Int = 1) {
        guard length > 0, count > 0 else { return }
        countByLength[length, default: 0] += count
    }

    public mutating func merge(_ other: LossBursts) {
        for (length, count) in other.countByLength {
            record(length: length, count: count)
        }
    }

    /// The runs recorded after `earlier`, a snapshot of the same stream's.
    public func since(_ earlier: LossBursts) -> LossBursts {
        var later = LossBursts()
        for (length, count) in countByLength { later.record(length: length, count: count - earlier.count(ofLength: length)) }
        return later
    }

    /// Runs of `length` lost packets.
    public func count(ofLength length: Int) -> Int { countByLength[length] ?? 0 }

    /// All runs, shortest first.
    public var runs: [LossBurst] {
        countByLength.sorted { $0.key < $1.key }.map { LossBurst(length: $0.key, count: $0.value) }
    }

    /// Number of runs of any length.
    public var burstCount: Int { countByLength.values.reduce(0, +) }

    /// Packets lost across all runs.
    public var lostPackets: Int { countByLength.reduce(0) { $0 + $1.key * $1.value } }

    /// Mean run length in packets; 0 when nothing was lost.
    public var meanLength: Double {
        let bursts = burstCount
        return bursts == 0 ? 0 : Double(lostPackets) / Double(bursts)
    }
}

/// `count` runs of `length` consecutive lost packets.
public struct LossBurst: Sendable, Codable, Equatable {
    public var length: Int
    public var count: Int

    public init(length: Int, count: Int) {
        self.length = length
        self.count = count
    }
}

extension LossBursts: Codable {
    /// Encoded as `[{"length": 1, "count": 12}, …]`, shortest first, so JSON keys stay strings.
    /// Counts whose totals (runs, or packets lost in them) pass the largest whole number are
    /// refused: no run lost that many, and adding them up would trap.
    public init(from decoder: any Decoder) throws {
        self.init()
        var bursts = 0
        var lost = 0
        for run in try [LossBurst](from: decoder) where run.length > 0 && run.count > 0 {
            let (packets, tooMany) = run.length.multipliedReportingOverflow(by: run.count)
            let (nextBursts, burstOverflow) = bursts.addingReportingOverflow(run.count)
            let (nextLost, lostOverflow) = lost.addingReportingOverflow(packets)
            guard !tooMany, !burstOverflow, !lostOverflow else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: "loss bursts that add up past the largest whole number (\(run.count) runs of \(run.length))"))
            }
            bursts = nextBursts
            lost = nextLost
            record(length: run.length, count: run.count)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try runs.encode(to: encoder)
    }
}
