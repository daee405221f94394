import Foundation
import LoadEngine
import Measurement
import Media
import Reporting

#if canImport(Glibc)
import Glibc
#endif

/// Shows a run as it goes: on a terminal one line rewritten each second, else plain lines, or
/// with --json one JSON object a line on standard output. Diagnostics stay on standard error.
/// Unchecked Sendable: its counters are touched by one task at a time, the session's, never at once.
public final class ProgressReporter: @unchecked Sendable {
    let json: Bool
    let terminal = isatty(STDERR_FILENO) == 1
    /// The previous second's `lost`; `second` is called from one task at a time.
    private var lostBefore = 0
    private var clients: Int? = 0
    /// The seconds to `--start-at` last shown; nil when no countdown is on the line.
    private var countdownShown: Int?

    public init(json: Bool) {
        self.json = json
    }

    /// `seconds` to go until `start`: rewritten each second on a terminal, else shown once a minute.
    func countdown(to start: Date, seconds: Int) {
        guard seconds != countdownShown else { return }
        defer { countdownShown = seconds }
        if terminal, !json {
            rewrite("starting at \(ISO8601Time.string(start, fractionalSeconds: false)) (--start-at), in \(seconds) s")
            return
        }
        guard countdownShown == nil || seconds % 60 == 0 else { return }
        if json {
            emit(["event": "waiting", "startAt": start, "seconds": seconds])
        } else {
            printError("starting at \(ISO8601Time.string(start, fractionalSeconds: false)) (--start-at), in \(seconds) s")
        }
    }

    func starting(_ target: String, library: OpusPacketLibrary, configuration: LoadConfiguration, live: Bool = false) {
        lostBefore = 0
        let share = configuration.localClients.count
        clients = configuration.arrivals == nil && !live ? share : nil
        guard !json else { return }
        if terminal, countdownShown != nil { _ = write(STDERR_FILENO, "\n", 1) }
        countdownShown = nil
        let media = library.settings
        let inAll = configuration.shard == .whole ? "" : " in all"
        let load: String
        let shape: String
        if live {
            load = "one live population"
            shape = "growing at \(configuration.rampPerSecond)/s as the search steps, none leaving"
        } else if let arrivals = configuration.arrivals {
            load = configuration.shard == .whole ? "calls that come and go" : "shard \(configuration.shard) of calls that come and go"
            shape =
                "\(DecimalText.short(arrivals.rate)) calls/s\(inAll), holding time \(arrivals.holdTime) "
                + "(\(DecimalText.short(arrivals.offeredErlangs)) Erlangs), for \(configuration.duration)"
        } else {
            // Each group's clients among this process's: a shard runs its share of them.
            let groups = configuration.groupLoads.map { group in
                "\(group.name) \(group.configuration.clientRange?.clamped(to: configuration.localClients).count ?? 0)"
            }
            load =
                (configuration.shard == .whole
                    ? "\(share) clients" : "shard \(configuration.shard), \(share) of \(configuration.clients) clients")
                + (configuration.groups.isEmpty ? "" : " (\(groups.joined(separator: ", ")))")
            shape = "ramp \(configuration.rampPerSecond)/s\(inAll), then \(configuration.duration) at full load"
        }
        printError(
            "\(target): \(load), \(configuration.topology.rawValue), Opus \(media.bitrate / 1000) kbit/s "
                + "\(media.frameMilliseconds) ms (mean \(Int(library.meanPayloadBytes.rounded())) bytes a packet), \(shape)"
        )
    }

    func second(_ sample: SecondSample) {
        if json {
            emit(["event": "second", "sample": sample])
            return
        }
        let line = ProgressLine.render(sample, lostBefore: lostBefore, clients: clients)
        lostBefore = sample.lost
        if terminal {
            rewrite(line)
        } else {
            printError(line)
        }
    }

    /// A checkpoint's partial results are in `folder`; on a terminal the progress line goes on
    /// below the note.
    func checkpointWritten(folder: String) {
        if json {
            emit(["event": "checkpoint", "folder": folder])
            return
        }
        if terminal { _ = write(STDERR_FILENO, "\n", 1) }
        printError("checkpoint: the results so far are in \(folder)/, marked in-progress")
    }

    /// `folder`: nil when the results could not be written there.
    func finished(_ result: RunResult, folder: String?) {
        if json {
            emit(["event": "result", "folder": folder, "result": result] as [String: any Encodable])
            return
        }
        if terminal { _ = write(STDERR_FILENO, "\n", 1) }
        print(RunSummary.render(result, folder: folder))
    }

    /// Replaces the terminal's current line.
    private func rewrite(_ line: String) {
        let text = Array("\r\u{1B}[2K\(line)".utf8)
        _ = text.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    private func emit(_ object: [String: any Encodable]) {
        let wrapped = object.mapValues(AnyEncodable.init)
        if let data = try? ResultWriter.encoder(pretty: false).encode(wrapped) { print(String(decoding: data, as: UTF8.self)) }
    }
}

private struct AnyEncodable: Encodable {
    let value: any Encodable
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
