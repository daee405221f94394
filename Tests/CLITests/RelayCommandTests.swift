import Foundation
import TestSupport
import Testing

/// `turnload relay` and `turnload probe`, both binaries, on loopback: the relay serves the
/// probe over UDP, TCP and TLS, serves its metrics, and stops cleanly on SIGINT.
@Suite("turnload relay")
struct RelayCommandTests {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("turnload")

    func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ["TL_RELAY_PASSWORD": "wonderland"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out, err)
    }

    @Test func servesProbesAndMetricsAndStopsOnSIGINT() throws {
        let certificate = try ThrowawayCertificate()
        let port = try LoopbackAddress.freePort()
        let tlsPort = try LoopbackAddress.freePort()
        let metricsPort = try LoopbackAddress.freePort()
        let relay = Process()
        relay.executableURL = binary
        relay.arguments = [
            "relay", "--listen", "127.0.0.1:\(port)", "--tls-listen", "127.0.0.1:\(tlsPort)",
            "--cert", certificate.certificate, "--key", certificate.key, "--metrics", "127.0.0.1:\(metricsPort)",
            "--user", "alice", "--password-env", "TL_RELAY_PASSWORD", "--allow-loopback-peers",
        ]
        relay.environment = ["TL_RELAY_PASSWORD": "wonderland"]
        let relayOutput = Pipe()
        relay.standardError = relayOutput
        try relay.run()
        defer { if relay.isRunning { kill(relay.processIdentifier, SIGKILL) } }
        Thread.sleep(forTimeInterval: 1)

        let probe = try run([
            "probe", "turn:127.0.0.1:\(port)", "turn:127.0.0.1:\(port)?transport=tcp", "turns:127.0.0.1:\(tlsPort)",
            "--ca-file", certificate.certificate, "--user", "alice", "--password-env", "TL_RELAY_PASSWORD",
            "--packets", "5", "--json",
        ])
        #expect(probe.status == 0, "\(probe.output)")
        #expect(probe.output.components(separatedBy: "\"software\":\"turnload relay\"").count == 4)

        let metrics = try LoopbackTCP.get(port: metricsPort, path: "/metrics")
        #expect(metrics.hasPrefix("HTTP/1.0 200") || metrics.hasPrefix("HTTP/1.1 200"), "\(metrics)")
        #expect(metrics.contains("# TYPE turnload_relay_packets_total counter"))
        #expect(metrics.contains("turnload_relay_allocations"))
        #expect(try LoopbackTCP.get(port: metricsPort, path: "/").contains("404"))

        kill(relay.processIdentifier, SIGINT)
        let log = String(decoding: relayOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        relay.waitUntilExit()
        #expect(relay.terminationStatus == 0)
        #expect(log.contains("relay listening on 127.0.0.1:\(port)/udp, 127.0.0.1:\(port)/tcp, 127.0.0.1:\(tlsPort)/tls"))
        #expect(log.contains("stopping"))
        #expect(!log.contains("wonderland"))
    }

    @Test(arguments: [
        (["--tls-listen", "127.0.0.1:5349"], "need --cert FILE and --key FILE"),
        (["--listen", "0.0.0.0:3478"], "needs --relay-ip"),
        (["--relay-ip", "127.0.0.1", "--relay-ip", "127.0.0.2"], "--relay-ip takes at most one IPv4 and one IPv6 address"),
        (["--listen", "127.0.0.2:0"], "--listen takes at most one IPv4 and one IPv6 address"),
        (["--relay-ports", "65000-61000"], "--relay-ports must be MIN-MAX"),
        (["--max-allocation-bitrate", "fast"], "'--max-allocation-bitrate <RATE>': give bits a second from 1 to 100G"),
        (["--max-allocation-pps", "0"], "invalid for '--max-allocation-pps <N>': give a whole number from 1 to 10000000"),
        (["--metrics", "localhost"], "--metrics must be IP:PORT"),
        (["--log-level", "loud"], "--log-level must be one of"),
        (["--max-unauthenticated-per-ip", "0"], "invalid for '--max-unauthenticated-per-ip <N>': give a whole number from 1 to 1000000"),
        (["--max-connections-per-ip", "0"], "invalid for '--max-connections-per-ip <N>': give a whole number from 1 to 1000000"),
        (["--tls-listen", "127.0.0.1:1", "--cert", "/nonexistent.pem", "--key", "/nonexistent.pem"], "/nonexistent.pem"),
    ])
    func badRelayOptionsExitWithReason(extra: [String], reason: String) throws {
        let outcome = try run(["relay", "--user", "alice", "--password-env", "TL_RELAY_PASSWORD", "--listen", "127.0.0.1:0"] + extra)
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains(reason), "\(outcome.errors)")
        #expect(!outcome.errors.contains("Fatal error"))
    }
}
