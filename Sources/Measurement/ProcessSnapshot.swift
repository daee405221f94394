/// A local process's resources at one moment, as Linux's /proc shows them: what a relay under
/// load holds (memory, descriptors) and has spent (CPU).
public struct ProcessSnapshot: Sendable, Equatable {
    /// Resident memory (VmRSS).
    public var residentBytes: Int
    /// User and system CPU time so far, in clock ticks (`sysconf(_SC_CLK_TCK)`, 100 on Linux).
    public var cpuTicks: Int
    public var openFiles: Int

    public init(residentBytes: Int, cpuTicks: Int, openFiles: Int) {
        self.residentBytes = residentBytes
        self.cpuTicks = cpuTicks
        self.openFiles = openFiles
    }

    /// From the texts of `/proc/PID/stat` and `/proc/PID/status` and the entries of
    /// `/proc/PID/fd`; nil when either text is not what Linux writes (proc(5)).
    public init?(stat: String, status: String, openFiles: Int) {
        // The command name sits in parentheses and may hold spaces or parentheses itself: the
        // fields that follow start after the last ")". utime and stime are fields 14 and 15,
        // the 12th and 13th after the name.
        guard let nameEnd = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        guard
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        self.init(residentBytes: kilobytes * 1024, cpuTicks: user + system, openFiles: openFiles)
    }
}
