import NIOCore
import NIOEmbedded
import TestSupport
import Testing

@testable import TURNRelay

#if canImport(Glibc)
import Glibc
#endif

/// The listener's pause when accepting fails for want of descriptors: reads off for a while,
/// then on again; said once, and once more when a connection is accepted again.
@Suite("accept pause")
struct AcceptPauseHandlerTests {
    /// A listener's channel with the handler, made in each test: an embedded loop stays on the
    /// thread it was made on.
    private struct Listener {
        let logs = CapturedLogs()
        let channel = EmbeddedChannel()

        init() throws {
            try channel.pipeline.syncOperations.addHandler(AcceptPauseHandler(pause: .seconds(1), logger: logs.logger))
        }

        /// The autoRead the handler last set, if it set one.
        var autoRead: Bool? { channel.options.last { $0.option is ChannelOptions.Types.AutoReadOption }?.value as? Bool }

        func failAccepting(_ code: CInt) {
            channel.pipeline.fireErrorCaught(IOError(errnoCode: code, reason: "accept"))
        }
    }

    @Test func descriptorsRunningOutPauseAcceptingThenResumeIt() throws {
        let listener = try Listener()
        listener.failAccepting(EMFILE)
        #expect(listener.autoRead == false)
        listener.channel.embeddedEventLoop.advanceTime(by: .milliseconds(999))
        #expect(listener.autoRead == false)
        listener.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(listener.autoRead == true)
        #expect(throws: IOError.self, "the error goes on") { try listener.channel.finish() }
    }

    @Test func saysSoOnceUntilAConnectionIsAcceptedAgain() throws {
        let listener = try Listener()
        for _ in 0..<3 { listener.failAccepting(ENFILE) }
        #expect(throws: IOError.self) { try listener.channel.throwIfErrorCaught() }
        let accepted = EmbeddedChannel(loop: listener.channel.embeddedEventLoop)
        try listener.channel.writeInbound(accepted as Channel)
        #expect(try listener.channel.readInbound(as: Channel.self) === accepted, "the accepted channel goes on")
        #expect(listener.logs.entries.map(\.level) == [.error, .notice])
        #expect(listener.logs.entries.last?.message == "accepting connections again")
        #expect(try listener.channel.finish().isClean)
        _ = try accepted.finish()
    }

    @Test func otherErrorsLeaveAcceptingAlone() throws {
        let listener = try Listener()
        listener.failAccepting(ECONNABORTED)
        #expect(listener.autoRead == nil)
        #expect(listener.logs.entries.isEmpty)
        #expect(throws: IOError.self, "the error goes on") { try listener.channel.finish() }
    }
}
