/// Bytes on the wire per relayed call-minute, overhead included, as measured: what billing is
/// projected from. "From the relay" is everything the endpoint sent (to clients and peers),
/// "to the relay" everything it received. Gigabytes are decimal (10⁹ bytes), as providers bill.
public struct TrafficVolume: Sendable, Codable, Equatable {
    public var fromRelayBytesPerMinute: Double
    public var toRelayBytesPerMinute: Double

    public init(fromRelayBytesPerMinute: Double, toRelayBytesPerMinute: Double) {
        self.fromRelayBytesPerMinute = fromRelayBytesPerMinute
        self.toRelayBytesPerMinute = toRelayBytesPerMinute
    }

    /// From a run's totals: bytes each way over `callMinutes` (clients × minutes sending).
    public init(fromRelayBytes: Int, toRelayBytes: Int, callMinutes: Double) {
        let minutes = callMinutes > 0 ? callMinutes : .infinity
        self.init(fromRelayBytesPerMinute: Double(fromRelayBytes) / minutes, toRelayBytesPerMinute: Double(toRelayBytes) / minutes)
    }

    public var fromRelayGBPerMillionMinutes: Double { fromRelayBytesPerMinute * 1e6 / 1e9 }
    public var toRelayGBPerMillionMinutes: Double { toRelayBytesPerMinute * 1e6 / 1e9 }

    func gigabytes(_ billed: PriceOption.BilledTraffic, minutes: Double) -> Double {
        let perMinute =
            switch billed {
            case .fromRelay: fromRelayBytesPerMinute
            case .toRelay: toRelayBytesPerMinute
            case .both: fromRelayBytesPerMinute + toRelayBytesPerMinute
            }
        return perMinute * minutes / 1e9
    }
}

/// One way to pay for relaying: a hosted provider billing traffic, or self-hosted instances.
public struct PriceOption: Sendable, Codable, Equatable {
    public var name: String
    public var pricing: Pricing

    public init(name: String, pricing: Pricing) {
        self.name = name
        self.pricing = pricing
    }

    public enum Pricing: Sendable, Codable, Equatable {
        /// Per gigabyte of `billed` traffic beyond `freeGB` a month (e.g. $0.05/GB from the
        /// relay to clients, 1,000 GB free).
        case traffic(dollarsPerGB: Double, freeGB: Double, billed: BilledTraffic)
        /// Instances at `dollarsPerHour`, as many as the peak needs at `callsPerInstance` (by
        /// default the measured clean capacity), plus `egressDollarsPerGB` on traffic from the relay.
        case instances(dollarsPerHour: Double, callsPerInstance: Int?, egressDollarsPerGB: Double)
    }

    public enum BilledTraffic: String, Sendable, Codable, CaseIterable {
        case fromRelay = "from-relay"
        case toRelay = "to-relay"
        case both
    }
}

/// Monthly cost of each price option for a volume of relayed minutes, and where they break even.
public struct CostProjection: Sendable, Codable, Equatable {
    public static let hoursPerMonth = 730.0
    public static let minutesPerMonthAtOneCall = hoursPerMonth * 60

    public var volume: TrafficVolume
    public var minutesPerMonth: Double
    /// Concurrent calls instances are sized for: given, or the month's average.
    public var peakCalls: Double
    public var cleanCapacity: Int?
    public var lines: [CostLine]
    public var breakEvens: [BreakEven]

    public struct CostLine: Sendable, Codable, Equatable {
        public var option: String
        /// Nil when it cannot be priced (instances without a measured capacity).
        public var monthlyDollars: Double?
        /// How the figure came about, for a reader.
        public var detail: String
    }

    /// The monthly minutes at which two options cost the same, when they cross below 10¹¹ minutes.
    public struct BreakEven: Sendable, Codable, Equatable {
        public var first: String
        public var second: String
        public var minutesPerMonth: Double?
    }

    /// `peakCalls` nil sizes instances for the average concurrency of `minutesPerMonth`.
    public init(volume: TrafficVolume, options: [PriceOption], minutesPerMonth: Double, peakCalls: Double? = nil, cleanCapacity: Int?) {
        self.volume = volume
        self.minutesPerMonth = minutesPerMonth
        let averageCalls = minutesPerMonth / Self.minutesPerMonthAtOneCall
        let peak = peakCalls ?? averageCalls
        self.peakCalls = peak
        self.cleanCapacity = cleanCapacity
        // Break-evens scale the peak with the minutes, keeping the given peak-to-average ratio.
        let peakRatio = averageCalls > 0 ? peak / averageCalls : 1
        lines = options.map { Self.line($0, volume: volume, minutes: minutesPerMonth, peakCalls: peak, capacity: cleanCapacity) }
        var breakEvens: [BreakEven] = []
        for (index, first) in options.enumerated() {
            for second in options.dropFirst(index + 1) {
                let crossing = Self.crossing { minutes in
                    let scaledPeak = minutes / Self.minutesPerMonthAtOneCall * peakRatio
                    guard let a = Self.cost(first, volume: volume, minutes: minutes, peakCalls: scaledPeak, capacity: cleanCapacity),
                        let b = Self.cost(second, volume: volume, minutes: minutes, peakCalls: scaledPeak, capacity: cleanCapacity)
                    else { return nil }
                    return a - b
                }
                breakEvens.append(BreakEven(first: first.name, second: second.name, minutesPerMonth: crossing))
            }
        }
        self.breakEvens = breakEvens
    }

    static func cost(_ option: PriceOption, volume: TrafficVolume, minutes: Double, peakCalls: Double, capacity: Int?) -> Double? {
        switch option.pricing {
        case let .traffic(dollarsPerGB, freeGB, billed):
            return max(0, volume.gigabytes(billed, minutes: minutes) - freeGB) * dollarsPerGB
        case let .instances(dollarsPerHour, callsPerInstance, egressDollarsPerGB):
            guard let perInstance = callsPerInstance ?? capacity, perInstance > 0 else { return nil }
            let instances = max(1, (peakCalls / Double(perInstance)).rounded(.up))
            return instances * dollarsPerHour * hoursPerMonth + volume.gigabytes(.fromRelay, minutes: minutes) * egressDollarsPerGB
        }
    }

    static func line(_ option: PriceOption, volume: TrafficVolume, minutes: Double, peakCalls: Double, capacity: Int?) -> CostLine {
        let dollars = cost(option, volume: volume, minutes: minutes, peakCalls: peakCalls, capacity: capacity)
        let detail: String
        switch option.pricing {
        case let .traffic(dollarsPerGB, freeGB, billed):
            let gigabytes = volume.gigabytes(billed, minutes: minutes)
            detail =
                "\(DecimalText.short(gigabytes, decimals: 1)) GB \(billed.rawValue) a month, \(DecimalText.short(freeGB)) GB free, "
                + "then $\(DecimalText.short(dollarsPerGB, decimals: 4))/GB"
        case let .instances(dollarsPerHour, callsPerInstance, egressDollarsPerGB):
            if let perInstance = callsPerInstance ?? capacity, perInstance > 0 {
                let instances = max(1, (peakCalls / Double(perInstance)).rounded(.up))
                detail =
                    "\(Int(instances)) instance(s) of \(perInstance) calls"
                    + (callsPerInstance == nil ? " (the measured clean capacity)" : "")
                    + " for \(DecimalText.short(peakCalls)) concurrent calls at $\(DecimalText.short(dollarsPerHour, decimals: 4))/h"
                    + (egressDollarsPerGB > 0 ? ", egress $\(DecimalText.short(egressDollarsPerGB, decimals: 4))/GB" : "")
            } else {
                detail = "needs a clean capacity: run saturate, or give calls-per-instance"
            }
        }
        return CostLine(option: option.name, monthlyDollars: dollars, detail: detail)
    }

    /// The smallest minutes a month where `difference` changes sign, found on a logarithmic grid
    /// and refined by bisection; nil when it never does (or cannot be priced).
    static func crossing(_ difference: (Double) -> Double?) -> Double? {
        var previous: (minutes: Double, value: Double)?
        var minutes = 1_000.0
        while minutes <= 1e11 {
            guard let value = difference(minutes) else { return nil }
            if let previous, (previous.value < 0) != (value < 0) {
                var low = previous.minutes
                var high = minutes
                for _ in 0..<60 {
                    let middle = (low + high) / 2
                    guard let mid = difference(middle) else { return nil }
                    if (mid < 0) == (previous.value < 0) { low = middle } else { high = middle }
                }
                return high
            }
            previous = (minutes, value)
            minutes *= 1.25
        }
        return nil
    }
}

extension PriceOption {
    /// The options priced when a scenario gives none: a hosted relay billing what it sends to
    /// clients ($0.05/GB after 1,000 GB free a month, as the largest one publishes), and
    /// self-hosted cloud instances (an m6i.large-class VM at $0.096/h plus $0.09/GB egress).
    public static let defaults: [PriceOption] = [
        PriceOption(
            name: "hosted, $0.05/GB from-relay, 1,000 GB free", pricing: .traffic(dollarsPerGB: 0.05, freeGB: 1000, billed: .fromRelay)),
        PriceOption(
            name: "self-hosted, $0.096/h instances + $0.09/GB egress",
            pricing: .instances(dollarsPerHour: 0.096, callsPerInstance: nil, egressDollarsPerGB: 0.09)),
    ]
}
