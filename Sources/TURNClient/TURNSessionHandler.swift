import NIOCore
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Runs a `TURNSession` on a channel's event loop: frames in, bytes out, timers from the
/// session's next deadline, and promises for whoever awaits a request's outcome. Every use is
/// on the channel's event loop (`TURNClientConnection` keeps it bound there).
final class TURNSessionHandler: ChannelInboundHandler {
    typealias InboundIn = TURNFrame
    typealias OutboundOut = ByteBuffer

    private var runner: TURNSessionRunner
    private let origin = NIODeadline.now()
    private var context: ChannelHandlerContext?
    /// False once the channel went inactive: the pipeline is torn down a tick later, and a
    /// request sent in between would wait for an answer that cannot come.
    private var isOpen = true
    private var timer: Scheduled<Void>?
    /// Called on the event loop with application data from peers.
    var onData: ((TransportAddress, ByteBuffer) -> Void)? {
        get { runner.onData }
        set { runner.onData = newValue }
    }

    /// Called on the event loop with each refresh the session made on its own.
    var onRefresh: ((TURNRefresh) -> Void)? {
        get { runner.onRefresh }
        set { runner.onRefresh = newValue }
    }

    init(configuration: TURNSessionConfiguration) {
        runner = TURNSessionRunner(configuration: configuration)
    }

    var allocation: TURNAllocation? { runner.session.allocation }

    func channel(for peer: TransportAddress) -> ChannelNumber? { runner.session.channel(for: peer) }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Every waiting request ends here at the latest: its timer goes with the handler.
    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
        isOpen = false
        runner.failAll(TURNClientError.connectionClosed).settle()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        runner.failAll(TURNClientError.connectionClosed).settle()
        context.fireChannelInactive()
    }

    /// A connected datagram socket reports ICMP port unreachable as ECONNREFUSED on its next
    /// read: the server is not there, and waiting out the retransmissions would say nothing
    /// more. The socket stays open, so that each later request says the same.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if (error as? IOError)?.errnoCode == ECONNREFUSED {
            runner.failAll(TURNClientError.portUnreachable).settle()
            return
        }
        runner.failAll(error).settle()
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        carryOut(runner.receive(unwrapInboundIn(data), now: now, unixTime: Self.unixTime))
    }

    /// Runs a session call and returns the event that settles it.
    func perform(
        on eventLoop: EventLoop,
        _ call: (inout TURNSession, Duration) -> [TURNSessionOutput],
        until matches: @escaping (TURNSessionEvent) -> Bool
    ) -> EventLoopFuture<TURNSessionEvent> {
        guard context != nil, isOpen else { return eventLoop.makeFailedFuture(TURNClientError.connectionClosed) }
        let promise = eventLoop.makePromise(of: TURNSessionEvent.self)
        carryOut(runner.perform(call, now: now, until: matches) { promise.completeWith($0) })
        return promise.futureResult
    }

    /// Sends application data to a peer: ChannelData when a channel is bound, else a Send indication.
    func send(_ payload: ByteBuffer, to peer: TransportAddress, padded: Bool) {
        guard let context else { return }
        var frame: ByteBuffer
        if let channel = runner.session.channel(for: peer) {
            frame = context.channel.allocator.buffer(capacity: 8 + payload.readableBytes)
            frame.writeChannelData(ChannelData(channel: channel, payload: payload), padded: padded)
        } else {
            frame = runner.session.sendIndication(payload, to: peer)
        }
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    private var now: Duration { .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - origin.uptimeNanoseconds)) }

    static var unixTime: Int64 { Int64(time(nil)) }

    /// Sends what the step asks, then settles its waiters, then sets the timer for the next.
    private func carryOut(_ step: TURNSessionRunner.Step) {
        if let context, !step.sends.isEmpty {
            for bytes in step.sends { context.write(wrapOutboundOut(bytes), promise: nil) }
            context.flush()
        }
        step.settle()
        rescheduleTimer()
    }

    private func rescheduleTimer() {
        timer?.cancel()
        guard let context, let deadline = runner.session.nextDeadline else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: origin + TimeAmount(deadline)) { [weak self] in
            guard let self else { return }
            self.carryOut(self.runner.advance(to: self.now))
        }
    }
}
