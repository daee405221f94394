import ArgumentParser

/// A length of time on the command line: `30s`, `2m`, `1h`, `500ms`, or bare seconds.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration
    let description: String

    init?(argument: String) {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.suffix) && Double(argument.dropLast($0.suffix.count)) != nil }
        guard let value = Double(unit.map { String(argument.dropLast($0.suffix.count)) } ?? argument),
              value >= 0, value.isFinite else { return nil }
        duration = .milliseconds(Int64((value * (unit?.seconds ?? 1) * 1000).rounded()))
        description = argument
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
