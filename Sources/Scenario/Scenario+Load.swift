import Foundation

extension Scenario {
    /// Reads and parses the scenario file at `path`.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(path: path, position: nil, message: "cannot read the scenario (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(path: path, position: nil, message: "the scenario is not UTF-8 text")
        }
        return try Scenario(yaml: text, path: path)
    }
}
