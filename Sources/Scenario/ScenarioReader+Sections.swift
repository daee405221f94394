import Measurement
import Yams

extension ScenarioReader {
    /// `stages:`, a list of k6-style stages.
    func stages(_ node: Node) throws(ScenarioError) -> [Scenario.Located<Stage>] {
        guard node.sequence != nil else {
            throw error("`stages` is a list, one stage a line: - ramp to 200 over 5s", at: node)
        }
        var stages: [Scenario.Located<Stage>] = []
        for item in try values(node, of: "stages") {
            do {
                stages.append(Scenario.Located(value: try Stage(parsing: item.value), position: item.position))
            } catch {
                throw ScenarioError(path: path, position: item.position, message: error.description)
            }
        }
        return stages
    }

    /// `thresholds:`, a mapping of metric to condition: `loss: "< 0.5%"`.
    func thresholds(_ node: Node) throws(ScenarioError) -> [Scenario.ThresholdEntry] {
        var thresholds: [Scenario.ThresholdEntry] = []
        for (name, keyNode, value) in try entries(node, of: "`thresholds`") {
            guard Metric(rawValue: name) != nil else {
                let metrics = Metric.allCases.map(\.rawValue)
                let guess = KeySuggestion.nearest(to: name, among: metrics).map { "; did you mean `\($0)`?" } ?? ";"
                throw error("unknown metric `\(name)`\(guess) the metrics are \(metrics.joined(separator: ", "))", at: keyNode)
            }
            let condition = try text(value, of: name)
            do {
                let threshold = try Threshold(metric: name, condition: condition)
                let text = ([name] + condition.split(whereSeparator: \.isWhitespace).map(String.init)).joined(separator: " ")
                thresholds.append(Scenario.ThresholdEntry(threshold: threshold, text: text, position: position(of: keyNode)))
            } catch {
                throw self.error(error.description, at: value)
            }
        }
        return thresholds
    }

    /// Any other key: one value, or a list of values for an option given several times.
    func setting(_ key: String, _ keyNode: Node, _ value: Node) throws(ScenarioError) -> Scenario.Setting {
        let values = try self.values(value, of: key)
        if values.isEmpty { throw error("`\(key)` is an empty list", at: value) }
        return Scenario.Setting(key: key, position: position(of: keyNode), values: values, isList: value.sequence != nil)
    }
}
