/// What of a URI the user wrote an error may show: a URI can carry a password (user info, or a
/// query such as `?password=…`), and errors end up in terminals, CI logs and bug reports.
enum URIRedaction {
    static let mask = "***"

    /// `text` with the user info masked and the query as `query(_:)` shows it; only a mask
    /// when it does not start with a scheme (it may be a secret pasted in the wrong place).
    static func redacted(_ text: String) -> String {
        let scheme = scheme(of: text)
        guard !scheme.isEmpty else { return mask }
        var rest = text.dropFirst(scheme.count + 1)
        var userInfo = ""
        // The last `@` ends the user info even when the password holds one (or a `?`).
        if let at = rest.lastIndex(of: "@") {
            rest = rest[rest.index(after: at)...]
            userInfo = "\(mask)@"
        }
        guard let question = rest.firstIndex(of: "?") else { return "\(scheme):\(userInfo)\(authority(rest))" }
        return "\(scheme):\(userInfo)\(authority(rest[..<question]))?\(query(rest[rest.index(after: question)...]))"
    }

    /// Host and port with anything after the host's colon that is not a port masked:
    /// `turn:alice:password` has no `@`, but what follows the colon is no port.
    static func authority(_ text: Substring) -> String {
        // An IPv6 literal's colons are its own; an unclosed one holds no port to mask.
        guard text.hasPrefix("[") else {
            guard let colon = text.firstIndex(of: ":") else { return String(text) }
            return "\(text[...colon])\(number(text[text.index(after: colon)...]))"
        }
        guard let close = text.firstIndex(of: "]") else { return String(text) }
        let after = text[text.index(after: close)...]
        guard after.hasPrefix(":") else { return after.isEmpty ? String(text) : "\(text[...close])\(mask)" }
        return "\(text[...close]):\(number(after.dropFirst()))"
    }

    /// The query with every value masked but a plain transport's, and any item without a
    /// name masked whole.
    static func query(_ query: Substring) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { item in
            guard let equals = item.firstIndex(of: "=") else { return mask }
            let name = item[..<equals]
            let value = item[item.index(after: equals)...]
            return "\(name)=\(name.lowercased() == "transport" ? word(value) : mask)"
        }.joined(separator: "&")
    }

    /// A value shown only when it looks like a transport name, not like a secret.
    static func word(_ value: Substring) -> String {
        value.count <= 8 && value.allSatisfy({ $0.isASCII && $0.isLetter }) ? String(value) : mask
    }

    /// A value shown only when it is digits, as a port is (a password after `user:` is not).
    static func number(_ value: Substring) -> String {
        value.count <= 10 && value.allSatisfy({ $0.isASCII && $0.isNumber }) ? String(value) : mask
    }

    /// The scheme, or "" when the text does not start with one (it may be a secret pasted alone).
    static func scheme(of text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else { return "" }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return "" }
        return String(scheme)
    }
}
