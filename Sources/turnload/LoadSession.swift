import ArgumentParser
import Foundation
import LoadEngine
import Measurement
import Media
import NIOPosix
import Reporting

/// What a load command sets up once and runs loads on: the Opus packet library, the event
/// loops, the in-process relay or the named targets, the progress display and Ctrl-C.
final class LoadSession {
    struct Target {
        /// "in-process relay" or the URI, as results name it.
        var name: String
        var load: LoadTarget
    }

    let options: LoadOptions
    /// What each run's report holds it to and prices it under.
    let thresholds: [Threshold]
    let cost: CostOptions
    let prices: [PriceOption]
    let library: OpusPacketLibrary
    let targets: [Target]
    let stop = StopSignal()
    private let group: MultiThreadedEventLoopGroup
    private let relay: EmbeddedRelay?
    private let reporter: ProgressReporter

    /// `maxClients`: the most clients any load of this session will open at once.
    init(_ options: LoadOptions, thresholds: [Threshold], cost: CostOptions, maxClients: Int) async throws {
        // Before anything starts: a long run must not end with results it cannot keep.
        do { try OutputFile.checkWritable(folder: options.out ?? "results") } catch { throw error.reported() }
        self.options = options
        self.thresholds = thresholds
        self.cost = cost
        prices = try cost.prices(scenario: options.scenario)
        let available = FileDescriptorLimit.raise()
        let needed = FileDescriptorLimit.needed(clients: maxClients, inProcessRelay: options.inProcessRelay)
        if needed > available {
            throw ValidationError("\(maxClients) clients need about \(needed) open files but the limit is \(available) (ulimit -n): "
                + "lower the number of clients or raise the hard limit")
        }
        do { library = try OpusPacketLibrary.encode(options.mediaSettings, seed: options.seed) } catch {
            throw ValidationError("\(error)")
        }
        if options.inProcessRelay {
            let started = try await EmbeddedRelay.start(clients: maxClients, impairment: options.relayImpair,
                                                        maxPps: options.relayMaxPps, seed: options.seed,
                                                        threads: options.inProcessRelayThreads)
            relay = started
            targets = [Target(name: "in-process relay", load: started.target)]
        } else {
            relay = nil
            targets = try options.credentials.targets(options.targets).map {
                Target(name: $0.0.description, load: LoadTarget(uri: $0.0, credential: $0.1, tls: options.tls.options))
            }
        }
        group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        reporter = ProgressReporter(json: options.json)
    }

    /// Waits for `--start-at`, counting down on the progress line; a time already past starts
    /// at once, with a warning. False when Ctrl-C came first.
    func waitForStart() async -> Bool {
        guard let startAt = options.startAt else { return true }
        if startAt.date.timeIntervalSinceNow <= 0 {
            printError("--start-at \(startAt) has passed: starting now, out of step with shards that started on time")
            return true
        }
        while case let remaining = startAt.date.timeIntervalSinceNow, remaining > 0 {
            if stop.received { return false }
            reporter.countdown(to: startAt, seconds: Int(remaining.rounded(.up)))
            try? await Task.sleep(for: .seconds(min(remaining, 0.1)))
        }
        return true
    }

    /// Runs one load against `target` and writes its results into `folder`. Nil when the load
    /// could not start at all (the reason is printed); throws when its results cannot be kept.
    func run(_ target: Target, configuration: LoadConfiguration, folder: String) async throws(WriteError) -> RunResult? {
        reporter.starting(target.name, library: library, configuration: configuration)
        let engine = LoadEngine(target: target.load, configuration: configuration, library: library)
        let startedAt = Date()
        let outcome: LoadOutcome
        do {
            outcome = try await engine.run(group: group, progress: { [reporter] in reporter.second($0) },
                                           shouldStop: { [stop] in stop.received })
        } catch {
            printError("\(target.name): \(error)")
            return nil
        }
        var record = RunConfiguration(configuration, transport: target.load.uri.transport.rawValue, embeddedRelay: relay != nil,
                                      relayImpairment: options.relayImpair, relayMaxPps: options.relayMaxPps)
        record.relayThreads = relay?.server.threads
        let result = RunResult(turnloadVersion: turnloadVersion, target: target.name, startedAt: startedAt, configuration: record,
                               library: library, outcome: outcome, embeddedRelay: await relay?.server.counters,
                               shard: options.shard, scheduledStart: options.startAt?.date)
        do {
            try ResultWriter.write(result, to: folder)
            let figures = LoadFigures(result)
            try ReportWriter.writeRun(result, checks: thresholds.map { $0.check(figures) },
                                      cost: cost.projection(TrafficVolume(result), prices: prices, cleanCapacity: nil), to: folder)
        } catch {
            reporter.finished(result, folder: nil)
            throw error
        }
        reporter.finished(result, folder: folder)
        return result
    }

    /// The folder for a load: `--out`, with a subfolder per target when there are several (or
    /// `subfolders`), else `results/<time>-<target><suffix>`.
    func folder(for target: Target, startedAt: Date, suffix: String = "", subfolders: Bool = false) -> String {
        let name = ResultWriter.folderName(for: target.name) + suffix
        if let out = options.out { return targets.count > 1 || subfolders ? "\(out)/\(name)" : out }
        return "results/\(ResultWriter.timestamp(startedAt))-\(name)"
    }

    func shutdown() async {
        await relay?.stop()
        try? await group.shutdownGracefully()
    }
}
