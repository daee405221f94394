import Foundation

/// A self-signed certificate for localhost and 127.0.0.1, made by openssl for one test and
/// removed with it.
public final class ThrowawayCertificate: Sendable {
    public let certificate: String
    public let key: String
    private let directory: URL

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificate = directory.appendingPathComponent("cert.pem").path
        key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CertificateFailed() }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

struct CertificateFailed: Error, CustomStringConvertible {
    var description: String { "openssl could not make a test certificate: run `make test` (it installs openssl)" }
}
