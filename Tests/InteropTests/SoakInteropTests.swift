import Foundation
import Reporting
import RunModel
import TestSupport
import Testing

/// Soaks across lifetimes, scaled down: coturn with a 6 s permission, an 8 s channel and at
/// most a 10 s allocation, so that a 40 s run crosses each many times.
@Suite("soak against coturn's short lifetimes", .serialized)
struct SoakInteropTests {
    static let shortLifetimes = ["--permission-lifetime=6", "--channel-lifetime=8", "--max-allocate-lifetime=10"]
    static let clients = 20

    /// `turnload run` of `clients` for `seconds` through `coturn`, and the result it wrote.
    func run(_ coturn: Coturn, seconds: Int, _ extra: [String]) async throws -> (TestProcess.Outcome, RunResult) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--target", "turn:127.0.0.1:\(coturn.udpPort)", "--user", Coturn.user, "--password-env", "COTURN_PASSWORD",
                "--clients", "\(Self.clients)", "--ramp", "200", "--duration", "\(seconds)s", "--out", folder.path,
            ] + extra,
            environment: ["COTURN_PASSWORD": Coturn.password], limit: .seconds(Int64(seconds) + 60))
        let data = try #require(
            FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path), "\(outcome.errors.suffix(2000))")
        return (outcome, try ResultWriter.decode(data))
    }

    /// Refreshed inside coturn's lifetimes, every call keeps its allocation, permission and
    /// channel for 40 s without losing a packet, and each refresh is counted.
    @Test func refreshesInsideTheServersLifetimesLoseNothing() async throws {
        let coturn = try Coturn(extra: Self.shortLifetimes)
        let (outcome, result) = try await run(coturn, seconds: 40, ["--permission-refresh", "4s", "--channel-refresh", "6s"])
        #expect(outcome.status == 0, "\(outcome.output)\n\(outcome.errors.suffix(2000))")
        #expect(result.outcome.clients.allocated == Self.clients)
        let toClient = try #require(result.outcome.towardClient)
        for direction in [result.outcome.towardPeer, toClient] {
            #expect(direction.lost == 0 && direction.received == direction.expected, "\(direction.summary(duration: 1))")
        }
        // Over 40 s: the channel every 6 s, the permission between (each channel refresh
        // refreshes it too); the allocation at half its first 10 s, and then not again in the
        // run: coturn 4.6.1 grants that Refresh more than --max-allocate-lifetime (as measured
        // here), and turnload refreshes on the lifetime granted.
        let refreshes = try #require(result.outcome.clients.refreshes)
        #expect(refreshes.allocation >= Self.clients, "\(refreshes)")
        #expect(refreshes.permission >= Self.clients * 5, "\(refreshes)")
        #expect(refreshes.channel >= Self.clients * 5, "\(refreshes)")
        #expect(refreshes.failures.isEmpty, "\(refreshes.failureExamples)")
        #expect(refreshes.latency.count == refreshes.succeeded)
        #expect(outcome.output.contains("refreshes: \(refreshes.allocation) allocation"), "\(outcome.output)")
        #expect(result.outcome.calls.allSatisfy { $0.route == .channelData })
    }

    /// With RFC 8656's intervals the channel lapses first: the calls go silent and the run
    /// says why and what to pass, not a bare endpoint-failed.
    @Test func refreshesTooLateAreExplained() async throws {
        let coturn = try Coturn(extra: Self.shortLifetimes)
        let (outcome, result) = try await run(coturn, seconds: 40, [])
        #expect(outcome.status != 0)
        #expect(result.outcome.status == .endpointFailed)
        #expect(result.outcome.towardPeer.lost + (result.outcome.towardClient?.lost ?? 0) > 0)
        let lapse = try #require(result.outcome.clients.refreshes?.lapse, "\(outcome.output)")
        for words in ["permission or channel lifetime", "--permission-refresh", "--channel-refresh"] {
            #expect(lapse.contains(words), "\(lapse)")
        }
        #expect(outcome.output.contains(lapse), "\(outcome.output)")
    }
}
