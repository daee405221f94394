import Foundation
import NIOPosix
import RunModel
import TURNClient
import TURNProtocol

/// `turnload probe`: URIs probed one after the other. Ctrl-C ends the probe under way with its
/// steps so far and skips the rest.
public enum ProbeSession {
    /// Each probe's result as it ends: a JSON line on standard output with `json`, else a line
    /// on standard error as each starts (the table comes at the end).
    public static func run(_ probes: [(uri: TURNURI, probe: TURNProbe)], json: Bool) async -> (results: [ProbeResult], interrupted: Bool) {
        let stop = StopSignal()
        let probing = Task {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var results: [ProbeResult] = []
            for (uri, probe) in probes where !Task.isCancelled {
                if !json { printError("probing \(uri)…") }
                let result = await probe.run(uri, group: MultiThreadedEventLoopGroup.singleton)
                if json, let line = try? encoder.encode(result) { print(String(decoding: line, as: UTF8.self)) }
                results.append(result)
            }
            return results
        }
        let watching = Task {
            while !Task.isCancelled, !stop.received { try? await Task.sleep(for: .milliseconds(50)) }
            if stop.received { probing.cancel() }
        }
        let results = await probing.value
        watching.cancel()
        return (results, stop.received)
    }
}
