import ArgumentParser
import Foundation
import TURNClient
import TURNProtocol

/// How to authenticate, shared by every command that talks to a relay. Secrets come only from
/// the environment or files, never from argv, where `ps` and shell history would show them.
struct CredentialOptions: ParsableArguments {
    @OptionGroup var secrets: SecretOptions

    /// Up to 30 days, as `OptionRange.longest`: the expiry time is now plus this.
    @Option(help: "Lifetime in seconds of TURN REST credentials. (default: 300)", transform: OptionRange.count(30...2_592_000))
    var credentialTTL: Int64 = 300

    @Option(help: ArgumentHelp("An RTCIceServer list (JSON) giving URIs and credentials together.", valueName: "FILE"))
    var iceServers: String?

    func validate() throws {
        if [secrets.passwordEnv, secrets.passwordFile, secrets.secretEnv, secrets.secretFile].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of --password-env, --password-file, --secret-env, --secret-file")
        }
        if secrets.hasPassword, secrets.user == nil {
            throw ValidationError("--user is needed with a password")
        }
    }

    /// The credential from the options, or nil when none was given (an iceServers file may
    /// supply its own).
    func credential() throws -> ClientCredential? {
        if let password = try secrets.password() {
            return .staticPassword(username: secrets.user!, password: password)
        }
        if let secret = try secrets.secret() {
            return .sharedSecret(secret: secret, user: secrets.user, ttl: credentialTTL)
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

typealias TURNURIList = [TURNURI]

extension CredentialOptions {
    /// Every URI given, and every one of the iceServers file, each with its credential.
    func targets(_ uris: [String]) throws -> [(TURNURI, ClientCredential)] {
        var targets: [(TURNURI, ClientCredential)] = []
        let given = try credential()
        for text in uris {
            guard let credential = given else {
                throw ValidationError(
                    "\(TURNURI.redacted(text)) needs credentials: --user with --password-env/--password-file, or --secret-env/--secret-file"
                )
            }
            targets.append((try TURNURI(text), credential))
        }
        for (serverURIs, own) in try iceServerList() {
            guard let credential = own ?? given else {
                throw ValidationError(
                    "the iceServers entry for \(serverURIs.map(\.description).joined(separator: ", ")) has no username and credential")
            }
            targets += serverURIs.map { ($0, credential) }
        }
        return targets
    }
}
