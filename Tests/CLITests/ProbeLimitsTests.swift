import Foundation
import TestSupport
import Testing

/// `turnload probe --limits` against `turnload relay` with a known per-allocation cap: the
/// search finds it within 10%, in the probe's JSON. Each probe runs the three searches, 15 s
/// each.
@Suite("probe --limits", .serialized)
struct ProbeLimitsTests {
    let environment = ["TL_LIMITS_PASSWORD": "wonderland"]

    /// The probe's `limits.<search>` object, measured again while turnload could not send the
    /// rates the search needed (a stalled machine proves nothing about the relay).
    func finding(_ search: String, relayCap: [String]) async throws -> [String: Any] {
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TL_LIMITS_PASSWORD", "--threads", "1"] + relayCap,
            environment: environment)
        let result = try await measureAgain(
            attempts: 3,
            {
                let probe = try await TurnloadBinary().run(
                    [
                        "probe", "turn:127.0.0.1:\(relay.port)", "--user", "alice", "--password-env", "TL_LIMITS_PASSWORD",
                        "--limits", "--limits-time", "45s", "--json",
                    ], environment: environment, limit: .seconds(90))
                #expect(probe.status == 0, "\(probe.output)\(probe.errors)")
                let object = try JSONSerialization.jsonObject(with: Data(probe.output.utf8)) as? [String: Any]
                return (object?["limits"] as? [String: Any])?[search] as? [String: Any] ?? [:]
            }, while: { $0["verdict"] as? String == "harnessBound" })
        return result
    }

    @Test func findsThePacketRateCap() async throws {
        let found = try await finding("packetRate", relayCap: ["--max-allocation-pps", "500"])
        #expect(found["verdict"] as? String == "cap", "\(found)")
        let cap = try #require(found["cap"] as? Double, "\(found)")
        #expect(abs(cap - 500) <= 50, "cap \(cap) packets/s against 500")
        let broke = try #require(found["broke"] as? [String: Any])
        #expect((broke["lossPercent"] as? Double ?? 0) > 2, "the evidence: the step that broke lost more than 2%")
    }

    @Test func findsTheBitRateCap() async throws {
        let found = try await finding("bitRate", relayCap: ["--max-allocation-bitrate", "2M"])
        #expect(found["verdict"] as? String == "cap", "\(found)")
        let cap = try #require(found["cap"] as? Double, "\(found)")
        #expect(abs(cap - 2_000_000) <= 200_000, "cap \(cap) bits/s against 2 Mbit/s")
        #expect(found["packetBytes"] as? Int == 1200)
    }

    /// New peers on loopback: each a 127.0.0.0/8 address given a permission and a packet,
    /// counted where the packet arrives; the steps over the cap show the relay's 508s.
    @Test func findsTheNewPeerRateCap() async throws {
        let found = try await finding("peerRate", relayCap: ["--max-new-peer-rate", "50"])
        #expect(found["verdict"] as? String == "cap", "\(found)")
        let cap = try #require(found["cap"] as? Double, "\(found)")
        #expect(abs(cap - 50) <= 5, "cap \(cap) new peers/s against 50")
        let broke = try #require(found["broke"] as? [String: Any])
        let refused = try #require(broke["refused"] as? [String: Int], "\(broke)")
        #expect(refused.keys.sorted() == ["508"], "\(refused)")
        #expect((found["peers"] as? String)?.contains("127.0.0.0/8") == true)
    }
}
