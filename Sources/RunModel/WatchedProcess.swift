import Measurement

/// A local process watched through a run (`--watch-pid`), typically the relay under test: its
/// memory, CPU and descriptors each second, and how fast its memory grew.
public struct WatchedProcess: Sendable, Codable, Equatable {
    public var pid: Int
    /// Its name, as the kernel keeps it (`/proc/PID/comm`).
    public var command: String
    /// The first at second 0, as the run started.
    public var samples: [ProcessSample]
    /// Why sampling stopped before the run ended (the process exited), if it did.
    public var lost: String?

    public init(pid: Int, command: String, samples: [ProcessSample] = [], lost: String? = nil) {
        self.pid = pid
        self.command = command
        self.samples = samples
        self.lost = lost
    }

    /// Resident memory's growth in bytes per hour, the least-squares slope over the samples:
    /// what a soak reads for a leak. Nil with fewer than two samples.
    public var residentGrowthBytesPerHour: Double? {
        LinearTrend.slope(samples.map { (Double($0.second), Double($0.residentBytes)) }).map { $0 * 3600 }
    }

    /// Resident memory gained from the first sample to the highest, per allocation the run made.
    public func residentBytesPerAllocation(_ allocations: Int) -> Double? {
        guard allocations > 0, let first = samples.first, let peak = samples.map(\.residentBytes).max() else { return nil }
        return Double(peak - first.residentBytes) / Double(allocations)
    }
}

/// One second of a watched process.
public struct ProcessSample: Sendable, Codable, Equatable {
    /// Seconds since the run started.
    public var second: Int
    public var residentBytes: Int
    /// CPU used over the second before, in percent of one core; nil for the first sample,
    /// taken as the run started.
    public var cpuPercent: Double?
    public var openFiles: Int

    public init(second: Int, residentBytes: Int, cpuPercent: Double?, openFiles: Int) {
        self.second = second
        self.residentBytes = residentBytes
        self.cpuPercent = cpuPercent
        self.openFiles = openFiles
    }
}
