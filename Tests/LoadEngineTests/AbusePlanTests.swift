import Measurement
import RunModel
import Testing

@Suite("abuse plan and its windows")
struct AbusePlanTests {
    @Test func parsesKindsAndRates() throws {
        let plan = try AbusePlan(parsing: "invalid=200,wrong-password=50,unbound-channel=1,binding=100000,unauthenticated=7")
        #expect(plan.shares.map(\.kind) == [.invalid, .wrongPassword, .unboundChannel, .binding, .unauthenticated])
        #expect(plan.shares.map(\.rate) == [200, 50, 1, 100_000, 7])
        #expect(plan.description == "invalid=200,wrong-password=50,unbound-channel=1,binding=100000,unauthenticated=7")
    }

    @Test(arguments: [
        ("flood=5", KeyedCountsError.Problem.form("flood=5")), ("invalid", .form("invalid")), ("invalid=0", .count("invalid=0")),
        ("binding=100001", .count("binding=100001")), ("binding=x", .count("binding=x")), ("binding=1,binding=2", .twice("binding")),
    ])
    func refusesWhatIsNotAPlan(_ text: String, _ problem: KeyedCountsError.Problem) {
        #expect(throws: KeyedCountsError(problem, AbusePlan.form)) { try AbusePlan(parsing: text) }
        #expect(KeyedCountsError(.count("x=0"), AbusePlan.form).description.hasSuffix("from 1 to 100000"))
    }

    @Test func windowsAlternateQuietFirst() throws {
        let plan = try AbusePlan(parsing: "binding=1", windowSeconds: 2)
        #expect((0..<8).map { plan.isAbusive(second: $0) } == [false, false, true, true, false, false, true, true])
    }

    /// The calls' seconds after the ramp, split by window: each window's packets, the loss it
    /// found (the run's count is cumulative), and its delay.
    @Test func figuresSplitTheSettledSecondsByWindow() throws {
        let plan = try AbusePlan(parsing: "invalid=10", windowSeconds: 1)
        func second(_ index: Int, clients: Int, lost: Int, delay: Int64) -> SecondSample {
            var delays = Distribution()
            delays.record(delay)
            return SecondSample(second: index, sent: 100, received: 100, lost: lost, delay: delays, activeClients: clients)
        }
        let series = [
            second(0, clients: 1, lost: 5, delay: 1_000_000), second(1, clients: 2, lost: 5, delay: 9_000_000),
            second(2, clients: 2, lost: 5, delay: 1_000_000), second(3, clients: 2, lost: 8, delay: 9_000_000),
            second(4, clients: 2, lost: 8, delay: 1_000_000),
        ]
        let figures = AbuseFigures(plan: plan, kinds: [], series: series)
        #expect(figures.quiet.seconds == 2 && figures.quiet.sent == 200 && figures.quiet.lost == 0)
        #expect(figures.abused.seconds == 2 && figures.abused.sent == 200 && figures.abused.lost == 3)
        #expect(abs(figures.abused.lossPercent - 1.5) < 1e-9 && abs(figures.abused.delayP99 - 9) < 0.01)
        #expect(abs(figures.quiet.delayP99 - 1) < 0.01)
    }
}
