import NIOCore
import TURNClient
import TURNProtocol
import Testing

/// The refreshes a session makes on its own: on the intervals it is given, each reported with
/// its time, a failed one explained and tried again, a 401 met with a fresh REST credential.
extension TURNSessionTests {
    static let peer = TransportAddress("203.0.113.5:7000")!
    static let short = RefreshIntervals(permission: .seconds(4), channel: .seconds(6))

    func session(refreshing intervals: RefreshIntervals, credential: ClientCredential? = nil) -> TURNSession {
        TURNSession(
            configuration: TURNSessionConfiguration(
                credential: credential ?? .staticPassword(username: "alice", password: "wonderland"), reliable: false,
                refreshIntervals: intervals))
    }

    /// Allocated and a channel bound to `peer` at 1 s.
    func bound(_ session: inout TURNSession) throws {
        _ = try allocated(&session)
        let (bind, _) = try sent(session.bindChannel(to: Self.peer, now: .seconds(1)))
        _ = session.receive(server.success(bind, []), now: .seconds(1), unixTime: 0)
    }

    func refreshes(_ outputs: [TURNSessionOutput]) -> [TURNRefresh] {
        events(outputs).compactMap { if case .refreshDone(let refresh) = $0 { refresh } else { nil } }
    }

    /// Shorter intervals for a server with shorter lifetimes (a channel binding refreshes its
    /// permission too); every refresh answered 20 ms later is reported once, by kind, with those 20 ms.
    @Test func refreshesOnTheGivenIntervalsAndReportsEach() throws {
        var session = session(refreshing: Self.short)
        try bound(&session)
        var sent: [(Duration, STUNMethod)] = []
        var reported: [TURNRefresh] = []
        while let deadline = session.nextDeadline, deadline <= .milliseconds(13_500) {
            for case .send(let bytes) in session.advance(to: deadline) {
                let request = try STUNMessage(datagram: bytes)
                sent.append((deadline, request.type.method))
                let answer = request.type.method == .refresh ? [STUNAttribute.lifetime(600)] : []
                reported += refreshes(session.receive(server.success(request, answer), now: deadline + .milliseconds(20), unixTime: 0))
            }
        }
        #expect(sent.map(\.0) == [.seconds(5), .seconds(7), .milliseconds(11_020), .milliseconds(13_020)])
        #expect(sent.map(\.1) == [.createPermission, .channelBind, .createPermission, .channelBind])
        #expect(reported.map(\.kind) == [.permission, .channel, .permission, .channel])
        #expect(reported.allSatisfy { $0.latency == .milliseconds(20) && $0.error == nil && !$0.credentialRenewed })
    }

    /// A refresh the server refuses is reported with its code and sent again an eighth of the
    /// interval later (at most 5 s), not a whole interval later when the permission is gone.
    @Test func failedRefreshIsExplainedAndRetriedSoon() throws {
        var session = session(refreshing: Self.short)
        try bound(&session)
        let (refresh, _) = try sent(session.advance(to: .seconds(5)))
        #expect(refresh.type.method == .createPermission)
        let outputs = session.receive(server.error(refresh, STUNErrorCode(500)), now: .seconds(5), unixTime: 0)
        let failed = try #require(refreshes(outputs).first)
        #expect(failed.kind == .permission)
        guard case .rejected(let code)? = failed.error, code.code == 500 else {
            Issue.record("\(failed)")
            return
        }
        #expect(session.nextDeadline == .milliseconds(5_500))
        let (again, _) = try sent(session.advance(to: .milliseconds(5_500)))
        #expect(again.type.method == .createPermission)
        let answered = refreshes(session.receive(server.success(again, []), now: .milliseconds(5_510), unixTime: 0))
        #expect(answered.map(\.kind) == [.permission] && answered.first?.error == nil)
    }

    /// A refresh nobody answers times out (RFC 8489's retransmissions), is reported so, and tried again.
    @Test func unansweredRefreshTimesOutAndIsRetried() throws {
        var session = session(refreshing: Self.short)
        try bound(&session)
        _ = session.advance(to: .seconds(5))
        var reported: [TURNRefresh] = []
        var now = Duration.seconds(5)
        while reported.isEmpty, let deadline = session.nextDeadline, deadline < .seconds(60) {
            now = deadline
            reported += refreshes(session.advance(to: deadline))
        }
        guard case .timeout? = reported.first?.error else {
            Issue.record("\(reported)")
            return
        }
        #expect(reported.first?.latency == .milliseconds(39_500))
        #expect(session.nextDeadline.map { $0 <= now + .milliseconds(500) } == true)
    }

    /// 437 to a refresh: the allocation is gone (RFC 8656 §7.3), so nothing is refreshed after it.
    @Test func allocationMismatchEndsTheRefreshes() throws {
        var session = session(refreshing: Self.short)
        try bound(&session)
        let (refresh, _) = try sent(session.advance(to: .seconds(5)))
        let outputs = session.receive(server.error(refresh, .allocationMismatch), now: .seconds(5), unixTime: 0)
        guard case .rejected(let code)? = refreshes(outputs).first?.error, code.code == 437 else {
            Issue.record("\(outputs)")
            return
        }
        #expect(session.allocation == nil)
        #expect(session.nextDeadline == nil)
    }

    /// A REST credential whose TTL ran out mid-allocation: the refresh meets a 401, goes out
    /// again with a fresh username, and is reported once, renewed, timed from its first send.
    @Test func refreshRenewsAnExpiredRESTCredential() throws {
        let credential = ClientCredential.sharedSecret(secret: Array("north-wind".utf8), user: "alice", ttl: 3)
        var session = session(refreshing: Self.short, credential: credential)
        var server = self.server
        server.password = credential.current(unixTime: 1000).password
        let (first, _) = try sent(session.allocate(now: .zero))
        let (second, _) = try sent(session.receive(server.challenge(first), now: .zero, unixTime: 1000))
        _ = session.receive(
            server.success(
                second, [.xorAddress(.xorRelayedAddress, server.relayed, transactionID: second.transactionID)], username: "1003:alice"),
            now: .zero, unixTime: 1000)
        let (bind, _) = try sent(session.bindChannel(to: Self.peer, now: .seconds(1)))
        _ = session.receive(server.success(bind, [], username: "1003:alice"), now: .seconds(1), unixTime: 1001)

        let (stale, _) = try sent(session.advance(to: .seconds(5)))
        #expect(try stale.username == "1003:alice")
        let (fresh, _) = try sent(session.receive(server.challenge(stale), now: .milliseconds(5_010), unixTime: 1005))
        #expect(try fresh.username == "1008:alice")
        server.password = credential.current(unixTime: 1005).password
        let reported = refreshes(
            session.receive(server.success(fresh, [], username: "1008:alice"), now: .milliseconds(5_020), unixTime: 1005))
        #expect(reported.count == 1)
        #expect(reported.first?.kind == .permission && reported.first?.credentialRenewed == true && reported.first?.error == nil)
        #expect(reported.first?.latency == .milliseconds(20))
    }
}
