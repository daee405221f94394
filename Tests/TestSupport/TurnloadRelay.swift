import Foundation

/// `turnload relay` (the release binary) on loopback for one test, killed with it: UDP and TCP
/// on `port`, TLS on `tlsPort` with a throw-away certificate when asked, loopback peers allowed.
public final class TurnloadRelay {
    public let port: Int
    public let tlsPort: Int?
    public let certificate: ThrowawayCertificate?
    private let process = Process()
    private let log: URL

    /// `credentials`: `--user … --password-env …` or `--secret-env …`, read from `environment`.
    public init(credentials: [String], environment: [String: String], tls: Bool = false) throws {
        port = try LoopbackUDPSocket().port
        tlsPort = tls ? try LoopbackUDPSocket().port : nil
        certificate = tls ? try ThrowawayCertificate() : nil
        var arguments = ["relay", "--listen", "127.0.0.1:\(port)", "--allow-loopback-peers"] + credentials
        if let tlsPort, let certificate {
            arguments += ["--tls-listen", "127.0.0.1:\(tlsPort)", "--cert", certificate.certificate, "--key", certificate.key]
        }
        log = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-relay-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = try TurnloadBinary().url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    deinit {
        // SIGKILL: children of the test runner may inherit its blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }

    /// The relay says so on standard error once every listener is bound.
    private func waitUntilListening() throws {
        for _ in 0..<200 {
            if (try? String(contentsOf: log, encoding: .utf8))?.contains("relay listening on") == true { return }
            guard process.isRunning else {
                throw TestProcessError(description: "turnload relay exited at start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            usleep(50_000)
        }
        throw TestProcessError(description: "turnload relay did not listen on 127.0.0.1:\(port) within 10 s")
    }
}
