import Foundation
import Testing

/// `turnload relay` and `turnload probe`, both binaries, on loopback: the relay serves the
/// probe, and stops cleanly on SIGINT.
@Suite("turnload relay")
struct RelayCommandTests {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("turnload")

    @Test func servesTheProbeAndStopsOnSIGINT() throws {
        let port = 20_000 + Int.random(in: 0..<10_000)
        let relay = Process()
        relay.executableURL = binary
        relay.arguments = ["relay", "--listen", "127.0.0.1:\(port)", "--user", "alice", "--password-env", "TL_RELAY_PASSWORD",
                           "--allow-loopback-peers"]
        relay.environment = ["TL_RELAY_PASSWORD": "wonderland"]
        let relayOutput = Pipe()
        relay.standardError = relayOutput
        try relay.run()
        defer { if relay.isRunning { kill(relay.processIdentifier, SIGKILL) } }
        Thread.sleep(forTimeInterval: 1)

        let probe = Process()
        probe.executableURL = binary
        probe.arguments = ["probe", "turn:127.0.0.1:\(port)", "--user", "alice", "--password-env", "TL_RELAY_PASSWORD",
                           "--packets", "5", "--json"]
        probe.environment = ["TL_RELAY_PASSWORD": "wonderland"]
        let probeOutput = Pipe()
        probe.standardOutput = probeOutput
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        let result = String(decoding: probeOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        probe.waitUntilExit()
        #expect(probe.terminationStatus == 0, "\(result)")
        #expect(result.contains("\"software\":\"turnload relay\""))

        kill(relay.processIdentifier, SIGINT)
        let log = String(decoding: relayOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        relay.waitUntilExit()
        #expect(relay.terminationStatus == 0)
        #expect(log.contains("relay listening on 127.0.0.1:\(port)/udp"))
        #expect(log.contains("stopping"))
        #expect(!log.contains("wonderland"))
    }
}
