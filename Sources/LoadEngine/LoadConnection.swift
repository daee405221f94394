import NIOCore
import TURNClient
import TURNProtocol

/// A simulated client's connection to the endpoint: over plain UDP a socket on its shard's
/// packet loop, read and written there with no pipeline; over TCP, TLS and DTLS a NIO channel.
enum LoadConnection: Sendable {
    case packetLoop(PacketLoopConnection)
    case nio(TURNClientConnection)

    func allocate() async throws -> TURNAllocation {
        switch self {
        case .packetLoop(let connection): try await connection.allocate()
        case .nio(let connection): try await connection.allocate()
        }
    }

    func bindChannel(to peer: TransportAddress) async throws -> ChannelNumber {
        switch self {
        case .packetLoop(let connection): try await connection.bindChannel(to: peer)
        case .nio(let connection): try await connection.bindChannel(to: peer)
        }
    }

    func release() async throws {
        switch self {
        case .packetLoop(let connection): try await connection.release()
        case .nio(let connection): try await connection.release()
        }
    }

    func close() async {
        switch self {
        case .packetLoop(let connection): await connection.close()
        case .nio(let connection): await connection.close()
        }
    }
}
