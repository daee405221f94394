import Foundation
import TestSupport
import Testing

/// Every option that takes a time, a rate, an amount or a count refuses a value outside its
/// range as it is parsed, saying which option and what it takes: such values used to reach
/// arithmetic that trapped (exit 132 and a backtrace).
@Suite("absurd option values")
struct AbsurdValueTests {
    static let huge = "99999999999999999999"

    /// The command, the option and its absurd value, and any argument the command needs besides.
    static let cases: [(command: String, option: String, value: String, rest: [String])] = [
        ("run", "--duration", "3000000h", []),
        ("run", "--jitter-buffer", "3000000h", []),
        ("run", "--drain", "3000000h", []),
        ("run", "--permission-refresh", "3000000h", []),
        // A refresh every instant would flood the server.
        ("saturate", "--channel-refresh", "0s", []),
        ("saturate", "--step-duration", "3000000h", []),
        ("run", "--bitrate", "999999999999999999999k", []),
        ("run", "--bitrate", "1k", []),
        ("relay", "--max-allocation-bitrate", "1e300k", []),
        ("probe", "--credential-ttl", "9223372036854775807", ["turn:127.0.0.1"]),
        ("run", "--credential-ttl", "9223372036854775807", []),
        ("run", "--clients", huge, []),
        ("run", "--ramp", huge, []),
        ("run", "--threads", huge, []),
        ("run", "--frame-ms", huge, []),
        ("run", "--relay-max-pps", huge, []),
        ("run", "--seed", huge, []),
        ("run", "--repeat", huge, []),
        ("run", "--minutes-per-month", "1e300", []),
        ("run", "--peak-calls", "1e300", []),
        ("run", "--start-at", huge, []),
        ("saturate", "--start", huge, []),
        ("saturate", "--step", huge, []),
        ("saturate", "--max-clients", huge, []),
        ("saturate", "--past-cliff", huge, []),
        ("saturate", "--min-capacity", huge, []),
        ("saturate", "--hold-at", "1e300%", []),
        ("saturate", "--hold-volume", "1e300TB", []),
        ("gate", "--min-capacity", huge, ["result.json"]),
        ("gate", "--max-regression", "1e300%", ["result.json"]),
        ("probe", "--packets", huge, ["turn:127.0.0.1"]),
        ("probe", "--timeout", "1e300", ["turn:127.0.0.1"]),
        ("probe", "--limits-time", "5s", ["turn:127.0.0.1", "--limits"]),
        ("relay", "--max-pps", huge, []),
        ("relay", "--max-allocation-pps", huge, []),
        ("relay", "--max-allocate-rate", huge, []),
        ("relay", "--max-allocate-rate", "0/s", []),
        ("relay", "--max-new-peer-rate", huge, []),
        ("relay", "--max-new-peer-rate", "0", []),
        ("saturate", "--max-rate", huge, []),
        ("relay", "--user-quota", huge, []),
        ("relay", "--seed", huge, []),
    ]

    @Test(arguments: cases.indices)
    func refusedWithTheOptionAndItsRange(index: Int) async throws {
        let (command, option, value, rest) = Self.cases[index]
        let outcome = try await TurnloadBinary().run([command, option, value] + rest, limit: .seconds(30))
        outcome.expectRefusal(naming: option)
        // What the option takes, not only that the value is wrong.
        #expect(outcome.errors.contains("give"), "\(outcome.errors)")
    }

    @Test func rangesAreSaidInTheUnitsTheyAreWrittenIn() async throws {
        let duration = try await TurnloadBinary().run(["run", "--duration", "3000000h"], limit: .seconds(30))
        #expect(duration.errors.contains("from 1ms to 720h (30 days)"), "\(duration.errors)")
        let bitrate = try await TurnloadBinary().run(["run", "--bitrate", "1k"], limit: .seconds(30))
        #expect(bitrate.errors.contains("from 6k to 510k"), "\(bitrate.errors)")
        let relay = try await TurnloadBinary().run(["relay", "--max-allocation-bitrate", "1e300k"], limit: .seconds(30))
        #expect(relay.errors.contains("to 100G"), "\(relay.errors)")
    }

    /// A scenario's values become the same arguments, and meet the same check, at their line.
    @Test func aScenarioValueIsRefusedAtItsLine() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).yaml")
        try "clients: 2\nduration: 3000000h\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await TurnloadBinary().run(["run", "--scenario", file.path], limit: .seconds(30))
        outcome.expectRefusal(naming: "--duration")
        #expect(outcome.errors.contains(":2:"), "\(outcome.errors)")
    }
}
