import Measurement

/// An axis range widened to round numbers with evenly spaced round ticks (1, 2, 2.5 or 5 times
/// a power of ten), as a person would draw them (Heckbert, "Nice numbers for graph labels").
struct NiceScale: Equatable {
    var lower: Double
    var upper: Double
    var step: Double

    /// At most about `targetTicks` intervals covering `low...high`.
    init(_ low: Double, _ high: Double, targetTicks: Int = 5) {
        var (low, high) = (low, high)
        if !(low.isFinite && high.isFinite) { (low, high) = (0, 1) }
        if high < low { swap(&low, &high) }
        // A flat line still needs an axis: open a range around it.
        if high == low { (low, high) = low == 0 ? (0, 1) : (low - abs(low) / 2, high + abs(high) / 2) }
        step = Self.nice((high - low) / Double(max(1, targetTicks)))
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        // Multiplying rather than adding keeps 0.1 + 0.2 from drifting into 0.30000000000000004.
        return (0...count).map { lower + Double($0) * step }
    }

    /// A tick's label, with as many decimals as the step needs; thousands as `k`.
    func label(_ value: Double) -> String {
        if step >= 1000, abs(value).truncatingRemainder(dividingBy: 1000) == 0, value != 0 {
            return DecimalText.short(value / 1000, decimals: 0) + "k"
        }
        var decimals = 0
        var scaled = step
        while decimals < 6, abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
            scaled *= 10
            decimals += 1
        }
        return DecimalText.fixed(value, decimals: decimals)
    }

    /// The round number (1, 2, 2.5, 5 × 10ⁿ) nearest above `rough`.
    static func nice(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        let fraction = rough / power
        let niceFraction: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return niceFraction * power
    }
}
