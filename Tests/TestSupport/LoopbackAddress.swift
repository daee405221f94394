import Foundation

/// An IPv4 loopback address as the socket calls take it, for the tests' raw sockets.
public struct LoopbackAddress {
    /// A port on 127.0.0.1 free for TCP and UDP alike, to listen on, drawn below the kernel's
    /// ephemeral range (32768–60999): a port the kernel hands out for `bind(0)` is free for one
    /// protocol only, and may be the source port of another test's TCP connection a moment
    /// later, so a TLS listener on it failed with "Address already in use" once in a fresh CI run.
    public static func freePort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_768)
            if isFree(port, SOCK_STREAM), isFree(port, SOCK_DGRAM) { return port }
        }
        throw POSIXError(.EADDRINUSE)
    }

    private static func isFree(_ port: Int, _ type: __socket_type) -> Bool {
        let descriptor = socket(AF_INET, Int32(type.rawValue), 0)
        defer { close(descriptor) }
        var address = LoopbackAddress(port: port)
        return address.withSocketAddress { bind(descriptor, $0, $1.pointee) } == 0
    }

    private var address = sockaddr_in()

    /// 127.0.0.1 (or another loopback `ip`, such as 127.0.0.2) at `port`.
    public init(port: Int, ip: UInt32 = 0x7F00_0001) {
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = ip.bigEndian
    }

    /// The port, as `getsockname` may have filled it in.
    public var port: Int { Int(UInt16(bigEndian: address.sin_port)) }

    /// Calls `body` with the address as a `sockaddr` and its length (which `getsockname` may write).
    public mutating func withSocketAddress<Result>(
        _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Result
    ) -> Result {
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) } }
    }
}
