import Foundation
import Logging

/// A logger whose lines a test can read back.
public final class CapturedLogs: Sendable {
    private let lines = NSLock()
    nonisolated(unsafe) private var captured: [(Logger.Level, String)] = []

    public init() {}

    public var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(logs: self) }
        logger.logLevel = .debug
        return logger
    }

    public var entries: [(level: Logger.Level, message: String)] { lines.withLock { captured } }

    fileprivate func append(_ level: Logger.Level, _ message: String) {
        lines.withLock { captured.append((level, message)) }
    }

    private struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .debug

        func log(event: LogEvent) {
            logs.append(event.level, "\(event.message)")
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
    }
}
