import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Stops accepting for a while when accept fails for want of descriptors or memory (EMFILE,
/// ENFILE, ENOBUFS, ENOMEM), and says so once until a connection is accepted again.
///
/// NIO's `AcceptBackoffHandler` cannot do it (measured with it: still one failing accept4 per
/// epoll wake-up, a core busy): after a failed accept the listening socket's read stays pending, so
/// NIO keeps it registered with epoll, which reports it readable again at once, and every
/// wake-up is another failing accept; the back-off handler only holds back read requests, of
/// which there are none. Turning autoRead off takes the socket out of epoll; turning it back
/// on after the pause puts it back.
final class AcceptPauseHandler: ChannelInboundHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel
    private let pause: TimeAmount
    private let logger: Logger
    private var exhausted = false

    init(pause: TimeAmount = .seconds(1), logger: Logger) {
        self.pause = pause
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if exhausted {
            exhausted = false
            logger.notice("accepting connections again")
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errnoCode) {
            if !exhausted {
                exhausted = true
                logger.error(
                    "cannot accept connections (\(error)): accepting once every \(pause.nanoseconds / 1_000_000) ms until it works")
            }
            let channel = context.channel
            let pause = pause
            channel.setOption(.autoRead, value: false).whenComplete { _ in
                channel.eventLoop.scheduleTask(in: pause) { channel.setOption(.autoRead, value: true).whenComplete { _ in } }
            }
        }
        context.fireErrorCaught(error)
    }
}
