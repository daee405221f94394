import Foundation

/// `turnload relay` (the release binary) on loopback for one test, killed with it: UDP and TCP
/// on `port`, TLS on `tlsPort` with a throw-away certificate when asked, loopback peers allowed.
public final class TurnloadRelay {
    public let port: Int
    public let tlsPort: Int?
    public let certificate: ThrowawayCertificate?
    private let process: RunningProcess

    /// The relay's process, to watch (`--watch-pid`).
    public var pid: Int32 { process.identifier }

    /// `credentials`: `--user … --password-env …` or `--secret-env …`, read from `environment`;
    /// any other relay option may follow them.
    public init(credentials: [String], environment: [String: String], tls: Bool = false) async throws {
        port = try LoopbackAddress.freePort()
        tlsPort = tls ? try LoopbackAddress.freePort() : nil
        certificate = tls ? try ThrowawayCertificate() : nil
        var arguments = ["relay", "--listen", "127.0.0.1:\(port)", "--allow-loopback-peers"] + credentials
        if let tlsPort, let certificate {
            arguments += ["--tls-listen", "127.0.0.1:\(tlsPort)", "--cert", certificate.certificate, "--key", certificate.key]
        }
        process = try RunningProcess(try TurnloadBinary().url, arguments, environment: environment)
        try await process.waitForErrors(containing: "relay listening on")
    }
}
