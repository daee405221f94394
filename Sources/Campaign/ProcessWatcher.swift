import Foundation
import Measurement
import RunModel

#if canImport(Glibc)
import Glibc
#endif

/// Samples a local process from /proc once a second while a load runs.
final class ProcessWatcher: Sendable {
    private struct State: Sendable {
        var watched: WatchedProcess
        /// The sample before, for the CPU used since.
        var last: (snapshot: ProcessSnapshot, at: ContinuousClock.Instant)?
    }

    private let sampler: Sampler<State>

    /// Nil when `/proc/PID` cannot be read: no such process, or another user's.
    static func refusal(_ pid: Int) -> LoadSession.Refusal? {
        guard snapshot(pid) == nil || text("/proc/\(pid)/comm") == nil else { return nil }
        return LoadSession.Refusal(
            description: "--watch-pid \(pid): no process \(pid) that this user may read on this machine: "
                + "give the PID of a local relay (pidof turnserver)")
    }

    /// Starts sampling at once: a sample now, then each second.
    init(pid: Int) {
        let command = Self.text("/proc/\(pid)/comm") ?? "?"
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let watched = WatchedProcess(pid: pid, command: command.trimmingCharacters(in: .whitespacesAndNewlines))
        sampler = Sampler(State(watched: watched)) { state, second in
            let now = ContinuousClock.now
            guard let snapshot = Self.snapshot(pid) else {
                state.watched.lost =
                    second == 0
                    ? "process \(pid) could not be read"
                    : "process \(pid) exited or could no longer be read after \(second - 1) s"
                return false
            }
            let cpu = state.last.map { last in
                Double(snapshot.cpuTicks - last.snapshot.cpuTicks) / ticksPerSecond / ((now - last.at) / .seconds(1)) * 100
            }
            state.watched.samples.append(
                ProcessSample(second: second, residentBytes: snapshot.residentBytes, cpuPercent: cpu, openFiles: snapshot.openFiles))
            state.last = (snapshot, now)
            return true
        }
    }

    /// Stops sampling: what was sampled so far.
    func finish() async -> WatchedProcess {
        await sampler.finish().watched
    }

    private static func snapshot(_ pid: Int) -> ProcessSnapshot? {
        guard let stat = text("/proc/\(pid)/stat"), let status = text("/proc/\(pid)/status"),
            let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return nil }
        return ProcessSnapshot(stat: stat, status: status, openFiles: descriptors.count)
    }

    private static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
