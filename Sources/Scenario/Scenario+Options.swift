extension Scenario {
    /// The options the scenario gives `command`, checked against the command's catalog, in file
    /// order. The command line puts them before the user's own arguments, which therefore
    /// override them: the last value of an option wins, and a repeatable option that the user
    /// gives (`--target`, `--threshold`) replaces the scenario's rather than adding to them.
    public func options(for command: String, catalog: OptionCatalog, overriddenBy given: [String] = []) throws(ScenarioError)
        -> [ScenarioOption]
    {
        guard let available = catalog.commands[command] else { throw error("`turnload \(command)` takes no scenario", at: nil) }
        try check(command: command, catalog: catalog)
        let byName = Dictionary(available.map { ($0.name, $0) }) { first, _ in first }
        var options = try stageOptions(byName, command: command) + thresholdOptions(byName)
        for setting in settings {
            guard let option = byName[setting.key] ?? Self.pluralOf(setting.key, in: byName) else {
                throw unknownKey(setting, command: command, among: available)
            }
            if let other = options.first(where: { $0.name == option.name }) {
                throw error(
                    "`\(setting.key)` is also set by `\(other.key)` on line \(other.position.line): give it in one place",
                    at: setting.position)
            }
            options += try translate(setting, option)
        }
        let overridden = Self.longNames(in: given)
        return options.filter { byName[$0.name]?.repeatable != true || !overridden.contains($0.name) }
            .sorted { $0.position < $1.position }
    }

    /// The repeatable option a list key names in the plural (`groups:` for `--group`), as a
    /// file reads best.
    private static func pluralOf(_ key: String, in byName: [String: OptionCatalog.Option]) -> OptionCatalog.Option? {
        guard key.hasSuffix("s"), let option = byName[String(key.dropLast())], option.repeatable else { return nil }
        return option
    }

    func error(_ message: String, at position: Position?) -> ScenarioError {
        ScenarioError(path: path, position: position, message: message)
    }

    private func check(command: String, catalog: OptionCatalog) throws(ScenarioError) {
        guard let wanted = self.command, wanted != command else { return }
        if catalog.commands[wanted] != nil {
            throw error(
                "this scenario is for `turnload \(wanted)`: run it with `turnload \(wanted) --scenario \(path)`",
                at: commandPosition)
        }
        let commands = catalog.commands.keys.sorted()
        let guess = KeySuggestion.nearest(to: wanted, among: commands).map { "; did you mean `\($0)`?" } ?? ";"
        throw error(
            "`\(wanted)` is not a command that takes a scenario\(guess) these do: \(commands.joined(separator: ", "))",
            at: commandPosition)
    }

    private func unknownKey(_ setting: Setting, command: String, among available: [OptionCatalog.Option]) -> ScenarioError {
        if let guess = KeySuggestion.nearest(to: setting.key, among: available.map(\.name) + Self.ownKeys) {
            return error("unknown key `\(setting.key)`; did you mean `\(guess)`?", at: setting.position)
        }
        return error(
            "unknown key `\(setting.key)`: the keys are the long options of `turnload \(command)` (see its --help) and "
                + Self.ownKeys.joined(separator: ", "), at: setting.position)
    }

    /// One option per value: a flag from `true` (nothing from `false`), one value, or each of a list.
    private func translate(_ setting: Setting, _ option: OptionCatalog.Option) throws(ScenarioError) -> [ScenarioOption] {
        let (key, name) = (setting.key, option.name)
        if setting.isList, !option.repeatable {
            throw error("`\(key)` takes one value, not a list", at: setting.position)
        }
        var options: [ScenarioOption] = []
        for value in setting.values {
            guard !option.takesValue else {
                options.append(ScenarioOption(key: key, position: value.position, name: name, arguments: ["--\(name)=\(value.value)"]))
                continue
            }
            guard let on = Bool(value.value.lowercased()) else {
                throw error("`\(key)` is a flag: write `\(key): true`, or false", at: value.position)
            }
            if on { options.append(ScenarioOption(key: key, position: value.position, name: name, arguments: ["--\(name)"])) }
        }
        return options
    }

    /// `ramp to N over D` and `hold D` for a command that holds one load; `ramp to N over D` and
    /// `step +S every D until M` for one that steps it (it has `--step`).
    private func stageOptions(_ byName: [String: OptionCatalog.Option], command: String) throws(ScenarioError) -> [ScenarioOption] {
        let steps = byName["step"] != nil
        let order = steps ? ["ramp", "step"] : ["ramp", "hold"]
        var options: [ScenarioOption] = []
        var last = -1
        for stage in stages {
            let values: [(String, String)]
            let kind: String
            switch stage.value {
            case let .ramp(clients, time):
                (kind, values) = ("ramp", [(steps ? "start" : "clients", "\(clients)"), ("ramp", "\(Stage.rate(clients, over: time))")])
            case let .hold(time):
                (kind, values) = ("hold", [("duration", time.text)])
            case let .step(size, every, until):
                (kind, values) = ("step", [("step", "\(size)"), ("step-duration", every.text), ("max-clients", "\(until)")])
            }
            guard let index = order.firstIndex(of: kind) else {
                throw error(
                    steps
                        ? "`turnload \(command)` steps the load until the cliff and holds by `hold-at` and `hold-volume`, "
                            + "not by a `hold` stage"
                        : "`turnload \(command)` holds one load: `step` stages are for a command that steps it (saturate)",
                    at: stage.position)
            }
            guard index > last else {
                throw error("stages go in this order, each at most once: \(order.joined(separator: ", then "))", at: stage.position)
            }
            last = index
            for (name, value) in values {
                guard byName[name] != nil else {
                    throw error("this stage sets --\(name), which `turnload \(command)` does not take", at: stage.position)
                }
                options.append(ScenarioOption(key: "stages", position: stage.position, name: name, arguments: ["--\(name)=\(value)"]))
            }
        }
        return options
    }

    /// `--threshold` once per threshold, when the command takes it; `gate` reads them from the
    /// file whether or not.
    private func thresholdOptions(_ byName: [String: OptionCatalog.Option]) -> [ScenarioOption] {
        guard byName["threshold"] != nil else { return [] }
        return thresholdEntries.map {
            ScenarioOption(key: "thresholds", position: $0.position, name: "threshold", arguments: ["--threshold=\($0.text)"])
        }
    }

    /// The long options named in command-line arguments (`--target X`, `--target=X`), up to `--`.
    static func longNames(in arguments: [String]) -> Set<String> {
        Set(arguments.prefix { $0 != "--" }.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2).prefix { $0 != "=" }) })
    }
}
