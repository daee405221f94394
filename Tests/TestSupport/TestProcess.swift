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
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                           limit: Duration = .seconds(120), interruptAfter: Duration? = nil) async throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outputFile, errorsFile) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorsFile.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorsFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
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
            // SIGKILL: children of the test runner may inherit its blocked SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestProcessError(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) ran past \(limit)")
        }
        return Outcome(status: process.terminationStatus, output: try String(contentsOf: outputFile, encoding: .utf8),
                       errors: try String(contentsOf: errorsFile, encoding: .utf8))
    }
}

public struct TestProcessError: Error, CustomStringConvertible {
    public var description: String
}
