import Measurement
import Reporting
import RunModel
import Testing

@Suite struct ProbeTableTests {
    /// Two URIs: one that passed with an echo, one whose Allocate failed after a server did
    /// not answer.
    static var results: [ProbeResult] {
        var passed = ProbeResult(uri: "turn:127.0.0.1:3478", transport: "udp")
        passed.server = "127.0.0.1:3478"
        passed.steps = [
            ProbeStepResult(step: .resolve, ok: true, milliseconds: 0.01),
            ProbeStepResult(step: .connect, ok: true, milliseconds: 0.5),
            ProbeStepResult(step: .allocate, ok: true, milliseconds: 12.34),
            ProbeStepResult(step: .echo, ok: true, milliseconds: 1234),
        ]
        var roundTrips = Distribution()
        for milliseconds in 10...17 { roundTrips.record(Int64(milliseconds) * 1_000_000) }
        passed.echo = EchoStatistics(sent: 10, roundTrips: roundTrips)
        var failed = ProbeResult(uri: "turns:relay.example.com:443", transport: "tls")
        failed.unanswered = ["192.0.2.1:443: timeout"]
        failed.steps = [ProbeStepResult(step: .allocate, ok: false, milliseconds: 3, error: "401 Unauthorized: wrong password")]
        return [passed, failed]
    }

    @Test func echoStatisticsFromTheRoundTrips() throws {
        let echo = try #require(Self.results[0].echo)
        #expect(echo.sent == 10)
        #expect(echo.received == 8)
        #expect(echo.lossPercent == 20)
        #expect(abs(try #require(echo.rttMinimumMilliseconds) - 10) < 0.02)
        #expect(abs(try #require(echo.rttMedianMilliseconds) - 13) < 0.02)
        #expect(abs(try #require(echo.rttP99Milliseconds) - 17) < 0.02)
        #expect(EchoStatistics(sent: 5, roundTrips: Distribution()).rttMedianMilliseconds == nil)
    }

    @Test func aRowPerURIAColumnPerStep() {
        let lines = ProbeTable.render(Self.results).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("URI                          resolve"))
        #expect(lines[1].hasPrefix("turn:127.0.0.1:3478          ✓ 0.01 ms  ✓ 0.5 ms  –"))
        #expect(lines[1].contains("✓ 12.3 ms"))
        #expect(lines[1].contains("✓ 1234 ms"))
        #expect(lines[2].hasPrefix("turns:relay.example.com:443  –"))
        #expect(lines[2].contains("✗ 3.0 ms"))
        // Columns line up: every step column starts where its header does.
        let column = lines[0].distance(from: lines[0].startIndex, to: lines[0].range(of: "allocate")!.lowerBound)
        #expect(Array(lines[1])[column] == "✓")
        #expect(Array(lines[2])[column] == "✗")
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    }

    @Test func verdictsAndReasons() {
        let text = ProbeTable.render(Self.results)
        #expect(
            text.contains(
                "turn:127.0.0.1:3478: passed — server 127.0.0.1:3478, echo 8/10, "
                    + "RTT min/median/p99 10.0 ms/13.0 ms/17.0 ms"))
        #expect(text.contains("turns:relay.example.com:443: FAILED\n  · did not answer: 192.0.2.1:443: timeout\n"))
        #expect(text.contains("  ✗ allocate: 401 Unauthorized: wrong password"))
    }
}
