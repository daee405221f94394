import NIOCore
import NIOEmbedded
import NIOTLS
import NIOTestSupport
import Testing

@testable import TURNClient

/// The watcher a TLS or DTLS connection awaits: done with the handshake's event, failed by the
/// first error or by the connection closing first; whatever it sees goes on down the pipeline.
@Suite("TLS handshake watcher")
struct TLSHandshakeWatcherTests {
    /// A watcher in a channel, made in each test: an embedded loop stays on the thread it was made on.
    private struct Watched {
        let channel = EmbeddedChannel()
        let outcome: EventLoopFuture<Void>
        let events = EventRecorder()

        init() throws {
            let watcher = TLSHandshakeWatcher(promise: channel.eventLoop.makePromise())
            outcome = watcher.promise.futureResult
            try channel.pipeline.syncOperations.addHandlers([watcher, events])
        }
    }

    @Test func completesWithTheHandshakeAndPassesTheEventOn() throws {
        let watched = try Watched()
        #expect(watched.outcome.settled == nil)
        watched.channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
        try #require(watched.outcome.settled).get()
        #expect(watched.events.count == 1)
        #expect(try watched.channel.finish().isClean)
    }

    @Test func failsWithTheFirstErrorAndPassesItOn() throws {
        let watched = try Watched()
        watched.channel.pipeline.fireErrorCaught(TURNConnectionError.dtls("bad record mac"))
        #expect(throws: TURNConnectionError.self) { try #require(watched.outcome.settled).get() }
        #expect(throws: TURNConnectionError.self) { try watched.channel.throwIfErrorCaught() }
        _ = try watched.channel.finish()
    }

    @Test func failsWhenTheConnectionClosesFirst() throws {
        let watched = try Watched()
        try watched.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5349)).wait()
        try watched.channel.close().wait()
        #expect(throws: ChannelError.ioOnClosedChannel) { try #require(watched.outcome.settled).get() }
    }
}

/// Counts the user events that reach the end of the pipeline.
private final class EventRecorder: ChannelInboundHandler {
    typealias InboundIn = Never
    private(set) var count = 0

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        count += 1
    }
}
