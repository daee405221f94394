import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RunModel
import TURNClient
import TURNProtocol

/// Walks one TURN URI through every step a call needs and times each: resolve, connect (and
/// TLS handshake), Binding, Allocate, CreatePermission, ChannelBind, echo packets through the
/// relay, Refresh and release. A step that fails is recorded with its reason; the walk goes on
/// where the next step still makes sense.
public struct TURNProbe: Sendable {
    public var credential: ClientCredential
    public var tls: TLSOptions
    /// A peer that echoes datagrams; by default the probe runs its own.
    public var peer: TransportAddress?
    public var packets: Int
    public var timeout: Duration
    /// Data in Send and Data indications instead of ChannelData: no channel is bound.
    public var indications: Bool
    /// The relayed address family to ask for; nil for the family of the server's address.
    public var relayFamily: RelayFamily?
    /// `--limits`: once every step passed, the allocation's caps are searched for, within this time.
    public var limitsBound: Duration?

    /// A limit search's step breaks when more than this share of what it sent is lost.
    static let limitLossPercent = 2.0

    public init(
        credential: ClientCredential, tls: TLSOptions, peer: TransportAddress?, packets: Int, timeout: Duration,
        indications: Bool = false, relayFamily: RelayFamily? = nil, limitsBound: Duration? = nil
    ) {
        self.credential = credential
        self.tls = tls
        self.peer = peer
        self.packets = packets
        self.timeout = timeout
        self.indications = indications
        self.relayFamily = relayFamily
        self.limitsBound = limitsBound
    }

    /// Opus at 32 kbit/s in 20 ms frames: 80 bytes, behind a 12-byte RTP header.
    static let opusFrameBytes = 80

    /// Cancelling the task ends the walk promptly: the open connection is closed, so that
    /// whatever waits on it fails at once, and the steps not taken are marked interrupted.
    public func run(_ uri: TURNURI, group: EventLoopGroup) async -> ProbeResult {
        let open = OpenConnection()
        return await withTaskCancellationHandler {
            await walk(uri, group: group, open: open)
        } onCancel: {
            open.cancel()
        }
    }

    private func walk(_ uri: TURNURI, group: EventLoopGroup, open: OpenConnection) async -> ProbeResult {
        var result = ProbeResult(uri: uri.description, transport: uri.transport.rawValue)
        let recorder = StepRecorder(transport: uri.transport)

        guard
            let servers = await recorder.step(
                .resolve, into: &result,
                { () async throws -> [SocketAddress] in
                    try await ServerAddresses.resolve(uri, timeout: timeout)
                })
        else { return result }
        if servers.count > 1 { result.addresses = servers.map(\.displayText) }

        let configuration = { @Sendable [credential, relayFamily, timeout] (server: SocketAddress) in
            TURNSessionConfiguration(
                credential: credential, reliable: uri.transport.isStream,
                relayFamily: relayFamily ?? RelayFamily(serverFamily: server.addressFamily),
                requestTimeout: timeout)
        }
        let connect = { [tls] (servers: [SocketAddress]) in
            let (connection, failed) = try await TURNClientConnection.connect(
                toFirstOf: servers, hostname: uri.host, transport: uri.transport, configuration: configuration, tls: tls,
                group: group, timeout: TimeAmount(timeout))
            return (open.hold(connection), failed)
        }
        guard let (first, failed) = await recorder.step(.connect, into: &result, { try await connect(servers) }) else {
            return result
        }
        var connection = first
        if !failed.isEmpty { result.unanswered = failed }
        defer { Task { [connection] in await connection.close() } }
        result.server = connection.server.displayText
        var target = "\(result.server!)/\(uri.transport.rawValue)"

        let reflexive = await recorder.step(.binding, into: &result, { try await connection.bind() }, target: target)
        result.reflexiveAddress = reflexive?.description

        var redirectedTo: TransportAddress?
        guard
            let allocation = await recorder.step(
                .allocate, into: &result,
                {
                    do {
                        return try await connection.allocate()
                    } catch let redirect as TURNRedirect {
                        // 300 Try Alternate: follow it once, to the server it names (RFC 8656 §7.1);
                        // a second redirect fails the step.
                        await connection.close()
                        redirectedTo = redirect.alternate
                        connection = try await connect([SocketAddress(redirect.alternate)]).0
                        return try await connection.allocate()
                    }
                }, target: target)
        else { return result }
        if let redirectedTo {
            result.redirectedFrom = result.server
            result.server = redirectedTo.description
            target = "\(redirectedTo)/\(uri.transport.rawValue)"
        }
        result.relayedAddress = allocation.relayed.description
        if allocation.relayedAddresses.count > 1 { result.relayedAddresses = allocation.relayedAddresses.map(\.description) }
        result.refusedFamily = allocation.refusedFamily.map { "\($0.family == .ipv6 ? "IPv6" : "IPv4"): \($0.error)" }
        result.lifetimeSeconds = allocation.lifetime
        result.software = allocation.software

        // The echo goes through the relayed address of the given peer's family, else the first.
        let relayed = peer.flatMap { allocation.relayed(for: $0.ip.family) } ?? allocation.relayed
        let echo = EchoRecorder(packets: packets)
        connection.onData { peer, payload in echo.received(payload, from: peer) }
        var peerAddress = peer
        var echoPeer: EchoPeer?
        if peerAddress == nil {
            echoPeer = try? await EchoPeer.start(host: relayed.ip.family == .ipv6 ? "::" : "0.0.0.0", group: group)
        }
        defer { if let echoPeer { Task { await echoPeer.close() } } }

        let ownAddress = Self.ownAddress(seenBy: relayed, mapped: allocation.mapped?.ip, reflexive: reflexive?.ip)
        let permitted = peerAddress?.ip ?? ownAddress
        let permission: Void? = await recorder.step(
            .permission, into: &result,
            {
                try await connection.createPermission(for: TransportAddress(ip: permitted, port: 0))
                if peerAddress == nil, let echoPeer {
                    // The peer speaks first, so that the relay and any NAT show where it is.
                    peerAddress = try await echo.firstContact(from: echoPeer, to: relayed, timeout: timeout)
                }
            }, target: target, peer: permitted)
        guard permission != nil, let peerAddress else { return await finish(&result, recorder, connection, target) }
        result.peer = peerAddress.description

        let bound =
            indications
            ? nil
            : await recorder.step(
                .channel, into: &result,
                {
                    try await connection.bindChannel(to: peerAddress)
                }, target: target, peer: peerAddress.ip)
        if bound != nil || indications {
            let statistics = await recorder.step(
                .echo, into: &result,
                {
                    try await echo.run(connection, to: peerAddress, timeout: timeout)
                })
            result.echo = statistics ?? echo.statistics
        }
        if let limitsBound, result.steps.allSatisfy(\.ok) {
            result.limits = await searchLimits(
                connection, relayed: relayed, ownAddress: ownAddress, echo: echo, bound: limitsBound, group: group, recorder: recorder)
        }
        return await finish(&result, recorder, connection, target)
    }

    /// The allocation's caps, sent to a sink peer of the probe's own (at `ownAddress`, as the
    /// relay sees it), on a channel of its own unless the probe sends indications.
    private func searchLimits(
        _ connection: TURNClientConnection, relayed: TransportAddress, ownAddress: IPAddress, echo: EchoRecorder,
        bound: Duration, group: EventLoopGroup, recorder: StepRecorder
    ) async -> ProbeLimits {
        var limits = ProbeLimits(lossLimitPercent: Self.limitLossPercent, boundSeconds: bound.seconds)
        let sink: LimitSink
        do {
            sink = try await LimitSink.start(host: relayed.ip.family == .ipv6 ? "::" : "0.0.0.0", group: group)
        } catch {
            limits.error = "could not open the sink peer's socket: \(error)"
            return limits
        }
        defer { Task { await sink.close() } }
        do {
            try await connection.createPermission(for: TransportAddress(ip: ownAddress, port: 0))
            let address = try await echo.firstContact(from: sink, to: relayed, timeout: timeout)
            if !indications { _ = try await connection.bindChannel(to: address) }
            return await LimitProbe(connection: connection, sink: sink, sinkAddress: address, bound: bound)
                .run(lossLimitPercent: Self.limitLossPercent)
        } catch {
            limits.error = "the sink peer: " + recorder.explain(error, target: nil, peer: ownAddress)
            return limits
        }
    }

    /// Where the relay will see the probe's own echo peer: the address the server saw this
    /// client at (through any NAT), when the relayed address is of its family; else the local
    /// address that routes to the relayed address (an IPv6 relay reached over IPv4).
    static func ownAddress(seenBy relayed: TransportAddress, mapped: IPAddress?, reflexive: IPAddress?) -> IPAddress {
        if let seen = mapped ?? reflexive, seen.family == relayed.ip.family { return seen }
        return (try? LocalRoute.address(toward: SocketAddress(relayed)))
            ?? (relayed.ip.family == .ipv6 ? .loopbackV6 : .loopbackV4)
    }

    private func finish(
        _ result: inout ProbeResult, _ recorder: StepRecorder, _ connection: TURNClientConnection,
        _ target: String
    ) async -> ProbeResult {
        let lifetime = result.lifetimeSeconds ?? 600
        _ = await recorder.step(.refresh, into: &result, { try await connection.refresh(lifetime: lifetime) }, target: target)
        _ = await recorder.step(.release, into: &result, { try await connection.release() }, target: target)
        return result
    }
}

/// The probe's connection of the moment, for a cancellation to close from any thread.
private final class OpenConnection: Sendable {
    private let state = NIOLockedValueBox((connection: TURNClientConnection?.none, cancelled: false))

    /// Keeps `connection` to close on cancel; one opened after the cancel is closed at once.
    func hold(_ connection: TURNClientConnection) -> TURNClientConnection {
        let cancelled = state.withLockedValue { state in
            state.connection = connection
            return state.cancelled
        }
        if cancelled { connection.channel.close(promise: nil) }
        return connection
    }

    func cancel() {
        let connection = state.withLockedValue { state in
            state.cancelled = true
            return state.connection
        }
        connection?.channel.close(promise: nil)
    }
}

/// A step of the probe that failed for a reason of the probe's own (no echo, no first contact).
struct ProbeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Times steps and turns their errors into the sentences a user reads.
struct StepRecorder {
    let transport: TURNTransport

    /// Once the probe is cancelled, the step (and every later one) is not taken and the
    /// result says it was interrupted.
    func step<T>(
        _ step: ProbeStep, into result: inout ProbeResult, _ body: () async throws -> T,
        target: String? = nil, peer: IPAddress? = nil
    ) async -> T? {
        guard !Task.isCancelled else {
            result.interrupted = true
            return nil
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let value = try await body()
            result.steps.append(ProbeStepResult(step: step, ok: true, milliseconds: (clock.now - start).milliseconds))
            return value
        } catch {
            let interrupted = Task.isCancelled
            result.interrupted = result.interrupted || interrupted
            result.steps.append(
                ProbeStepResult(
                    step: step, ok: false, milliseconds: (clock.now - start).milliseconds,
                    error: interrupted ? "interrupted" : explain(error, target: target, peer: peer)))
            return nil
        }
    }

    func explain(_ error: Error, target: String?, peer: IPAddress?) -> String {
        switch error {
        case TURNClientError.connectionClosed:
            return switch transport {
            case .tls: "connection closed by the server after the handshake"
            case .tcp: "connection closed by the server after it accepted it"
            case .udp, .dtls: "the connection was closed"
            }
        case TURNClientError.portUnreachable:
            return "nothing listens on \(target ?? "the server") (ICMP port unreachable): is the relay running, is the port right?"
        case TURNClientError.timeout(let sends, let seconds):
            let retransmissions = sends - 1
            return "no answer from \(target ?? "the server") after \(formatSeconds(seconds))"
                + (retransmissions > 0 ? " (\(retransmissions) retransmission\(retransmissions == 1 ? "" : "s"))" : "")
        case TURNClientError.rejected(let code) where code.code == 403:
            return "\(code): the relay refuses peer \(peer.map(\.description) ?? "?") (many providers refuse private and "
                + "loopback peers; use --peer with a public address)"
        case let error as TURNRedirect:
            return "300 Try Alternate to \(error.alternate)"
        default:
            return "\(error)"
        }
    }
}

extension Duration {
    /// Milliseconds to the microsecond, as reports show them.
    var milliseconds: Double { (seconds * 1_000_000).rounded() / 1000 }
}
