import ArgumentParser
import Campaign
import Foundation
import NIOPosix
import Reporting
import RunModel
import TURNClient
import TURNProtocol

struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, step by step, that TURN endpoints work: which transports, how fast, and why not.",
        discussion: """
            For each URI: resolve, connect (TLS handshake), STUN Binding, Allocate, \
            CreatePermission, ChannelBind, echo packets of Opus size through the relay and back, \
            Refresh and release, each timed. The echo goes to a UDP peer the probe opens itself \
            (it speaks first, so that the relay and any NAT learn where it is); --peer names an \
            echo server of your own instead. Exit status 0 only when every URI passed.

            --limits then steps that one allocation's sending up, to a sink peer of the probe's \
            own, to find its caps: small packets doubling in rate from 100 a second (up to \
            20,000), then 1,200-byte packets from 256 kbit/s (up to 100 Mbit/s), each step a \
            0.5 s warm-up and a measured second; then permissions for new peer addresses from 5 \
            a second (up to 2,000), each new peer sent a packet where the probe can hear it \
            (127.0.0.0/8 on a loopback relay) and otherwise only its permission asked for, to \
            documentation addresses that nothing is sent to. A step breaks when it loses more \
            than 2%, and the rates between the last clean and the first broken step are \
            bisected. It reports each cap (the most a step delivered, once one broke) with the \
            clean step below and the step that broke, or "no cap found up to" the highest clean \
            rate. --limits-time bounds the three searches together, a third each.

            Examples:
              turnload probe turn:127.0.0.1:3478 --user alice --password-env TURN_PASSWORD
              turnload probe "turn:relay.example.com?transport=tcp" "turns:relay.example.com:443" \\
                  --user alice --secret-env TURN_SECRET
              turnload probe --ice-servers ice.json --json
              turnload probe turn:127.0.0.1:3478 --user alice --password-env TURN_PASSWORD --limits --limits-time 40s
            """
    )

    @Argument(help: "turn: or turns: URIs (RFC 7065), e.g. turn:relay.example.com:3478?transport=tcp.")
    var uris: [String] = []

    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var tls: TLSOptionGroup

    @Option(help: ArgumentHelp("An echo server to send to instead of the probe's own peer.", valueName: "HOST:PORT"))
    var peer: String?

    @Option(help: "Echo packets to send through each relay, 20 ms apart. (default: 20)", transform: OptionRange.count(1...10_000))
    var packets = 20

    @Option(help: "Seconds each step may take before it counts as failed. (default: 10)", transform: OptionRange.amount(0.001...300))
    var timeout: Double = 10

    @Flag(help: "Send data in Send/Data indications instead of ChannelData (no ChannelBind).")
    var indications = false

    @Option(
        help: ArgumentHelp(
            "The relayed address family to ask for: ipv4, ipv6, or both (a dual allocation, RFC 8656). "
                + "(default: the family of the server's address)", valueName: "FAMILY"))
    var relayFamily: RelayFamily?

    @Flag(help: "After a probe that passed, find the allocation's packet-rate and bit-rate caps and its rate of new peers.")
    var limits = false

    @Option(
        help: ArgumentHelp("How long --limits may search, the three together. (default: 45s)", valueName: "TIME"),
        // A third of it holds at least one 1.8 s step of each search.
        transform: OptionRange.time(.seconds(6)...(.seconds(600))))
    var limitsTime: DurationArgument?

    @Flag(help: "Print one JSON object per URI instead of the table.")
    var json = false

    func validate() throws {
        if uris.isEmpty, credentials.iceServers == nil {
            throw ValidationError("give at least one turn: or turns: URI, or --ice-servers FILE")
        }
        for uri in uris {
            do { _ = try TURNURI(uri) } catch { throw ValidationError("\(TURNURI.redacted(uri)): \(error)") }
        }
        if limitsTime != nil, !limits {
            throw ValidationError("--limits-time bounds --limits: give --limits too")
        }
        if let peer, TransportAddress(peer) == nil {
            throw ValidationError("--peer must be IP:PORT or [IPv6]:PORT, not \(peer)")
        }
    }

    func run() async throws {
        let probes = try credentials.targets(uris).map { uri, credential in
            (
                uri,
                TURNProbe(
                    credential: credential, tls: tls.options, peer: peer.flatMap(TransportAddress.init),
                    packets: packets, timeout: .milliseconds(Int64(timeout * 1000)), indications: indications,
                    relayFamily: relayFamily, limitsBound: limits ? limitsTime?.duration ?? .seconds(45) : nil)
            )
        }
        let (results, interrupted) = await ProbeSession.run(probes, json: json)
        if !json { print(ProbeTable.render(results)) }
        if interrupted { throw ExitCode(ExitStatus.interrupted) }
        if !results.allSatisfy(\.passed) { throw ExitCode(ExitStatus.failed) }
    }
}

struct TLSOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("Trust the certificate authorities in this PEM file instead of the system's.", valueName: "FILE"))
    var caFile: String?

    @Flag(help: "Do not verify the server's TLS/DTLS certificate (test relays with throw-away certificates).")
    var insecure = false

    /// Checked here, so that a typo fails at once rather than as a TLS error per endpoint.
    func validate() throws {
        guard let caFile else { return }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: caFile, isDirectory: &isFolder), !isFolder.boolValue,
            FileManager.default.isReadableFile(atPath: caFile)
        else {
            throw ValidationError("--ca-file \(caFile) is not a readable file: give a PEM file of certificate authorities")
        }
    }

    var options: TLSOptions { TLSOptions(caFile: caFile, insecure: insecure) }
}
