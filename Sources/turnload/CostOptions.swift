import ArgumentParser
import Measurement

/// The cost projection's inputs besides the measured bytes (prices come from a scenario's
/// `pricing`, else `PriceOption.defaults`).
struct CostOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Relayed call-minutes a month to project the cost for.", valueName: "N"))
    var minutesPerMonth: Double = 1_000_000

    @Option(help: ArgumentHelp("Concurrent calls self-hosted instances must carry (default: the month's average).", valueName: "N"))
    var peakCalls: Double?

    func validate() throws {
        guard minutesPerMonth > 0, minutesPerMonth.isFinite else { throw ValidationError("--minutes-per-month must be more than 0") }
        if let peakCalls, !(peakCalls > 0) { throw ValidationError("--peak-calls must be more than 0") }
    }

    func projection(_ volume: TrafficVolume, prices: [PriceOption], cleanCapacity: Int?) -> CostProjection {
        CostProjection(volume: volume, options: prices, minutesPerMonth: minutesPerMonth, peakCalls: peakCalls, cleanCapacity: cleanCapacity)
    }
}
