import Measurement

/// The cost projection's inputs besides the measured bytes.
public struct CostPlan: Sendable {
    public var minutesPerMonth: Double
    /// Concurrent calls self-hosted instances must carry; nil for the month's average.
    public var peakCalls: Double?
    public var prices: [PriceOption]

    public init(minutesPerMonth: Double, peakCalls: Double?, prices: [PriceOption]) {
        self.minutesPerMonth = minutesPerMonth
        self.peakCalls = peakCalls
        self.prices = prices
    }

    public func projection(_ volume: TrafficVolume, cleanCapacity: Int?) -> CostProjection {
        CostProjection(
            volume: volume, options: prices, minutesPerMonth: minutesPerMonth, peakCalls: peakCalls, cleanCapacity: cleanCapacity)
    }
}
