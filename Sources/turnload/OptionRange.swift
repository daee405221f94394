import ArgumentParser
import Measurement

/// The ranges of the options that take numbers, checked as ArgumentParser parses each value
/// (an `@Option(transform:)`), so that the command line and a scenario, which is expanded into
/// the same arguments, meet the same check. A value outside never reaches the arithmetic that
/// would overflow on it, and the message, after ArgumentParser's "The value 'X' is invalid for
/// '--option <N>':", says what the option takes.
enum OptionRange {
    /// The longest time any option takes: longer than any soak, and far enough from Int64
    /// nanoseconds that no conversion or sum of times can overflow.
    static let longest = Duration.seconds(30 * 86_400)

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// A whole number within `range` (which the type must hold: a value too big for it is out
    /// of range too, not a different error).
    static func count<Value: FixedWidthInteger & Sendable>(_ range: ClosedRange<Value>, _ unit: String = "")
        -> @Sendable (String) throws -> Value
    {
        { text in
            guard let value = Value(text), range.contains(value) else {
                throw Refusal(description: "give a whole number from \(range.lowerBound) to \(range.upperBound)\(unit)")
            }
            return value
        }
    }

    /// A number within `range`, fractions allowed.
    static func amount(_ range: ClosedRange<Double>) -> @Sendable (String) throws -> Double {
        { text in
            guard let value = Double(text), range.contains(value) else {
                throw Refusal(
                    description: "give a number from \(DecimalText.short(range.lowerBound)) to \(DecimalText.short(range.upperBound))")
            }
            return value
        }
    }

    /// A time as `DurationArgument` reads it, within `range`.
    static func time(_ range: ClosedRange<Duration>) -> @Sendable (String) throws -> DurationArgument {
        { text in
            guard let argument = DurationArgument(argument: text), range.contains(argument.duration) else {
                throw Refusal(
                    description: "give a time from \(written(range.lowerBound)) to \(written(range.upperBound)), "
                        + "such as 30s, 5m or 1h")
            }
            return argument
        }
    }

    /// A share, `80%` or `0.8`.
    static func share() -> @Sendable (String) throws -> FractionArgument {
        { text in
            guard let share = FractionArgument(argument: text) else {
                throw Refusal(description: "give a share above 0% and at most 100%, such as 80% or 0.8")
            }
            return share
        }
    }

    /// An amount of data as `ByteCountArgument` reads it, up to `largest` bytes (written in TB).
    static func volume(upTo largest: Double) -> @Sendable (String) throws -> ByteCountArgument {
        { text in
            guard let volume = ByteCountArgument(argument: text), volume.bytes <= largest else {
                throw Refusal(
                    description: "give an amount of data above 0 and at most \(DecimalText.short(largest / 1e12))TB, "
                        + "such as 500MB or 90GB")
            }
            return volume
        }
    }

    /// So many `what` a second, more than 0 and at most `most`: `5`, `5/s`, `300/m` or `600/h`.
    static func rate(of what: String, upTo most: Double) -> @Sendable (String) throws -> Double {
        { text in
            let units: [(suffix: String, seconds: Double)] = [("/s", 1), ("/m", 60), ("/h", 3600)]
            let unit = units.first { text.hasSuffix($0.suffix) }
            guard let value = Double(unit.map { String(text.dropLast($0.suffix.count)) } ?? text), value.isFinite else {
                throw Refusal(description: "give \(what) a second, such as 5, 5/s or 300/m")
            }
            let perSecond = value / (unit?.seconds ?? 1)
            guard perSecond > 0, perSecond <= most else {
                throw Refusal(description: "give more than 0 and at most \(DecimalText.short(most)) \(what) a second")
            }
            return perSecond
        }
    }

    /// Bits a second, `64000`, `64k`, `2M` or `10G`, within `range`.
    static func bitrate(_ range: ClosedRange<Int>) -> @Sendable (String) throws -> Int {
        { text in
            guard let bits = OptionRange.bits(text), Double(range.lowerBound) <= bits, bits <= Double(range.upperBound) else {
                throw Refusal(
                    description: "give bits a second from \(written(bits: range.lowerBound)) to \(written(bits: range.upperBound)), "
                        + "such as 32000 or 32k")
            }
            return Int(bits)
        }
    }

    /// Bits a second as a Double, so that no value written can overflow before the range check.
    private static func bits(_ text: String) -> Double? {
        let multiplier: Double =
            switch text.last {
            case "k", "K": 1e3
            case "m", "M": 1e6
            case "g", "G": 1e9
            default: 1
            }
        guard let value = Double(multiplier == 1 ? Substring(text) : text.dropLast()), value.isFinite else { return nil }
        return (value * multiplier).rounded()
    }

    /// In the largest unit the time is a whole number of, as the options are written.
    static func written(_ duration: Duration) -> String {
        let text = duration.text
        let hours = text.hasSuffix("h") ? Int(text.dropLast()) : nil
        guard let hours, hours % 24 == 0 else { return text }
        return "\(text) (\(hours / 24) days)"
    }

    static func written(bits: Int) -> String {
        let units: [(suffix: String, bits: Int)] = [("G", 1_000_000_000), ("M", 1_000_000), ("k", 1000)]
        guard let unit = units.first(where: { bits >= $0.bits && bits % $0.bits == 0 }) else { return "\(bits)" }
        return "\(bits / unit.bits)\(unit.suffix)"
    }
}
