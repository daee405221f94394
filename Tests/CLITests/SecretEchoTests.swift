import Foundation
import TestSupport
import Testing

/// A secret put where it does not belong (a URI's user info or query, or a value given to
/// --password-env instead of the variable's name) is refused without being echoed: errors go
/// to terminals, CI logs and bug reports.
@Suite("secrets never echoed")
struct SecretEchoTests {
    static let secret = "Wond3rl4nd-S3cret"

    func expectRefusedUnsaid(_ arguments: [String], naming what: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let outcome = try await TurnloadBinary().run(arguments, limit: .seconds(30))
        #expect(outcome.status == 64, "exit \(outcome.status): \(outcome.errors)", sourceLocation: sourceLocation)
        #expect(outcome.errors.contains(what), "no \(what) in: \(outcome.errors)", sourceLocation: sourceLocation)
        #expect(
            !(outcome.output + outcome.errors).contains(Self.secret), "the secret in: \(outcome.errors)", sourceLocation: sourceLocation)
    }

    @Test func userInfoInATarget() async throws {
        let uri = "turn:alice:\(Self.secret)@127.0.0.1:3478"
        try await expectRefusedUnsaid(["run", "--target", uri], naming: "credentials do not belong in the URI")
        try await expectRefusedUnsaid(["probe", uri], naming: "credentials do not belong in the URI")
        try await expectRefusedUnsaid(["probe", "turn:alice:\(Self.secret)"], naming: "not a port number")
    }

    @Test func aPasswordInTheQuery() async throws {
        try await expectRefusedUnsaid(
            ["run", "--target", "turn:127.0.0.1?transport=tcp&password=\(Self.secret)"],
            naming: "password=***")
        try await expectRefusedUnsaid(["probe", "turn:127.0.0.1?transport=\(Self.secret)"], naming: "is not supported")
    }

    @Test func userInfoInAScenarioTarget() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).yaml")
        try "target: turn:alice:\(Self.secret)@127.0.0.1\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await expectRefusedUnsaid(["run", "--scenario", file.path], naming: "credentials do not belong in the URI")
    }

    @Test func userInfoInAnICEServersURL() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ice-\(UUID().uuidString).json")
        try #"[{"urls": "turn:alice:\#(Self.secret)@127.0.0.1", "username": "alice", "credential": "x"}]"#
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await expectRefusedUnsaid(["probe", "--ice-servers", file.path], naming: "credentials do not belong in the URI")
    }

    /// `--password-env "$TURN_PASSWORD"`: the value where its name belongs.
    @Test(arguments: ["--password-env", "--secret-env"])
    func aValueForAVariableName(option: String) async throws {
        let given = "\(Self.secret)!"
        let user = option == "--password-env" ? ["--user", "alice"] : []
        try await expectRefusedUnsaid(
            ["probe", "turn:127.0.0.1", option, given] + user, naming: "takes the NAME of an environment variable")
        try await expectRefusedUnsaid(["relay", option, given] + user, naming: "takes the NAME of an environment variable")
    }
}
