import Campaign
import NIOCore
import NIOPosix
import TURNClient
import TURNProtocol
import Testing

/// The client library against coturn where the probe alone cannot show it: quotas, redirects
/// and servers that answer nonsense.
@Suite("client against coturn", .serialized)
struct ClientInteropTests {
    let group = MultiThreadedEventLoopGroup.singleton

    func connect(_ port: Int, transport: TURNTransport = .udp) async throws -> TURNClientConnection {
        try await TURNClientConnection.connect(
            to: SocketAddress(ipAddress: "127.0.0.1", port: port), hostname: "127.0.0.1", transport: transport,
            configuration: TURNSessionConfiguration(
                credential: .staticPassword(username: Coturn.user, password: Coturn.password),
                reliable: transport.isStream, requestTimeout: .seconds(3)),
            tls: TLSOptions(insecure: true), group: group, timeout: .seconds(3))
    }

    @Test func allocationQuota() async throws {
        let coturn = try Coturn(extra: ["--user-quota=1"])
        let first = try await connect(coturn.udpPort)
        let second = try await connect(coturn.udpPort)
        defer {
            Task {
                await first.close()
                await second.close()
            }
        }
        _ = try await first.allocate()
        await #expect(throws: TURNClientError.self) { try await second.allocate() }
        do {
            _ = try await second.allocate()
        } catch let error as TURNClientError {
            guard case .rejected(let code) = error else {
                Issue.record("expected 486, got \(error)")
                return
            }
            #expect(code.code == 486)
            #expect("\(error)".contains("as many allocations as the server allows"))
        }
        try await first.release()
    }

    @Test func tryAlternateIsFollowedOnce() async throws {
        let target = try Coturn()
        let redirecting = try Coturn(extra: ["--alternate-server=127.0.0.1:\(target.udpPort)"])
        let connection = try await connect(redirecting.udpPort)
        defer { Task { await connection.close() } }
        do {
            _ = try await connection.allocate()
            Issue.record("coturn with --alternate-server should redirect")
        } catch let redirect as TURNRedirect {
            #expect(redirect.alternate == TransportAddress("127.0.0.1:\(target.udpPort)"))
        }
        let probe = TURNProbe(
            credential: .staticPassword(username: Coturn.user, password: Coturn.password),
            tls: TLSOptions(), peer: nil, packets: 5, timeout: .seconds(5))
        let result = await probe.run(try TURNURI("turn:127.0.0.1:\(redirecting.udpPort)"), group: group)
        #expect(result.passed, "\(result)")
        #expect(result.redirectedFrom == "127.0.0.1:\(redirecting.udpPort)")
        #expect(result.server == "127.0.0.1:\(target.udpPort)")
    }

    /// Credentials that expire mid-run (2 s here, minutes at providers): the allocation made
    /// with them lives on and refreshes after they expired, and an allocation made later (a new
    /// 5-tuple, as coturn binds a 5-tuple to its first username) gets a fresh credential.
    @Test func restCredentialExpiresMidRun() async throws {
        let coturn = try Coturn(authentication: .sharedSecret)
        let credential = ClientCredential.sharedSecret(secret: Array(Coturn.secret.utf8), user: "load", ttl: 2)
        func connect() async throws -> TURNClientConnection {
            try await TURNClientConnection.connect(
                to: SocketAddress(ipAddress: "127.0.0.1", port: coturn.udpPort), hostname: "127.0.0.1", transport: .udp,
                configuration: TURNSessionConfiguration(credential: credential, reliable: false, requestTimeout: .seconds(3)),
                tls: TLSOptions(), group: group, timeout: .seconds(3))
        }
        let early = try await connect()
        defer { Task { await early.close() } }
        _ = try await early.allocate()
        try await Task.sleep(for: .seconds(3))
        try await early.refresh(lifetime: 600)
        let late = try await connect()
        defer { Task { await late.close() } }
        _ = try await late.allocate()
        try await late.release()
        try await early.release()
    }

    /// A server that answers every datagram with bytes that are neither STUN nor ChannelData,
    /// or with STUN of a transaction never asked: the client ignores them and times out cleanly.
    @Test func garbageRepliesEndInATimeout() async throws {
        let garbage = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(GarbageResponder()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { garbage.close(promise: nil) }
        let connection = try await connect(garbage.localAddress!.port!)
        defer { Task { await connection.close() } }
        await #expect(throws: TURNClientError.timeout(sends: 3, seconds: 3)) { try await connection.allocate() }
    }
}

private final class GarbageResponder: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = unwrapInboundIn(data)
        var replies = [ByteBuffer(bytes: (0..<64).map { _ in UInt8.random(in: 0x80...0xFF) })]
        replies.append(STUNMessage(.allocate, .successResponse).encoded(fingerprint: true))
        var truncated = request.data
        truncated.moveWriterIndex(to: truncated.writerIndex - 3)
        replies.append(truncated)
        for reply in replies {
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: request.remoteAddress, data: reply)), promise: nil)
        }
        context.flush()
    }
}
