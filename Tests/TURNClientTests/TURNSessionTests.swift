import NIOCore
import TURNClient
import TURNProtocol
import Testing

/// A scripted server: it reads what the session sent and answers as a TURN server would.
struct ScriptedServer {
    var realm = "turnload.test"
    var nonce = "f672cfd4dbfb4829"
    var password = "wonderland"
    let relayed = TransportAddress("192.0.2.10:50000")!
    let mapped = TransportAddress("198.51.100.7:40000")!

    func key(_ username: String, algorithm: PasswordAlgorithm = .md5) -> STUNKey {
        try! STUNKey.longTerm(username: username, realm: realm, password: password, algorithm: algorithm)
    }

    func challenge(_ request: STUNMessage, code: Int = 401, algorithms: [PasswordAlgorithm]? = nil) -> ByteBuffer {
        var attributes: [STUNAttribute] = [.errorCode(STUNErrorCode(code)), .realm(realm), .nonce(nonce)]
        if let algorithms { attributes.append(.passwordAlgorithms(algorithms)) }
        return STUNMessage(
            request.type.method, .errorResponse, transactionID: request.transactionID,
            attributes: attributes
        ).encoded(fingerprint: true)
    }

    func error(_ request: STUNMessage, _ code: STUNErrorCode, extra: [STUNAttribute] = []) -> ByteBuffer {
        STUNMessage(
            request.type.method, .errorResponse, transactionID: request.transactionID,
            attributes: [.errorCode(code)] + extra
        ).encoded(fingerprint: true)
    }

    func success(
        _ request: STUNMessage, _ attributes: [STUNAttribute], username: String = "alice",
        algorithm: STUNIntegrityAlgorithm = .hmacSHA1
    ) -> ByteBuffer {
        let passwordAlgorithm: PasswordAlgorithm = algorithm == .hmacSHA256 ? .sha256 : .md5
        return STUNMessage(
            request.type.method, .successResponse, transactionID: request.transactionID,
            attributes: attributes + [.software("scripted")]
        )
        .encoded(
            integrity: STUNIntegrity(key: key(username, algorithm: passwordAlgorithm), algorithm: algorithm),
            fingerprint: true)
    }

    func allocated(_ request: STUNMessage, lifetime: UInt32 = 600) -> ByteBuffer {
        success(
            request,
            [
                .xorAddress(.xorRelayedAddress, relayed, transactionID: request.transactionID),
                .xorAddress(.xorMappedAddress, mapped, transactionID: request.transactionID), .lifetime(lifetime),
            ])
    }
}

@Suite("TURN session state machine")
struct TURNSessionTests {
    let server = ScriptedServer()

    func session(reliable: Bool = false, credential: ClientCredential = .staticPassword(username: "alice", password: "wonderland"))
        -> TURNSession
    {
        TURNSession(configuration: TURNSessionConfiguration(credential: credential, reliable: reliable))
    }

    /// The one message a list of outputs sends.
    func sent(_ outputs: [TURNSessionOutput]) throws -> (STUNMessage, ByteBuffer) {
        let sends = outputs.compactMap { if case .send(let bytes) = $0 { bytes } else { nil } }
        #expect(sends.count == 1)
        let bytes = try #require(sends.first)
        return (try STUNMessage(datagram: bytes), bytes)
    }

    func events(_ outputs: [TURNSessionOutput]) -> [TURNSessionEvent] {
        outputs.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    /// Allocates through the 401 challenge; returns the session and the authenticated request.
    func allocated(_ session: inout TURNSession) throws -> STUNMessage {
        let (first, _) = try sent(session.allocate(now: .zero))
        #expect(first.attribute(.messageIntegrity) == nil)
        #expect(try first.requestedTransport == 17)
        let (second, bytes) = try sent(session.receive(server.challenge(first), now: .milliseconds(5), unixTime: 0))
        #expect(second.transactionID != first.transactionID)
        #expect(try second.username == "alice")
        #expect(try second.realm == server.realm)
        #expect(try second.nonce == server.nonce)
        try STUNIntegrity(key: server.key("alice")).verify(bytes)
        let outputs = session.receive(server.allocated(second), now: .milliseconds(10), unixTime: 0)
        guard case .allocated(let allocation)? = events(outputs).first else {
            Issue.record("expected an allocation, got \(outputs)")
            return second
        }
        #expect(allocation.relayed == server.relayed)
        #expect(allocation.mapped == server.mapped)
        #expect(allocation.lifetime == 600)
        #expect(allocation.software == "scripted")
        return second
    }

    @Test func allocatesThroughChallenge() throws {
        var session = session()
        _ = try allocated(&session)
        #expect(session.allocation?.relayed == server.relayed)
    }

    @Test func sha256WhenOffered() throws {
        var session = session()
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, bytes) = try sent(
            session.receive(
                server.challenge(first, algorithms: [.sha256, .md5]),
                now: .zero, unixTime: 0))
        #expect(try second.passwordAlgorithms == [2, 1])
        #expect(try second.passwordAlgorithm == 2)
        try STUNIntegrity(key: server.key("alice", algorithm: .sha256), algorithm: .hmacSHA256).verify(bytes)
        let events = events(
            session.receive(
                server.success(
                    second,
                    [
                        .xorAddress(.xorRelayedAddress, server.relayed, transactionID: second.transactionID)
                    ], algorithm: .hmacSHA256), now: .zero, unixTime: 0))
        guard case .allocated? = events.first else {
            Issue.record("\(events)")
            return
        }
    }

    @Test func userhashWhenNonceAllowsIt() throws {
        var session = session()
        var server = self.server
        server.nonce = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, _) = try sent(session.receive(server.challenge(first), now: .zero, unixTime: 0))
        #expect(try second.username == nil)
        #expect(try second.userhash == STUNKey.userhash(username: "alice", realm: server.realm))
    }

    @Test func wrongPassword() throws {
        var session = session(credential: .staticPassword(username: "alice", password: "nope"))
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, _) = try sent(session.receive(server.challenge(first), now: .zero, unixTime: 0))
        let events = events(session.receive(server.challenge(second), now: .zero, unixTime: 0))
        guard case .failed(.allocate, .wrongCredentials(let error))? = events.first else {
            Issue.record("\(events)")
            return
        }
        #expect(error.code == 401)
        #expect("\(TURNClientError.wrongCredentials(error))".contains("the password or shared secret is wrong"))
    }

    @Test func staleNonceRetriesOnceWithTheNewNonce() throws {
        var session = session()
        var server = self.server
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, _) = try sent(session.receive(server.challenge(first), now: .zero, unixTime: 0))
        server.nonce = "fresh-nonce"
        let (third, bytes) = try sent(session.receive(server.challenge(second, code: 438), now: .zero, unixTime: 0))
        #expect(try third.nonce == "fresh-nonce")
        try STUNIntegrity(key: server.key("alice")).verify(bytes)
        let events = events(session.receive(server.challenge(third, code: 438), now: .zero, unixTime: 0))
        guard case .failed(.allocate, .staleNonceLoop)? = events.first else {
            Issue.record("\(events)")
            return
        }
    }

    @Test func tryAlternateRedirects() throws {
        var session = session()
        let (first, _) = try sent(session.allocate(now: .zero))
        let alternate = TransportAddress("192.0.2.99:3478")!
        let events = events(
            session.receive(
                server.error(first, .tryAlternate, extra: [.address(.alternateServer, alternate)]), now: .zero, unixTime: 0))
        guard case .redirected(let address)? = events.first else {
            Issue.record("\(events)")
            return
        }
        #expect(address == alternate)
    }

    @Test(arguments: [403, 437, 441, 442, 446, 447, 486, 508])
    func errorsCarryTheServersReason(code: Int) throws {
        var session = session()
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, _) = try sent(session.receive(server.challenge(first), now: .zero, unixTime: 0))
        let reason = "reason \(code) from the server"
        let events = events(session.receive(server.error(second, STUNErrorCode(code, reason: reason)), now: .zero, unixTime: 0))
        guard case .failed(.allocate, .rejected(let error))? = events.first else {
            Issue.record("\(events)")
            return
        }
        #expect(error == STUNErrorCode(code, reason: reason))
    }

    @Test func retransmitsOnUDPAsRFC8489Says() throws {
        var session = session()
        _ = session.allocate(now: .zero)
        var sendTimes: [Duration] = [.zero]
        var failure: TURNClientError?
        var now = Duration.zero
        while failure == nil, now < .seconds(60) {
            guard let deadline = session.nextDeadline else { break }
            now = deadline
            for output in session.advance(to: now) {
                switch output {
                case .send: sendTimes.append(now)
                case .event(.failed(.allocate, let error)): failure = error
                default: break
                }
            }
        }
        #expect(sendTimes == [0, 500, 1500, 3500, 7500, 15500, 31500].map { Duration.milliseconds($0) })
        #expect(now == .milliseconds(39_500))
        #expect(failure == .timeout(sends: 7, seconds: 39.5))
        #expect("\(failure!)" == "no answer after 40 s (7 sends)")
    }

    @Test func sendsOnceOnStreams() throws {
        var session = session(reliable: true)
        _ = session.allocate(now: .zero)
        #expect(session.nextDeadline == .milliseconds(39_500))
        let outputs = session.advance(to: .milliseconds(39_500))
        #expect(events(outputs).count == 1)
        #expect(outputs.count == 1)
    }

    @Test func refreshesAllocationPermissionAndChannelInTime() throws {
        var session = session()
        _ = try allocated(&session)
        let peer = TransportAddress("203.0.113.5:7000")!
        let (bind, bindBytes) = try sent(session.bindChannel(to: peer, now: .seconds(1)))
        try STUNIntegrity(key: server.key("alice")).verify(bindBytes)
        #expect(try bind.channelNumber == ChannelNumber(rawValue: 0x4000))
        #expect(try bind.address(.xorPeerAddress) == peer)
        let bound = events(session.receive(server.success(bind, []), now: .seconds(1), unixTime: 0))
        guard case .channelBound(let channel, peer)? = bound.first else {
            Issue.record("\(bound)")
            return
        }
        #expect(session.channel(for: peer) == channel)

        // ChannelData from the server is data from the bound peer.
        var frame = ByteBuffer()
        frame.writeChannelData(ChannelData(channel: channel, payload: ByteBuffer(bytes: [1, 2, 3])), padded: false)
        guard case .data(let from, let payload)? = events(session.receive(frame, now: .seconds(2), unixTime: 0)).first else {
            Issue.record("no data event")
            return
        }
        #expect(from == peer && payload == ByteBuffer(bytes: [1, 2, 3]))

        // Answered as they come, the refreshes follow the clock: the permission the channel
        // installed every 4 minutes, the allocation (600 s) a minute before it ends, the channel
        // at 9 minutes.
        var log: [(Duration, STUNMethod)] = []
        while let deadline = session.nextDeadline, deadline <= .seconds(600) {
            for case .send(let bytes) in session.advance(to: deadline) {
                let request = try STUNMessage(datagram: bytes)
                log.append((deadline, request.type.method))
                let answer = request.type.method == .refresh ? [STUNAttribute.lifetime(600)] : []
                _ = session.receive(server.success(request, answer), now: deadline, unixTime: 0)
            }
        }
        #expect(log.map(\.0) == [.seconds(241), .seconds(481), .milliseconds(540_010), .seconds(541)])
        #expect(log.map(\.1) == [.createPermission, .createPermission, .refresh, .channelBind])
    }

    @Test func releaseAndTamperedResponse() throws {
        var session = session()
        _ = try allocated(&session)
        let (release, _) = try sent(session.release(now: .seconds(5)))
        #expect(try release.lifetime == 0)
        var tampered = Array(server.success(release, [.lifetime(0)]).readableBytesView)
        tampered[tampered.count - 20] ^= 1 // inside MESSAGE-INTEGRITY, before FINGERPRINT
        let failed = events(session.receive(ByteBuffer(bytes: tampered), now: .seconds(5), unixTime: 0))
        guard case .failed(_, .responseIntegrity)? = failed.first else {
            Issue.record("\(failed)")
            return
        }

        let (again, _) = try sent(session.release(now: .seconds(6)))
        guard case .released? = events(session.receive(server.success(again, [.lifetime(0)]), now: .seconds(6), unixTime: 0)).first else {
            Issue.record("not released")
            return
        }
        #expect(session.allocation == nil)
        #expect(session.nextDeadline == nil)
    }

    /// Found by fuzzing: a release left the session's channels and permissions behind (ChannelData
    /// on a released channel was still taken as data from its peer), and the session stayed
    /// "releasing", so a later allocation was never refreshed.
    @Test func releaseEndsChannelsAndANewAllocationIsRefreshed() throws {
        var session = session()
        _ = try allocated(&session)
        let peer = TransportAddress("203.0.113.5:7000")!
        let (bind, _) = try sent(session.bindChannel(to: peer, now: .seconds(1)))
        _ = session.receive(server.success(bind, []), now: .seconds(1), unixTime: 0)
        let channel = try #require(session.channel(for: peer))

        let (release, _) = try sent(session.release(now: .seconds(2)))
        guard case .released? = events(session.receive(server.success(release, [.lifetime(0)]), now: .seconds(2), unixTime: 0)).first else {
            Issue.record("not released")
            return
        }
        #expect(session.channel(for: peer) == nil)
        #expect(session.nextDeadline == nil)
        var frame = ByteBuffer()
        frame.writeChannelData(ChannelData(channel: channel, payload: ByteBuffer(bytes: [1, 2, 3])), padded: false)
        #expect(events(session.receive(frame, now: .seconds(3), unixTime: 0)).isEmpty)

        // Allocated again (the session knows the realm and nonce now), the allocation is refreshed.
        let (again, _) = try sent(session.allocate(now: .seconds(10)))
        guard case .allocated? = events(session.receive(server.allocated(again), now: .seconds(10), unixTime: 0)).first else {
            Issue.record("not allocated again")
            return
        }
        #expect(session.nextDeadline == .seconds(550))
        let (refresh, _) = try sent(session.advance(to: .seconds(550)))
        #expect(refresh.type.method == .refresh)
        #expect(try refresh.lifetime == 600)
    }

    /// Found by fuzzing: a ChannelBind or CreatePermission answered after the release was kept,
    /// a channel bound to an allocation that no longer exists.
    @Test func channelBoundAfterReleaseIsNotKept() throws {
        var session = session()
        _ = try allocated(&session)
        let peer = TransportAddress("203.0.113.5:7000")!
        let (bind, _) = try sent(session.bindChannel(to: peer, now: .seconds(1)))
        let (permission, _) = try sent(session.createPermission(for: peer, now: .seconds(1)))
        let (release, _) = try sent(session.release(now: .seconds(1)))
        _ = session.receive(server.success(release, [.lifetime(0)]), now: .seconds(2), unixTime: 0)
        #expect(session.allocation == nil)

        let late = events(session.receive(server.success(bind, []), now: .seconds(2), unixTime: 0))
        guard case .failed(.channelBind, .noAllocation)? = late.first else {
            Issue.record("\(late)")
            return
        }
        #expect(session.channel(for: peer) == nil)
        let latePermission = events(session.receive(server.success(permission, []), now: .seconds(2), unixTime: 0))
        guard case .failed(.createPermission, .noAllocation)? = latePermission.first else {
            Issue.record("\(latePermission)")
            return
        }
        #expect(session.nextDeadline == nil)
    }

    /// A REST credential past its renewal time is replaced when the server refuses it: the
    /// next allocation of a long run goes out with a fresh username.
    @Test func restCredentialIsRenewedAfterExpiry() throws {
        let credential = ClientCredential.sharedSecret(secret: Array("north-wind".utf8), user: "alice", ttl: 300)
        var session = session(credential: credential)
        var server = self.server
        server.password = credential.current(unixTime: 1000).password
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, _) = try sent(session.receive(server.challenge(first), now: .zero, unixTime: 1000))
        #expect(try second.username == "1300:alice")
        _ = session.receive(
            server.success(
                second,
                [
                    .xorAddress(.xorRelayedAddress, server.relayed, transactionID: second.transactionID)
                ], username: "1300:alice"), now: .zero, unixTime: 1000)
        _ = session.release(now: .seconds(1))

        // Ten minutes later the old credential has expired: the server says 401, the session
        // takes a fresh credential once, and a second 401 is a real failure.
        let (stale, _) = try sent(session.allocate(now: .seconds(600)))
        #expect(try stale.username == "1300:alice")
        let (fresh, freshBytes) = try sent(session.receive(server.challenge(stale), now: .seconds(600), unixTime: 1600))
        #expect(try fresh.username == "1900:alice")
        let renewedPassword = credential.current(unixTime: 1600).password
        try STUNIntegrity(key: .longTerm(username: "1900:alice", realm: server.realm, password: renewedPassword)).verify(freshBytes)
        let events = events(session.receive(server.challenge(fresh), now: .seconds(600), unixTime: 1600))
        guard case .failed(.allocate, .wrongCredentials)? = events.first else {
            Issue.record("\(events)")
            return
        }
    }

    @Test func restCredentialUsesExpiryUsername() throws {
        let credential = ClientCredential.sharedSecret(secret: Array("north-wind".utf8), user: "alice", ttl: 300)
        #expect(credential.current(unixTime: 1_699_999_700).username == "1700000000:alice")
        #expect(credential.current(unixTime: 1_699_999_700).password == "Oko4dt8u/EbTRjRUJWQDFm/zTCc=")
        #expect(credential.renewalTime(takenAt: 1000) == 1240)
        #expect(!"\(credential)".contains("north-wind"))
        var session = session(credential: credential)
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, _) = try sent(session.receive(server.challenge(first), now: .zero, unixTime: 1_699_999_700))
        #expect(try second.username == "1700000000:alice")
    }
}
