/// A scenario file (YAML): to be filled by the scenario work.
public struct Scenario: Sendable {}
