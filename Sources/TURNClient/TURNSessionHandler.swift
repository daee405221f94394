import NIOCore
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Runs a `TURNSession` on a channel's event loop: frames in, bytes out, timers from the
/// session's next deadline, and promises for whoever awaits a request's outcome. Every use is
/// on the channel's event loop (`TURNClientConnection` hops there), hence the unchecked Sendable.
final class TURNSessionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = TURNFrame
    typealias OutboundOut = ByteBuffer

    private var session: TURNSession
    private let origin = NIODeadline.now()
    private var context: ChannelHandlerContext?
    /// False once the channel went inactive: the pipeline is torn down a tick later, and a
    /// request sent in between would wait for an answer that cannot come.
    private var isOpen = true
    private var timer: Scheduled<Void>?
    private var waiters: [(matches: (TURNSessionEvent) -> Bool, promise: EventLoopPromise<TURNSessionEvent>)] = []
    /// Called on the event loop with application data from peers.
    var onData: ((TransportAddress, ByteBuffer) -> Void)?

    init(configuration: TURNSessionConfiguration) {
        session = TURNSession(configuration: configuration)
    }

    var allocation: TURNAllocation? { session.allocation }

    func channel(for peer: TransportAddress) -> ChannelNumber? { session.channel(for: peer) }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Every waiting request ends here at the latest: its timer goes with the handler.
    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
        isOpen = false
        failWaiters(TURNClientError.connectionClosed)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        failWaiters(TURNClientError.connectionClosed)
        context.fireChannelInactive()
    }

    /// A connected datagram socket reports ICMP port unreachable as ECONNREFUSED on its next
    /// read: the server is not there, and waiting out the retransmissions would say nothing
    /// more. The socket stays open, so that each later request says the same.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if (error as? IOError)?.errnoCode == ECONNREFUSED {
            failWaiters(TURNClientError.portUnreachable)
            return
        }
        failWaiters(error)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        handle(session.receive(unwrapInboundIn(data), now: now, unixTime: Self.unixTime))
    }

    /// Runs a session call and returns the event that settles it.
    func perform(
        on eventLoop: EventLoop,
        _ call: (inout TURNSession, Duration) -> [TURNSessionOutput],
        until matches: @escaping (TURNSessionEvent) -> Bool
    ) -> EventLoopFuture<TURNSessionEvent> {
        guard context != nil, isOpen else { return eventLoop.makeFailedFuture(TURNClientError.connectionClosed) }
        let promise = eventLoop.makePromise(of: TURNSessionEvent.self)
        waiters.append((matches, promise))
        handle(call(&session, now))
        return promise.futureResult
    }

    /// Sends application data to a peer: ChannelData when a channel is bound, else a Send indication.
    func send(_ payload: ByteBuffer, to peer: TransportAddress, padded: Bool) {
        guard let context else { return }
        var frame: ByteBuffer
        if let channel = session.channel(for: peer) {
            frame = context.channel.allocator.buffer(capacity: 8 + payload.readableBytes)
            frame.writeChannelData(ChannelData(channel: channel, payload: payload), padded: padded)
        } else {
            frame = session.sendIndication(payload, to: peer)
        }
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    private var now: Duration { .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - origin.uptimeNanoseconds)) }

    static var unixTime: Int64 { Int64(time(nil)) }

    private func handle(_ outputs: [TURNSessionOutput]) {
        guard let context else { return }
        var wrote = false
        for output in outputs {
            switch output {
            case .send(let bytes):
                context.write(wrapOutboundOut(bytes), promise: nil)
                wrote = true
            case .event(.data(let peer, let payload)):
                onData?(peer, payload)
            case .event(let event):
                if let index = waiters.firstIndex(where: { $0.matches(event) }) {
                    waiters.remove(at: index).promise.succeed(event)
                }
            }
        }
        if wrote { context.flush() }
        rescheduleTimer()
    }

    private func rescheduleTimer() {
        timer?.cancel()
        guard let context, let deadline = session.nextDeadline else { return }
        timer = context.eventLoop.scheduleTask(deadline: origin + TimeAmount(deadline)) { [weak self] in
            guard let self else { return }
            self.handle(self.session.advance(to: self.now))
        }
    }

    private func failWaiters(_ error: Error) {
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.promise.fail(error) }
    }
}
