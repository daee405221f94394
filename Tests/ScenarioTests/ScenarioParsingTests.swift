import Measurement
import Testing

@testable import Scenario

/// What a scenario file holds, and the line-numbered errors for what it must not.
@Suite("scenario files")
struct ScenarioParsingTests {
    @Test func keysAreTheCommandsLongOptionsInFileOrder() throws {
        let yaml = """
            name: smoke
            description: a small load
            command: run
            clients: 300
            duration: 30s
            dtx: true
            cbr: false
            target:
              - turn:a.example:3478
              - turns:b.example:443?transport=tcp
            relay-impair: loss=1%,delay=20ms
            """
        let scenario = try Scenario(yaml: yaml, path: "s.yaml")
        #expect(scenario.name == "smoke" && scenario.description == "a small load" && scenario.command == "run")
        let options = try scenario.options(for: "run", catalog: TestCatalog.catalog)
        #expect(
            options.flatMap(\.arguments) == [
                "--clients=300", "--duration=30s", "--dtx", "--target=turn:a.example:3478",
                "--target=turns:b.example:443?transport=tcp", "--relay-impair=loss=1%,delay=20ms",
            ])
        #expect(options.map(\.position.line) == [4, 5, 6, 9, 10, 11])
    }

    @Test func aValueStartingWithADashStaysAValue() throws {
        #expect(try TestCatalog.arguments("clients: -5").get() == ["--clients=-5"])
    }

    @Test(arguments: [
        ("clients: 100\nclinets: 3", "s.yaml:2:1: unknown key `clinets`; did you mean `clients`?"),
        ("relay-impiar: loss=1%", "s.yaml:1:1: unknown key `relay-impiar`; did you mean `relay-impair`?"),
        ("stagse:\n  - hold 30s", "s.yaml:1:1: unknown key `stagse`; did you mean `stages`?"),
        ("frobnicate: 3", "s.yaml:1:1: unknown key `frobnicate`: the keys are the long options of `turnload run`"),
        ("\n\nclients:\n  - 1\n  - 2", "s.yaml:3:1: `clients` takes one value, not a list"),
        ("clients:\n  many: 3", "s.yaml:2:3: `clients` takes one value, not a mapping"),
        ("clients:", "s.yaml:1:9: `clients` has no value"),
        ("target:\n  - turn:a.example\n  - {uri: x}", "s.yaml:3:5: each item of `target` is one value, not a mapping"),
        ("dtx: maybe", "s.yaml:1:6: `dtx` is a flag: write `dtx: true`, or false"),
        ("clients: [1, 2\nramp: 3", "s.yaml:2:5: not valid YAML: did not find expected ',' or ']'"),
        ("clients: 1\nclients: 2", "s.yaml:1:1: `clients` given more than once: give each key once"),
        ("- clients: 1", "s.yaml:1:1: a scenario must be a mapping of keys to values (`key: value` lines), found a list"),
        ("scenario: other.yaml", "s.yaml:1:1: a scenario cannot name another scenario"),
        ("name: [a, b]", "s.yaml:1:7: `name` takes one value, not a list"),
    ])
    func errorsSayWhereAndWhat(_ yaml: String, _ message: String) {
        TestCatalog.expectError(yaml, message)
    }

    @Test func anEmptyFileIsAnError() {
        #expect(throws: ScenarioError(path: "s.yaml", position: nil, message: "the scenario is empty: write keys such as `clients: 100`")) {
            try Scenario(yaml: "# nothing yet\n", path: "s.yaml")
        }
    }

    /// The message names where secrets go, and never repeats the value.
    @Test(arguments: ["password", "secret", "credential"])
    func secretsAreRefused(_ key: String) {
        TestCatalog.expectError(
            "clients: 10\n\(key): hunter2",
            "s.yaml:2:1: a scenario never holds a secret, only where to find it: "
                + "password-env or password-file for a password, secret-env or secret-file for a TURN REST shared secret")
    }

    @Test func aScenarioForAnotherCommandSaysWhichToUse() {
        TestCatalog.expectError(
            "command: saturate\nclients: 10",
            "s.yaml:1:10: this scenario is for `turnload saturate`: run it with `turnload saturate --scenario s.yaml`")
        TestCatalog.expectError(
            "command: saturat",
            "s.yaml:1:10: `saturat` is not a command that takes a scenario; did you mean `saturate`? these do: run, saturate")
    }

    /// A repeatable option's list may be named in the plural, `targets:` for `--target`, but
    /// not in both forms at once; a single option has no plural.
    @Test func aRepeatableOptionsListMayBeNamedInThePlural() throws {
        let yaml = "targets: [turn:a.example, turn:b.example]\nclients: 5"
        #expect(try TestCatalog.arguments(yaml).get() == ["--target=turn:a.example", "--target=turn:b.example", "--clients=5"])
        #expect(try TestCatalog.arguments(yaml, given: ["--target", "turn:c.example"]).get() == ["--clients=5"])
        TestCatalog.expectError(
            "target: turn:a.example\ntargets: [turn:b.example]", "s.yaml:2:1: `targets` is also set by `target` on line 1")
        TestCatalog.expectError("clientss: 5", "s.yaml:1:1: unknown key `clientss`")
    }

    @Test func theUsersRepeatableOptionsReplaceTheScenarios() throws {
        let yaml = "target: [turn:a.example, turn:b.example]\nclients: 5"
        #expect(try TestCatalog.arguments(yaml, given: ["--target", "turn:c.example"]).get() == ["--clients=5"])
        #expect(try TestCatalog.arguments(yaml, given: ["--target=turn:c.example"]).get() == ["--clients=5"])
        // Single-value options stay: the user's, given after them, win as the last value.
        #expect(
            try TestCatalog.arguments(yaml, given: ["--clients", "9"]).get()
                == ["--target=turn:a.example", "--target=turn:b.example", "--clients=5"])
        #expect(try TestCatalog.arguments(yaml, given: ["--", "--target"]).get().count == 3)
    }
    /// Found by fuzzing: a "billion laughs" file, each anchor a list of two aliases of the one
    /// before and the last used as a key, kept Yams hashing 2^40 nodes. It is refused up front,
    /// as is a file far larger than any scenario.
    @Test(.timeLimit(.minutes(1))) func aliasBombsAndHugeFilesAreRefusedUpFront() throws {
        var yaml = "l0: &l0 [lol, lol]\n"
        for level in 1...40 { yaml += "l\(level): &l\(level) [*l\(level - 1), *l\(level - 1)]\n" }
        yaml += "? *l40\n: boom\n"
        #expect(
            throws: ScenarioError(
                path: "s.yaml", position: nil,
                message:
                    "the scenario uses 81 YAML aliases (`*name`), more than the 16 a scenario may use: write the values out")
        ) {
            try Scenario(yaml: yaml, path: "s.yaml")
        }
        let huge = "name: big\n" + String(repeating: "# a comment line of no consequence\n", count: 8000)
        #expect(throws: ScenarioError.self) { try Scenario(yaml: huge, path: "s.yaml") }
        // A few aliases, and stars inside values, are still fine.
        let scenario = try Scenario(yaml: "name: &n smoke\ndescription: *n\nrelay-impair: loss=1%*2\n", path: "s.yaml")
        #expect(scenario.description == "smoke")
    }
}
