import Foundation

/// Times as results and the command line write them: ISO 8601 (RFC 3339) in UTC.
public enum ISO8601Time {
    /// `2026-11-24T15:00:00.250Z`, or `2026-11-24T15:00:00Z` without `fractionalSeconds`.
    public static func string(_ date: Date, fractionalSeconds: Bool) -> String {
        formatter(fractionalSeconds: fractionalSeconds).string(from: date)
    }

    /// A time with or without fractions of a second, in UTC or with an offset.
    public static func date(_ text: String) -> Date? {
        formatter(fractionalSeconds: true).date(from: text) ?? formatter(fractionalSeconds: false).date(from: text)
    }

    private static func formatter(fractionalSeconds: Bool) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        if fractionalSeconds { formatter.formatOptions.insert(.withFractionalSeconds) }
        return formatter
    }
}
