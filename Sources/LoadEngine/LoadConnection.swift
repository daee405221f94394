import TURNClient

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

    func close() async {
        switch self {
        case .packetLoop(let connection): await connection.close()
        case .nio(let connection): await connection.close()
        }
    }
}
