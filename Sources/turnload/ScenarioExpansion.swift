import ArgumentParser
import Scenario

/// `--scenario FILE` on a command that takes it: the scenario's options go before the user's
/// own arguments, which therefore override them, before ArgumentParser parses the whole.
enum ScenarioExpansion {
    /// `arguments` (without the program name) with the scenario's options in; unchanged
    /// without `--scenario` or for a command that takes none (ArgumentParser then refuses it).
    static func expand(_ arguments: [String]) throws(ScenarioError) -> [String] {
        guard let command = arguments.first, let path = scenarioPath(in: arguments.dropFirst()) else { return arguments }
        let catalog: OptionCatalog
        do { catalog = try OptionCatalog(commandsOf: Turnload.self) } catch {
            throw ScenarioError(
                path: path, position: nil, message: "cannot list turnload's options to check the scenario against: \(error)")
        }
        guard catalog.commands[command] != nil else { return arguments }
        let given = Array(arguments.dropFirst())
        let scenario = try Scenario.load(path: path)
        let options = try scenario.options(for: command, catalog: catalog, overriddenBy: given)
        let expanded = [command] + options.flatMap(\.arguments) + given
        try blame(options, command: command, expanded: expanded, path: path)
        return expanded
    }

    /// When the command refuses the expanded arguments and one of the scenario's options alone
    /// meets the same refusal, the refusal is that option's: say so at its line. Any other
    /// refusal (of the user's own arguments, or of options together) ArgumentParser reports.
    static func blame(_ options: [ScenarioOption], command: String, expanded: [String], path: String) throws(ScenarioError) {
        let refusal: String
        do {
            _ = try Turnload.parseAsRoot(expanded)
            return
        } catch {
            refusal = Turnload.message(for: error)
        }
        for option in options {
            do { _ = try Turnload.parseAsRoot([command] + option.arguments) } catch {
                guard Turnload.message(for: error) == refusal else { continue }
                throw ScenarioError(path: path, position: option.position, message: "`\(option.key)`: \(refusal)")
            }
        }
    }

    /// The last `--scenario FILE` or `--scenario=FILE` before any `--`, as ArgumentParser reads it.
    static func scenarioPath(in arguments: ArraySlice<String>) -> String? {
        var path: String?
        var iterator = arguments.prefix { $0 != "--" }.makeIterator()
        while let argument = iterator.next() {
            if argument == "--scenario" {
                path = iterator.next()
            } else if argument.hasPrefix("--scenario=") {
                path = String(argument.dropFirst("--scenario=".count))
            }
        }
        return path
    }
}
