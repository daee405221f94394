import Measurement
import NIOCore
import PacketIO
import RunModel
import Synchronization

/// Sends a run's abuse (`--abuse`) at the endpoint from a socket of each kind's own, in the
/// plan's abusive windows, and counts what comes back. The run tells it each second as it
/// ends (`second(_:)`), so that its windows are the run's seconds. Bounded: at most each
/// kind's rate while abusive, and nothing once finished.
public final class AbuseSender: Sendable {
    private let plan: AbusePlan
    private let sockets: [UDPSocket]
    private let abusive = Switch()
    private let task: Task<[AbuseFigures.KindFigures], Never>

    /// Over IPv4 loopback the abuse comes from 127.0.0.2, an address of its own, as from
    /// another host: a relay's limits per source then fall on it, not on the measured calls.
    public init(_ plan: AbusePlan, server: SocketAddress, seed: UInt64) throws(SocketError) {
        let local = server.ipAddress == "127.0.0.1" ? try! SocketAddress(ipAddress: "127.0.0.2", port: 0) : nil
        var sockets: [UDPSocket] = []
        for _ in plan.shares {
            do { sockets.append(try UDPSocket.connected(to: server, from: local)) } catch {
                for socket in sockets { socket.close() }
                throw error
            }
        }
        self.plan = plan
        self.sockets = sockets
        task = Task { [abusive] in await Self.send(plan, on: sockets, seed: seed, while: abusive) }
    }

    /// Second `second` of the run has ended: the next one is abusive or quiet as the plan says.
    public func second(_ second: Int) {
        abusive.on.store(plan.isAbusive(second: second + 1), ordering: .relaxed)
    }

    /// Stops sending, waits a moment for the last answers, and closes the sockets.
    public func finish() async -> [AbuseFigures.KindFigures] {
        abusive.on.store(false, ordering: .relaxed)
        task.cancel()
        let figures = await task.value
        for socket in sockets { socket.close() }
        return figures
    }

    private static let tick = Duration.milliseconds(10)

    private final class Switch: Sendable {
        let on = Atomic<Bool>(false)
    }

    private static func send(
        _ plan: AbusePlan, on sockets: [UDPSocket], seed: UInt64, while abusive: Switch
    ) async -> [AbuseFigures.KindFigures] {
        var datagrams = AbuseDatagrams(seed: seed)
        var figures = plan.shares.map { AbuseFigures.KindFigures(kind: $0.kind, rate: $0.rate, sent: 0, answers: [:]) }
        var owed = [Double](repeating: 0, count: plan.shares.count)
        let batch = DatagramBatch()
        var last = ContinuousClock.now
        var lingering = 0
        // After the stop, a few ticks more to hear the last answers.
        while lingering < 20 {
            try? await Task.sleep(for: tick)
            if Task.isCancelled { lingering += 1 }
            let now = ContinuousClock.now
            let elapsed = Double((now - last).nanosecondsValue) / 1e9
            last = now
            let sending = abusive.on.load(ordering: .relaxed) && !Task.isCancelled
            for (index, share) in plan.shares.enumerated() {
                // A stalled tick does not make up for lost time in one burst: at most a tenth of
                // a second's worth, and never less than one datagram.
                owed[index] = sending ? min(owed[index] + Double(share.rate) * elapsed, max(1, Double(share.rate) * 0.1)) : 0
                while owed[index] >= 1 {
                    owed[index] -= 1
                    let datagram = datagrams.next(share.kind)
                    if datagram.withUnsafeReadableBytes({ sockets[index].send($0) }) { figures[index].sent += 1 }
                }
                while case .success(let count) = batch.receive(from: sockets[index].descriptor), count > 0 {
                    for received in 0..<count {
                        let answer = datagrams.answer(ByteBuffer(bytes: batch.datagram(received)), to: share.kind)
                        figures[index].answers[answer, default: 0] += 1
                    }
                }
            }
        }
        return figures
    }
}
