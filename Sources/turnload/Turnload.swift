import ArgumentParser

#if canImport(Glibc)
import Campaign
import Glibc
#endif

@main
struct Turnload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnload",
        abstract: "Load and saturation testing for TURN relays (RFC 8656).",
        discussion: """
            turnload simulates thousands of WebRTC calls through a TURN relay, each sending \
            real Opus audio in RTP over ChannelData, and measures loss, jitter, delay, RTT, \
            throughput and the load at which quality collapses.

            Examples:
              turnload run --clients 300 --duration 30s
              turnload run --target turn:127.0.0.1:3478 --user alice --password-env TURN_PASSWORD --clients 500
              turnload saturate --start 200 --step 200 --max-clients 2400 --step-duration 10s
              turnload run --scenario scenarios/ci-gate.yaml --target turn:relay.example.com --secret-env TURN_SECRET
              turnload gate results/ci --baseline baseline/result.json
              turnload probe turn:127.0.0.1:3478 --user alice --password-env TURN_PASSWORD
              turnload probe --ice-servers ice.json --json
              turnload compare results/coturn results/in-process-relay
              turnload run --target turn:relay.example.com --secret-env TURN_SECRET --clients 3000 --shard 2/3 \\
                  --start-at 2026-11-24T15:00:00Z --out shard-2
              turnload merge shard-1 shard-2 shard-3
              turnload decode 000100002112a442b7e7a701bc34d686fa87dfae
              tshark -r capture.pcap -T fields -e udp.payload | turnload decode -
            """,
        version: turnloadVersion,
        subcommands: [Run.self, Saturate.self, GateCommand.self, Compare.self, Merge.self, Probe.self, Relay.self, Decode.self]
    )

    /// Expands `--scenario FILE` into the scenario's options before ArgumentParser parses.
    static func main() async {
        // Past a file-size limit (ulimit -f) a write then fails with EFBIG and is reported
        // like any other failed write, instead of the signal killing the process.
        signal(SIGXFSZ, SIG_IGN)
        let arguments: [String]
        do {
            arguments = try ScenarioExpansion.expand(Array(CommandLine.arguments.dropFirst()))
        } catch {
            printError(error.description)
            Self.exit(withError: ExitCode.validationFailure)
        }
        await main(arguments)
    }
}
