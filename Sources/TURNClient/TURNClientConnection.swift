import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// How to trust a TLS server.
public struct TLSOptions: Sendable {
    /// PEM file of the certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// Skip certificate verification (a throw-away certificate on a test relay).
    public var insecure: Bool

    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }
}

public enum TURNConnectionError: Error, Sendable, CustomStringConvertible {
    case connect(String)
    case tls(String)
    case dtls(String)

    public var description: String {
        switch self {
        case .connect(let why): why
        case .tls(let why): "TLS: \(why)"
        case .dtls(let why): "DTLS: \(why)"
        }
    }
}

/// One client's connection to a TURN server (one socket or TCP/TLS connection, as a relay
/// keys allocations on the 5-tuple), driving a `TURNSession`. Every method may be called from
/// any thread; the session itself lives on the channel's event loop, bound to it.
public final class TURNClientConnection: TURNRequests, Sendable {
    public let channel: Channel
    public let transport: TURNTransport
    /// The TURN server's address, where a datagram socket's frames go.
    public let server: SocketAddress
    private let handler: NIOLoopBoundBox<TURNSessionHandler>

    private init(channel: Channel, transport: TURNTransport, server: SocketAddress, handler: NIOLoopBoundBox<TURNSessionHandler>) {
        self.channel = channel
        self.transport = transport
        self.server = server
        self.handler = handler
    }

    /// Connects to `server` and, for TLS, completes the handshake, using `hostname` for SNI and
    /// certificate checks when it is a name.
    public static func connect(
        to server: SocketAddress, hostname: String, transport: TURNTransport, configuration: TURNSessionConfiguration,
        tls: TLSOptions, group: EventLoopGroup, timeout: TimeAmount
    ) async throws -> TURNClientConnection {
        // The loop is chosen first, so that the handlers made here can be bound to it.
        let eventLoop = group.next()
        // Kept here rather than looked up after connecting: a server that closes at once
        // tears the pipeline down before a lookup could find it.
        let handler = NIOLoopBoundBox.makeBoxSendingValue(TURNSessionHandler(configuration: configuration), eventLoop: eventLoop)
        // Kept for the same reason: a server that shakes hands and closes at once leaves no
        // pipeline to find the watcher in, yet the handshake did complete.
        let watcher = transport == .tls || transport == .dtls ? TLSHandshakeWatcher(promise: eventLoop.makePromise()) : nil
        do {
            return try await open(
                to: server, hostname: hostname, transport: transport, handler: handler, watcher: watcher,
                tls: tls, eventLoop: eventLoop, timeout: timeout)
        } catch {
            watcher?.promise.fail(error)
            throw error
        }
    }

    private static func open(
        to server: SocketAddress, hostname: String, transport: TURNTransport, handler: NIOLoopBoundBox<TURNSessionHandler>,
        watcher: TLSHandshakeWatcher?, tls: TLSOptions, eventLoop: EventLoop, timeout: TimeAmount
    ) async throws -> TURNClientConnection {
        let channel: Channel
        switch transport {
        case .udp, .dtls:
            let dtls =
                transport == .dtls
                ? NIOLoopBoundBox.makeBoxSendingValue(
                    try DTLSClientHandler(server: server, hostname: hostname, options: tls), eventLoop: eventLoop) : nil
            // No SO_REUSEADDR: with it the kernel may hand two sockets the same ephemeral port,
            // and a relay keys allocations on the 5-tuple (437 for the second client).
            // Connected, so that ICMP port unreachable ends a request at once (ECONNREFUSED)
            // and the kernel passes on datagrams from the server alone.
            let bootstrap = DatagramBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let dtls, let watcher { try channel.pipeline.syncOperations.addHandlers([dtls.value, watcher]) }
                        try channel.pipeline.syncOperations.addHandlers([
                            TURNDatagramCodec(server: server), handler.value,
                        ])
                    }
                }
            do { channel = try await bootstrap.connect(to: server).get() } catch let error as IOError {
                throw TURNConnectionError.connect("\(target(server, transport)): \(error.description)")
            }
            if let watcher { try await handshake(channel, watcher, hostname: hostname, timeout: timeout, transport: .dtls) }
        case .tcp, .tls:
            let sslContext = transport == .tls ? try makeSSLContext(tls) : nil
            let sniName = IPAddress(hostname) == nil ? hostname : nil
            do {
                channel = try await ClientBootstrap(group: eventLoop)
                    .connectTimeout(timeout)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let sslContext, let watcher {
                                let ssl = try NIOSSLClientHandler(context: sslContext, serverHostname: sniName)
                                try channel.pipeline.syncOperations.addHandlers([ssl, watcher])
                            }
                            try channel.pipeline.syncOperations.addHandlers([
                                ByteToMessageHandler(TURNStreamDecoder()), handler.value,
                            ])
                        }
                    }
                    .connect(to: server).get()
            } catch let error as ChannelError {
                throw TURNConnectionError.connect(describe(error, server: server, transport: transport))
            } catch let error as IOError {
                let target = target(server, transport)
                throw TURNConnectionError.connect(
                    error.errnoCode == ECONNREFUSED
                        ? "connection refused by \(target) (nothing listens there?)" : "\(target): \(error.description)")
            }
            if let watcher { try await handshake(channel, watcher, hostname: hostname, timeout: timeout) }
        }
        return TURNClientConnection(channel: channel, transport: transport, server: server, handler: handler)
    }

    /// Connects to the first of a name's addresses to answer (RFC 8305 Happy Eyeballs): a TCP
    /// or TLS connection, a DTLS handshake, or for plain UDP a Binding response, since a
    /// datagram socket has nothing else to show. A single address is simply connected to.
    /// Returns the addresses tried before the winner that failed, with why.
    public static func connect(
        toFirstOf servers: [SocketAddress], hostname: String, transport: TURNTransport,
        configuration: @escaping @Sendable (SocketAddress) -> TURNSessionConfiguration, tls: TLSOptions,
        group: EventLoopGroup, timeout: TimeAmount
    ) async throws -> (connection: TURNClientConnection, failed: [String]) {
        if servers.count == 1 {
            let server = servers[0]
            return (
                try await connect(
                    to: server, hostname: hostname, transport: transport, configuration: configuration(server),
                    tls: tls, group: group, timeout: timeout), []
            )
        }
        do {
            let race = try await HappyEyeballs.race(servers, named: \.displayText) { server in
                let connection = try await connect(
                    to: server, hostname: hostname, transport: transport,
                    configuration: configuration(server), tls: tls, group: group, timeout: timeout)
                if transport == .udp {
                    do { _ = try await connection.bind() } catch {
                        await connection.close()
                        throw error
                    }
                }
                return connection
            } discard: { connection in
                await connection.close()
            }
            return (race.value, race.failures.attempts.map { "\($0.candidate): \($0.error)" })
        } catch let failures as HappyEyeballs.Failures {
            throw TURNConnectionError.connect("no address of \(hostname) answered (\(failures))")
        }
    }

    private static func target(_ server: SocketAddress, _ transport: TURNTransport) -> String {
        "\(server.displayText)/\(transport.rawValue)"
    }

    private static func describe(_ error: ChannelError, server: SocketAddress, transport: TURNTransport) -> String {
        let target = target(server, transport)
        switch error {
        case .connectTimeout(let amount): return "no connection to \(target) within \(amount.nanoseconds / 1_000_000) ms"
        default: return "\(target): \(error)"
        }
    }

    private static func makeSSLContext(_ options: TLSOptions) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if options.insecure {
            configuration.certificateVerification = .none
        } else if let caFile = options.caFile {
            configuration.trustRoots = .file(caFile)
        }
        do { return try NIOSSLContext(configuration: configuration) } catch {
            throw TURNConnectionError.tls("cannot use the trust settings (\(error))")
        }
    }

    /// Waits for the TLS handshake, raced against the timeout.
    private static func handshake(
        _ channel: Channel, _ watcher: TLSHandshakeWatcher, hostname: String, timeout: TimeAmount,
        transport: TURNTransport = .tls
    ) async throws {
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            let why = "no handshake with \(hostname) within \(timeout.nanoseconds / 1_000_000) ms"
            watcher.promise.fail(transport == .dtls ? TURNConnectionError.dtls(why) : TURNConnectionError.tls(why))
        }
        defer { timer.cancel() }
        do {
            // A cancelled caller (Ctrl-C) closes the channel, which fails the watcher at once.
            try await withTaskCancellationHandler {
                try await watcher.promise.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch let error as TURNConnectionError {
            channel.close(promise: nil)
            throw error
        } catch {
            channel.close(promise: nil)
            throw TURNConnectionError.tls(describe(error, hostname: hostname))
        }
    }

    private static func describe(_ error: Error, hostname: String) -> String {
        if case ChannelError.ioOnClosedChannel = error { return "connection closed by \(hostname) during the handshake" }
        if case NIOSSLError.uncleanShutdown = error { return "connection closed by \(hostname) during the handshake" }
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed")
            || text.contains("unableToValidateCertificate")
        {
            return "certificate for \(hostname) is not trusted (use --ca-file or --insecure)"
        }
        if text.contains("hostname") || text.contains("Hostname") {
            return "certificate does not name \(hostname) (use --insecure to skip the check)"
        }
        return "handshake with \(hostname) failed: \(text)"
    }

    // MARK: requests

    public var localAddress: SocketAddress? { channel.localAddress }

    /// Application data from peers, delivered on the event loop.
    public func onData(_ body: @escaping @Sendable (TransportAddress, ByteBuffer) -> Void) {
        channel.eventLoop.execute { self.handler.value.onData = body }
    }

    /// Each refresh the session made on its own, answered or failed, delivered on the event loop.
    public func onRefresh(_ body: @escaping @Sendable (TURNRefresh) -> Void) {
        channel.eventLoop.execute { self.handler.value.onRefresh = body }
    }

    /// Sends to a peer through the relay: ChannelData once a channel is bound, else a Send indication.
    public func send(_ payload: ByteBuffer, to peer: TransportAddress) {
        let padded = transport.isStream
        channel.eventLoop.execute { self.handler.value.send(payload, to: peer, padded: padded) }
    }

    public func close() async {
        try? await channel.close()
    }

    /// Puts the handler `make` makes, on the channel's event loop, in front of the session: it
    /// sees every `TURNFrame` first (passing on what is not its own) and writes frames to the
    /// server through the same codec (TLS, DTLS) as the session. The load engine's media path.
    public func insertBeforeSession(_ make: @escaping @Sendable () -> ChannelHandler) async throws {
        try await channel.eventLoop.submit {
            try self.channel.pipeline.syncOperations.addHandler(make(), position: .before(self.handler.value))
        }.get()
    }

    public func perform(
        _ call: @escaping @Sendable (inout TURNSession, Duration) -> [TURNSessionOutput],
        until matches: @escaping @Sendable (TURNSessionEvent) -> Bool
    ) async throws -> TURNSessionEvent {
        let eventLoop = channel.eventLoop
        return try await eventLoop.flatSubmit { self.handler.value.perform(on: eventLoop, call, until: matches) }.get()
    }
}

/// Completes when NIOSSL reports the handshake done, fails with the first error before that.
final class TLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = Any
    let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { promise.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}

/// The server answered Allocate with 300 Try Alternate.
public struct TURNRedirect: Error, Sendable {
    public var alternate: TransportAddress
}
