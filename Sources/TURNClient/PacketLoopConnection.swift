import NIOCore
import PacketIO
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// One client's connection to a TURN server over plain UDP, on a `PacketLoop`: a connected
/// non-blocking socket and its `TURNSession`, with no pipeline in between. The loop's handler
/// reads the socket and passes on here what is not media (`receive`), and calls `advance` once
/// `deadline` has passed; requests may be made from any thread and are carried out on the loop.
/// Unchecked Sendable: its vars are its PacketLoop's thread's, which NIO does not own; requests hop there.
public final class PacketLoopConnection: TURNRequests, @unchecked Sendable {
    public let socket: UDPSocket
    public let server: SocketAddress
    public let loop: PacketLoop
    /// On the loop only.
    private var runner: TURNSessionRunner
    private var isOpen = true
    private let origin = PacketLoop.now()
    /// When `advance` is next due (the loop's clock), on the loop only: retransmissions,
    /// timeouts, refreshes.
    public private(set) var deadline: Int64?

    /// A socket connected to `server` (so that ICMP port unreachable reaches it as ECONNREFUSED,
    /// and only the server's datagrams do), not yet watched: the loop's handler watches it.
    public init(to server: SocketAddress, configuration: TURNSessionConfiguration, on loop: PacketLoop) throws(SocketError) {
        socket = try UDPSocket.connected(to: server)
        self.server = server
        self.loop = loop
        runner = TURNSessionRunner(configuration: configuration)
    }

    // MARK: from any thread (and the requests of `TURNRequests`)

    /// Stops watching and closes the socket; whatever still waits fails as "connection closed".
    public func close() async {
        _ = try? await loop.submit { self.closeOnLoop() }
    }

    /// Each refresh the session made on its own, answered or failed, delivered on the loop.
    public func onRefresh(_ body: @escaping @Sendable (TURNRefresh) -> Void) {
        loop.execute { self.runner.onRefresh = body }
    }

    // MARK: on the loop

    /// A datagram from the server that is not the loop's own media.
    public func receive(_ datagram: UnsafeRawBufferPointer, now: Int64) {
        guard isOpen else { return }
        carryOut(runner.receive(ByteBuffer(bytes: datagram), now: elapsed(now), unixTime: Int64(time(nil))))
    }

    /// A read error: ECONNREFUSED says nothing listens at the server's port (ICMP port
    /// unreachable); each waiting request fails with it, and the socket stays open.
    public func fail(_ error: SocketError) {
        carryOut(runner.failAll(error.errno == ECONNREFUSED ? TURNClientError.portUnreachable : error))
    }

    public func advance(now: Int64) {
        guard isOpen else { return }
        carryOut(runner.advance(to: elapsed(now)))
    }

    public func closeOnLoop() {
        guard isOpen else { return }
        isOpen = false
        deadline = nil
        loop.unwatch(socket.descriptor)
        socket.close()
        runner.failAll(TURNClientError.connectionClosed).settle()
    }

    public func perform(
        _ call: @escaping @Sendable (inout TURNSession, Duration) -> [TURNSessionOutput],
        until matches: @escaping @Sendable (TURNSessionEvent) -> Bool
    ) async throws -> TURNSessionEvent {
        try await withCheckedThrowingContinuation { continuation in
            loop.execute {
                guard self.isOpen else { return continuation.resume(throwing: TURNClientError.connectionClosed) }
                self.carryOut(
                    self.runner.perform(call, now: self.elapsed(PacketLoop.now()), until: matches) {
                        continuation.resume(with: $0)
                    })
            }
        }
    }

    /// Sends what the step asks (a full send buffer loses a request as the network would,
    /// and the session retransmits), settles its waiters, and notes the next deadline.
    private func carryOut(_ step: TURNSessionRunner.Step) {
        for bytes in step.sends where isOpen {
            _ = bytes.withUnsafeReadableBytes { socket.send($0) }
        }
        step.settle()
        deadline = isOpen ? runner.session.nextDeadline.map { origin + $0.nanosecondsValue } : nil
    }

    private func elapsed(_ now: Int64) -> Duration { .nanoseconds(now - origin) }
}
