import ArgumentParser
import Foundation
import Scenario

extension OptionCatalog {
    /// The long options of each subcommand of `root` that takes `--scenario`, read from the
    /// description ArgumentParser gives of them (what `--experimental-dump-help` prints), so
    /// that each new option is a scenario key without a list kept by hand.
    init(commandsOf root: ParsableCommand.Type) throws {
        let description: String
        do {
            _ = try root.parseAsRoot(["--experimental-dump-help"])
            description = ""
        } catch {
            description = root.fullMessage(for: error)
        }
        let tool = try JSONDecoder().decode(ToolDescription.self, from: Data(description.utf8))
        var commands: [String: [Option]] = [:]
        for command in tool.command.subcommands ?? [] {
            let options = (command.arguments ?? []).compactMap(\.option)
            guard options.contains(where: { $0.name == "scenario" }) else { continue }
            commands[command.commandName] = options.filter { $0.name != "scenario" }
        }
        self.init(commands: commands)
    }
}

/// The part of ArgumentParser's tool description (its `ToolInfoV0` JSON, whose types the
/// package does not export) that says which options a command has.
private struct ToolDescription: Decodable {
    var command: Command

    struct Command: Decodable {
        var commandName: String
        var subcommands: [Command]?
        var arguments: [Argument]?
    }

    struct Argument: Decodable {
        var kind: String
        var isRepeating: Bool
        var names: [Name]?
        var preferredName: Name?

        /// A named option or flag by its preferred long name; not positionals, nor
        /// ArgumentParser's own --help and --version, which no scenario sets.
        var option: OptionCatalog.Option? {
            let longNames = (names ?? []).filter { $0.kind == "long" }.map(\.name)
            let preferred = preferredName.flatMap { $0.kind == "long" ? $0.name : nil }
            guard kind != "positional", let name = preferred ?? longNames.first, !["help", "version"].contains(name) else {
                return nil
            }
            return OptionCatalog.Option(name: name, takesValue: kind == "option", repeatable: isRepeating)
        }
    }

    struct Name: Decodable {
        var kind: String
        var name: String
    }
}
