import CPacketIO
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking UDP socket read and written with plain system calls, by whoever holds it;
/// its holder closes it.
public struct UDPSocket: Sendable, Hashable {
    public let descriptor: CInt

    /// Bound to `address` (port 0: the kernel picks), with receive and send buffers of
    /// `bufferBytes` when given: past net.core.[rw]mem_max where the process may (root), else
    /// capped there by the kernel. `sharingPort`: SO_REUSEPORT, so that the kernel spreads
    /// sources over several sockets bound to one address, each 5-tuple always to the same one.
    public static func bound(
        to address: SocketAddress, bufferBytes: Int? = nil,
        sharingPort: Bool = false
    ) throws(SocketError) -> UDPSocket {
        let family = address.protocol.rawValue
        let descriptor = socket(family, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(errno: errno, operation: "socket") }
        let socket = UDPSocket(descriptor: descriptor)
        if var bytes = bufferBytes.map(CInt.init) {
            let size = socklen_t(MemoryLayout<CInt>.size)
            if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, size) != 0 {
                setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &bytes, size)
            }
            if setsockopt(descriptor, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, size) != 0 {
                setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &bytes, size)
            }
        }
        if sharingPort {
            var on: CInt = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &on, socklen_t(MemoryLayout<CInt>.size))
        }
        guard address.withSockAddr({ bind(descriptor, $0, socklen_t($1)) }) == 0 else {
            let code = errno
            socket.close()
            throw SocketError(errno: code, operation: "bind \(address)")
        }
        return socket
    }

    /// Bound to `local` (by default any address of the server's family, a port the kernel
    /// picks) and connected to `server`: ICMP port unreachable reaches it as ECONNREFUSED, and
    /// only the server's datagrams do.
    public static func connected(to server: SocketAddress, from local: SocketAddress? = nil) throws(SocketError) -> UDPSocket {
        let wildcard = try! SocketAddress(ipAddress: server.protocol == .inet6 ? "::" : "0.0.0.0", port: 0)
        let socket = try UDPSocket.bound(to: local ?? wildcard)
        guard server.withSockAddr({ connect(socket.descriptor, $0, socklen_t($1)) }) == 0 else {
            let error = SocketError(errno: errno, operation: "connect \(server)")
            socket.close()
            throw error
        }
        return socket
    }

    public init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    /// The address the socket is bound to: for a connected socket, its end of the 5-tuple.
    public var localAddress: SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return nil }
        return SocketAddress(storage: storage)
    }

    /// The port the socket is bound to.
    public var localPort: Int? { localAddress?.port }

    /// Sends `bytes` on a connected socket without blocking: false when the socket's send
    /// buffer was full, the datagram lost. Other errors (a pending ICMP error of a connected
    /// socket) are left for the next read to report.
    @inline(__always)
    public func send(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard Glibc.send(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_DONTWAIT)) < 0 else { return true }
        return errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS
    }

    /// Has the kernel stamp each datagram as it queues it, so that its arrival time does not
    /// wait for the read (`DatagramBatch.arrival`).
    public func stampArrivals() { _ = pio_enable_timestamps(descriptor) }

    /// What the kernel dropped at this socket's full receive queue so far.
    public var receiveQueueDrops: Int { ReceiveQueueDrops.of(descriptor: descriptor) }

    public func close() { _ = Glibc.close(descriptor) }
}

extension SocketAddress {
    /// What the kernel wrote into `storage` (getsockname, recvfrom): nil for a family other
    /// than IPv4 and IPv6.
    public init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET: self = withUnsafeBytes(of: &storage) { SocketAddress($0.load(as: sockaddr_in.self), host: "") }
        case AF_INET6: self = withUnsafeBytes(of: &storage) { SocketAddress($0.load(as: sockaddr_in6.self), host: "") }
        default: return nil
        }
    }
}
