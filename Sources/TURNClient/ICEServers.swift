import Foundation
import TURNProtocol

/// TURN servers and their credentials from an RTCIceServer list, the shape Cloudflare's
/// credential API and draft-uberti's REST API return: `[{urls, username, credential}]`, or an
/// object holding it under `iceServers` (as a list or a single server). `stun:` URLs are
/// skipped: they relay nothing.
public struct ICEServer: Sendable, Hashable {
    public var uris: [TURNURI]
    public var username: String?
    public var credential: String?

    public static func parse(json data: Data) throws(ICEServersError) -> [ICEServer] {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalid("not JSON (\(error.localizedDescription))")
        }
        var list: [Any]
        if let array = root as? [Any] {
            list = array
        } else if let object = root as? [String: Any], let servers = object["iceServers"] {
            list = (servers as? [Any]) ?? [servers]
        } else {
            throw .invalid("expected a list of servers or an object with \"iceServers\"")
        }
        var servers: [ICEServer] = []
        for (index, entry) in list.enumerated() {
            guard let server = entry as? [String: Any] else { throw .invalid("server \(index + 1) is not an object") }
            let urls: [String]
            switch server["urls"] ?? server["url"] {
            case let single as String: urls = [single]
            case let many as [String]: urls = many
            default: throw .invalid("server \(index + 1) has no \"urls\"")
            }
            var uris: [TURNURI] = []
            for url in urls where !url.lowercased().hasPrefix("stun") {
                do { uris.append(try TURNURI(url)) } catch { throw .invalid("server \(index + 1): \(error)") }
            }
            guard !uris.isEmpty else { continue }
            servers.append(
                ICEServer(
                    uris: uris, username: server["username"] as? String,
                    credential: server["credential"] as? String))
        }
        guard !servers.isEmpty else { throw .invalid("no turn: or turns: URL in it") }
        return servers
    }
}

extension ICEServer: CustomStringConvertible {
    public var description: String {
        "\(uris.map(\.description).joined(separator: ", ")) as \(username ?? "(no username)")"
    }
}

public enum ICEServersError: Error, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let why): "iceServers file: \(why)"
        }
    }
}
