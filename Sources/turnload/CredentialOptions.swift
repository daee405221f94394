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
        if let name = passwordEnv {
            return .staticPassword(username: user!, password: try Self.environment(name, what: "password"))
        }
        if let path = passwordFile {
            return .staticPassword(username: user!, password: try Self.firstLine(of: path, what: "password"))
        }
        if let name = secretEnv {
            return .sharedSecret(secret: Array(try Self.environment(name, what: "shared secret").utf8), user: user, ttl: credentialTTL)
        }
        if let path = secretFile {
            return .sharedSecret(secret: Array(try Self.firstLine(of: path, what: "shared secret").utf8), user: user, ttl: credentialTTL)
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

    private static func environment(_ name: String, what: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw ValidationError("the environment variable \(name) holding the \(what) is not set or empty")
        }
        return value
    }

    private static func firstLine(of path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path),
              let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first,
              !line.isEmpty else {
            throw ValidationError("cannot read the \(what) from \(path) (missing, unreadable or empty)")
        }
        return String(line)
    }
}

typealias TURNURIList = [TURNURI]
