import Foundation

/// A program run to its end by a test, its output kept in files: reading a pipe would block a
/// thread of the cooperative pool (two on this machine) while the test waits, and starve it.
public enum TestProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `executable` until it exits; SIGINT after `interruptAfter`; SIGKILL and an error
    /// after `limit`.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        limit: Duration = .seconds(120), interruptAfter: Duration? = nil
    ) async throws -> Outcome {
        let process = try RunningProcess(executable, arguments, environment: environment)
        try await process.waitUntilExit(limit: limit, interruptAfter: interruptAfter)
        return Outcome(status: process.status, output: process.output, errors: process.errors)
    }
}

public struct TestProcessError: Error, CustomStringConvertible {
    public var description: String
}
