/// What is wrong with a scenario and where, as compilers say it: `path:line:column: message`.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// Nil when the whole file is at fault (it cannot be read, or is empty).
    public var position: Scenario.Position?
    public var message: String

    public init(path: String, position: Scenario.Position?, message: String) {
        self.path = path
        self.position = position
        self.message = message
    }

    public var description: String {
        guard let position else { return "\(path): \(message)" }
        return "\(path):\(position.line):\(position.column): \(message)"
    }
}
