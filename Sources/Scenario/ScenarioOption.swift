/// One option a scenario gives its command, with the key and place it comes from, so that the
/// command line can point at the line when the command refuses the value.
public struct ScenarioOption: Sendable, Equatable {
    /// The scenario key it comes from: the option's own, or `stages` or `thresholds`.
    public var key: String
    public var position: Scenario.Position
    /// The option's long name.
    public var name: String
    /// `--clients=200`: with `=`, so that a value starting with a dash stays a value.
    public var arguments: [String]

    public init(key: String, position: Scenario.Position, name: String, arguments: [String]) {
        self.key = key
        self.position = position
        self.name = name
        self.arguments = arguments
    }
}
