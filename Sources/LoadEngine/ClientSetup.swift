import NIOCore
import TURNClient
import TURNProtocol

/// One client's way to a relayed address: connect (and handshake), Allocate, timed; failures
/// by the reason a report can count them under.
struct ClientSetup: Sendable {
    let target: LoadTarget
    let server: SocketAddress
    let relayFamily: RelayFamily
    /// The family of the peer sockets the media goes to, when there are any (not in `pair`).
    let peerFamily: AddressFamily?
    let timeout: Duration
    let refreshIntervals: RefreshIntervals

    struct Allocated {
        let connection: LoadConnection
        let allocation: TURNAllocation
        /// Allocate alone, request to success, 401 challenge included.
        let allocateNanoseconds: Int64
    }

    /// Connects on `thread`'s loops and allocates. A 437 is asked once more from another port:
    /// the kernel may hand a new socket the port of a call that just hung up, whose allocation
    /// the relay has not yet forgotten (coturn keeps it a moment after Refresh 0), and RFC 8656
    /// §7.4 has the client try again from a different address. The mismatched socket stays
    /// open until the new one has its port, so that it cannot get the same one back.
    func allocate(on thread: ClientThread) async throws(SetupFailure) -> Allocated {
        let connection = try await connect(on: thread)
        do {
            return try await allocate(over: connection)
        } catch let failure where failure.reason == "\(STUNErrorCode.allocationMismatch.code)" {
            let another: LoadConnection
            do { another = try await connect(on: thread) } catch {
                await connection.close()
                throw error
            }
            await connection.close()
            do { return try await allocate(over: another) } catch {
                await another.close()
                throw error
            }
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Over plain UDP a socket the thread's packet loop reads, else a NIO channel on its event
    /// loop.
    private func connect(on thread: ClientThread) async throws(SetupFailure) -> LoadConnection {
        let configuration = TURNSessionConfiguration(
            credential: target.credential, reliable: target.uri.transport.isStream,
            relayFamily: relayFamily, requestTimeout: timeout, refreshIntervals: refreshIntervals)
        let connection: LoadConnection
        do {
            if let packetLoop = thread.packetLoop {
                let socket = try PacketLoopConnection(to: server, configuration: configuration, on: packetLoop)
                do { try await thread.onThread { try thread.register(socket) } } catch {
                    socket.socket.close()
                    throw error
                }
                connection = .packetLoop(socket)
            } else {
                connection = .nio(
                    try await TURNClientConnection.connect(
                        to: server, hostname: target.uri.host, transport: target.uri.transport, configuration: configuration,
                        tls: target.tls, group: thread.eventLoop, timeout: TimeAmount(timeout)))
            }
        } catch {
            throw SetupFailure(reason: "connect", detail: "\(error)")
        }
        // Delivered on the thread's loop, where its figures live.
        connection.onRefresh { refresh in thread.record(refresh) }
        return connection
    }

    /// Allocate, timed; the caller closes `connection` when this throws.
    private func allocate(over connection: LoadConnection) async throws(SetupFailure) -> Allocated {
        let start = monotonicNanoseconds()
        let allocation: TURNAllocation
        do { allocation = try await connection.requests.allocate() } catch { throw SetupFailure(error, step: "allocate") }
        if let peerFamily, allocation.relayed(for: peerFamily) == nil {
            let why = allocation.refusedFamily.map { " (\($0.error))" } ?? ""
            throw SetupFailure(
                reason: "family",
                detail: "allocate: no \(peerFamily == .ipv6 ? "IPv6" : "IPv4") relayed "
                    + "address\(why), the family of the peer sockets")
        }
        return Allocated(connection: connection, allocation: allocation, allocateNanoseconds: monotonicNanoseconds() - start)
    }
}

/// Why a client did not get going: a key to count by (an error code such as "486", or
/// "timeout", "connect") and the sentence to show once.
public struct SetupFailure: Error, Sendable, Hashable {
    public var reason: String
    public var detail: String

    init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public init(_ error: Error, step: String) {
        switch error {
        case TURNClientError.rejected(let code) where code.code == STUNErrorCode.forbidden.code:
            // The peers are the harness's own sockets (echo, sink) or other clients' relayed
            // addresses (pair), which a provider refusing private peers still accepts.
            self.init(
                reason: "\(code.code)",
                detail: "\(step): \(error): give --peer-host a public address of this machine, "
                    + "or use --topology pair")
        case TURNClientError.rejected(let code), TURNClientError.wrongCredentials(let code):
            self.init(reason: "\(code.code)", detail: "\(step): \(error)")
        case TURNClientError.timeout:
            self.init(reason: "timeout", detail: "\(step): \(error)")
        case TURNClientError.portUnreachable:
            self.init(reason: "unreachable", detail: "\(step): \(error): is the relay running, is the port right?")
        case is TURNRedirect:
            self.init(reason: "300", detail: "\(step): 300 Try Alternate (not followed under load)")
        default:
            self.init(reason: "error", detail: "\(step): \(error)")
        }
    }
}
