import Measurement

/// One k6-style load stage, as a scenario's `stages:` list writes it.
enum Stage: Sendable, Equatable {
    /// `ramp to 200 over 5s`: open `clients` allocations, spread over a time.
    case ramp(clients: Int, over: Time)
    /// `hold 30s`: stay at full load this long.
    case hold(Time)
    /// `step +100 every 30s until 3000`: add clients every interval up to a most.
    case step(Int, every: Time, until: Int)

    /// A time as written (it goes to the command line as it is) and its length.
    struct Time: Sendable, Equatable {
        var text: String
        var duration: Duration
    }

    static let forms = "\"ramp to N over TIME\", \"hold TIME\" or \"step +N every TIME until M\" (TIME such as 30s, 5m)"

    /// Parses one stage; the message says what is wrong.
    init(parsing text: String) throws(StageError) {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        switch words.first {
        case "ramp" where words.count == 5 && words[1] == "to" && words[3] == "over":
            self = .ramp(clients: try Self.count(words[2], in: text), over: try Self.time(words[4], in: text))
        case "hold" where words.count == 2:
            self = .hold(try Self.time(words[1], in: text))
        case "step" where words.count == 6 && words[1].hasPrefix("+") && words[2] == "every" && words[4] == "until":
            self = .step(
                try Self.count(String(words[1].dropFirst()), in: text), every: try Self.time(words[3], in: text),
                until: try Self.count(words[5], in: text))
        default:
            throw StageError(description: "\"\(text)\" is not a stage: write \(Self.forms)")
        }
    }

    /// Allocations a second that open `clients` within `time`, rounded up so that the ramp is
    /// never slower than written (capped where the conversion would trap; the command refuses
    /// such a rate anyway).
    static func rate(_ clients: Int, over time: Time) -> Int {
        let seconds = Double(time.duration.components.seconds) + Double(time.duration.components.attoseconds) / 1e18
        return Int(min((Double(clients) / seconds).rounded(.up), 1e15))
    }

    private static func count(_ word: String, in text: String) throws(StageError) -> Int {
        guard let value = Int(word), value > 0 else {
            throw StageError(description: "\"\(text)\": \(word) is not a number of clients above 0")
        }
        return value
    }

    private static func time(_ word: String, in text: String) throws(StageError) -> Time {
        guard let duration = Duration(text: word), duration > .zero else {
            throw StageError(description: "\"\(text)\": \(word) is not a time above 0, such as 30s, 5m or 1h")
        }
        return Time(text: word, duration: duration)
    }
}

struct StageError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
}
