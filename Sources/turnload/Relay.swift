import ArgumentParser
import Campaign
import Foundation
import Logging
import NIOCore
import NIOPosix
import RunModel
import TURNProtocol
import TURNRelay

struct Relay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run turnload's own TURN relay, for tests and calibration.",
        discussion: """
            A TURN relay (RFC 8656) over UDP and TCP, and TLS and DTLS when given a certificate, \
            with long-term credentials (static users and/or a TURN REST shared secret, as \
            coturn's use-auth-secret), allocations, permissions and channels. Like hosted \
            providers it refuses private, loopback, link-local and multicast peers unless \
            allowed, and never relays without credentials. It can inject loss, delay, jitter, \
            reordering and duplication, and capacity limits on packets (--max-pps) and on new \
            allocations (--max-allocate-rate), so that a known impairment or cliff can be \
            placed where a measurement should find it. Prints one status line a second; Ctrl-C \
            or SIGTERM stops it.

            It relays from the IPv4 and/or IPv6 address of --relay-ip (repeat it for both; by \
            default the --listen addresses'), whichever family clients reach it over: a client \
            asks for IPv6 with REQUESTED-ADDRESS-FAMILY, for both with ADDITIONAL-ADDRESS-FAMILY \
            (RFC 8656 §7.2). --listen may be repeated for an IPv4 and an IPv6 address.

            Examples:
              TURN_PASSWORD=wonderland turnload relay --user alice --password-env TURN_PASSWORD --allow-loopback-peers
              turnload relay --listen 127.0.0.1:3479 --secret-env TURN_SECRET --metrics 127.0.0.1:9090
              turnload relay --listen 127.0.0.1:3478 --listen [::1]:3478 --user alice --password-env TURN_PASSWORD
              turnload relay --user alice --password-env TURN_PASSWORD --tls-listen 127.0.0.1:5349 \\
                --dtls-listen 127.0.0.1:5349 --cert cert.pem --key key.pem
              turnload relay --user alice --password-env TURN_PASSWORD --impair loss=2%,delay=20ms --max-pps 5000
              turnload relay --user alice --password-env TURN_PASSWORD --max-allocation-pps 500 --max-allocation-bitrate 2M
              turnload relay --user alice --password-env TURN_PASSWORD --allow-loopback-peers --max-new-peer-rate 20/s
              turnload relay --user alice --password-env TURN_PASSWORD --allow-loopback-peers --max-allocate-rate 30/s
            """
    )

    @Option(
        help: ArgumentHelp(
            "UDP and TCP address to listen on; repeat for an IPv4 and an IPv6 address. "
                + "(default: 127.0.0.1:3478)", valueName: "IP:PORT"))
    var listen: [String] = []

    @Option(help: ArgumentHelp("TLS address to listen on (needs --cert and --key).", valueName: "IP:PORT"))
    var tlsListen: String?

    @Option(help: ArgumentHelp("DTLS address to listen on (needs --cert and --key).", valueName: "IP:PORT"))
    var dtlsListen: String?

    @Option(help: ArgumentHelp("PEM certificate chain for TLS and DTLS.", valueName: "FILE"))
    var cert: String?

    @Option(help: ArgumentHelp("PEM private key for TLS and DTLS.", valueName: "FILE"))
    var key: String?

    @Option(
        help: ArgumentHelp(
            "Address to relay from; repeat for an IPv4 and an IPv6 address "
                + "(default: the listening addresses).", valueName: "IP"))
    var relayIP: [String] = []

    @Option(help: ArgumentHelp("Relayed ports, e.g. 61000-65535 (default: the kernel picks).", valueName: "MIN-MAX"))
    var relayPorts: String?

    @Option(help: "Realm of the long-term credentials.")
    var realm = "turnload"

    @OptionGroup var secrets: SecretOptions

    @Option(
        help: ArgumentHelp(
            "Impair relayed packets, e.g. loss=1%,delay=20ms,jitter=5ms,reorder=0.5%,duplicate=0.1%.",
            valueName: "SPEC"))
    var impair: String?

    @Option(
        help: "Seed of the impairment's random choices, for repeatable runs. (default: 1)", transform: OptionRange.count(0...UInt64.max))
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp("Relay at most N packets a second in total and drop the rest: a known capacity.", valueName: "N"),
        transform: OptionRange.count(1...10_000_000))
    var maxPps: Int?

    @Option(
        help: ArgumentHelp(
            "Relay at most this many bits a second per allocation, e.g. 64k or 2M; drop the rest.",
            valueName: "RATE"),
        transform: OptionRange.bitrate(1...100_000_000_000))
    var maxAllocationBitrate: Int?

    @Option(
        help: ArgumentHelp("Relay at most N packets a second per allocation, both ways together; drop the rest.", valueName: "N"),
        transform: OptionRange.count(1...10_000_000))
    var maxAllocationPps: Int?

    @Option(
        help: ArgumentHelp(
            "Let each allocation add at most RATE new peer addresses a second (CreatePermission or ChannelBind for an IP "
                + "without a permission), a fifth of a second's worth at once; refuse the rest with 508. 20, 20/s or 600/m.",
            valueName: "RATE"),
        transform: OptionRange.rate(of: "new peers", upTo: 1_000_000))
    var maxNewPeerRate: Double?

    @Option(
        help: ArgumentHelp(
            "Grant at most RATE new allocations a second, all clients together, a second's worth at once; refuse the "
                + "rest with 508 Insufficient Capacity: a known control-plane capacity. 30, 30/s or 600/m.",
            valueName: "RATE"),
        transform: OptionRange.rate(of: "allocations", upTo: 1_000_000))
    var maxAllocateRate: Double?

    @Option(
        help: ArgumentHelp("Allocations one username may hold at once (486 beyond). (default: 100)", valueName: "N"),
        transform: OptionRange.count(1...100_000))
    var userQuota = 100

    @Option(
        help: ArgumentHelp(
            "Requests without credentials and Binding requests answered a second from one "
                + "IPv4 address or IPv6 /64; the rest are dropped. (default: 1000)", valueName: "N"),
        transform: OptionRange.count(1...1_000_000))
    var maxUnauthenticatedPerIp = RelayConfiguration(realm: "").maximumUnauthenticatedPerAddressPerSecond

    @Option(
        help: ArgumentHelp(
            "TCP and TLS connections open at once from one IPv4 address or IPv6 /64; more are closed. "
                + "(default: 1000)", valueName: "N"),
        transform: OptionRange.count(1...1_000_000))
    var maxConnectionsPerIp = RelayConfiguration(realm: "").maximumConnectionsPerAddress

    @Flag(help: "Relay to loopback peers (127.0.0.0/8, ::1, and their IPv6 forms).")
    var allowLoopbackPeers = false

    @Flag(help: "Relay to private, link-local and special-purpose (documentation, benchmarking) peers too.")
    var allowPrivatePeers = false

    @Flag(help: "Accept TLS 1.0/1.1 and DTLS 1.0 (deprecated by RFC 8996) from old clients; TLS 1.2+ and DTLS 1.2 otherwise.")
    var allowLegacyTls = false

    @Option(
        help: ArgumentHelp(
            "Relay threads, each with its own UDP listener on the shared port (SO_REUSEPORT), its "
                + "clients' allocations and their relayed sockets. TCP, TLS and DTLS clients are spread over them too. "
                + "(default: the cores this process may use, \(LoadOptions.usableCores) here)", valueName: "N"),
        transform: OptionRange.count(1...64))
    var threads = LoadOptions.usableCores

    @Option(help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics.", valueName: "HOST:PORT"))
    var metrics: String?

    @Option(help: ArgumentHelp("Least severe log level: trace, debug, info, notice, warning, error.", valueName: "LEVEL"))
    var logLevel = "info"

    /// The `--listen` addresses, 127.0.0.1:3478 when none is given.
    var listenAddresses: [TransportAddress] {
        (listen.isEmpty ? ["127.0.0.1:3478"] : listen).compactMap(TransportAddress.init)
    }

    /// `--relay-ip`, or the first listening address of each family.
    var relayIPs: [IPAddress] {
        if !relayIP.isEmpty { return relayIP.compactMap(IPAddress.init) }
        return AddressFamily.allCases.compactMap { family in listenAddresses.first { $0.ip.family == family }?.ip }
    }

    func validate() throws {
        for value in listen where TransportAddress(value) == nil {
            throw ValidationError("--listen must be IP:PORT or [IPv6]:PORT, not \(value)")
        }
        for (name, value) in [("--tls-listen", tlsListen), ("--dtls-listen", dtlsListen), ("--metrics", metrics)] {
            if let value, TransportAddress(value) == nil { throw ValidationError("\(name) must be IP:PORT or [IPv6]:PORT, not \(value)") }
        }
        if tlsListen != nil || dtlsListen != nil, cert == nil || key == nil {
            throw ValidationError("--tls-listen and --dtls-listen need --cert FILE and --key FILE (PEM)")
        }
        for value in relayIP {
            guard let ip = IPAddress(value), !ip.isUnspecified else {
                throw ValidationError("--relay-ip must be a specific IP address, not \(value)")
            }
        }
        if relayIP.isEmpty, let unspecified = listenAddresses.first(where: \.ip.isUnspecified) {
            throw ValidationError("listening on \(unspecified.ip) needs --relay-ip: the address clients are told to relay through")
        }
        // One listener per family and transport: a reply leaves from the listener of the client's family.
        for (name, addresses) in [("--listen", listenAddresses.map(\.ip)), ("--relay-ip", relayIPs)]
        where Set(addresses.map(\.family)).count < addresses.count {
            throw ValidationError("\(name) takes at most one IPv4 and one IPv6 address")
        }
        if let relayPorts, Self.portRange(relayPorts) == nil {
            throw ValidationError("--relay-ports must be MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 65535, not \(relayPorts)")
        }
        if (secrets.user == nil) == secrets.hasPassword {
            throw ValidationError("--user goes with --password-env or --password-file")
        }
        if let impair {
            do { _ = try Impairment(parsing: impair) } catch { throw ValidationError("\(error)") }
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, not \(logLevel)")
        }
        if secrets.user == nil, !secrets.hasSecret {
            throw ValidationError(
                "give a user (--user with --password-env/--password-file) or --secret-env/--secret-file: "
                    + "the relay never relays without credentials")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = RelayConfiguration(realm: realm)
        if let user = secrets.user, let password = try secrets.password() {
            configuration.users[user] = password
        }
        configuration.sharedSecret = try secrets.secret()
        configuration.impairment = try impair.map { try Impairment(parsing: $0) } ?? Impairment()
        configuration.seed = seed
        configuration.maximumPacketsPerSecond = maxPps
        configuration.maximumAllocationsPerSecond = maxAllocateRate
        configuration.maximumAllocationsPerUser = userQuota
        configuration.maximumUnauthenticatedPerAddressPerSecond = maxUnauthenticatedPerIp
        configuration.maximumConnectionsPerAddress = maxConnectionsPerIp
        configuration.maximumBitsPerSecondPerAllocation = maxAllocationBitrate
        configuration.maximumPacketsPerSecondPerAllocation = maxAllocationPps
        configuration.maximumNewPeersPerSecondPerAllocation = maxNewPeerRate
        configuration.relayPorts = relayPorts.flatMap(Self.portRange)
        configuration.peerPolicy = PeerPolicy(allowLoopback: allowLoopbackPeers || allowPrivatePeers, allowPrivate: allowPrivatePeers)
        configuration.allowsLegacyTLS = allowLegacyTls

        var listeners = listenAddresses.flatMap { [RelayListener(.udp, $0), RelayListener(.tcp, $0)] }
        if let tlsListen { listeners.append(RelayListener(.tls, TransportAddress(tlsListen)!)) }
        if let dtlsListen { listeners.append(RelayListener(.dtls, TransportAddress(dtlsListen)!)) }
        let identity = cert.flatMap { cert in key.map { RelayIdentity(certificateFile: cert, keyFile: $0) } }
        do {
            try await RelayService.serve(
                configuration: configuration, listeners: listeners, identity: identity, relayIPs: relayIPs, threads: threads,
                metrics: metrics.flatMap(TransportAddress.init))
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `MIN-MAX`.
    static func portRange(_ text: String) -> ClosedRange<UInt16>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = UInt16(parts[0]), let high = UInt16(parts[1]), low >= 1, low <= high else { return nil }
        return low...high
    }
}
