import Foundation
import LoadEngine
import Measurement
import Media
import NIOCore
import NIOPosix
import Reporting
import RunModel
import TURNClient
import TURNProtocol
import TURNRelay

/// What a load command sets up once and runs loads on: the Opus packet library, the event
/// loops, the in-process relay or the named targets, the progress display and Ctrl-C.
public final class LoadSession: Sendable {
    public struct Target: Sendable {
        /// "in-process relay" or the URI, as results name it.
        public var name: String
        public var load: LoadTarget

        public init(name: String, load: LoadTarget) {
            self.name = name
            self.load = load
        }
    }

    /// turnload's own relay as a target, and how it shapes what it relays.
    public struct InProcessRelay: Sendable {
        /// As `--impair` takes it.
        public var impairment: String?
        public var maxPps: Int?
        public var threads: Int

        public init(impairment: String?, maxPps: Int?, threads: Int) {
            self.impairment = impairment
            self.maxPps = maxPps
            self.threads = threads
        }
    }

    public struct Settings: Sendable {
        /// The endpoints; empty with `inProcessRelay`.
        public var targets: [Target] = []
        public var inProcessRelay: InProcessRelay?
        public var media = OpusSettings()
        public var seed: UInt64 = 1
        /// Event-loop threads for the clients.
        public var threads = 1
        /// The most clients any load of this session opens at once.
        public var maxClients = 100
        /// `--out`: nil for a folder of its own under `results/`.
        public var out: String?
        /// Progress as JSON lines on standard output.
        public var json = false
        /// What each run's report holds it to and prices it under.
        public var thresholds = Threshold.defaults
        public var cost = CostPlan(minutesPerMonth: 1_000_000, peakCalls: nil, prices: PriceOption.defaults)
        public var shard: ShardAssignment?
        public var startAt: Date?
        /// The endpoint's TLS and DTLS port for a `--mix` whose target is plain `turn:`.
        public var mixSecurePort: UInt16 = 5349
        /// Each load's results so far are written this often while it runs (`--checkpoint`).
        public var checkpoint: Duration?
        /// A local process to sample through every load (`--watch-pid`), typically the relay.
        public var watchPid: Int?
        /// A Prometheus endpoint to scrape through every load (`--watch-metrics`), and the
        /// patterns of the metric names to keep (`--watch-series`).
        public var watchMetrics: String?
        public var watchSeries: [String] = []
        /// Where to serve the current second's figures for Prometheus (`--metrics`).
        public var metrics: TransportAddress?

        public init() {}
    }

    /// The session could not start; the description says why and what to do.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    public let settings: Settings
    public let library: OpusPacketLibrary
    public let targets: [Target]
    public let stop = StopSignal()
    private let group: MultiThreadedEventLoopGroup
    private let relay: EmbeddedRelay?
    private let reporter: ProgressReporter
    private let harnessMetrics: HarnessMetrics
    private let metricsEndpoint: MetricsEndpoint?

    public init(_ settings: Settings) async throws {
        // Before anything starts: a long run must not end with results it cannot keep.
        try OutputFile.checkWritable(folder: settings.out ?? "results")
        self.settings = settings
        harnessMetrics = HarnessMetrics(frameInterval: settings.media.frameInterval.nanosecondsValue)
        let available = FileDescriptorLimit.raise()
        let needed = FileDescriptorLimit.needed(clients: settings.maxClients, inProcessRelay: settings.inProcessRelay != nil)
        if needed > available {
            throw Refusal(
                description: "\(settings.maxClients) clients need about \(needed) open files but the limit is \(available) "
                    + "(ulimit -n): lower the number of clients or raise the hard limit")
        }
        if let pid = settings.watchPid, let refusal = ProcessWatcher.refusal(pid) { throw refusal }
        if let url = settings.watchMetrics {
            guard let endpoint = MetricsScraper.Endpoint(url) else {
                throw Refusal(description: "--watch-metrics \(url) is not a plain-HTTP URL: give http://HOST:PORT/metrics")
            }
            do { _ = try await HTTPGet.body(host: endpoint.host, port: endpoint.port, path: endpoint.path, timeout: .seconds(2)) } catch {
                throw Refusal(description: "--watch-metrics \(url): cannot scrape it (\(error)): is the endpoint up?")
            }
        }
        if let address = settings.metrics {
            do {
                metricsEndpoint = try await MetricsEndpoint.start(
                    harnessMetrics.exposition, at: SocketAddress(address), group: MultiThreadedEventLoopGroup.singleton)
            } catch {
                throw Refusal(description: "--metrics \(address): cannot serve metrics there (\(error)): give a free local port")
            }
        } else {
            metricsEndpoint = nil
        }
        do { library = try OpusPacketLibrary.encode(settings.media, seed: settings.seed) } catch {
            throw Refusal(description: "\(error)")
        }
        if let inProcess = settings.inProcessRelay {
            let started = try await EmbeddedRelay.start(
                clients: settings.maxClients, impairment: inProcess.impairment,
                maxPps: inProcess.maxPps, seed: settings.seed, threads: inProcess.threads)
            relay = started
            targets = [Target(name: "in-process relay", load: started.target)]
        } else {
            relay = nil
            targets = settings.targets
        }
        group = MultiThreadedEventLoopGroup(numberOfThreads: settings.threads)
        reporter = ProgressReporter(json: settings.json)
    }

    /// Waits for `startAt`, counting down on the progress line; a time already past starts at
    /// once, with a warning. False when Ctrl-C came first.
    public func waitForStart() async -> Bool {
        guard let startAt = settings.startAt else { return true }
        if startAt.timeIntervalSinceNow <= 0 {
            printError(
                "--start-at \(ISO8601Time.string(startAt, fractionalSeconds: false)) has passed: starting now, "
                    + "out of step with shards that started on time")
            return true
        }
        while case let remaining = startAt.timeIntervalSinceNow, remaining > 0 {
            if stop.received { return false }
            reporter.countdown(to: startAt, seconds: Int(remaining.rounded(.up)))
            try? await Task.sleep(for: .seconds(min(remaining, 0.1)))
        }
        return true
    }

    /// Runs one load against `target` and writes its results into `folder`. Nil when the load
    /// could not start at all (the reason is printed); throws when its results cannot be kept.
    /// With `live`, one population grown as it asks (`saturate --live`).
    public func run(
        _ target: Target, configuration: LoadConfiguration, folder: String, live: LivePopulation? = nil
    ) async throws(WriteError) -> RunResult? {
        reporter.starting(target.name, library: library, configuration: configuration, live: live != nil)
        let startedAt = Date()
        let watcher = settings.watchPid.map(ProcessWatcher.init)
        let scraper = settings.watchMetrics.flatMap(MetricsScraper.Endpoint.init).map {
            MetricsScraper($0, patterns: settings.watchSeries.isEmpty ? MetricsScraper.defaultPatterns : settings.watchSeries)
        }
        let assemble = assembler(target, configuration: configuration, startedAt: startedAt)
        let checkpoint = settings.checkpoint.map { interval in
            LoadCheckpoint(interval: interval) { [settings, reporter] partial in
                do {
                    try Self.write(await assemble(partial), settings: settings, to: folder)
                    reporter.checkpointWritten(folder: folder)
                } catch {
                    printError("checkpoint: \(error); the run goes on")
                }
            }
        }
        let abuse: AbuseSender?
        do { abuse = try await startAbuse(configuration.abuse, at: target.load.uri, seed: configuration.seed) } catch {
            printError("\(target.name): --abuse: \(error)")
            return nil
        }
        let progress: @Sendable (SecondSample) -> Void = { [reporter, harnessMetrics] in
            abuse?.second($0.second)
            reporter.second($0)
            harnessMetrics.update($0)
        }
        var outcome: LoadOutcome
        do {
            if let mix = configuration.mix {
                outcome = try await runMixed(mix, target: target.load, configuration: configuration, progress: progress)
            } else if !configuration.groups.isEmpty {
                outcome = try await runGroups(target: target.load, configuration: configuration, progress: progress)
            } else {
                let engine = LoadEngine(target: target.load, configuration: configuration, library: library)
                outcome = try await engine.run(
                    group: group, progress: progress, shouldStop: { [stop] in stop.received }, checkpoint: checkpoint, live: live)
            }
        } catch {
            _ = await watcher?.finish()
            _ = await scraper?.finish()
            _ = await abuse?.finish()
            printError("\(target.name): \(error)")
            return nil
        }
        if let abuse, let plan = configuration.abuse {
            outcome.abuse = AbuseFigures(plan: plan, kinds: await abuse.finish(), series: outcome.series)
        }
        var result = await assemble(outcome)
        result.watched = await watcher?.finish()
        result.scraped = await scraper?.finish()
        do {
            try Self.write(result, settings: settings, to: folder)
        } catch {
            reporter.finished(result, folder: nil)
            throw error
        }
        reporter.finished(result, folder: folder)
        return result
    }

    /// The abuse's sockets, aimed at the endpoint's first address; none without a plan.
    private func startAbuse(_ plan: AbusePlan?, at uri: TURNURI, seed: UInt64) async throws -> AbuseSender? {
        guard let plan else { return nil }
        let servers = try await ServerAddresses.resolve(uri, timeout: .seconds(5))
        return try AbuseSender(plan, server: servers[0], seed: seed)
    }

    /// A load of each transport of `mix` at once against `target`'s host, each taking the calls
    /// the mix gives it: their outcomes merged, and each kept on its own.
    private func runMixed(
        _ mix: TransportMix, target: LoadTarget, configuration: LoadConfiguration,
        progress: @escaping @Sendable (SecondSample) -> Void
    ) async throws -> LoadOutcome {
        // A transport that draws none of this process's calls is no load of its own.
        let parts = mix.transports.filter { configuration.localClients(over: $0) > 0 }.map { transport in
            Part(
                name: "--mix \(transport.rawValue)", target: target.over(transport, securePort: settings.mixSecurePort),
                configuration: configuration, library: library)
        }
        return try await run(parts, frameInterval: configuration.media.frameInterval, progress: progress) { part, outcome in
            PartOutcome(transport: part.target.uri.transport.rawValue, uri: "\(part.target.uri)", outcome: outcome)
        } keep: {
            $0.byTransport = $1
        }
    }

    /// A load of each group (`--group`) at once, each with its media on its clients.
    private func runGroups(
        target: LoadTarget, configuration: LoadConfiguration, progress: @escaping @Sendable (SecondSample) -> Void
    ) async throws -> LoadOutcome {
        var libraries = [settings.media: library]
        let parts = try configuration.groupLoads.map { group in
            let media = group.configuration.media
            if libraries[media] == nil {
                do { libraries[media] = try OpusPacketLibrary.encode(media, seed: settings.seed) } catch {
                    throw LoadError("--group \(group.name): \(error)")
                }
            }
            return Part(
                name: "--group \(group.name)",
                target: group.transport.map { target.over($0, securePort: settings.mixSecurePort) } ?? target,
                configuration: group.configuration, library: libraries[media]!, group: group.name)
        }
        return try await run(parts, frameInterval: configuration.media.frameInterval, progress: progress) { part, outcome in
            var kept = PartOutcome(transport: part.target.uri.transport.rawValue, uri: "\(part.target.uri)", outcome: outcome)
            kept.group = part.group
            kept.media = part.configuration.media
            kept.packetsPerFrame = part.configuration.packetsPerFrame > 1 ? part.configuration.packetsPerFrame : nil
            return kept
        } keep: {
            $0.byGroup = $1
        }
    }

    /// One of several loads of a run, run together: a transport of a mix or a group.
    private struct Part: Sendable {
        let name: String
        let target: LoadTarget
        let configuration: LoadConfiguration
        let library: OpusPacketLibrary
        var group: String?
    }

    /// Runs `parts` together, their seconds summed for the progress line: their outcomes
    /// merged, and each kept on its own with its calls' fairness.
    private func run(
        _ parts: [Part], frameInterval: Duration, progress: @escaping @Sendable (SecondSample) -> Void,
        describe: (Part, LoadOutcome) -> PartOutcome, keep: (inout LoadOutcome, [PartOutcome]) -> Void
    ) async throws -> LoadOutcome {
        let gatherer = SecondGatherer(loads: parts.count, emit: progress)
        let outcomes = try await withThrowingTaskGroup(of: (Int, LoadOutcome).self) { tasks in
            for (index, part) in parts.enumerated() {
                tasks.addTask { [group, stop] in
                    do {
                        let engine = LoadEngine(target: part.target, configuration: part.configuration, library: part.library)
                        return (index, try await engine.run(group: group, progress: gatherer.add, shouldStop: { stop.received }))
                    } catch {
                        throw LoadError("\(part.name): \(error)")
                    }
                }
            }
            var outcomes: [(Int, LoadOutcome)] = []
            for try await outcome in tasks { outcomes.append(outcome) }
            return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var kept: [PartOutcome] = []
        var tagged: [LoadOutcome] = []
        for (part, var outcome) in zip(parts, outcomes) {
            var described = describe(part, outcome)
            described.fairness = CallSpread(outcome.calls).fairness
            for index in outcome.calls.indices { outcome.calls[index].part = described.key }
            kept.append(described)
            tagged.append(outcome)
        }
        var merged = try LoadOutcome.merged(tagged.map { ($0, 0) }, frameInterval: frameInterval.nanosecondsValue)
        keep(&merged, kept)
        return merged
    }

    /// A window of a live population (`saturate --live`), kept in `folder` as a run of its own.
    public func keepWindow(
        _ outcome: LoadOutcome, of target: Target, configuration: LoadConfiguration, startedAt: Date, folder: String
    ) async throws(WriteError) -> RunResult {
        let result = await assembler(target, configuration: configuration, startedAt: startedAt)(outcome)
        try Self.write(result, settings: settings, to: folder)
        return result
    }

    /// What makes a load's outcome a result: its configuration, media, and the in-process
    /// relay's counters as they stand.
    private func assembler(
        _ target: Target, configuration: LoadConfiguration, startedAt: Date
    ) -> @Sendable (LoadOutcome) async -> RunResult {
        var record = RunConfiguration(
            configuration, transport: configuration.mix.map { "mix \($0)" } ?? target.load.uri.transport.rawValue,
            embeddedRelay: relay != nil,
            relayImpairment: settings.inProcessRelay?.impairment, relayMaxPps: settings.inProcessRelay?.maxPps)
        record.relayThreads = relay?.server.threads
        let media = MediaFacts(library)
        return { [relay, settings, record] outcome in
            RunResult(
                turnloadVersion: turnloadVersion, target: target.name, startedAt: startedAt, configuration: record,
                media: media, outcome: outcome, embeddedRelay: await relay?.server.counters,
                shard: settings.shard, scheduledStart: settings.startAt)
        }
    }

    /// The result, its time series and its report, as the thresholds and prices judge them.
    private static func write(_ result: RunResult, settings: Settings, to folder: String) throws(WriteError) {
        try ResultWriter.write(result, to: folder)
        let figures = LoadFigures(result)
        try ReportWriter.writeRun(
            result, checks: settings.thresholds.map { $0.check(figures) },
            cost: settings.cost.projection(TrafficVolume(result), cleanCapacity: nil), to: folder)
    }

    /// The folder for a load: `out`, with a subfolder per target when there are several (or
    /// `subfolders`), else `results/<time>-<target><suffix>`.
    public func folder(for target: Target, startedAt: Date, suffix: String = "", subfolders: Bool = false) -> String {
        let name = ResultWriter.folderName(for: target.name) + suffix
        if let out = settings.out { return targets.count > 1 || subfolders ? "\(out)/\(name)" : out }
        return "results/\(ResultWriter.timestamp(startedAt))-\(name)"
    }

    public func shutdown() async {
        await metricsEndpoint?.stop()
        await relay?.stop()
        try? await group.shutdownGracefully()
    }
}
