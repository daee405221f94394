import Foundation

/// The release `turnload` binary that `make test` builds, run as a user runs it: load
/// measurements need the optimised build (a debug build measures its own slowness).
public struct TurnloadBinary: Sendable {
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public let url = packageRoot.appendingPathComponent(".build/release/turnload")

    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestProcessError(description: "\(url.path) is missing: `make test` builds it (swift build -c release --product turnload)")
        }
    }

    public func run(
        _ arguments: [String], environment: [String: String] = [:], limit: Duration = .seconds(120),
        interruptAfter: Duration? = nil
    ) async throws -> TestProcess.Outcome {
        try await TestProcess.run(url, arguments, environment: environment, limit: limit, interruptAfter: interruptAfter)
    }
}
