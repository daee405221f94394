import NIOCore
import TURNClient
import TURNProtocol

/// A simulated client's connection to the endpoint: over plain UDP a socket on its thread's
/// packet loop, read and written there with no pipeline; over TCP, TLS and DTLS a NIO channel.
enum LoadConnection: Sendable {
    case packetLoop(PacketLoopConnection)
    case nio(TURNClientConnection)

    /// Its TURN requests (allocate, channel bind, release…), whichever way it goes.
    var requests: any TURNRequests {
        switch self {
        case .packetLoop(let connection): connection
        case .nio(let connection): connection
        }
    }

    /// Each refresh its session made on its own, delivered on the client's thread.
    func onRefresh(_ body: @escaping @Sendable (TURNRefresh) -> Void) {
        switch self {
        case .packetLoop(let connection): connection.onRefresh(body)
        case .nio(let connection): connection.onRefresh(body)
        }
    }

    /// The client's end of the 5-tuple, and the server's, over `transport`:
    /// `udp 192.0.2.1:40123 → 203.0.113.5:3478`.
    var fiveTuple: String {
        let (transport, local, server): (String, SocketAddress?, SocketAddress) =
            switch self {
            case .packetLoop(let connection): ("udp", connection.socket.localAddress, connection.server)
            case .nio(let connection): (connection.transport.rawValue, connection.channel.localAddress, connection.server)
            }
        let text = { (address: SocketAddress?) in address.flatMap(TransportAddress.init).map { "\($0)" } ?? "?" }
        return "\(transport) \(text(local)) → \(text(server))"
    }

    func close() async {
        switch self {
        case .packetLoop(let connection): await connection.close()
        case .nio(let connection): await connection.close()
        }
    }
}
