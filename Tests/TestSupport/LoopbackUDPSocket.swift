import Foundation

/// A blocking UDP socket on loopback for tests that need raw datagrams: floods, garbage,
/// counting replies. It sends to 127.0.0.1; it can send from another loopback address
/// (`127.0.0.2`), a source apart from the test's clients.
public final class LoopbackUDPSocket {
    private let descriptor: Int32
    public let port: Int

    public init(ip: UInt32 = 0x7F00_0001) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = LoopbackAddress(port: 0, ip: ip)
        let bound = address.withSocketAddress { bind(descriptor, $0, $1.pointee) }
        let named = address.withSocketAddress { getsockname(descriptor, $0, $1) }
        guard descriptor >= 0, bound == 0, named == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        self.descriptor = descriptor
        port = address.port
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    public func send(_ bytes: [UInt8], toPort port: Int) {
        var address = LoopbackAddress(port: port)
        _ = address.withSocketAddress { sendto(descriptor, bytes, bytes.count, 0, $0, $1.pointee) }
    }

    /// Datagrams that arrive until none has for 200 ms.
    public func receiveAll() -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { return datagrams }
            datagrams.append(Array(buffer[0..<count]))
        }
    }
}
