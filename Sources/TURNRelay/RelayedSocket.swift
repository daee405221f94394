import NIOCore
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// A UDP socket bound for an allocation, with its address known at once: the Allocate reply
/// names it before NIO has adopted the socket.
struct BoundUDPSocket {
    let descriptor: CInt
    let address: TransportAddress

    /// Binds to a port the kernel picks, or to the first free port of `ports` from `next` on
    /// (wrapping), and moves `next` past it, so that ports rotate instead of being reused at once.
    init(ip: IPAddress, ports: ClosedRange<UInt16>?, next: inout UInt16) throws {
        let descriptor = socket(ip.family == .ipv6 ? AF_INET6 : AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var bound = false
        if let ports {
            for attempt in 0..<ports.count {
                let port = UInt16(Int(ports.lowerBound) + (Int(next) - Int(ports.lowerBound) + attempt) % ports.count)
                if Self.bind(descriptor, TransportAddress(ip: ip, port: port)) {
                    next = port == ports.upperBound ? ports.lowerBound : port + 1
                    bound = true
                    break
                }
            }
        } else {
            bound = Self.bind(descriptor, TransportAddress(ip: ip, port: 0))
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard bound, named == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw IOError(errnoCode: code, reason: "bind")
        }
        let port = withUnsafeBytes(of: storage) { raw in
            UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        }
        self.descriptor = descriptor
        address = TransportAddress(ip: ip, port: port)
    }

    private static func bind(_ descriptor: CInt, _ address: TransportAddress) -> Bool {
        SocketAddress(address).withSockAddr { Glibc.bind(descriptor, $0, socklen_t($1)) } == 0
    }
}

/// A relayed socket the server owns, and its descriptor, to ask the kernel what it dropped.
struct RelayedSocket {
    let channel: Channel
    let descriptor: CInt
}
