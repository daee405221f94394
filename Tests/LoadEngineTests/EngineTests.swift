import Campaign
import LoadEngine
import Media
import NIOPosix
import RunModel
import TURNClient
import Testing

/// Runs `clients` for `duration` against `target` on a thread of its own.
func runLoad(
    _ target: LoadTarget, clients: Int, duration: Duration, drain: Duration = .seconds(1),
    timeout: Duration = .seconds(10), refreshIntervals: RefreshIntervals = .rfc8656,
    during: @escaping @Sendable () async throws -> Void = {}
) async throws -> LoadOutcome {
    var configuration = LoadConfiguration()
    configuration.refreshIntervals = refreshIntervals
    configuration.clients = clients
    configuration.duration = duration
    configuration.drain = drain
    configuration.requestTimeout = timeout
    let library = try OpusPacketLibrary.encode(OpusSettings(), seconds: 1)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let sideline = Task { try await during() }
    let outcome = try await LoadEngine(target: target, configuration: configuration, library: library).run(group: group)
    try await sideline.value
    try await group.shutdownGracefully()
    return outcome
}

/// The engine in this process against the in-process relay, small enough for a debug build:
/// every packet accounted for, each way.
@Suite("load engine")
struct EngineTests {
    @Test func everyPacketAccountedForThroughTheEmbeddedRelay() async throws {
        let relay = try await EmbeddedRelay.start(clients: 10)
        let outcome = try await runLoad(relay.target, clients: 10, duration: .seconds(2))
        let leftOpen = await relay.server.allocationCount
        await relay.stop()
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
        // A port nothing listens on: ICMP port unreachable answers each Allocate.
        let target = LoadTarget(uri: try .init("turn:127.0.0.1:9"), credential: .staticPassword(username: "u", password: "p"))
        let outcome = try await runLoad(target, clients: 3, duration: .seconds(1), timeout: .seconds(1))
        #expect(outcome.clients.allocated == 0)
        #expect(outcome.clients.failures["unreachable"] == 3, "\(outcome.clients.failureExamples)")
        #expect(outcome.status == .endpointFailed)
    }
}

/// An endpoint that dies mid-run: the run notices within seconds, stops, and still returns
/// everything measured until then, marked endpoint-failed.
@Suite("load engine against a dying endpoint")
struct DyingEndpointTests {
    @Test func relayStoppedMidRunEndsTheRunAsEndpointFailed() async throws {
        let relay = try await EmbeddedRelay.start(clients: 5)
        let started = ContinuousClock.now
        let outcome = try await runLoad(relay.target, clients: 5, duration: .seconds(60), drain: .milliseconds(200)) {
            try await Task.sleep(for: .seconds(3))
            await relay.stop()
        }
        #expect(outcome.status == .endpointFailed)
        #expect(ContinuousClock.now - started < .seconds(20), "noticed within seconds, not at the end of the 60 s")
        #expect(outcome.towardPeer.received > 5 * 50, "what was measured before the relay died is kept")
        #expect(outcome.calls.count == 5)
    }
}
