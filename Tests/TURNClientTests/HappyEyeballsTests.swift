import NIOConcurrencyHelpers
import NIOCore
import TURNClient
import TURNProtocol
import Testing

/// RFC 8305's attempt order and timing over scripted attempts: what starts when, who wins,
/// and what happens to a success that comes too late.
@Suite("Happy Eyeballs")
struct HappyEyeballsTests {
    /// Records attempts started and values discarded, from any task.
    final class Log: Sendable {
        private let state = NIOLockedValueBox((started: [String](), discarded: [String]()))
        func started(_ name: String) { state.withLockedValue { $0.started.append(name) } }
        func discarded(_ name: String) { state.withLockedValue { $0.discarded.append(name) } }
        var started: [String] { state.withLockedValue { $0.started } }
        var discarded: [String] { state.withLockedValue { $0.discarded } }
    }

    struct Refused: Error {}

    /// Each candidate: how long its attempt takes and whether it succeeds.
    func race(
        _ script: [(name: String, milliseconds: Int, succeeds: Bool)], delay: Duration = .milliseconds(100),
        log: Log
    ) async throws -> (winner: String, failed: [String]) {
        let race = try await HappyEyeballs.race(script, delay: delay, named: \.name) { candidate in
            log.started(candidate.name)
            // Deaf to cancellation, as a TCP connect under way is.
            await Task.detached { try? await Task.sleep(for: .milliseconds(candidate.milliseconds)) }.value
            guard candidate.succeeds else { throw Refused() }
            return candidate.name
        } discard: {
            log.discarded($0)
        }
        return (race.winner.name, race.failures.attempts.map(\.candidate))
    }

    @Test func aFailureStartsTheNextAtOnce() async throws {
        let log = Log()
        let outcome = try await race([("v6", 0, false), ("v4", 0, true)], delay: .seconds(30), log: log)
        #expect(outcome.winner == "v4")
        #expect(outcome.failed == ["v6"])
        #expect(log.started == ["v6", "v4"])
    }

    /// The first never answers within the delay: the second starts then and wins; the first's
    /// late success is closed, not kept.
    @Test func aSlowFirstLosesToTheNextAndIsDiscarded() async throws {
        let log = Log()
        let outcome = try await race([("slow", 2000, true), ("fast", 0, true)], log: log)
        #expect(outcome.winner == "fast")
        #expect(outcome.failed.isEmpty)
        for _ in 0..<100 where log.discarded.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        #expect(log.discarded == ["slow"])
    }

    @Test func theFirstToAnswerWinsAndLaterOnesAreNotStarted() async throws {
        let log = Log()
        let outcome = try await race([("a", 0, true), ("b", 0, true), ("c", 0, true)], delay: .seconds(30), log: log)
        #expect(outcome.winner == "a")
        #expect(log.started == ["a"])
    }

    @Test func everyFailureIsReportedInOrder() async throws {
        let log = Log()
        await #expect {
            _ = try await race([("a", 0, false), ("b", 50, false), ("c", 0, false)], log: log)
        } throws: { error in
            (error as? HappyEyeballs.Failures)?.attempts.map(\.candidate) == ["a", "b", "c"]
        }
        #expect(Set(log.started) == ["a", "b", "c"])
    }

    @Test func noCandidateIsAFailure() async throws {
        await #expect(throws: HappyEyeballs.Failures.self) { _ = try await race([], log: Log()) }
    }

    /// RFC 8305 §4: families alternate from the first one getaddrinfo gave.
    @Test func familiesAreInterleaved() throws {
        let v6a = try SocketAddress(ipAddress: "2001:db8::1", port: 3478)
        let v6b = try SocketAddress(ipAddress: "2001:db8::2", port: 3478)
        let v4a = try SocketAddress(ipAddress: "192.0.2.1", port: 3478)
        let v4b = try SocketAddress(ipAddress: "192.0.2.2", port: 3478)
        #expect(ServerAddresses.interleaved([v6a, v6b, v4a, v4b]) == [v6a, v4a, v6b, v4b])
        #expect(ServerAddresses.interleaved([v4a, v6a, v6b]) == [v4a, v6a, v6b])
        #expect(ServerAddresses.interleaved([v4a, v4b]) == [v4a, v4b])
        #expect(ServerAddresses.interleaved([]) == [])
    }
}
