import ArgumentParser
import Foundation
import LoadEngine
import Media
import NIOPosix
import Reporting
import TURNClient
import TURNProtocol
import TURNRelay

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate many calls through TURN endpoints and measure them.",
        discussion: """
            Each simulated client allocates a relay and sends real Opus (libopus) in RTP over \
            ChannelData every frame interval, at its own phase, like a call. In the echo \
            topology a harness peer socket echoes every packet, so loss, jitter and one-way \
            delay are measured both ways and the round trip too; pair sends each client's \
            media to another client's relayed address (a fully relayed call); sink is one way. \
            Allocations open at --ramp a second; --duration is the time at full load after the \
            ramp. The harness checks itself (send lateness, CPU, socket drops) and says when it, \
            not the endpoint, was the limit.

            With no --target, turnload starts its own relay on loopback with throw-away \
            credentials: --relay-impair and --relay-max-pps shape it. Several --target run the \
            same load against each in turn, for a fair comparison. Results go to \
            results/<time>-<target>/ (result.json, timeseries.csv); Ctrl-C stops early and still \
            writes them, marked interrupted (exit 130).

            Examples:
              turnload run --clients 300 --duration 30s
              turnload run --relay-impair loss=2%,delay=20ms --clients 200 --duration 20s
              turnload run --target turn:127.0.0.1:3478 --user alice --password-env TURN_PASSWORD --clients 500
              turnload run --target "turns:relay.example.com:443?transport=tcp" --secret-env TURN_SECRET \\
                  --topology pair --clients 100 --ramp 20
            """
    )

    @Option(name: .customLong("target"), help: ArgumentHelp("A turn: or turns: URI to load; repeat for several (default: turnload's own relay).",
                                                             valueName: "URI"))
    var targets: [String] = []

    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var tls: TLSOptionGroup

    @Option(help: "Simulated clients (calls), each with its own allocation.")
    var clients = 100

    @Option(help: ArgumentHelp("Time at full load after the ramp: 30s, 5m, 1h.", valueName: "TIME"))
    var duration = DurationArgument(argument: "30s")!

    @Option(help: ArgumentHelp("New allocations a second.", valueName: "N"))
    var ramp = 100

    @Option(help: "echo (both ways and RTT), pair (client to client) or sink (one way).")
    var topology = Topology.echo

    @Option(help: ArgumentHelp("Opus bitrate in bits a second: 32000, 32k.", valueName: "RATE"))
    var bitrate = "32k"

    @Option(name: .customLong("frame-ms"), help: "Opus frame: 10, 20, 40 or 60 ms.")
    var frameMilliseconds = 20

    @Flag(help: "Variable (default) or constant bitrate.")
    var bitrateMode = BitrateMode.vbr

    @Flag(help: "Discontinuous transmission: no packets in pauses, as WebRTC senders with DTX.")
    var dtx = false

    @Flag(help: "Opus in-band forward error correction.")
    var fec = false

    @Option(help: ArgumentHelp("A packet later than this behind its stream's fastest counts as late.", valueName: "TIME"))
    var jitterBuffer = DurationArgument(argument: "60ms")!

    @Option(help: ArgumentHelp("After the last send, how long to wait for packets in flight.", valueName: "TIME"))
    var drain = DurationArgument(argument: "2s")!

    @Option(help: ArgumentHelp("Where the relay sees the harness's peer sockets (default: the local address routing to the target).",
                               valueName: "IP"))
    var peerHost: String?

    @Option(help: "Event-loop threads for the simulated clients.")
    var threads = 1

    @Option(help: ArgumentHelp("Results folder (default results/<time>-<target>).", valueName: "DIR"))
    var out: String?

    @Flag(help: "Progress and the summary as JSON lines on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Impair the in-process relay: loss=1%,delay=20ms,jitter=5ms,reorder=0.5%,duplicate=0.1%.",
                               valueName: "SPEC"))
    var relayImpair: String?

    @Option(help: ArgumentHelp("The in-process relay relays at most N packets a second: a known cliff.", valueName: "N"))
    var relayMaxPps: Int?

    @Option(help: "Seed of the in-process relay's impairment and of the media.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (1...100_000).contains(clients) else { throw ValidationError("--clients must be from 1 to 100000") }
        guard (1...100_000).contains(ramp) else { throw ValidationError("--ramp must be from 1 to 100000 allocations a second") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be from 1 to 64") }
        if topology == .pair, clients % 2 == 1 { throw ValidationError("--topology pair needs an even --clients") }
        guard Relay.bitrate(bitrate) != nil else { throw ValidationError("--bitrate must be a rate such as 32000 or 32k, not \(bitrate)") }
        do { _ = try mediaSettings.validated() } catch { throw ValidationError("\(error)") }
        for target in targets {
            do { _ = try TURNURI(target) } catch { throw ValidationError("--target \(target): \(error)") }
        }
        if targets.isEmpty, credentials.iceServers == nil {
            if credentials.secrets.hasPassword || credentials.secrets.hasSecret {
                throw ValidationError("credentials go with --target: the in-process relay makes its own")
            }
        } else if relayImpair != nil || relayMaxPps != nil {
            throw ValidationError("--relay-impair and --relay-max-pps shape turnload's own relay, which runs only without --target")
        }
        if let relayImpair {
            do { _ = try Impairment(parsing: relayImpair) } catch { throw ValidationError("--relay-impair: \(error)") }
        }
        if let relayMaxPps, relayMaxPps < 1 { throw ValidationError("--relay-max-pps must be at least 1") }
        if let peerHost, IPAddress(peerHost) == nil { throw ValidationError("--peer-host must be an IP address, not \(peerHost)") }
        if duration.duration == .zero { throw ValidationError("--duration must be more than 0") }
    }

    var mediaSettings: OpusSettings {
        OpusSettings(bitrate: Relay.bitrate(bitrate) ?? 32_000, frameMilliseconds: frameMilliseconds,
                     variableBitrate: bitrateMode == .vbr, discontinuousTransmission: dtx, forwardErrorCorrection: fec)
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
        configuration.peerHost = peerHost.flatMap(IPAddress.init)
        configuration.threads = threads
        configuration.seed = seed
        return configuration
    }

    func run() async throws {
        let stop = StopSignal()
        let configuration = loadConfiguration
        let embedded = targets.isEmpty && credentials.iceServers == nil
        let available = FileDescriptorLimit.raise()
        let needed = FileDescriptorLimit.needed(clients: clients, inProcessRelay: embedded)
        if needed > available {
            throw ValidationError("\(clients) clients need about \(needed) open files but the limit is \(available) (ulimit -n): "
                + "lower --clients or raise the hard limit")
        }
        let library: OpusPacketLibrary
        do { library = try OpusPacketLibrary.encode(mediaSettings, seed: seed) } catch {
            throw ValidationError("\(error)")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var relay: EmbeddedRelay?
        var loadTargets: [LoadTarget]
        if embedded {
            let started = try await EmbeddedRelay.start(clients: clients, impairment: relayImpair, maxPps: relayMaxPps, seed: seed)
            relay = started
            loadTargets = [started.target]
        } else {
            loadTargets = try credentials.targets(targets).map { LoadTarget(uri: $0.0, credential: $0.1, tls: tls.options) }
        }
        let reporter = ProgressReporter(json: json, clients: clients)
        var failed = false
        var interrupted = false
        for target in loadTargets where !interrupted {
            let name = embedded ? "in-process relay" : target.uri.description
            reporter.starting(name, library: library, configuration: configuration)
            let engine = LoadEngine(target: target, configuration: configuration, library: library)
            let startedAt = Date()
            let outcome: LoadOutcome
            do {
                outcome = try await engine.run(group: group, progress: { reporter.second($0) }, shouldStop: { stop.received })
            } catch {
                printError("\(name): \(error)")
                failed = true
                continue
            }
            let record = RunConfiguration(configuration, transport: target.uri.transport.rawValue, embeddedRelay: embedded,
                                          relayImpairment: relayImpair, relayMaxPps: relayMaxPps)
            let result = RunResult(turnloadVersion: turnloadVersion, target: name, startedAt: startedAt, configuration: record,
                                   library: library, outcome: outcome, embeddedRelay: await relay?.server.counters)
            let folder = out.map { loadTargets.count > 1 ? "\($0)/\(ResultWriter.folderName(for: name))" : $0 }
                ?? "results/\(ResultWriter.timestamp(startedAt))-\(ResultWriter.folderName(for: name))"
            do { try ResultWriter.write(result, to: folder) } catch {
                printError("cannot write results to \(folder): \(error)")
                failed = true
            }
            reporter.finished(result, folder: folder)
            interrupted = outcome.status == .interrupted
            if outcome.status != .complete || outcome.clients.allocated == 0 { failed = true }
        }
        await relay?.stop()
        try? await group.shutdownGracefully()
        if interrupted { throw ExitCode(130) }
        if failed { throw ExitCode(1) }
    }
}

enum BitrateMode: String, EnumerableFlag {
    case vbr, cbr
}

extension Topology: ExpressibleByArgument {}
