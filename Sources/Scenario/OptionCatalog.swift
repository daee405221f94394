/// The long options of each command that takes a scenario, as its argument parser defines
/// them: the keys a scenario may use. The command line builds it from its own definitions, so
/// that every flag has its key without a list kept by hand.
public struct OptionCatalog: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        /// The long name, without the dashes: `clients`, `relay-impair`.
        public var name: String
        /// False for a flag (`--dtx`), which a scenario sets with `true`.
        public var takesValue: Bool
        /// Given several times for several values (`--target`).
        public var repeatable: Bool

        public init(name: String, takesValue: Bool, repeatable: Bool) {
            self.name = name
            self.takesValue = takesValue
            self.repeatable = repeatable
        }
    }

    /// The options of each command, by command name.
    public var commands: [String: [Option]]

    public init(commands: [String: [Option]]) {
        self.commands = commands
    }
}
