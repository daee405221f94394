import NIOCore
import NIOEmbedded
import NIOTestSupport
import TURNProtocol
import Testing

@testable import TURNClient

#if canImport(Glibc)
import Glibc
#endif

/// The session on a pipeline: requests leave as bytes, the scripted server's answers settle
/// their futures, data from peers reaches `onData`, and a closed or refused connection ends
/// what waits.
@Suite("TURN session handler")
struct TURNSessionHandlerTests {
    let server = ScriptedServer()
    let peer = TransportAddress("192.0.2.44:5000")!

    /// A session handler on a connected channel, made in each test: an embedded loop stays on
    /// the thread it was made on.
    private struct Connected {
        let channel = EmbeddedChannel()
        let handler = TURNSessionHandler(
            configuration: TURNSessionConfiguration(credential: .staticPassword(username: "alice", password: "wonderland"), reliable: false)
        )

        init() throws {
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3478)).wait()
        }

        func allocate() -> EventLoopFuture<TURNSessionEvent> {
            handler.perform(on: channel.eventLoop, { $0.allocate(now: $1) }) { if case .allocated = $0 { true } else { false } }
        }

        /// The next message the handler wrote.
        func written() throws -> STUNMessage {
            try STUNMessage(datagram: try #require(try channel.readOutbound(as: ByteBuffer.self)))
        }
    }

    @Test func allocatesThroughTheChallenge() throws {
        let connected = try Connected()
        let outcome = connected.allocate()
        let first = try connected.written()
        try connected.channel.writeInbound(TURNFrame.stun(server.challenge(first)))
        let second = try connected.written()
        #expect(try second.username == "alice")
        #expect(outcome.settled == nil)
        try connected.channel.writeInbound(TURNFrame.stun(server.allocated(second)))
        guard case .allocated(let allocation) = try #require(outcome.settled).get() else {
            Issue.record("no allocation")
            return
        }
        #expect(allocation.relayed == server.relayed)
        #expect(connected.handler.allocation?.relayed == server.relayed)
        #expect(try connected.channel.finish().isClean)
    }

    @Test func dataIndicationsReachOnDataAndSendsLeaveAsIndications() throws {
        let connected = try Connected()
        var received: [(TransportAddress, ByteBuffer)] = []
        connected.handler.onData = { received.append(($0, $1)) }
        let id = TransactionID.random()
        let indication = STUNMessage(
            .data, .indication, transactionID: id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: id), .data(ByteBuffer(string: "hello"))]
        ).encoded()
        try connected.channel.writeInbound(TURNFrame.stun(indication))
        #expect(received.map(\.0) == [peer])
        #expect(received.map(\.1) == [ByteBuffer(string: "hello")])

        connected.handler.send(ByteBuffer(string: "back"), to: peer, padded: false)
        let sent = try connected.written()
        #expect(sent.type == STUNMessageType(.send, .indication))
        #expect(try sent.address(.xorPeerAddress) == peer)
        #expect(sent.data == ByteBuffer(string: "back"))
        #expect(try connected.channel.finish().isClean)
    }

    @Test func portUnreachableFailsWhatWaitsAndKeepsTheSocket() throws {
        let connected = try Connected()
        let outcome = connected.allocate()
        connected.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNREFUSED, reason: "read"))
        #expect(throws: TURNClientError.portUnreachable) { try #require(outcome.settled).get() }
        #expect(connected.channel.isActive)
        _ = try connected.channel.finish()
    }

    @Test func aClosedConnectionFailsWhatWaitsAndWhatComesLater() throws {
        let connected = try Connected()
        let outcome = connected.allocate()
        try connected.channel.close().wait()
        #expect(throws: TURNClientError.connectionClosed) { try #require(outcome.settled).get() }
        #expect(throws: TURNClientError.connectionClosed) { try #require(connected.allocate().settled).get() }
        _ = try connected.channel.finish(acceptAlreadyClosed: true)
    }
}
