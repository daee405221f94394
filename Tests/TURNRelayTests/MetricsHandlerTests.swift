import NIOCore
import NIOEmbedded
import NIOHTTP1
import RunModel
import Testing

@testable import TURNRelay

/// The metrics endpoint's one page: the relay's counters for `GET /metrics`, 404 for anything
/// else, and the connection kept or closed as the request asks.
@Suite("metrics handler")
struct MetricsHandlerTests {
    /// A scraper's connection, made in each test: an embedded loop stays on the thread it was
    /// made on.
    private struct Scrape {
        let metrics = RelayMetrics()
        let channel: EmbeddedChannel

        init() throws {
            channel = EmbeddedChannel(handler: MetricsHandler(exposition: metrics.exposition))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9100)).wait()
        }

        /// Sends one request; returns the response's head and body.
        func get(_ uri: String, method: HTTPMethod = .GET, headers: HTTPHeaders = [:]) throws -> (HTTPResponseHead, String) {
            let request = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
            try channel.writeInbound(HTTPServerRequestPart.head(request))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self),
                case .body(.byteBuffer(let body)) = try channel.readOutbound(as: HTTPServerResponsePart.self),
                case .end(nil) = try channel.readOutbound(as: HTTPServerResponsePart.self)
            else { throw MalformedResponse() }
            #expect(head.headers["Content-Length"] == ["\(body.readableBytes)"])
            return (head, String(buffer: body))
        }
    }

    @Test func servesTheCounters() throws {
        let scrape = try Scrape()
        var counters = RelayCounters()
        counters.allocations = 3
        counters.packetsToPeers = 42
        counters.rejections.overAllocateRate = 5
        scrape.metrics.update(counters)
        let (head, body) = try scrape.get("/metrics?name=x")
        #expect(head.status == .ok)
        #expect(head.headers["Content-Type"].first?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(body.contains("turnload_relay_allocations 3"))
        #expect(body.contains("turnload_relay_packets_total{direction=\"to_peer\"} 42"))
        #expect(body.contains("turnload_relay_rejected_requests_total{reason=\"allocate_rate\"} 5"))
        #expect(scrape.channel.isActive, "HTTP/1.1 keeps the connection")
        #expect(try scrape.channel.finish().isClean)
    }

    @Test func anythingElseIsNotFound() throws {
        let scrape = try Scrape()
        #expect(try scrape.get("/").0.status == .notFound)
        #expect(try scrape.get("/metrics", method: .POST).0.status == .notFound)
        #expect(try scrape.channel.finish().isClean)
    }

    @Test func closesWhenAskedTo() throws {
        let scrape = try Scrape()
        _ = try scrape.get("/metrics", headers: ["Connection": "close"])
        #expect(!scrape.channel.isActive)
        _ = try scrape.channel.finish(acceptAlreadyClosed: true)
    }
}

private struct MalformedResponse: Error {}
