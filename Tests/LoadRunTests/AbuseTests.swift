import Foundation
import RunModel
import TestSupport
import Testing

/// `run --abuse`: each kind of hostile traffic at a rate turnload's own relay must absorb,
/// beside 20 calls, in alternate one-second windows.
@Suite("abuse under load")
struct AbuseTests {
    /// The relay's counters that must grow with each kind (the calls' own first requests are
    /// challenged too), and the answer each must get.
    static let kinds: [(kind: String, counter: @Sendable (RelayCounters) -> Int, answer: String?)] = [
        ("invalid", { $0.droppedMalformed + $0.rejections.malformed }, nil),
        ("unauthenticated", { $0.rejections.challenged }, "401"),
        // Until the first challenge comes back, a wrong password has nothing to sign with.
        ("wrong-password", { $0.rejections.badCredentials + $0.rejections.challenged }, "401"),
        ("unbound-channel", { $0.droppedUnroutable }, nil),
        ("binding", { _ in 0 }, "success"),
    ]

    /// The calls lose nothing with or without the abuse; the relay refused every abusive
    /// datagram (dropped or answered with an error) and answered what it answers anyone.
    @Test(arguments: kinds.indices)
    func theCallsLoseNothingAndTheRelayRefusesIt(index: Int) async throws {
        let (kind, counter, answer) = Self.kinds[index]
        let run = try await LoadRun.start([
            "--clients", "20", "--duration", "4s", "--abuse", "\(kind)=300", "--abuse-window", "1s",
        ])
        #expect(run.outcome.status == 0, "\(run.outcome.errors)")
        let result = try #require(run.result)
        let abuse = try #require(result.outcome.abuse)
        let sent = try #require(abuse.kinds.first).sent
        #expect(sent >= 300, "\(abuse.kinds)")
        #expect(abuse.quiet.seconds >= 2 && abuse.abused.seconds >= 2, "\(abuse)")
        for window in [abuse.quiet, abuse.abused] {
            #expect(window.lost == 0 && window.sent > 20 * 50, "\(window)")
        }
        let relay = try #require(result.embeddedRelay)
        if kind != "binding" { #expect(counter(relay) >= sent, "\(relay)") }
        let answers = try #require(abuse.kinds.first).answers
        if let answer {
            #expect(answers == [answer: sent], "\(answers)")
        } else {
            #expect(answers.isEmpty, "\(answers)")
        }
        #expect(run.outcome.output.contains("calls under abuse:"), "\(run.outcome.output)")
    }

    @Test(arguments: [
        (["--abuse", "flood=5"], "--abuse"), (["--abuse-window", "2s"], "--abuse-window goes with --abuse"),
        (["--abuse", "binding=5", "--abuse-window", "1500ms"], "whole seconds"),
        (["--abuse", "binding=5", "--arrivals", "5"], "--arrivals"),
        (["--abuse", "binding=5", "--target", "turn:127.0.0.1:3478", "--shard", "1/2"], "not with --shard"),
    ])
    func badAbuseIsRefusedNamingWhy(arguments: [String], what: String) async throws {
        let outcome = try await TurnloadBinary().run(["run"] + arguments, limit: .seconds(30))
        outcome.expectRefusal(naming: what)
    }
}
