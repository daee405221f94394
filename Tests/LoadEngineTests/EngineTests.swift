import LoadEngine
import Media
import NIOPosix
import Testing

/// The engine in this process against the in-process relay, small enough for a debug build:
/// every packet accounted for, each way.
@Suite("load engine")
struct EngineTests {
    @Test func everyPacketAccountedForThroughTheEmbeddedRelay() async throws {
        let relay = try await EmbeddedRelay.start(clients: 10)
        var configuration = LoadConfiguration()
        configuration.clients = 10
        configuration.duration = .seconds(2)
        configuration.drain = .seconds(1)
        let library = try OpusPacketLibrary.encode(OpusSettings(), seconds: 2)
        let engine = LoadEngine(target: relay.target, configuration: configuration, library: library)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome = try await engine.run(group: group)
        let leftOpen = await relay.server.allocationCount
        await relay.stop()
        try await group.shutdownGracefully()
        #expect(outcome.status == .complete)
        #expect(outcome.clients.allocated == 10)
        #expect(outcome.endpointSoftware == "turnload relay")
        let toClient = try #require(outcome.towardClient)
        #expect(outcome.towardPeer.expected >= 10 * 50 * 2)
        #expect(outcome.towardPeer.received == outcome.towardPeer.expected)
        #expect(toClient.expected == outcome.towardPeer.received)
        #expect(toClient.received == toClient.expected)
        #expect(outcome.rtt?.count == toClient.received)
        #expect(leftOpen == 0, "every allocation released")
    }

    @Test func unreachableEndpointFailsEveryAllocationWithItsReason() async throws {
        var configuration = LoadConfiguration()
        configuration.clients = 3
        configuration.duration = .seconds(1)
        configuration.requestTimeout = .seconds(1)
        let library = try OpusPacketLibrary.encode(OpusSettings(), seconds: 1)
        // A port nothing listens on: Allocate goes unanswered.
        let target = LoadTarget(uri: try .init("turn:127.0.0.1:9"), credential: .staticPassword(username: "u", password: "p"))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome = try await LoadEngine(target: target, configuration: configuration, library: library).run(group: group)
        try await group.shutdownGracefully()
        #expect(outcome.clients.allocated == 0)
        #expect(outcome.clients.failures["timeout"] == 3)
        #expect(outcome.status == .endpointFailed)
    }
}

/// An endpoint that dies mid-run: the run notices within seconds, stops, and still returns
/// everything measured until then, marked endpoint-failed.
@Suite("load engine against a dying endpoint")
struct DyingEndpointTests {
    @Test func relayStoppedMidRunEndsTheRunAsEndpointFailed() async throws {
        let relay = try await EmbeddedRelay.start(clients: 5)
        var configuration = LoadConfiguration()
        configuration.clients = 5
        configuration.duration = .seconds(60)
        configuration.drain = .milliseconds(200)
        let library = try OpusPacketLibrary.encode(OpusSettings(), seconds: 1)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let killer = Task {
            try await Task.sleep(for: .seconds(3))
            await relay.stop()
        }
        let started = ContinuousClock.now
        let outcome = try await LoadEngine(target: relay.target, configuration: configuration, library: library).run(group: group)
        try await killer.value
        try await group.shutdownGracefully()
        #expect(outcome.status == .endpointFailed)
        #expect(ContinuousClock.now - started < .seconds(20), "noticed within seconds, not at the end of the 60 s")
        #expect(outcome.towardPeer.received > 5 * 50, "what was measured before the relay died is kept")
        #expect(outcome.calls.count == 5)
    }
}
