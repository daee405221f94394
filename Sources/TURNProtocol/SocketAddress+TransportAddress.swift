import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Conversions between NIO's socket addresses and TURN's transport addresses through the raw
// sockaddr, not through text: they run for every relayed packet.

extension TransportAddress {
    /// Nil for Unix-domain addresses.
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4): self.init(v4.address)
        case .v6(let v6): self.init(v6.address)
        default: return nil
        }
    }

    @inlinable
    public init(_ raw: sockaddr_in) {
        self.init(ip: .v4(UInt32(bigEndian: raw.sin_addr.s_addr)), port: UInt16(bigEndian: raw.sin_port))
    }

    @inlinable
    public init(_ raw: sockaddr_in6) {
        let ip = withUnsafeBytes(of: raw.sin6_addr) { bytes in
            IPAddress.v6(
                high: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
        self.init(ip: ip, port: UInt16(bigEndian: raw.sin6_port))
    }
}

extension SocketAddress {
    public init(_ address: TransportAddress) {
        switch address.ip {
        case .v4(let word):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = address.port.bigEndian
            raw.sin_addr.s_addr = word.bigEndian
            self.init(raw, host: "")
        case .v6(let high, let low):
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &raw.sin6_addr) { bytes in
                bytes.storeBytes(of: high.bigEndian, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            self.init(raw, host: "")
        }
    }
}

extension SocketAddress {
    /// As a person writes it: `192.0.2.1:3478`, `[2001:db8::1]:3478` (NIO's own description
    /// adds the host name and the family).
    public var displayText: String { TransportAddress(self)?.description ?? "\(self)" }

    /// IPv6 for an IPv6 address, else IPv4 (a Unix-domain address has no family to relay).
    public var addressFamily: AddressFamily { self.protocol == .inet6 ? .ipv6 : .ipv4 }
}
