import Foundation

/// A program started by a test and left running beside it (a relay, a shard), its output kept
/// in files that the test reads when it likes; killed with the test if it is still running.
public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let folder: URL
    private let outputFile: URL
    private let errorsFile: URL

    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        (outputFile, errorsFile) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorsFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorsFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: folder)
    }

    public var isRunning: Bool { process.isRunning }
    public var identifier: Int32 { process.processIdentifier }
    public var status: Int32 { process.terminationStatus }
    public var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    public var errors: String { (try? String(contentsOf: errorsFile, encoding: .utf8)) ?? "" }

    /// Ctrl-C, as a user stops it.
    public func interrupt() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGINT) }
    }

    /// SIGKILL: children of the test runner may inherit its blocked SIGTERM.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits until `text` appears on standard error, or the program exits or `limit` passes.
    public func waitForErrors(containing text: String, limit: Duration = .seconds(10)) async throws {
        let start = ContinuousClock.now
        while !errors.contains(text) {
            guard process.isRunning, ContinuousClock.now - start < limit else {
                throw TestProcessError(
                    description: "\(process.executableURL?.lastPathComponent ?? "program") never said \"\(text)\":\n\(errors)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until the program exits; SIGKILL and an error after `limit`.
    public func waitUntilExit(limit: Duration, interruptAfter: Duration? = nil) async throws {
        let start = ContinuousClock.now
        var interrupted = false
        while process.isRunning, ContinuousClock.now - start < limit {
            if let interruptAfter, !interrupted, ContinuousClock.now - start >= interruptAfter {
                interrupt()
                interrupted = true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill()
            let command = ([process.executableURL?.lastPathComponent ?? ""] + (process.arguments ?? [])).joined(separator: " ")
            throw TestProcessError(description: "\(command) ran past \(limit)")
        }
    }
}
