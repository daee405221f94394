import ArgumentParser
import Foundation

/// A user and where the password or TURN REST shared secret is, for the probe (credentials to
/// send) and the relay (credentials to accept). Secrets come only from the environment or
/// files, never from argv, where `ps` and shell history would show them.
struct SecretOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Username of static credentials (with --password-env/--password-file); for the probe with a shared secret, "
                + "the user part of TURN REST usernames."))
    var user: String?

    @Option(help: ArgumentHelp("Read the password from this environment variable.", valueName: "VAR"))
    var passwordEnv: String?

    @Option(help: ArgumentHelp("Read the password from this file (first line).", valueName: "FILE"))
    var passwordFile: String?

    @Option(help: ArgumentHelp("Read the TURN REST shared secret from this environment variable.", valueName: "VAR"))
    var secretEnv: String?

    @Option(help: ArgumentHelp("Read the TURN REST shared secret from this file (first line).", valueName: "FILE"))
    var secretFile: String?

    /// A value that is not a variable's name is most likely the secret itself, given by
    /// mistake (`--password-env "$TURN_PASSWORD"`): refuse it without echoing it.
    func validate() throws {
        for (option, name) in [("--password-env", passwordEnv), ("--secret-env", secretEnv)] {
            if let name, !isEnvironmentName(name) {
                throw ValidationError(
                    "\(option) takes the NAME of an environment variable, not its value: "
                        + "\(option) TURN_PASSWORD, not \(option) \"$TURN_PASSWORD\"")
            }
        }
    }

    var hasPassword: Bool { passwordEnv != nil || passwordFile != nil }
    var hasSecret: Bool { secretEnv != nil || secretFile != nil }

    func password() throws -> String? {
        try readSecret(environment: passwordEnv, file: passwordFile, what: "password")
    }

    func secret() throws -> [UInt8]? {
        try readSecret(environment: secretEnv, file: secretFile, what: "shared secret").map { Array($0.utf8) }
    }
}

/// A secret from an environment variable or the first line of a file, whichever is named; nil
/// when neither is. Errors name the variable or file, never the value.
func readSecret(environment name: String?, file path: String?, what: String) throws -> String? {
    if let name {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw ValidationError("the environment variable \(name) holding the \(what) is not set or empty")
        }
        return value
    }
    if let path {
        guard let data = FileManager.default.contents(atPath: path),
            let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first,
            !line.isEmpty
        else {
            throw ValidationError("cannot read the \(what) from \(path) (missing, unreadable or empty)")
        }
        return String(line)
    }
    return nil
}

/// `[A-Za-z_][A-Za-z0-9_]*`, the names POSIX shells give variables.
func isEnvironmentName(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first.isASCII, first == "_" || first.properties.isAlphabetic else { return false }
    return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
}
