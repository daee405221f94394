import Measurement
import Yams

/// A load scenario from a YAML file. Its keys are the long options of the command it is for
/// (`clients: 300`, `duration: 30s`, `dtx: true`, `target:` one URI or a list), so every flag
/// has its key; and `stages`, `thresholds` and `pricing`, which say in one place what several
/// options or none say. It never holds a secret, only where to find one (`password-env`).
public struct Scenario: Sendable {
    /// Where in the file: line and column from 1.
    public struct Position: Sendable, Equatable, Comparable {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public static func < (left: Position, right: Position) -> Bool {
            (left.line, left.column) < (right.line, right.column)
        }
    }

    public var path: String
    public var name: String?
    public var description: String?
    /// The command the scenario is for (`run`, `saturate`); nil when it suits any.
    public var command: String?
    /// The price table that costs are projected under; no option holds it.
    public var prices: [PriceOption] = []

    public var thresholds: [Threshold] { thresholdEntries.map(\.threshold) }

    var commandPosition: Position?
    var stages: [Located<Stage>] = []
    var thresholdEntries: [ThresholdEntry] = []
    /// Every other key, in file order: an option of the command, checked against its catalog
    /// when translated.
    var settings: [Setting] = []

    struct Located<Value: Sendable>: Sendable {
        var value: Value
        var position: Position
    }

    struct ThresholdEntry: Sendable {
        var threshold: Threshold
        /// As written, `loss < 0.5%`: passed on as it is, where `Threshold.description` would round.
        var text: String
        var position: Position
    }

    /// One option's key and its value or values as written.
    struct Setting: Sendable {
        var key: String
        var position: Position
        var values: [Located<String>]
        var isList: Bool
    }

    static let secretKeys: Set = ["password", "secret", "credential"]
    static let ownKeys = ["name", "description", "command", "stages", "thresholds", "pricing"]

    /// Parses a scenario; `path` names the file in messages.
    public init(yaml: String, path: String) throws(ScenarioError) {
        self.path = path
        let reader = ScenarioReader(path: path)
        if let problem = ScenarioSizeLimit.problem(yaml) {
            throw ScenarioError(path: path, position: nil, message: problem)
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw reader.error(yaml: error) }
        guard let root else {
            throw ScenarioError(path: path, position: nil, message: "the scenario is empty: write keys such as `clients: 100`")
        }
        for (key, keyNode, value) in try reader.entries(root, of: "a scenario") {
            switch key {
            case "name": name = try reader.text(value, of: key)
            case "description": description = try reader.text(value, of: key)
            case "command":
                command = try reader.text(value, of: key)
                commandPosition = reader.position(of: value)
            case "stages": stages = try reader.stages(value)
            case "thresholds": thresholdEntries = try reader.thresholds(value)
            case "pricing": prices = try reader.prices(value)
            case _ where Self.secretKeys.contains(key):
                throw reader.error(
                    "a scenario never holds a secret, only where to find it: password-env or password-file for a "
                        + "password, secret-env or secret-file for a TURN REST shared secret", at: keyNode)
            case "scenario": throw reader.error("a scenario cannot name another scenario", at: keyNode)
            default: settings.append(try reader.setting(key, keyNode, value))
            }
        }
    }
}
