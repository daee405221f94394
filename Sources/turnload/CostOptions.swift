import ArgumentParser
import Campaign
import Measurement
import Scenario

/// The cost projection's inputs besides the measured bytes.
struct CostOptions: ParsableArguments {
    /// Bounded so that the instance count derived from them fits an Int: a trillion
    /// call-minutes a month is 23 million concurrent calls.
    @Option(
        help: ArgumentHelp("Relayed call-minutes a month to project the cost for. (default: 1000000)", valueName: "N"),
        transform: OptionRange.amount(1...1e12))
    var minutesPerMonth: Double = 1_000_000

    @Option(
        help: ArgumentHelp("Concurrent calls self-hosted instances must carry (default: the month's average).", valueName: "N"),
        transform: OptionRange.amount(1...1e9))
    var peakCalls: Double?

    @Option(
        help: ArgumentHelp(
            "A scenario whose pricing table to project the cost under (default: --scenario's, else a hosted and a self-hosted option).",
            valueName: "FILE"))
    var pricing: String?

    /// The price table: `--pricing`'s, else `scenario`'s, else `PriceOption.defaults`.
    func prices(scenario: String? = nil) throws -> [PriceOption] {
        guard let path = pricing ?? scenario else { return PriceOption.defaults }
        let prices = try Scenario.named(by: path).prices
        return prices.isEmpty ? PriceOption.defaults : prices
    }

    func plan(scenario: String? = nil) throws -> CostPlan {
        CostPlan(minutesPerMonth: minutesPerMonth, peakCalls: peakCalls, prices: try prices(scenario: scenario))
    }
}
