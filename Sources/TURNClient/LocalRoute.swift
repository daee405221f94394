import NIOCore
import PacketIO
import TURNProtocol

/// The local address that routes toward an endpoint: where a relay will see this machine's
/// peer sockets, when nothing NATs between them. A connected UDP socket asks the kernel's
/// routing table without sending a packet.
public enum LocalRoute {
    public static func address(toward server: SocketAddress) throws -> IPAddress {
        let socket: UDPSocket
        do { socket = try UDPSocket.connected(to: server) } catch {
            throw LookupError("no route from this machine to \(server.displayText) (\(error))")
        }
        defer { socket.close() }
        guard let local = socket.localAddress, let address = TransportAddress(local) else {
            throw LookupError("no route from this machine to \(server.displayText)")
        }
        return address.ip
    }
}
