import Measurement

/// A length of time on the command line: `30s`, `2m`, `1h`, `500ms`, or bare seconds. Options
/// read it through `OptionRange.time`, which bounds it.
struct DurationArgument: Sendable, CustomStringConvertible {
    let duration: Duration
    let description: String

    init?(argument: String) {
        guard let duration = Duration(text: argument) else { return nil }
        self.duration = duration
        description = argument
    }
}
