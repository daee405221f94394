import Foundation

extension ReportDocument {
    /// `2026-11-24 14:15:02 UTC`.
    static func date(_ date: Date) -> String {
        DateFormatter.utc("yyyy-MM-dd HH:mm:ss 'UTC'").string(from: date)
    }
}
