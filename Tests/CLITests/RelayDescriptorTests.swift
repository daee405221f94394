import Foundation
import TestSupport
import Testing

/// `turnload relay` out of file descriptors: more TCP connections than its `ulimit -n` allows
/// must not make it spin on failing accepts; it says so once and serves again when they go.
@Suite("turnload relay out of descriptors")
struct RelayDescriptorTests {
    let binary = RelayCommandTests().binary

    @Test func backsOffWhileOutOfDescriptorsAndServesAfterwards() async throws {
        let port = try LoopbackAddress.freePort()
        let command =
            "ulimit -n 64; exec '\(binary.path)' relay --listen 127.0.0.1:\(port) "
            + "--user alice --password-env TL_RELAY_PASSWORD --allow-loopback-peers"
        let relay = try RunningProcess(
            URL(fileURLWithPath: "/bin/bash"), ["-c", command],
            environment: ["TL_RELAY_PASSWORD": "wonderland"])
        try await relay.waitForErrors(containing: "relay listening on")
        let connections = (0..<100).compactMap { _ in LoopbackTCP.connected(toPort: port) }
        #expect(connections.count == 100, "the backlog holds what the relay cannot accept")
        try await Task.sleep(for: .milliseconds(500))
        let before = try Self.cpuSeconds(relay.identifier)
        try await Task.sleep(for: .seconds(2))
        let spent = try Self.cpuSeconds(relay.identifier) - before
        #expect(spent < 0.4, "\(spent) CPU seconds in 2 s with 100 connections waiting")
        #expect(relay.errors.components(separatedBy: "cannot accept connections").count == 2, "\(relay.errors)")

        connections.forEach { close($0) }
        try await Task.sleep(for: .milliseconds(1500))
        let probe = try await TestProcess.run(
            binary,
            [
                "probe", "turn:127.0.0.1:\(port)", "--user", "alice",
                "--password-env", "TL_RELAY_PASSWORD", "--packets", "3",
            ],
            environment: ["TL_RELAY_PASSWORD": "wonderland"], limit: .seconds(30))
        #expect(probe.status == 0, "\(probe.output)\(probe.errors)")
        #expect(relay.isRunning)
        relay.interrupt()
        try await relay.waitUntilExit(limit: .seconds(10))
    }

    /// User and system CPU time a process has used, from /proc/PID/stat (clock ticks).
    static func cpuSeconds(_ process: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8)
        // Fields after the command name, which is in parentheses and may hold spaces.
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        let ticks = try #require(Double(fields[11])) + #require(Double(fields[12]))
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
