import LoadEngine
import NIOConcurrencyHelpers
import TURNClient
import TURNProtocol

/// The I/O of the search of the rate of new peers: each new peer the pacer asks for gets a
/// CreatePermission of its own, answered in a task of its own so that a slow answer holds up
/// no other; a granted peer the sink can hear (`NewPeerAddresses.delivers`) is sent one
/// packet for it to count. Of the peers asked for in a step's measured window, it tallies
/// those granted and those refused, by why.
final class NewPeerOpener: Sendable {
    let connection: TURNClientConnection
    let addresses: NewPeerAddresses
    private let state = NIOLockedValueBox(State())

    private struct State {
        var used = 0
        var granted: [UInt32: Int] = [:]
        var refused: [UInt32: [String: Int]] = [:]
    }

    init(connection: TURNClientConnection, addresses: NewPeerAddresses) {
        self.connection = connection
        self.addresses = addresses
    }

    /// New peers not yet given out.
    var remaining: Int { addresses.count - state.withLockedValue { $0.used } }

    func open(step: UInt32, measured: Bool) {
        let index = state.withLockedValue { state in
            defer { state.used += 1 }
            return state.used
        }
        guard let peer = addresses.address(index) else { return }
        Task {
            do {
                try await connection.createPermission(for: peer)
                if addresses.delivers {
                    connection.send(LimitSink.packet(step: step, measured: measured, bytes: LimitProbe.smallPacketBytes), to: peer)
                }
                guard measured else { return }
                state.withLockedValue { $0.granted[step, default: 0] += 1 }
            } catch {
                guard measured else { return }
                let reason = SetupFailure(error, step: "CreatePermission").reason
                state.withLockedValue { $0.refused[step, default: [:]][reason, default: 0] += 1 }
            }
        }
    }

    /// Of `step`'s measured window so far: the permissions granted, and those refused by why
    /// (an error code, `timeout`…).
    func tally(step: UInt32) -> (granted: Int, refused: [String: Int]) {
        state.withLockedValue { ($0.granted[step] ?? 0, $0.refused[step] ?? [:]) }
    }
}
