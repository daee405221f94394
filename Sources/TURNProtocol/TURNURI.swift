/// How a client reaches a TURN server.
public enum TURNTransport: String, Hashable, Sendable, CaseIterable {
    case udp
    case tcp
    case tls
    case dtls

    /// TLS and DTLS are what `turns:` asks for.
    public var isSecure: Bool { self == .tls || self == .dtls }
    /// TCP and TLS carry a byte stream, which is framed and padded (RFC 8656 §12.5).
    public var isStream: Bool { self == .tcp || self == .tls }
}

/// A `turn:` or `turns:` URI (RFC 7065): `turn:host[:port][?transport=udp|tcp]`.
/// `turns:` with `transport=udp` means DTLS, as WebRTC uses it.
public struct TURNURI: Hashable, Sendable {
    public var host: String
    public var port: UInt16
    public var transport: TURNTransport

    public init(host: String, port: UInt16? = nil, transport: TURNTransport) {
        self.host = host
        self.port = port ?? (transport.isSecure ? 5349 : 3478)
        self.transport = transport
    }

    public var isSecure: Bool { transport.isSecure }

    /// Whether the host is an IP literal, so that no DNS lookup is needed.
    public var ipAddress: IPAddress? { IPAddress(host) }

    public init(_ text: String) throws(TURNURIError) {
        let secure: Bool
        let rest: Substring
        if text.lowercased().hasPrefix("turn:") {
            (secure, rest) = (false, text.dropFirst(5))
        } else if text.lowercased().hasPrefix("turns:") {
            (secure, rest) = (true, text.dropFirst(6))
        } else {
            throw .unsupportedScheme(URIRedaction.scheme(of: text))
        }
        // Before the query is split off: a password may hold a `?`.
        if rest.contains("@") { throw .credentialsInURI }
        let authority: Substring
        var transport: TURNTransport = secure ? .tls : .udp
        if let question = rest.firstIndex(of: "?") {
            authority = rest[..<question]
            let query = rest[rest.index(after: question)...]
            guard query.lowercased().hasPrefix("transport="), !query.contains("&") else {
                throw .unsupportedQuery(URIRedaction.query(query))
            }
            let value = query.dropFirst("transport=".count)
            switch value.lowercased() {
            case "udp": transport = secure ? .dtls : .udp
            case "tcp": transport = secure ? .tls : .tcp
            default: throw .unsupportedTransport(URIRedaction.word(value))
            }
        } else {
            authority = rest
        }
        guard !authority.contains("/") else { throw .invalidHost(URIRedaction.authority(authority)) }
        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost(URIRedaction.authority(authority)) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            guard IPAddress(String(host))?.family == .ipv6 else { throw .invalidHost(String(host)) }
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidHost(URIRedaction.authority(authority)) }
                portText = after.dropFirst()
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw .invalidHost(URIRedaction.authority(authority)) }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else { throw .invalidHost(URIRedaction.authority(authority)) }
        var port: UInt16?
        if let portText {
            guard let value = UInt16(portText), value > 0 else { throw .invalidPort(URIRedaction.number(portText)) }
            port = value
        }
        self.init(host: String(host), port: port, transport: transport)
    }
}

extension TURNURI {
    /// `text` as an error may show it, whether or not it parses: the user info and the query's
    /// values masked, which may hold a password.
    public static func redacted(_ text: String) -> String {
        URIRedaction.redacted(text)
    }
}

extension TURNURI: CustomStringConvertible {
    /// The canonical form: scheme, host, port always, and the transport when it is not the default.
    public var description: String {
        let scheme = isSecure ? "turns" : "turn"
        let host = host.contains(":") ? "[\(host)]" : host
        let query =
            switch transport {
            case .udp, .tls: ""
            case .tcp, .dtls: transport == .tcp ? "?transport=tcp" : "?transport=udp"
            }
        return "\(scheme):\(host):\(port)\(query)"
    }
}

public enum TURNURIError: Error, Hashable, Sendable {
    case unsupportedScheme(String)
    case invalidHost(String)
    case invalidPort(String)
    case unsupportedTransport(String)
    case unsupportedQuery(String)
    /// User info, which RFC 7065 does not allow, and which would put a password in logs.
    case credentialsInURI
}

extension TURNURIError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unsupportedScheme(let scheme):
            (scheme.isEmpty ? "not a URI" : "'\(scheme)' is not a TURN URI scheme")
                + ": use turn:HOST[:PORT][?transport=udp|tcp] or turns:…"
        case .invalidHost(let host): "'\(host)' is not a valid host (IPv6 literals go in brackets: turn:[::1]:3478)"
        case .invalidPort(let port): "'\(port)' is not a port number (1-65535)"
        case .unsupportedTransport(let transport): "transport '\(transport)' is not supported: use udp or tcp"
        case .unsupportedQuery(let query): "unsupported URI query '\(query)': only ?transport=udp|tcp is defined"
        case .credentialsInURI:
            "credentials do not belong in the URI: give them apart (--user with --password-env, or an iceServers entry's "
                + "username and credential)"
        }
    }
}
