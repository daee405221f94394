import ArgumentParser
import Scenario

extension Scenario {
    /// The scenario an option names, its errors ArgumentParser's validation errors (exit 64).
    static func named(by path: String) throws -> Scenario {
        do { return try Scenario.load(path: path) } catch { throw ValidationError(error.description) }
    }
}
