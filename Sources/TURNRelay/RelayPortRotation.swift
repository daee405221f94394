import NIOCore
import PacketIO
import TURNProtocol

/// Where relayed sockets bind: a port the kernel picks, or the first free port of a range
/// from where the last one left off (wrapping), so that ports rotate instead of being reused
/// at once. Each loop has its own, starting at its own place in the range.
struct RelayPortRotation {
    let ports: ClosedRange<UInt16>?
    private var next: UInt16

    init(_ ports: ClosedRange<UInt16>?, loop: Int = 0, loops: Int = 1) {
        self.ports = ports
        next = ports.map { UInt16(Int($0.lowerBound) + $0.count * loop / max(1, loops)) } ?? 0
    }

    /// A non-blocking UDP socket bound on `ip`, and its address; nil when no port is free.
    mutating func bind(_ ip: IPAddress) -> (UDPSocket, TransportAddress)? {
        guard let ports else { return Self.bind(ip, port: 0) }
        for attempt in 0..<ports.count {
            let port = UInt16(Int(ports.lowerBound) + (Int(next) - Int(ports.lowerBound) + attempt) % ports.count)
            if let bound = Self.bind(ip, port: port) {
                next = port == ports.upperBound ? ports.lowerBound : port + 1
                return bound
            }
        }
        return nil
    }

    private static func bind(_ ip: IPAddress, port: UInt16) -> (UDPSocket, TransportAddress)? {
        guard let socket = try? UDPSocket.bound(to: SocketAddress(TransportAddress(ip: ip, port: port))),
            let bound = socket.localPort
        else { return nil }
        return (socket, TransportAddress(ip: ip, port: UInt16(bound)))
    }
}
