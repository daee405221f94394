import Scenario
import Testing

/// A hand-written catalog shaped like turnload's: `run` holds a load, `saturate` steps it.
enum TestCatalog {
    static func value(_ name: String) -> OptionCatalog.Option { .init(name: name, takesValue: true, repeatable: false) }
    static func flag(_ name: String) -> OptionCatalog.Option { .init(name: name, takesValue: false, repeatable: false) }
    static func repeatable(_ name: String) -> OptionCatalog.Option { .init(name: name, takesValue: true, repeatable: true) }

    static let run: [OptionCatalog.Option] = [
        repeatable("target"), value("user"), value("password-env"), value("password-file"), value("secret-env"),
        value("secret-file"), value("credential-ttl"), value("clients"), value("duration"), value("ramp"), value("topology"),
        value("bitrate"), flag("vbr"), flag("cbr"), flag("dtx"), value("drain"), value("relay-impair"), value("out"),
    ]
    static let saturate =
        run + [
            value("start"), value("step"), value("step-duration"), value("max-clients"), flag("past-cliff"), value("hold-at"),
            value("hold-volume"), value("minutes-per-month"), value("peak-calls"), repeatable("threshold"),
        ]
    static let catalog = OptionCatalog(commands: ["run": run, "saturate": saturate])

    /// The scenario's arguments for `command`, or the error's text.
    static func arguments(_ yaml: String, for command: String = "run", given: [String] = []) -> Result<[String], ScenarioError> {
        Result { () throws(ScenarioError) in
            try Scenario(yaml: yaml, path: "s.yaml").arguments(for: command, overriddenBy: given)
        }
    }

    /// Expects `yaml` to fail for `command` with a message that starts with `message` (where, then what).
    static func expectError(
        _ yaml: String, _ message: String, for command: String = "run",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case let .failure(error) = arguments(yaml, for: command) else {
            Issue.record("no error for \(yaml)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.description.hasPrefix(message), "\(error)", sourceLocation: sourceLocation)
    }
}

extension Scenario {
    /// The command-line arguments of the options for `command` in the test catalog.
    func arguments(for command: String, catalog: OptionCatalog = TestCatalog.catalog, overriddenBy given: [String] = [])
        throws(ScenarioError) -> [String]
    {
        try options(for: command, catalog: catalog, overriddenBy: given).flatMap(\.arguments)
    }
}
