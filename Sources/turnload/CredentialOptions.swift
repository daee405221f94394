import ArgumentParser
import Foundation
import TURNClient
import TURNProtocol

/// How to authenticate, shared by every command that talks to a relay. Secrets come only from
/// the environment or files, never from argv, where `ps` and shell history would show them.
struct CredentialOptions: ParsableArguments {
    @Option(help: "Username (static credentials), or the user part of TURN REST credentials.")
    var user: String?

    @Option(help: ArgumentHelp("Read the password from this environment variable.", valueName: "VAR"))
    var passwordEnv: String?

    @Option(help: ArgumentHelp("Read the password from this file (first line).", valueName: "FILE"))
    var passwordFile: String?

    @Option(help: ArgumentHelp("Read the TURN REST shared secret from this environment variable.", valueName: "VAR"))
    var secretEnv: String?

    @Option(help: ArgumentHelp("Read the TURN REST shared secret from this file (first line).", valueName: "FILE"))
    var secretFile: String?

    @Option(help: "Lifetime in seconds of TURN REST credentials.")
    var credentialTTL: Int64 = 300

    @Option(help: ArgumentHelp("An RTCIceServer list (JSON) giving URIs and credentials together.", valueName: "FILE"))
    var iceServers: String?

    func validate() throws {
        let sources = [passwordEnv, passwordFile, secretEnv, secretFile].compactMap { $0 }
        if sources.count > 1 {
            throw ValidationError("give one of --password-env, --password-file, --secret-env, --secret-file")
        }
        if (passwordEnv != nil || passwordFile != nil), user == nil {
            throw ValidationError("--user is needed with a password")
        }
        if credentialTTL < 30 { throw ValidationError("--credential-ttl must be at least 30 seconds") }
    }

    /// The credential from the options, or nil when none was given (an iceServers file may
    /// supply its own).
    func credential() throws -> ClientCredential? {
        if let password = try readSecret(environment: passwordEnv, file: passwordFile, what: "password") {
            return .staticPassword(username: user!, password: password)
        }
        if let secret = try readSecret(environment: secretEnv, file: secretFile, what: "shared secret") {
            return .sharedSecret(secret: Array(secret.utf8), user: user, ttl: credentialTTL)
        }
        return nil
    }

    /// The servers of `--ice-servers`, each with its own credential.
    func iceServerList() throws -> [(TURNURIList, ClientCredential?)] {
        guard let path = iceServers else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the iceServers file \(path)")
        }
        do {
            return try ICEServer.parse(json: data).map { server in
                let credential = server.username.flatMap { username in
                    server.credential.map { ClientCredential.staticPassword(username: username, password: $0) }
                }
                return (server.uris, credential)
            }
        } catch {
            throw ValidationError("\(error)")
        }
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
              !line.isEmpty else {
            throw ValidationError("cannot read the \(what) from \(path) (missing, unreadable or empty)")
        }
        return String(line)
    }
    return nil
}

typealias TURNURIList = [TURNURI]
