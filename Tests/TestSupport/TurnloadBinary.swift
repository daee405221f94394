import Foundation

/// The release `turnload` binary that `make test` builds, run as a user runs it: load
/// measurements need the optimised build (a debug build measures its own slowness).
public struct TurnloadBinary: Sendable {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public let url = packageRoot.appendingPathComponent(".build/release/turnload")

    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TurnloadBinaryError(description: "\(url.path) is missing: `make test` builds it (swift build -c release --product turnload)")
        }
    }

    /// Runs to the end, or is killed after `limit` (and `interruptAfter` sends SIGINT first).
    public func run(_ arguments: [String], environment: [String: String] = [:], limit: Duration = .seconds(120),
                    interruptAfter: Duration? = nil) async throws -> Outcome {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let readOutput = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let readErrors = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }
        let start = ContinuousClock.now
        var interrupted = false
        while process.isRunning, ContinuousClock.now - start < limit {
            if let interruptAfter, !interrupted, ContinuousClock.now - start >= interruptAfter {
                kill(process.processIdentifier, SIGINT)
                interrupted = true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TurnloadBinaryError(description: "turnload \(arguments.joined(separator: " ")) ran past \(limit)")
        }
        return Outcome(status: process.terminationStatus,
                       output: String(decoding: await readOutput.value, as: UTF8.self),
                       errors: String(decoding: await readErrors.value, as: UTF8.self))
    }
}

public struct TurnloadBinaryError: Error, CustomStringConvertible {
    public var description: String
}
