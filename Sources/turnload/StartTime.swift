import Foundation
import Reporting

/// `--start-at`: a moment every shard of a load waits for, so that their per-second rows line
/// up. An RFC 3339 time (`2026-11-24T15:00:00Z`, fractions and offsets allowed) or Unix seconds.
struct StartTime: Sendable, CustomStringConvertible {
    let date: Date

    /// The most a run waits: a time further ahead is more likely a typo than a plan.
    static let furthestAhead: TimeInterval = 24 * 3600

    init(parsing text: String) throws(StartTimeError) {
        if text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let seconds = Double(text) {
            date = Date(timeIntervalSince1970: seconds)
        } else if let date = ISO8601Time.date(text) {
            self.date = date
        } else {
            throw StartTimeError(text: text)
        }
    }

    /// In UTC, whole seconds: as the shards' logs and the README write it.
    var description: String { ISO8601Time.string(date, fractionalSeconds: false) }
}

struct StartTimeError: Error, CustomStringConvertible {
    var text: String
    var description: String {
        "\(text) is not a time: give RFC 3339 such as 2026-11-24T15:00:00Z, or Unix seconds such as 1795532400"
    }
}
