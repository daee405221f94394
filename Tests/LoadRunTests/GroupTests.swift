import Foundation
import Measurement
import Reporting
import RunModel
import TestSupport
import Testing

/// `run --group`: a share of the calls with media of their own beside the others, each group
/// measured on its own.
@Suite("groups of calls")
struct GroupTests {
    static let environment = ["TL_GROUP_PASSWORD": "group-secret-\(UUID().uuidString.prefix(8))"]

    /// Noisy neighbours: two calls at 20 times the others' packet rate through a relay that caps
    /// each allocation's bit rate. The heavy calls lose what is over the cap; the light ones,
    /// under it, lose nothing, and the fairness index over all the calls tells the two apart
    /// while each group on its own is fair.
    @Test func aCapStarvesTheHeavyGroupAloneAndFairnessShowsIt() async throws {
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TL_GROUP_PASSWORD", "--max-allocation-bitrate", "300k"],
            environment: Self.environment)
        let run = try await LoadRun.start(
            [
                "--target", "turn:127.0.0.1:\(relay.port)", "--user", "alice", "--password-env", "TL_GROUP_PASSWORD",
                "--clients", "8", "--group", "heavy:2:burst=20", "--duration", "4s",
            ], environment: Self.environment)
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.result)
        let groups = try #require(result.outcome.byGroup)
        #expect(groups.map(\.group) == ["heavy", "others"] && groups.map(\.packetsPerFrame) == [20, nil])
        let heavy = groups[0]
        let others = groups[1]
        #expect(heavy.clients.allocated == 2 && others.clients.allocated == 6)
        // 20 packets a frame against 1: about twenty times the packets sent (each group's load
        // keeps its own clock, a few frames apart).
        let ratio = Double(heavy.towardPeer.sent) / 2 / (Double(others.towardPeer.sent) / 6)
        #expect((16...24).contains(ratio), "\(ratio)")
        #expect(Double(heavy.towardPeer.lost) > 0.3 * Double(heavy.towardPeer.sent), "\(heavy.towardPeer.summary(duration: 1))")
        for direction in [others.towardPeer, others.towardClient].compactMap({ $0 }) {
            #expect(direction.lost == 0 && direction.received == direction.expected, "\(direction.summary(duration: 1))")
        }
        #expect(heavy.fairness.map { $0 > 0.99 } == true && others.fairness.map { $0 > 0.99 } == true)
        for call in result.outcome.calls {
            let path = try #require(call.fiveTuple)
            #expect(path.hasPrefix("udp 127.0.0.1:") && path.contains(" → 127.0.0.1:\(relay.port), relayed 127.0.0.1:"), "\(path)")
        }
        let fairness = try #require(LoadFigures(result).fairness)
        #expect(fairness < 0.95, "\(fairness)")
        #expect((run.outcome.output + run.outcome.errors).contains("heavy (udp, Opus 32 kbit/s, 20 ms frames, VBR, 20 packets a frame)"))
    }

    @Test(arguments: [
        (["--group", "video"], "--group"), (["--group", "video:0"], "clients"), (["--group", "others:2"], "'others'"),
        (["--group", "video:2:burst=99"], "burst"), (["--group", "video:2:frame=30"], "frame"),
        (["--group", "video:2:color=red"], "color"), (["--group", "video:2:transport=tcp"], "transport="),
        (["--clients", "4", "--group", "video:5"], "--clients"), (["--group", "a:2", "--group", "a:3"], "given twice"),
        (["--group", "a:2", "--arrivals", "5"], "--arrivals"),
    ])
    func badGroupsAreRefusedNamingWhy(arguments: [String], what: String) async throws {
        let outcome = try await TurnloadBinary().run(["run"] + arguments, limit: .seconds(30))
        outcome.expectRefusal(naming: what)
    }
}
