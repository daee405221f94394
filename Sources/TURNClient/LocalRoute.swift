import NIOCore
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The local address that routes toward an endpoint: where a relay will see this machine's
/// peer sockets, when nothing NATs between them. A connected UDP socket asks the kernel's
/// routing table without sending a packet.
public enum LocalRoute {
    public static func address(toward server: SocketAddress) throws -> IPAddress {
        let family = server.protocol == .inet6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw LookupError("cannot open a socket to find the local route (errno \(errno))") }
        defer { close(descriptor) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let connected = server.withSockAddr { address, size in connect(descriptor, address, socklen_t(size)) }
        guard connected == 0,
            withUnsafeMutablePointer(
                to: &storage,
                {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
                }) == 0,
            let local = try? SocketAddress(storage: storage), let address = TransportAddress(local)
        else { throw LookupError("no route from this machine to \(server.displayText)") }
        return address.ip
    }
}

extension SocketAddress {
    fileprivate init(storage: sockaddr_storage) throws {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            self = withUnsafeBytes(of: &storage) { SocketAddress($0.load(as: sockaddr_in.self), host: "") }
        case AF_INET6:
            self = withUnsafeBytes(of: &storage) { SocketAddress($0.load(as: sockaddr_in6.self), host: "") }
        default:
            throw LookupError("unexpected address family \(storage.ss_family)")
        }
    }
}
