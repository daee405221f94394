import Yams

/// Reads the YAML nodes of one scenario file, each failure a `ScenarioError` at its node.
struct ScenarioReader {
    let path: String

    func error(_ message: String, at node: Node) -> ScenarioError {
        ScenarioError(path: path, position: position(of: node), message: message)
    }

    /// Nodes composed from text always carry their mark; line 0 would only mark one built by hand.
    func position(of node: Node) -> Scenario.Position {
        node.mark.map { Scenario.Position(line: $0.line, column: $0.column) } ?? Scenario.Position(line: 0, column: 0)
    }

    /// What libyaml could not read, at its place.
    func error(yaml error: any Error) -> ScenarioError {
        let at = { (mark: Mark) in Scenario.Position(line: mark.line, column: mark.column) }
        switch error as? YamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            return ScenarioError(
                path: path, position: at(mark),
                message: "not valid YAML: \(problem)" + (context.map { " (\($0.text))" } ?? ""))
        case let .duplicatedKeysInMapping(duplicates, context):
            return ScenarioError(
                path: path, position: at(context.mark),
                message: "\(duplicates.map { "`\($0)`" }.joined(separator: ", ")) given more than once: give each key once")
        default:
            return ScenarioError(path: path, position: nil, message: "not valid YAML: \(error)")
        }
    }

    /// The pairs of a mapping in file order, keyed by text.
    func entries(_ node: Node, of what: String) throws(ScenarioError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case let .mapping(mapping) = node else {
            throw error("\(what) must be a mapping of keys to values (`key: value` lines), found \(shape(node))", at: node)
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key, !scalar.string.isEmpty else {
                throw error("a key of \(what) is \(shape(key)), not a name", at: key)
            }
            entries.append((scalar.string, key, value))
        }
        return entries
    }

    /// One value: not empty, not a list, not a mapping.
    func scalar(_ node: Node, of key: String) throws(ScenarioError) -> Node.Scalar {
        guard case let .scalar(scalar) = node else { throw error("`\(key)` takes one value, not \(shape(node))", at: node) }
        guard node.null == nil else { throw error("`\(key)` has no value", at: node) }
        return scalar
    }

    /// The items of a list of single values, or the one value given where a list may hold one.
    func values(_ node: Node, of key: String) throws(ScenarioError) -> [Scenario.Located<String>] {
        guard case let .sequence(sequence) = node else {
            return [Scenario.Located(value: try text(node, of: key), position: position(of: node))]
        }
        var values: [Scenario.Located<String>] = []
        for item in sequence {
            guard case let .scalar(scalar) = item, item.null == nil else {
                throw error("each item of `\(key)` is one value, not \(shape(item))", at: item)
            }
            values.append(Scenario.Located(value: scalar.string, position: position(of: item)))
        }
        return values
    }

    func text(_ node: Node, of key: String) throws(ScenarioError) -> String {
        try scalar(node, of: key).string
    }

    /// A number at least 0: prices, gigabytes.
    func amount(_ node: Node, of key: String, example: String) throws(ScenarioError) -> Double {
        guard let value = Double(try text(node, of: key)), value >= 0, value.isFinite else {
            throw error("`\(key)` must be a number at least 0, such as \(example)", at: node)
        }
        return value
    }

    func shape(_ node: Node) -> String {
        switch node {
        case .scalar: node.null == nil ? "a single value" : "empty"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
