import Foundation
import Measurement
import RunModel

#if canImport(Glibc)
import Glibc
#endif

/// Samples a local process from /proc once a second while a load runs.
final class ProcessWatcher: Sendable {
    let pid: Int
    private let task: Task<WatchedProcess, Never>

    /// Nil when `/proc/PID` cannot be read: no such process, or another user's.
    static func refusal(_ pid: Int) -> LoadSession.Refusal? {
        guard snapshot(pid) == nil || text("/proc/\(pid)/comm") == nil else { return nil }
        return LoadSession.Refusal(
            description: "--watch-pid \(pid): no process \(pid) that this user may read on this machine: "
                + "give the PID of a local relay (pidof turnserver)")
    }

    /// Starts sampling at once: a sample each second from now on.
    init(pid: Int) {
        self.pid = pid
        task = Task {
            let command = Self.text("/proc/\(pid)/comm") ?? "?"
            var watched = WatchedProcess(pid: pid, command: command.trimmingCharacters(in: .whitespacesAndNewlines))
            guard let first = Self.snapshot(pid) else {
                watched.lost = "process \(pid) could not be read"
                return watched
            }
            let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
            let started = ContinuousClock.now
            watched.samples.append(
                ProcessSample(second: 0, residentBytes: first.residentBytes, cpuPercent: nil, openFiles: first.openFiles))
            var last = (snapshot: first, at: started)
            while !Task.isCancelled {
                try? await Task.sleep(until: last.at + .seconds(1), clock: .continuous)
                let now = ContinuousClock.now
                guard let snapshot = Self.snapshot(pid) else {
                    watched.lost = "process \(pid) exited or could no longer be read after \(watched.samples.count - 1) s"
                    break
                }
                let elapsed = (now - last.at) / .seconds(1)
                let cpu = Double(snapshot.cpuTicks - last.snapshot.cpuTicks) / ticksPerSecond / elapsed * 100
                watched.samples.append(
                    ProcessSample(
                        second: Int(((now - started) / .seconds(1)).rounded()), residentBytes: snapshot.residentBytes,
                        cpuPercent: cpu, openFiles: snapshot.openFiles))
                last = (snapshot, now)
            }
            return watched
        }
    }

    /// Stops sampling: what was sampled so far.
    func finish() async -> WatchedProcess {
        task.cancel()
        return await task.value
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
