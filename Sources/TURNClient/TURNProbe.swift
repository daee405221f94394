import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
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

    public init(credential: ClientCredential, tls: TLSOptions, peer: TransportAddress?, packets: Int, timeout: Duration,
                indications: Bool = false) {
        self.credential = credential
        self.tls = tls
        self.peer = peer
        self.packets = packets
        self.timeout = timeout
        self.indications = indications
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

        guard let server = await recorder.step(.resolve, into: &result, { () async throws -> SocketAddress in
            try await Self.resolve(uri, timeout: timeout)
        }) else { return result }
        result.server = "\(server.ipAddress ?? uri.host):\(uri.port)"

        let configuration = TURNSessionConfiguration(
            credential: credential, reliable: uri.transport.isStream,
            addressFamily: server.protocol == .inet6 ? .ipv6 : .ipv4, requestTimeout: timeout)
        let connect = { (server: SocketAddress) in
            try open.hold(await TURNClientConnection.connect(
                to: server, hostname: uri.host, transport: uri.transport, configuration: configuration, tls: tls,
                group: group, timeout: TimeAmount(timeout)))
        }
        guard var connection = await recorder.step(.connect, into: &result, { try await connect(server) }) else { return result }
        defer { Task { [connection] in await connection.close() } }
        var target = "\(result.server!)/\(uri.transport.rawValue)"

        let reflexive = await recorder.step(.binding, into: &result, { try await connection.bind() }, target: target)
        result.reflexiveAddress = reflexive?.description

        var redirectedTo: TransportAddress?
        guard let allocation = await recorder.step(.allocate, into: &result, {
            do {
                return try await connection.allocate()
            } catch let redirect as TURNRedirect {
                // 300 Try Alternate: follow it once, to the server it names (RFC 8656 §7.1);
                // a second redirect fails the step.
                await connection.close()
                redirectedTo = redirect.alternate
                connection = try await connect(SocketAddress(redirect.alternate))
                return try await connection.allocate()
            }
        }, target: target) else { return result }
        if let redirectedTo {
            result.redirectedFrom = result.server
            result.server = redirectedTo.description
            target = "\(redirectedTo)/\(uri.transport.rawValue)"
        }
        result.relayedAddress = allocation.relayed.description
        result.lifetimeSeconds = allocation.lifetime
        result.software = allocation.software

        let echo = EchoRecorder(packets: packets)
        connection.onData { peer, payload in echo.received(payload, from: peer) }
        var peerAddress = peer
        var echoPeer: EchoPeer?
        if peerAddress == nil {
            echoPeer = try? await EchoPeer.start(host: allocation.relayed.ip.family == .ipv6 ? "::" : "0.0.0.0", group: group)
        }
        defer { if let echoPeer { Task { await echoPeer.close() } } }

        let permitted = peerAddress?.ip ?? allocation.mapped?.ip ?? reflexive?.ip ?? IPAddress.loopbackV4
        let permission: Void? = await recorder.step(.permission, into: &result, {
            try await connection.createPermission(for: TransportAddress(ip: permitted, port: 0))
            if peerAddress == nil, let echoPeer {
                // The peer speaks first, so that the relay and any NAT show where it is.
                peerAddress = try await echo.firstContact(from: echoPeer, to: allocation.relayed, timeout: timeout)
            }
        }, target: target, peer: permitted)
        guard permission != nil, let peerAddress else { return await finish(&result, recorder, connection, target) }
        result.peer = peerAddress.description

        let bound = indications ? nil : await recorder.step(.channel, into: &result, {
            try await connection.bindChannel(to: peerAddress)
        }, target: target, peer: peerAddress.ip)
        if bound != nil || indications {
            let statistics = await recorder.step(.echo, into: &result, {
                try await echo.run(connection, to: peerAddress, timeout: timeout)
            })
            result.echo = statistics ?? echo.statistics
        }
        return await finish(&result, recorder, connection, target)
    }

    private func finish(_ result: inout ProbeResult, _ recorder: StepRecorder, _ connection: TURNClientConnection,
                        _ target: String) async -> ProbeResult {
        let lifetime = result.lifetimeSeconds ?? 600
        _ = await recorder.step(.refresh, into: &result, { try await connection.refresh(lifetime: lifetime) }, target: target)
        _ = await recorder.step(.release, into: &result, { try await connection.release() }, target: target)
        return result
    }

    public static func resolve(_ uri: TURNURI, timeout: Duration) async throws -> SocketAddress {
        if let ip = uri.ipAddress {
            return SocketAddress(TransportAddress(ip: ip, port: uri.port))
        }
        let host = uri.host
        let port = Int(uri.port)
        // getaddrinfo blocks: off the cooperative pool, and raced against the timeout.
        return try await withThrowingTaskGroup(of: SocketAddress.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    Thread.detachNewThread {
                        continuation.resume(with: Result {
                            do { return try SocketAddress.makeAddressResolvingHost(host, port: port) } catch {
                                throw ProbeError("DNS: cannot resolve \(host) (\(error))")
                            }
                        })
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ProbeError("DNS: no answer for \(host) within \(formatSeconds(timeout.seconds))")
            }
            let address = try await group.next()!
            group.cancelAll()
            return address
        }
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
            result.steps.append(ProbeStepResult(step: step, ok: false, milliseconds: (clock.now - start).milliseconds,
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
