import Measurement
import RunModel
import Testing

@Suite("call arrivals and holding times")
struct CallArrivalsTests {
    @Test(arguments: [
        ("3m", HoldTime.exponential(mean: .seconds(180))),
        ("exponential:90s", .exponential(mean: .seconds(90))),
        ("exp:2m", .exponential(mean: .seconds(120))),
        ("fixed:30s", .fixed(.seconds(30))),
        ("lognormal:3m:2m", .lognormal(mean: .seconds(180), deviation: .seconds(120))),
    ])
    func parsesEachForm(_ text: String, _ expected: HoldTime) throws {
        #expect(try HoldTime(parsing: text) == expected)
    }

    @Test(arguments: ["", "3x", "fixed", "fixed:", "gamma:3m", "lognormal:3m", "lognormal:3m:1m:1m", "fixed:-3s"])
    func refusesWhatIsNotAHoldingTime(_ text: String) {
        #expect(throws: HoldTimeError.form(text)) { try HoldTime(parsing: text) }
    }

    @Test func refusesCallsOfNoLength() {
        #expect(throws: HoldTimeError.zeroMean("fixed:0s")) { try HoldTime(parsing: "fixed:0s") }
    }

    /// 20,000 draws: each distribution's mean (and the lognormal's deviation) within 3%, and
    /// the exponential's tell-tale spread, its deviation equal to its mean.
    @Test(arguments: [
        HoldTime.fixed(.seconds(90)), .exponential(mean: .seconds(180)), .lognormal(mean: .seconds(180), deviation: .seconds(120)),
    ])
    func drawsHaveTheMeanAndSpreadAskedFor(_ holdTime: HoldTime) {
        var random = SplitMix64(seed: 7)
        let draws = (0..<20_000).map { _ in holdTime.draw(using: &random) / .seconds(1) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let deviation = (draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)).squareRoot()
        let wanted = holdTime.mean / .seconds(1)
        #expect(abs(mean - wanted) / wanted < 0.03, "mean \(mean)")
        switch holdTime {
        case .fixed: #expect(deviation == 0)
        case .exponential: #expect(abs(deviation - wanted) / wanted < 0.03, "deviation \(deviation)")
        case .lognormal(_, let spread): #expect(abs(deviation - spread / .seconds(1)) / (spread / .seconds(1)) < 0.05, "\(deviation)")
        }
        #expect(draws.allSatisfy { $0 > 0 })
    }

    @Test func erlangsAreArrivalsOverTheMeanHoldingTime() {
        let plan = ArrivalPlan(erlangs: 300, holdTime: .exponential(mean: .seconds(120)))
        #expect(plan.rate == 2.5 && plan.offeredErlangs == 300)
    }

    /// Evenly spaced: exactly rate × window arrivals, one every 1/rate, the first after one gap.
    @Test func evenArrivalsComeOneEveryGap() {
        let plan = ArrivalPlan(rate: 40, holdTime: .fixed(.seconds(2)), spacing: .even)
        let calls = Array(plan.calls(seed: 3, shard: .whole, within: .milliseconds(6010)))
        #expect(calls.count == 240)
        #expect(calls.enumerated().allSatisfy { abs(($1.arrival / .seconds(1)) - Double($0 + 1) / 40) < 1e-6 })
        #expect(calls.allSatisfy { $0.holdTime == .seconds(2) })
    }

    /// A Poisson process: as many arrivals as rate × window (within 3% over 20,000 expected),
    /// and gaps with the exponential's deviation equal to their mean.
    @Test func arrivalsComeAtTheRate() {
        let plan = ArrivalPlan(rate: 50, holdTime: .fixed(.seconds(1)))
        let calls = Array(plan.calls(seed: 3, shard: .whole, within: .seconds(400)))
        #expect(abs(Double(calls.count) - 20_000) / 20_000 < 0.03, "\(calls.count)")
        #expect(calls.map(\.index) == Array(calls.indices))
        let gaps = zip(calls.dropFirst(), calls).map { ($0.arrival - $1.arrival) / .seconds(1) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let deviation = (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count)).squareRoot()
        #expect(abs(mean - 0.02) / 0.02 < 0.03 && abs(deviation - mean) / mean < 0.05, "\(mean) \(deviation)")
        #expect(calls.allSatisfy { $0.arrival < .seconds(400) })
    }

    /// Shards take every Nth call of the one big run, with the same arrival and holding time,
    /// so that together they are that run.
    @Test func shardsTogetherAreTheWholeRun() throws {
        let plan = ArrivalPlan(rate: 20, holdTime: .exponential(mean: .seconds(60)))
        let whole = Array(plan.calls(seed: 9, shard: .whole, within: .seconds(60)))
        var shards: [ArrivingCall] = []
        for index in 1...3 {
            let shard = try ShardAssignment(parsing: "\(index)/3")
            let share = Array(plan.calls(seed: 9, shard: shard, within: .seconds(60)))
            #expect(abs(share.count - whole.count / 3) <= 1)
            shards += share
        }
        #expect(shards.sorted { $0.index < $1.index } == whole)
        #expect(Array(plan.calls(seed: 9, shard: .whole, within: .seconds(60))) == whole, "seeded")
        #expect(Array(plan.calls(seed: 10, shard: .whole, within: .seconds(60))) != whole)
    }

    /// Little's law over a scripted series: the steady window starts a holding time in, and
    /// shards' figures add up with the concurrency measured again over their merged series.
    @Test func concurrencyIsMeasuredOnceTheFirstCallsCouldHangUp() {
        let plan = ArrivalPlan(rate: 10, holdTime: .fixed(.seconds(3)))
        let series = (1...10).map { SecondSample(second: $0, activeClients: $0 <= 3 ? 20 * $0 : 60) }
        var figures = ArrivalFigures(plan: plan, arrived: 100, talked: 98, hungUp: 70, series: series, clientsPerCall: 2)
        #expect(figures.offeredErlangs == 30 && figures.steadyFromSecond == 4)
        #expect(figures.meanConcurrentCalls == 30 && figures.peakConcurrentCalls == 30)
        figures.merge(figures, series: series.map { SecondSample(second: $0.second, activeClients: 2 * $0.activeClients) })
        #expect(figures.arrived == 200 && figures.talked == 196 && figures.hungUp == 140)
        #expect(figures.meanConcurrentCalls == 60 && figures.peakConcurrentCalls == 60)
    }
}
