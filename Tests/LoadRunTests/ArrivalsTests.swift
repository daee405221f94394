import Foundation
import Measurement
import Reporting
import RunModel
import TestSupport
import Testing

/// `run --arrivals`: calls that come and go through turnload's own relay.
@Suite("calls that come and go")
struct ArrivalsTests {
    /// 40 calls a second holding 2 s: by Little's law 80 at once. Over 12 steady seconds the
    /// Poisson count's own spread is about 4%, so 10% tells a miscount from chance.
    @Test func concurrentCallsFollowLittlesLawAndEveryCallIsMeasured() async throws {
        let run = try await LoadRun.start(["--arrivals", "40/s", "--hold-time", "fixed:2s", "--duration", "14s"])
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let outcome = try #require(run.result?.outcome)
        let arrivals = try #require(outcome.arrivals)
        #expect(arrivals.offeredErlangs == 80 && arrivals.steadyFromSecond == 3)
        #expect(abs(arrivals.meanConcurrentCalls - 80) / 80 < 0.1, "\(arrivals)")
        // Every call talked but those arriving as the run ended, still setting up.
        #expect(outcome.clients.failures.isEmpty, "\(outcome.clients.failureExamples)")
        #expect(arrivals.arrived > 400 && arrivals.talked > arrivals.arrived - 10, "\(arrivals)")
        // Each call that hung up talked its 2 s; the rest were cut by the end.
        #expect(arrivals.hungUp > arrivals.talked - 100)
        #expect(outcome.calls.count == arrivals.talked && outcome.clients.allocated >= arrivals.talked)
        let talks = outcome.calls.compactMap(\.talkSeconds)
        // Give or take the hops between the hold's timer and the packet thread.
        #expect(talks.count == arrivals.talked && talks.allSatisfy { $0 < 2.5 }, "\(talks.sorted().suffix(5))")
        #expect(talks.filter { abs($0 - 2) < 0.25 }.count >= arrivals.hungUp, "\(talks.sorted().prefix(5))")
        for call in outcome.calls {
            #expect(call.towardPeer.lost == 0 && call.towardClient?.lost == 0, "call \(call.client)")
            #expect(call.towardPeer.sent > 0 && call.mos > 1)
        }
        // The churn each second: every arrival allocated, every hang-up released, but for
        // those after the last whole second.
        let allocations = outcome.series.reduce(0) { $0 + ($1.allocations ?? 0) }
        let releases = outcome.series.reduce(0) { $0 + ($1.releases ?? 0) }
        #expect((outcome.clients.allocated - 50...outcome.clients.allocated).contains(allocations))
        #expect((arrivals.hungUp - 50...arrivals.hungUp).contains(releases))
    }

    @Test(arguments: [
        (["--arrivals", "5", "--erlangs", "10"], "--arrivals or --erlangs"),
        (["--hold-time", "3m"], "--hold-time goes with"),
        (["--arrivals", "0"], "--arrivals"),
        (["--arrivals", "fast"], "--arrivals"),
        (["--erlangs", "20", "--hold-time", "fixed:1ms"], "at most 10000 a second"),
        (["--arrivals", "5", "--hold-time", "gamma:3m"], "lognormal:3m:2m"),
    ])
    func badArrivalOptionsAreRefused(_ arguments: [String], _ said: String) async throws {
        let run = try await LoadRun.start(arguments)
        run.outcome.expectRefusal(naming: said)
    }
}
