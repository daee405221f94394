import Measurement
import Reporting
import TestSupport
import Testing

/// turnload measures what its relay injects: the tolerances, over 20,000 packets or
/// more each way (100 clients × 50 packets/s × 5 s).
@Suite("measurement fidelity", .serialized)
struct FidelityTests {
    static let load = ["--clients", "100", "--ramp", "200", "--duration", "5s"]

    /// Measured again while the harness says it fell behind: its figures are then its own.
    func run(impair: String?, topology: String = "echo") async throws -> RunResult {
        let run = try await measureAgain(
            {
                try await LoadRun.start(Self.load + ["--topology", topology] + (impair.map { ["--relay-impair", $0] } ?? []))
            }, while: { $0.result?.outcome.healthSummary.verdict != .healthy })
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        return try #require(run.result, "no result.json:\n\(run.outcome.errors)")
    }

    @Test func noImpairmentNoLossNoReorderAt200Clients() async throws {
        // Measured again while the harness says it fell behind, or while the in-process relay,
        // sharing this busy machine, fell behind and the kernel dropped at its sockets.
        let run = try await measureAgain(
            {
                try await LoadRun.start(["--clients", "200", "--ramp", "400", "--duration", "5s"])
            }, while: { $0.result?.outcome.healthSummary.verdict != .healthy || ($0.result?.embeddedRelay?.droppedReceiveQueue ?? 0) > 0 })
        let result = try #require(run.result, "\(run.outcome.errors)")
        let relay = try #require(result.embeddedRelay)
        let toPeer = result.outcome.towardPeer
        let toClient = try #require(result.outcome.towardClient)
        #expect(result.outcome.clients.allocated == 200)
        #expect(toPeer.expected > 40_000)
        for direction in [toPeer, toClient] {
            #expect(direction.reordered == 0 && direction.duplicated == 0)
            #expect(direction.received + direction.lost == direction.expected)
        }
        #expect(toPeer.lost + toClient.lost == relay.droppedReceiveQueue, "a packet is lost only where the relay's kernel dropped it")
        #expect(toClient.expected == toPeer.received, "the peer echoes every packet it receives once")
        #expect(result.outcome.healthSummary.verdict == .healthy, "\(result.outcome.healthSummary)")
    }

    @Test func lossOfTwoPercentMeasuredWithinPointThree() async throws {
        let result = try await run(impair: "loss=2%")
        let relay = try #require(result.embeddedRelay)
        let toPeer = result.outcome.towardPeer
        let toClient = try #require(result.outcome.towardClient)
        for direction in [toPeer, toClient] {
            let percent = 100 * Double(direction.lost) / Double(direction.expected)
            #expect(abs(percent - 2) <= 0.3, "measured \(percent)% of \(direction.expected)")
        }
        // Exactly: every packet the relay dropped is one the harness counts lost, and no more.
        #expect(toPeer.lost + toClient.lost == relay.droppedImpairment + relay.droppedReceiveQueue)
    }

    @Test func delayOfTwentyMillisecondsMeasuredWithinOne() async throws {
        let result = try await run(impair: "delay=20ms")
        for direction in [result.outcome.towardPeer, try #require(result.outcome.towardClient)] {
            let median = Double(direction.oneWayDelay.percentile(50)) / 1e6
            #expect(abs(median - 20) <= 1, "one-way delay median \(median) ms")
        }
        let rtt = Double(try #require(result.outcome.rtt).percentile(50)) / 1e6
        #expect(abs(rtt - 40) <= 2, "RTT median \(rtt) ms")
    }

    /// Uniform ±5 ms on each packet: consecutive transit times differ by |U1 − U2|, mean
    /// 10/3 ms, which RFC 3550's estimator tracks; without jitter it stays near zero.
    @Test func jitterRaisesRFC3550Jitter() async throws {
        let result = try await run(impair: "jitter=5ms,delay=10ms")
        let jitter = result.outcome.towardPeer.jitter.percentile(50)
        #expect(Double(jitter) / 1e6 > 2.5 && Double(jitter) / 1e6 < 4.5, "RFC 3550 jitter median \(Double(jitter) / 1e6) ms")
    }

    @Test func duplicatesCountedExactly() async throws {
        let result = try await run(impair: "duplicate=1%")
        let relay = try #require(result.embeddedRelay)
        let measured = result.outcome.towardPeer.duplicated + (result.outcome.towardClient?.duplicated ?? 0)
        #expect(relay.duplicatedImpairment > 300)
        #expect(measured == relay.duplicatedImpairment)
        #expect(result.outcome.towardPeer.lost == 0)
    }

    /// One way only (sink), so that no echo carries the reordering a second time: every
    /// packet the relay held back behind its successor is one the peer counts out of order.
    @Test func reorderingCountedExactly() async throws {
        let result = try await run(impair: "reorder=1%", topology: "sink")
        let relay = try #require(result.embeddedRelay)
        #expect(relay.reorderedImpairment > 150)
        #expect(result.outcome.towardPeer.reordered == relay.reorderedImpairment)
        #expect(result.outcome.towardPeer.lost == 0 && result.outcome.towardPeer.duplicated == 0)
    }

    /// --relay-max-pps places a capacity where a cliff is to be found: offered 5,000 packets a
    /// second (100 clients, one way), the relay passes 2,000 a second within 3% (the token
    /// bucket's own bound is 2%; the rest is the run's start and end) and the harness counts
    /// exactly what it dropped.
    /// Measured again while the harness, or the in-process relay beside it, fell behind: a
    /// relay starved of CPU relays less than its bucket allows.
    @Test func capacityHoldsTheRelayedRate() async throws {
        let run = try await measureAgain(
            {
                try await LoadRun.start([
                    "--clients", "100", "--ramp", "1000", "--duration", "8s", "--topology", "sink",
                    "--relay-max-pps", "2000", "--drain", "500ms",
                ])
            }, while: { $0.result?.outcome.healthSummary.verdict != .healthy || ($0.result?.embeddedRelay?.droppedReceiveQueue ?? 0) > 0 })
        let result = try #require(run.result, "\(run.outcome.errors)")
        let relay = try #require(result.embeddedRelay)
        let rate = Double(relay.packetsToPeers) / result.outcome.sendingSeconds
        #expect(abs(rate - 2000) <= 60, "relayed \(rate) packets a second")
        #expect(result.outcome.towardPeer.lost == relay.droppedCapacity + relay.droppedReceiveQueue)
    }
}
