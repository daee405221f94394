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

    /// `--limits`: each cap with the step below it and the step that broke, in its unit and
    /// the other's; a search without a cap says how far it went, and why it stopped there.
    @Test func limitsWithTheirEvidence() {
        var result = Self.results[0]
        var limits = ProbeLimits(lossLimitPercent: 2, boundSeconds: 30)
        var packets = LimitFinding(unit: "packets/s", verdict: .cap, steps: [])
        packets.packetBytes = 100
        packets.cap = 500
        packets.below = LimitStep(offered: 497, sent: 496, delivered: 496)
        packets.broke = LimitStep(offered: 519, sent: 518, delivered: 500)
        limits.packetRate = packets
        var bits = LimitFinding(
            unit: "bits/s", verdict: .harnessBound, steps: [LimitStep(offered: 8_192_000, sent: 5_000_000, delivered: 5_000_000)])
        bits.cleanUpTo = 4_096_000
        limits.bitRate = bits
        result.limits = limits
        let text = ProbeTable.render([result])
        #expect(text.contains("\n  limits (at most 30 s; a step breaks above 2% loss):\n"))
        #expect(
            text.contains(
                "    packet rate: cap ≈ 500 packets/s (400 kbit/s in 100-byte packets) — clean at 497 packets/s (sent 496 packets/s, "
                    + "delivered 496 packets/s, loss 0%); broke at 519 packets/s (sent 518 packets/s, delivered 500 packets/s, loss 3.5%)"),
            "\(text)")
        #expect(
            text.contains(
                "    bit rate: no cap found up to 4.1 Mbit/s: turnload could not send faster (offered 8.19 Mbit/s, turnload sent 5 Mbit/s)"),
            "\(text)")
    }
}
