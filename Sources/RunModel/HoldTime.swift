import Foundation
import Measurement

/// How long a call talks before it hangs up (`--hold-time`): one length for every call, or a
/// distribution the calls' lengths are drawn from. Telephony's classic model is exponential
/// (memoryless); measured call lengths look more lognormal, with a long tail.
public enum HoldTime: Sendable, Equatable, CustomStringConvertible {
    case fixed(Duration)
    case exponential(mean: Duration)
    /// `deviation` is the calls' standard deviation, in the same unit as the mean.
    case lognormal(mean: Duration, deviation: Duration)

    /// Three minutes, exponential: a common mean length of a voice call.
    public static let standard = HoldTime.exponential(mean: .seconds(180))

    /// `3m` (exponential with that mean), `exponential:3m`, `fixed:90s` or `lognormal:3m:2m`
    /// (mean and standard deviation).
    public init(parsing text: String) throws(HoldTimeError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func time(_ part: String) throws(HoldTimeError) -> Duration {
            guard let duration = Duration(text: part) else { throw .form(text) }
            return duration
        }
        switch (parts.count, parts[0]) {
        case (1, _): self = .exponential(mean: try time(parts[0]))
        case (2, "fixed"): self = .fixed(try time(parts[1]))
        case (2, "exponential"), (2, "exp"): self = .exponential(mean: try time(parts[1]))
        case (3, "lognormal"): self = .lognormal(mean: try time(parts[1]), deviation: try time(parts[2]))
        default: throw .form(text)
        }
        guard mean > .zero else { throw .zeroMean(text) }
    }

    public var mean: Duration {
        switch self {
        case .fixed(let length): length
        case .exponential(let mean), .lognormal(let mean, _): mean
        }
    }

    /// One call's length, from `random`.
    public func draw(using random: inout SplitMix64) -> Duration {
        let mean = self.mean / .seconds(1)
        let seconds: Double
        switch self {
        case .fixed:
            seconds = mean
        case .exponential:
            seconds = -mean * log(1 - random.unit())
        case .lognormal(_, let deviation):
            // The normal's parameters that give this mean and deviation (so that `mean` is
            // the calls' mean, not the median).
            let variance = log(1 + pow(deviation / .seconds(1) / mean, 2))
            let location = log(mean) - variance / 2
            seconds = exp(location + variance.squareRoot() * Self.standardNormal(using: &random))
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Box–Muller, from the generator's own uniforms so that a seed repeats a run everywhere.
    private static func standardNormal(using random: inout SplitMix64) -> Double {
        let radius = (-2 * log(1 - random.unit())).squareRoot()
        return radius * cos(2 * Double.pi * random.unit())
    }

    public var description: String {
        switch self {
        case .fixed(let length): "fixed \(length.text)"
        case .exponential(let mean): "exponential, mean \(mean.text)"
        case .lognormal(let mean, let deviation): "lognormal, mean \(mean.text), deviation \(deviation.text)"
        }
    }
}

public enum HoldTimeError: Error, Sendable, Equatable, CustomStringConvertible {
    case form(String)
    case zeroMean(String)

    public var description: String {
        switch self {
        case .form(let text):
            "\(text) is not a holding time: give a mean (3m, exponential), or fixed:90s, exponential:3m, lognormal:3m:2m "
                + "(mean and standard deviation)"
        case .zeroMean(let text): "\(text): calls must last longer than nothing"
        }
    }
}
