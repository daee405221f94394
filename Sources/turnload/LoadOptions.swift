import ArgumentParser
import Campaign
import Foundation
import LoadEngine
import Measurement
import Media
import NIOCore
import RunModel
import TURNClient
import TURNProtocol
import TURNRelay

/// Everything that shapes a load, shared by `run` and `saturate`: targets and credentials, the
/// clients and their media, the in-process relay's shaping, and where results go. Each option
/// is also a scenario key of the same name (see `Scenario`).
struct LoadOptions: ParsableArguments {
    /// Expanded by `ScenarioExpansion` before parsing; here for the help, and so that a command
    /// can read what no option holds (the scenario's `pricing`) with `Scenario.load(path:)`.
    @Option(
        help: ArgumentHelp(
            "Options, stages and thresholds from a YAML scenario (scenarios/*.yaml); options given here override it.",
            valueName: "FILE"))
    var scenario: String?

    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "A turn: or turns: URI to load; repeat for several (default: turnload's own relay).",
            valueName: "URI"))
    var targets: [String] = []

    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var tls: TLSOptionGroup

    @Option(help: "Simulated clients (calls), each with its own allocation. (default: 100)", transform: OptionRange.count(1...100_000))
    var clients = 100

    @Option(
        help: ArgumentHelp("Time at full load after the ramp: 30s, 5m, 1h. (default: 30s)", valueName: "TIME"),
        transform: OptionRange.time(.milliseconds(1)...OptionRange.longest))
    var duration = DurationArgument(argument: "30s")!

    @Option(help: ArgumentHelp("New allocations a second. (default: 100)", valueName: "N"), transform: OptionRange.count(1...100_000))
    var ramp = 100

    @Option(help: "echo (both ways and RTT), pair (client to client) or sink (one way).")
    var topology = Topology.echo

    /// Opus's own range (RFC 6716 §2.1.1).
    @Option(
        help: ArgumentHelp("Opus bitrate in bits a second: 32000, 32k. (default: 32k)", valueName: "RATE"),
        transform: OptionRange.bitrate(6000...510_000))
    var bitrate = 32000

    @Option(name: .customLong("frame-ms"), help: "Opus frame: 10, 20, 40 or 60 ms. (default: 20)", transform: OptionRange.count(10...60))
    var frameMilliseconds = 20

    /// The last one given wins, so that the command line overrides a scenario's.
    @Flag(exclusivity: .chooseLast, help: "Variable (default) or constant bitrate.")
    var bitrateMode = BitrateMode.vbr

    @Flag(help: "Discontinuous transmission: no packets in pauses, as WebRTC senders with DTX.")
    var dtx = false

    @Flag(help: "Opus in-band forward error correction.")
    var fec = false

    @Option(
        help: ArgumentHelp("A packet later than this behind its stream's fastest counts as late. (default: 60ms)", valueName: "TIME"),
        transform: OptionRange.time(.zero...(.seconds(60))))
    var jitterBuffer = DurationArgument(argument: "60ms")!

    @Option(
        help: ArgumentHelp("After the last send, how long to wait for packets in flight. (default: 2s)", valueName: "TIME"),
        transform: OptionRange.time(.zero...(.seconds(600))))
    var drain = DurationArgument(argument: "2s")!

    @Option(
        help: ArgumentHelp(
            "How often each client refreshes its permission, for a server whose permission lifetime is shorter than "
                + "RFC 8656's 300 s (coturn --permission-lifetime). (default: 240s)", valueName: "TIME"),
        transform: OptionRange.time(.seconds(1)...(.seconds(3600))))
    var permissionRefresh = DurationArgument(argument: "240s")!

    @Option(
        help: ArgumentHelp(
            "How often each client refreshes its channel binding, for a server whose channel lifetime is shorter than "
                + "RFC 8656's 600 s (coturn --channel-lifetime). (default: 540s)", valueName: "TIME"),
        transform: OptionRange.time(.seconds(1)...(.seconds(3600))))
    var channelRefresh = DurationArgument(argument: "540s")!

    @Option(
        help: ArgumentHelp(
            "Where the relay sees the harness's peer sockets (default: the local address routing to the target).",
            valueName: "IP"))
    var peerHost: String?

    @Option(
        help: ArgumentHelp(
            "The relayed address family each client asks for: ipv4, ipv6, or both (a dual allocation, "
                + "RFC 8656; media goes through the relayed address of the peer's family). (default: the family of the target's address)",
            valueName: "FAMILY"))
    var relayFamily: RelayFamily?

    @Option(
        help: ArgumentHelp(
            "Threads for the simulated clients, each with its own sockets and peer socket: a packet loop over UDP, "
                + "an event loop over TCP, TLS and DTLS. (default: the cores this process may use, \(Self.usableCores) here)"),
        transform: OptionRange.count(1...64))
    var threads = Self.usableCores

    /// CPU affinity and cgroup quota, within the option's range.
    static let usableCores = min(System.coreCount, 64)

    @Option(help: ArgumentHelp("Results folder (default results/<time>-<target>).", valueName: "DIR"))
    var out: String?

    @Flag(help: "Progress and the summary as JSON lines on stdout.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Impair the in-process relay: loss=1%,delay=20ms,jitter=5ms,reorder=0.5%,duplicate=0.1%.",
            valueName: "SPEC"))
    var relayImpair: String?

    @Option(
        help: ArgumentHelp("The in-process relay relays at most N packets a second: a known cliff.", valueName: "N"),
        transform: OptionRange.count(1...10_000_000))
    var relayMaxPps: Int?

    @Option(
        help: ArgumentHelp(
            "Threads of the in-process relay, each relaying the clients the kernel steers to it. "
                + "(default: the cores this process may use, \(Self.usableCores) here, shared with the clients' threads)", valueName: "N"),
        transform: OptionRange.count(1...64))
    var relayThreads: Int?

    /// The in-process relay's threads, `--relay-threads` or the cores.
    var inProcessRelayThreads: Int { relayThreads ?? Self.usableCores }

    @Option(help: "Seed of the in-process relay's impairment and of the media. (default: 1)", transform: OptionRange.count(0...UInt64.max))
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Run the Ith of N equal shares of --clients, at --ramp/N, for a load spread over N machines; "
                + "`turnload merge` joins their results.", valueName: "I/N"),
        transform: { try ShardAssignment(parsing: $0) })
    var shard: ShardAssignment?

    @Option(
        help: ArgumentHelp(
            "Open no client before this time, so that shards start together: RFC 3339 (2026-11-24T15:00:00Z) "
                + "or Unix seconds.", valueName: "TIME"),
        transform: { try StartTime(parsing: $0) })
    var startAt: StartTime?

    @Option(
        help: ArgumentHelp(
            "Sample this local process (the relay under test) each second: its memory, CPU and open files, and how "
                + "fast its memory grows (threshold rss-growth).", valueName: "PID"),
        transform: OptionRange.count(1...4_194_304))
    var watchPid: Int?

    @Flag(
        help: ArgumentHelp(
            "Send media in Send indications to a permitted peer and hear it in Data indications, instead of ChannelData "
                + "on a bound channel: for relays that offload only ChannelData."))
    var indications = false

    @Option(
        help: ArgumentHelp(
            "Scrape this Prometheus endpoint each second through the run, e.g. coturn's --prometheus or turnload relay's "
                + "--metrics: http://127.0.0.1:9641/metrics.", valueName: "URL"))
    var watchMetrics: String?

    @Option(
        help: ArgumentHelp(
            "With --watch-metrics: keep the series whose name matches this regular expression; repeat for several. "
                + "(default: allocation, traffic, packets, bytes, dropped and the process's memory, CPU and descriptors)",
            valueName: "REGEX"))
    var watchSeries: [String] = []

    @Option(
        help: ArgumentHelp(
            "Serve the current second's figures at http://HOST:PORT/metrics for Prometheus (deploy/grafana has a dashboard).",
            valueName: "HOST:PORT"))
    var metrics: String?

    @Option(
        help: ArgumentHelp(
            "Several transports in one run against the --target's host, each call's drawn by its index from these "
                + "weights: udp=70,tcp=20,tls=10 (dtls too); figures per transport and in total.", valueName: "MIX"),
        transform: { try TransportMix(parsing: $0) })
    var mix: TransportMix?

    @Option(
        name: .customLong("group"),
        help: ArgumentHelp(
            "A share of the clients with media of their own, beside the others: video:4:bitrate=510k,frame=10,burst=10 "
                + "(burst: packets a frame, back to back); transport= too with a --target. Repeat for several groups; the "
                + "clients no group takes are 'others'. Figures per group and in total.",
            valueName: "NAME:CLIENTS[:SETTINGS]"),
        transform: { try CallGroup(argument: $0) })
    var groups: [CallGroup] = []

    @Option(
        help: ArgumentHelp(
            "With --mix and a turn: target, the endpoint's TLS and DTLS port. (default: 5349)", valueName: "PORT"),
        transform: OptionRange.count(1...65535))
    var mixTlsPort: UInt16 = 5349

    @Option(
        help: ArgumentHelp(
            "While a load runs, write its results so far this often, marked in-progress, so that a long run that dies "
                + "leaves its hours of results; 0 for never. (default: 5m)", valueName: "TIME"),
        transform: OptionRange.time(.zero...OptionRange.longest))
    var checkpoint = DurationArgument(argument: "5m")!

    func validate() throws {
        if topology == .pair, clients % 2 == 1 { throw ValidationError("--topology pair needs an even --clients") }
        do { _ = try mediaSettings.validated() } catch { throw ValidationError("\(error)") }
        for target in targets {
            do { _ = try TURNURI(target) } catch { throw ValidationError("--target \(TURNURI.redacted(target)): \(error)") }
        }
        if targets.isEmpty, credentials.iceServers == nil {
            if credentials.secrets.hasPassword || credentials.secrets.hasSecret {
                throw ValidationError("credentials go with --target: the in-process relay makes its own")
            }
        } else if relayImpair != nil || relayMaxPps != nil || relayThreads != nil {
            throw ValidationError(
                "--relay-impair, --relay-max-pps and --relay-threads shape turnload's own relay, "
                    + "which runs only without --target")
        }
        if let relayImpair {
            do { _ = try Impairment(parsing: relayImpair) } catch { throw ValidationError("--relay-impair: \(error)") }
        }
        for pattern in watchSeries where (try? Regex(pattern)) == nil {
            throw ValidationError("--watch-series \(pattern) is not a regular expression")
        }
        if !watchSeries.isEmpty, watchMetrics == nil { throw ValidationError("--watch-series goes with --watch-metrics URL") }
        if let metrics, TransportAddress(metrics) == nil {
            throw ValidationError("--metrics must be IP:PORT or [IPv6]:PORT, such as 127.0.0.1:9464, not \(metrics)")
        }
        if mix != nil, targets.count != 1 || credentials.iceServers != nil {
            throw ValidationError("--mix loads one endpoint over several transports: give it one --target (turn: or turns:)")
        }
        try validateGroups()
        if let peerHost, IPAddress(peerHost) == nil { throw ValidationError("--peer-host must be an IP address, not \(peerHost)") }
        if let shard {
            if inProcessRelay { throw ValidationError("--shard splits a load on one endpoint among machines: give it --target") }
            let calls = topology == .pair ? clients / 2 : clients
            if calls < shard.count {
                throw ValidationError(
                    "--shard \(shard) leaves shards without clients: --clients \(clients) makes \(calls) calls "
                        + "for \(shard.count) shards")
            }
        }
        if let startAt {
            if startAt.date.timeIntervalSinceNow > StartTime.furthestAhead {
                throw ValidationError("--start-at \(startAt) is more than 24 h ahead: give a time within a day")
            }
            if targets.count > 1 { throw ValidationError("--start-at starts one load together with its shards: give one --target") }
        }
    }

    private func validateGroups() throws {
        guard !groups.isEmpty else { return }
        if let twice = groups.first(where: { group in groups.filter { $0.name == group.name }.count > 1 }) {
            throw ValidationError("--group \(twice.name) is given twice: give each group a name of its own")
        }
        if topology == .pair, let odd = groups.first(where: { $0.clients % 2 == 1 }) {
            throw ValidationError("--group \(odd.name): --topology pair needs an even number of clients in each group")
        }
        if mix != nil { throw ValidationError("--group and --mix both split the clients: give a group its transport= instead") }
        if let group = groups.first(where: { $0.transport != nil }), targets.count != 1 || credentials.iceServers != nil {
            throw ValidationError(
                "--group \(group.name): transport= loads one endpoint over several transports: give it one --target "
                    + "(the in-process relay listens on UDP alone)")
        }
        for group in groups {
            do { _ = try group.media(over: mediaSettings).validated() } catch { throw ValidationError("--group \(group.name): \(error)") }
        }
    }

    /// The clients the groups take, all of them together.
    var groupedClients: Int { groups.reduce(0) { $0 + $1.clients } }

    /// No target given: turnload's own relay.
    var inProcessRelay: Bool { targets.isEmpty && credentials.iceServers == nil }

    var mediaSettings: OpusSettings {
        OpusSettings(
            bitrate: bitrate, frameMilliseconds: frameMilliseconds,
            variableBitrate: bitrateMode == .vbr, discontinuousTransmission: dtx, forwardErrorCorrection: fec)
    }

    /// What a session of loads needs, its targets' credentials resolved.
    func sessionSettings(thresholds: [Threshold], cost: CostOptions, maxClients: Int) throws -> LoadSession.Settings {
        var settings = LoadSession.Settings()
        if inProcessRelay {
            settings.inProcessRelay = LoadSession.InProcessRelay(
                impairment: relayImpair, maxPps: relayMaxPps, threads: inProcessRelayThreads)
        } else {
            settings.targets = try credentials.targets(targets).map {
                LoadSession.Target(name: $0.0.description, load: LoadTarget(uri: $0.0, credential: $0.1, tls: tls.options))
            }
        }
        settings.media = mediaSettings
        settings.seed = seed
        settings.threads = threads
        settings.maxClients = maxClients
        settings.out = out
        settings.json = json
        settings.thresholds = thresholds
        settings.cost = try cost.plan(scenario: scenario)
        settings.shard = shard
        settings.startAt = startAt?.date
        settings.watchPid = watchPid
        settings.watchMetrics = watchMetrics
        settings.watchSeries = watchSeries
        settings.metrics = metrics.flatMap(TransportAddress.init)
        settings.checkpoint = checkpoint.duration > .zero && mix == nil && groups.isEmpty ? checkpoint.duration : nil
        settings.mixSecurePort = mixTlsPort
        return settings
    }

    var loadConfiguration: LoadConfiguration {
        var configuration = LoadConfiguration()
        configuration.clients = clients
        configuration.duration = duration.duration
        configuration.rampPerSecond = ramp
        configuration.topology = topology
        configuration.media = mediaSettings
        configuration.jitterBuffer = jitterBuffer.duration
        configuration.drain = drain.duration
        configuration.refreshIntervals = RefreshIntervals(permission: permissionRefresh.duration, channel: channelRefresh.duration)
        configuration.peerHost = peerHost.flatMap(IPAddress.init)
        configuration.relayFamily = relayFamily
        configuration.threads = threads
        configuration.indications = indications
        configuration.seed = seed
        configuration.shard = shard ?? .whole
        configuration.mix = mix
        configuration.groups = groups
        return configuration
    }
}

enum BitrateMode: String, EnumerableFlag {
    case vbr, cbr
}

extension Topology: ExpressibleByArgument {}
extension RelayFamily: ExpressibleByArgument {}
