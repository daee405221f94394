import NIOCore
import NIOHTTP1
import NIOPosix

/// One plain-HTTP GET, for scraping a metrics endpoint: the body of a 200, or why not.
enum HTTPGet {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func body(host: String, port: Int, path: String, timeout: TimeAmount) async throws -> String {
        // The promise and the connection on one loop; a promise is always completed, even when
        // the connection never comes up.
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let response = loop.makePromise(of: String.self)
        loop.scheduleTask(in: timeout) {
            response.fail(Failure(description: "no whole answer within \(timeout.nanoseconds / 1_000_000) ms"))
        }
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(Collector(response: response))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            response.fail(error)
            throw error
        }
        defer { channel.close(promise: nil) }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Accept", value: "text/plain")
        headers.add(name: "Connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        return try await response.futureResult.get()
    }

    /// Gathers the response; fails it on a status other than 200 or a connection closed early.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let response: EventLoopPromise<String>
        private var status: HTTPResponseStatus = .ok
        private var body = ""

        init(response: EventLoopPromise<String>) {
            self.response = response
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = head.status
            case .body(let buffer): body += String(buffer: buffer)
            case .end:
                if status == .ok {
                    response.succeed(body)
                } else {
                    response.fail(Failure(description: "HTTP \(status.code) \(status.reasonPhrase)"))
                }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            response.fail(Failure(description: "the connection closed before the whole answer"))
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            response.fail(error)
            context.close(promise: nil)
        }
    }
}
