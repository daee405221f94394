import Foundation
import TestSupport
import Testing

/// `turnload decode` on input no capture produces: it stops with a reason and exit 1.
@Suite("turnload decode on hostile input")
struct DecodeInputTests {
    /// A stream without newlines used to be held whole, growing by hundreds of MB a second;
    /// now a line longer than a packet can be stops the reading.
    @Test func aStreamWithoutNewlinesStopsAtTheLongestLine() async throws {
        let binary = try TurnloadBinary()
        let endless = try await TestProcess.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", #"tr '\000' a < /dev/zero | "$0" decode -"#, binary.url.path],
            limit: .seconds(30))
        #expect(endless.status == 1, "\(endless.errors)")
        #expect(endless.errors.contains("longer than 196608 characters"), "\(endless.errors)")
    }

    /// A packet that is too short for what its first byte says is malformed like any other.
    @Test(arguments: ["80", "8000", "0001"])
    func aTruncatedPacketFails(hex: String) async throws {
        let outcome = try await TurnloadBinary().run(["decode", hex], limit: .seconds(30))
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(outcome.output.hasPrefix("malformed"), "\(outcome.output)")
    }
}
