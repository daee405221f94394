import Foundation

extension DateFormatter {
    /// Dates in UTC with a fixed pattern, whatever the machine's locale and zone: results and
    /// reports read the same everywhere.
    static func utc(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter
    }
}
