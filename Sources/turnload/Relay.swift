import ArgumentParser
import Dispatch
import Foundation
import NIOCore
import NIOPosix
import TURNProtocol
import TURNRelay

struct Relay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run turnload's own TURN relay (UDP), for tests and calibration.",
        discussion: """
            A TURN relay with long-term credentials (a static user and/or a TURN REST shared \
            secret, as coturn's use-auth-secret), allocations, permissions and channels. Like \
            hosted providers it refuses private, loopback, link-local and multicast peers unless \
            allowed. Prints one status line a second; Ctrl-C or SIGTERM stops it.

            Examples:
              TURN_PASSWORD=wonderland turnload relay --user alice --password-env TURN_PASSWORD --allow-loopback-peers
              turnload relay --listen 127.0.0.1:3479 --secret-env TURN_SECRET
              turnload relay --user alice --password-env TURN_PASSWORD --impair loss=2%,delay=20ms --max-pps 5000
            """
    )

    @Option(help: ArgumentHelp("UDP address to listen on.", valueName: "IP:PORT"))
    var listen = "127.0.0.1:3478"

    @Option(help: ArgumentHelp("Address to relay from (default: the listening address).", valueName: "IP"))
    var relayIP: String?

    @Option(help: "Realm of the long-term credentials.")
    var realm = "turnload"

    @OptionGroup var secrets: SecretOptions

    @Option(help: ArgumentHelp("Impair relayed packets, e.g. loss=1%,delay=20ms,jitter=5ms,reorder=0.5%,duplicate=0.1%.",
                               valueName: "SPEC"))
    var impair: String?

    @Option(help: "Seed of the impairment's random choices, for repeatable runs.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Relay at most N packets a second in total and drop the rest: a known capacity.", valueName: "N"))
    var maxPps: Int?

    @Flag(help: "Relay to loopback peers (127.0.0.0/8, ::1).")
    var allowLoopbackPeers = false

    @Flag(help: "Relay to private and link-local peers too.")
    var allowPrivatePeers = false

    func validate() throws {
        guard TransportAddress(listen) != nil else { throw ValidationError("--listen must be IP:PORT or [IPv6]:PORT, not \(listen)") }
        if let relayIP, IPAddress(relayIP) == nil { throw ValidationError("--relay-ip must be an IP address, not \(relayIP)") }
        if (secrets.user == nil) == secrets.hasPassword {
            throw ValidationError("--user goes with --password-env or --password-file")
        }
        if let impair {
            do { _ = try Impairment(parsing: impair) } catch { throw ValidationError("\(error)") }
        }
        if let maxPps, maxPps < 1 { throw ValidationError("--max-pps must be at least 1") }
        if secrets.user == nil, !secrets.hasSecret {
            throw ValidationError("give a user (--user with --password-env/--password-file) or --secret-env/--secret-file: "
                + "the relay never relays without credentials")
        }
    }

    func run() async throws {
        let address = TransportAddress(listen)!
        var configuration = RelayConfiguration(realm: realm)
        if let user = secrets.user, let password = try secrets.password() {
            configuration.users[user] = password
        }
        configuration.sharedSecret = try secrets.secret()
        configuration.impairment = try impair.map { try Impairment(parsing: $0) } ?? Impairment()
        configuration.seed = seed
        configuration.maximumPacketsPerSecond = maxPps
        configuration.peerPolicy = PeerPolicy(allowLoopback: allowLoopbackPeers || allowPrivatePeers, allowPrivate: allowPrivatePeers)

        let server: RelayServer
        do {
            server = try await RelayServer.start(
                configuration: configuration, listen: try SocketAddress(ipAddress: address.ip.description, port: Int(address.port)),
                relayIP: relayIP.flatMap(IPAddress.init) ?? address.ip, group: MultiThreadedEventLoopGroup.singleton)
        } catch {
            throw ValidationError("cannot listen on \(listen)/udp: \(error)")
        }
        printError("relay listening on \(listen)/udp, realm \(realm)\(allowLoopbackPeers ? ", loopback peers allowed" : "")")
        let stop = StopSignal()
        let start = Date()
        var last = RelayCounters()
        while !stop.received {
            try? await Task.sleep(for: .seconds(1))
            let now = await server.counters
            printError("\(Int(Date().timeIntervalSince(start))) s: \(now.allocations) allocations, "
                + "to peers \(now.packetsToPeers - last.packetsToPeers) pkt/s \((now.bytesToPeers - last.bytesToPeers) / 1000) kB/s, "
                + "to clients \(now.packetsToClients - last.packetsToClients) pkt/s \((now.bytesToClients - last.bytesToClients) / 1000) kB/s, "
                + "dropped: capacity \(now.droppedCapacity - last.droppedCapacity), "
                + "impairment \(now.droppedImpairment - last.droppedImpairment), "
                + "unroutable \(now.droppedUnroutable - last.droppedUnroutable)")
            last = now
        }
        printError("stopping")
        await server.stop()
    }
}

/// Becomes true on SIGINT or SIGTERM. The signals are unblocked first: a process started by
/// a test runner inherits a mask that blocks them.
final class StopSignal: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var flag = false

    init() {
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in [SIGINT, SIGTERM] {
            sigaddset(&set, signalNumber)
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.set() }
            source.resume()
            sources.append(source)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    var received: Bool { lock.withLock { flag } }

    private func set() { lock.withLock { flag = true } }
}
