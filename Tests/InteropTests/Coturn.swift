import Foundation
import NIOCore
import TURNProtocol
import TestSupport
import Testing

/// A real coturn on loopback, started for a test and stopped with it: free ports, a
/// throw-away certificate, relay ports outside the kernel's ephemeral range (32768–60999) so
/// that relay binds do not collide with client sockets.
final class Coturn {
    let udpPort: Int
    let tlsPort: Int
    let certificate: URL
    private let process = Process()
    private let directory: URL

    static let user = "alice"
    static let password = "wonderland"
    static let secret = "north-wind-shared-secret"
    static let realm = "turnload.test"

    enum Authentication {
        case staticUser
        case sharedSecret
    }

    init(authentication: Authentication = .staticUser, loopbackPeers: Bool = true, extra: [String] = []) throws {
        guard
            let turnserver = ["/usr/bin/turnserver", "/usr/local/bin/turnserver"]
                .first(where: FileManager.default.isExecutableFile(atPath:))
        else {
            throw CoturnMissing()
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-coturn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        try Self.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-keyout", key.path, "-out", certificate.path,
            ])
        udpPort = try LoopbackAddress.freePort()
        tlsPort = try LoopbackAddress.freePort()
        var arguments = [
            "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=\(udpPort)",
            "--tls-listening-port=\(tlsPort)", "--min-port=61000", "--max-port=65535", "--realm=\(Self.realm)",
            "--cert=\(certificate.path)", "--pkey=\(key.path)", "--no-cli", "--fingerprint",
            "--log-file=\(directory.appendingPathComponent("turn.log").path)", "--pidfile=\(directory.appendingPathComponent("pid").path)",
            "--max-allocate-lifetime=3600",
        ]
        switch authentication {
        case .staticUser: arguments += ["--lt-cred-mech", "--user=\(Self.user):\(Self.password)"]
        case .sharedSecret: arguments += ["--use-auth-secret", "--static-auth-secret=\(Self.secret)"]
        }
        if loopbackPeers { arguments.append("--allow-loopback-peers") }
        process.executableURL = URL(fileURLWithPath: turnserver)
        process.arguments = arguments + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    deinit {
        // SIGKILL, not terminate(): a child of the test runner inherits its blocked signal
        // mask, so coturn never sees SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Up once its TCP listener accepts and its UDP listener answers a Binding request: the two
    /// start on separate threads, and a test over UDP must not race the UDP one.
    private func waitUntilListening() throws {
        let probe = try LoopbackUDPSocket()
        let binding = Array(STUNMessage(.binding, .request).encoded().readableBytesView)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let connection = LoopbackTCP.connected(toPort: udpPort) {
                close(connection)
                probe.send(binding, toPort: udpPort)
                if !probe.receiveAll().isEmpty { return }
            } else {
                usleep(50_000)
            }
            guard process.isRunning else { throw CoturnFailed(reason: "turnserver exited at start") }
        }
        throw CoturnFailed(reason: "turnserver did not listen on 127.0.0.1:\(udpPort) (TCP and UDP) within 5 s")
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CoturnFailed(reason: "\(executable) failed") }
    }
}

struct CoturnMissing: Error, CustomStringConvertible {
    var description: String {
        "coturn's turnserver is not installed: run `make test` (it installs coturn) or `apt-get install coturn`"
    }
}

struct CoturnFailed: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
