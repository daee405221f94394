import ArgumentParser
import Campaign
import Foundation
import LoadEngine
import Media
import NIOPosix
import Reporting
import RunModel
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
            ramp. With --arrivals or --erlangs, calls come and go instead: they arrive as a \
            Poisson process over --duration, each talks for its --hold-time and hangs up, and \
            the result counts the calls at once, the churn each second and every call's own \
            figures. The harness checks itself (send lateness, CPU, socket drops) and says when it, \
            not the endpoint, was the limit.

            With no --target, turnload starts its own relay on loopback with throw-away \
            credentials: --relay-impair and --relay-max-pps shape it. Several --target run the \
            same load against each in turn, for a fair comparison. Results go to \
            results/<time>-<target>/ (result.json, timeseries.csv); Ctrl-C stops early and still \
            writes them, marked interrupted (exit 130).

            A load larger than one machine runs as N shards, one per machine, each with the same \
            options, --shard I/N (its share of the clients, at its share of the ramp) and the \
            same --start-at; `turnload merge` joins their results into the whole run's.

            Examples:
              turnload run --clients 300 --duration 30s
              turnload run --relay-impair loss=2%,delay=20ms --clients 200 --duration 20s
              turnload run --erlangs 300 --hold-time lognormal:2m:1m --duration 30m
              turnload run --target turn:relay.example.com --secret-env TURN_SECRET --mix udp=70,tcp=20,tls=10
              turnload run --clients 200 --duration 20s --abuse invalid=500,wrong-password=200 --abuse-window 2s
              turnload run --target turn:relay.example.com --secret-env TURN_SECRET --duration 4h \\
                  --permission-refresh 4m --channel-refresh 9m --checkpoint 5m
              turnload run --target turn:127.0.0.1:3478 --user alice --password-env TURN_PASSWORD --clients 500
              turnload run --target "turns:relay.example.com:443?transport=tcp" --secret-env TURN_SECRET \\
                  --topology pair --clients 100 --ramp 20
              turnload run --target turn:relay.example.com --secret-env TURN_SECRET --topology pair --clients 3000 \\
                  --shard 1/3 --start-at 2026-11-24T15:00:00Z --out shard-1
            """
    )

    @OptionGroup var load: LoadOptions
    @OptionGroup var arrivals: ArrivalOptions
    @OptionGroup var gate: GateOptions
    @OptionGroup var cost: CostOptions

    @Flag(
        name: .customLong("gate"),
        help: "Gate each result: exit 1 when a threshold or regression fails, 2 when the run is invalid; writes junit.xml and gate.md.")
    var gateResult = false

    @Option(
        help: ArgumentHelp(
            "Hostile traffic beside the calls, from sockets of its own, in alternate --abuse-window windows (quiet first): "
                + "invalid, unauthenticated (Allocates), wrong-password (a 401 flood), unbound-channel (ChannelData) and "
                + "binding, each at RATE datagrams a second: invalid=200,wrong-password=50. The result has the calls' "
                + "figures with and without it, and what the endpoint answered.",
            valueName: "KIND=RATE,…"),
        transform: { try AbusePlan(parsing: $0) })
    var abuse: AbusePlan?

    @Option(
        help: ArgumentHelp("With --abuse: the length of each window, quiet and abusive alike. (default: 2s)", valueName: "TIME"),
        transform: OptionRange.time(.seconds(1)...OptionRange.longest))
    var abuseWindow: DurationArgument?

    @Option(
        name: .customLong("repeat"),
        help: ArgumentHelp(
            "Run the whole load N times, the targets in turn each round (A B A B …), so that a comparison can tell a "
                + "difference from noise. (default: 1)",
            valueName: "N"),
        transform: OptionRange.count(1...100))
    var rounds = 1

    func validate() throws {
        if load.mix != nil, arrivals.plan != nil { throw ValidationError("--mix runs a held population: not with --arrivals or --erlangs") }
        if load.groupedClients > load.clients {
            throw ValidationError(
                "--group takes \(load.groupedClients) clients of --clients \(load.clients): give --clients at least the groups' sum")
        }
        if abuse != nil, load.shard != nil {
            throw ValidationError("--abuse compares one population with and without it, on one machine: not with --shard")
        }
        if abuse != nil, arrivals.plan != nil {
            throw ValidationError("--abuse compares a held population with and without it: not with --arrivals or --erlangs")
        }
        if let abuseWindow {
            if abuse == nil { throw ValidationError("--abuse-window goes with --abuse") }
            if abuseWindow.duration.components.attoseconds != 0 {
                throw ValidationError("--abuse-window \(abuseWindow) is not whole seconds: give 1s, 2s, 5s…")
            }
        }
        if !load.groups.isEmpty, arrivals.plan != nil {
            throw ValidationError("--group runs a held population: not with --arrivals or --erlangs")
        }
        if load.startAt != nil, rounds > 1 { throw ValidationError("--start-at starts one load together with its shards, not --repeat") }
    }

    func run() async throws {
        var configuration = load.loadConfiguration
        configuration.arrivals = arrivals.plan
        configuration.abuse = abuse.map { plan in
            var plan = plan
            plan.windowSeconds = Int(abuseWindow?.duration.components.seconds ?? 2)
            return plan
        }
        let maxClients =
            configuration.arrivals?.allocationsAtOnce(drain: configuration.drain, callSize: configuration.callSize)
            ?? configuration.localClients.count
        let session = try await LoadSession.forCommand(
            try load.sessionSettings(thresholds: gate.thresholds, cost: cost, maxClients: maxClients))
        let baseline = try gate.baselineResult().map { loaded -> RunResult in
            guard case let .run(result) = loaded.content else { throw ValidationError("--baseline of run must be a result.json") }
            return result
        }
        guard await session.waitForStart() else {
            printError("interrupted before --start-at: no client was opened")
            await session.shutdown()
            throw ExitCode(ExitStatus.interrupted)
        }
        let ending: LoadSession.RoundsEnding
        do {
            ending = try await session.runRounds(rounds, configuration: configuration) { result, folder -> Int32 in
                guard gateResult else { return 0 }
                let report = Reporting.Gate.evaluate(
                    result, thresholds: gate.thresholds, baseline: baseline,
                    maxRegressionPercent: gate.maxRegressionPercent)
                return GateOptions.publish(report, junit: "\(folder)/junit.xml", summary: "\(folder)/gate.md")
            }
        } catch {
            await session.shutdown()
            throw error.reported()
        }
        await session.shutdown()
        if ending.interrupted { throw ExitCode(ExitStatus.interrupted) }
        if ending.exitCode != 0 { throw ExitCode(ending.exitCode) }
    }
}
