#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as plain integers, so that it is hashable, comparable and free of
/// heap allocation on the packet path.
public enum IPAddress: Hashable, Sendable {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)

    /// The address family number STUN puts on the wire (RFC 8489 §14.1).
    public var family: AddressFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }

    /// Parses dotted-quad IPv4 or any RFC 4291 text form of IPv6 (no brackets, no zone).
    public init?(_ text: String) {
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &address) { Array($0) }
            self.init(bytes: bytes)
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
            self = .v4(UInt32(bigEndian: address.s_addr))
        }
    }

    /// 4 or 16 bytes in network order.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            self = .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) })
        case 16:
            let high = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .v6(high: high, low: low)
        default:
            return nil
        }
    }

    public var bytes: [UInt8] {
        switch self {
        case .v4(let word):
            (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) }
        case .v6(let high, let low):
            (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        }
    }

    public static let loopbackV4 = IPAddress.v4(0x7F00_0001)
    public static let loopbackV6 = IPAddress.v6(high: 0, low: 1)
}

extension IPAddress: CustomStringConvertible {
    public var description: String {
        let bytes = self.bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        return bytes.withUnsafeBytes { raw in
            guard inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil else { return "?" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// STUN's address family codes (RFC 8489 §14.1, RFC 8656 §18.8).
public enum AddressFamily: UInt8, Hashable, Sendable, CaseIterable {
    case ipv4 = 0x01
    case ipv6 = 0x02
}

/// An IP address and port: what STUN calls a transport address.
public struct TransportAddress: Hashable, Sendable {
    public var ip: IPAddress
    public var port: UInt16

    public init(ip: IPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Parses `1.2.3.4:5` or `[2001:db8::1]:5`.
    public init?(_ text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                text[text.index(after: close)...].hasPrefix(":")
            else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        }
        guard let ip = IPAddress(String(host)), let port = UInt16(portText) else { return nil }
        self.init(ip: ip, port: port)
    }
}

extension TransportAddress: CustomStringConvertible {
    public var description: String {
        switch ip {
        case .v4: "\(ip):\(port)"
        case .v6: "[\(ip)]:\(port)"
        }
    }
}
