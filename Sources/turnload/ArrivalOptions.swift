import ArgumentParser
import Foundation
import RunModel

/// Calls that come and go (`run`): arrivals and holding times instead of one population
/// held for the run, as a relay sees calls all day.
struct ArrivalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Calls arrive at RATE a second, a seeded Poisson process, over --duration; each talks for its --hold-time "
                + "and hangs up. Replaces --clients and --ramp. 5, 5/s or 300/m.", valueName: "RATE"),
        transform: OptionRange.rate(of: "calls", upTo: 10_000))
    var arrivals: Double?

    @Option(
        help: ArgumentHelp(
            "Offered load in Erlangs, the calls talking at once on average: arrivals at E over the mean --hold-time.",
            valueName: "E"),
        transform: OptionRange.amount(0.01...100_000))
    var erlangs: Double?

    @Option(
        help: ArgumentHelp(
            "How long each call talks, with --arrivals or --erlangs: a mean (3m, exponential), fixed:90s, exponential:3m, "
                + "or lognormal:3m:2m (mean and standard deviation). (default: 3m)", valueName: "TIME"),
        transform: { try HoldTime(parsing: $0) })
    var holdTime: HoldTime?

    func validate() throws {
        if arrivals != nil, erlangs != nil { throw ValidationError("give --arrivals or --erlangs, not both: each sets the other") }
        if holdTime != nil, plan == nil { throw ValidationError("--hold-time goes with --arrivals or --erlangs") }
        if let plan, plan.rate > 10_000 {
            throw ValidationError(
                "--erlangs \(erlangs ?? 0) over a mean hold of \(plan.holdTime.mean.text) is \(Int(plan.rate)) calls a second: "
                    + "give at most 10000 a second")
        }
    }

    /// The arrivals asked for, if any.
    var plan: ArrivalPlan? {
        let holdTime = holdTime ?? .standard
        if let arrivals { return ArrivalPlan(rate: arrivals, holdTime: holdTime) }
        return erlangs.map { ArrivalPlan(erlangs: $0, holdTime: holdTime) }
    }
}
