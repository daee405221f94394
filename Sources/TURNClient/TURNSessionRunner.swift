import NIOCore
import TURNProtocol

/// A `TURNSession` and whoever awaits its requests, without I/O: what to send and which
/// waiters to settle come back from each call, for the driver that owns the socket (a NIO
/// handler, or a packet loop) to carry out. Settling is left to the driver, after the call,
/// so that a waiter resumed at once may start the next request without re-entering.
struct TURNSessionRunner {
    private(set) var session: TURNSession
    private var waiters: [(matches: (TURNSessionEvent) -> Bool, settle: (Result<TURNSessionEvent, Error>) -> Void)] = []
    /// Application data from peers (Data indications, ChannelData the driver did not take).
    var onData: ((TransportAddress, ByteBuffer) -> Void)?
    /// The refreshes the session made on its own, for whoever counts them.
    var onRefresh: ((TURNRefresh) -> Void)?

    /// What a call asks of the driver: datagrams or frames to send, in order, then waiters
    /// to settle.
    struct Step {
        var sends: [ByteBuffer] = []
        var settlements: [() -> Void] = []

        func settle() { for settlement in settlements { settlement() } }
    }

    init(configuration: TURNSessionConfiguration) {
        session = TURNSession(configuration: configuration)
    }

    /// Runs a session call; `settle` hears of the first event that `matches`, or of a failure.
    mutating func perform(
        _ call: (inout TURNSession, Duration) -> [TURNSessionOutput], now: Duration,
        until matches: @escaping (TURNSessionEvent) -> Bool,
        settle: @escaping (Result<TURNSessionEvent, Error>) -> Void
    ) -> Step {
        waiters.append((matches, settle))
        return handle(call(&session, now))
    }

    mutating func receive(_ frame: TURNFrame, now: Duration, unixTime: Int64) -> Step {
        handle(session.receive(frame, now: now, unixTime: unixTime))
    }

    mutating func receive(_ bytes: ByteBuffer, now: Duration, unixTime: Int64) -> Step {
        handle(session.receive(bytes, now: now, unixTime: unixTime))
    }

    /// Retransmissions, timeouts and refreshes due by `now`.
    mutating func advance(to now: Duration) -> Step {
        handle(session.advance(to: now))
    }

    /// Every waiter fails with `error`: the connection is gone, or the server unreachable.
    mutating func failAll(_ error: Error) -> Step {
        let failed = waiters
        waiters = []
        return Step(settlements: failed.map { waiter in { waiter.settle(.failure(error)) } })
    }

    private mutating func handle(_ outputs: [TURNSessionOutput]) -> Step {
        var step = Step()
        for output in outputs {
            switch output {
            case .send(let bytes):
                step.sends.append(bytes)
            case .event(.data(let peer, let payload)):
                if let onData { step.settlements.append { onData(peer, payload) } }
            case .event(.refreshDone(let refresh)):
                if let onRefresh { step.settlements.append { onRefresh(refresh) } }
            case .event(let event):
                if let index = waiters.firstIndex(where: { $0.matches(event) }) {
                    let waiter = waiters.remove(at: index)
                    step.settlements.append { waiter.settle(.success(event)) }
                }
            }
        }
        return step
    }
}
