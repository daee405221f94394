import Synchronization
import TURNProtocol

/// What the relay's loops count together: allocations in all and per user, new allocations
/// a second, and requests without valid credentials a second. Each loop's core owns its own clients' allocations, so
/// these limits must hold across them; a core asks only on an Allocate, a release or an
/// unauthenticated request (the control plane), never per relayed packet, so a lock is cheap.
public final class RelayLedger: Sendable {
    private let maximumAllocations: Int
    private let maximumPerUser: Int
    private let state: Mutex<State>

    private struct State {
        var allocations = 0
        var perUser: [QuotaHolder: Int] = [:]
        var unauthenticated: UnauthenticatedLimit
        var allocateRate: TokenBucket?
    }

    public init(configuration: RelayConfiguration) {
        maximumAllocations = configuration.maximumAllocations
        maximumPerUser = configuration.maximumAllocationsPerUser
        state = Mutex(
            State(
                unauthenticated: UnauthenticatedLimit(
                    perSource: configuration.maximumUnauthenticatedPerAddressPerSecond, total: configuration.maximumUnauthenticatedPerSecond
                ),
                allocateRate: configuration.maximumAllocationsPerSecond.map(TokenBucket.allocations(perSecond:))))
    }

    enum Reservation { case granted, quotaReached, atCapacity }

    /// Counts one more allocation for `holder`, unless its quota or the relay is full (the
    /// quota first: its answer, 486, tells the client more than 508).
    func reserve(_ holder: QuotaHolder) -> Reservation {
        state.withLock { state in
            guard state.perUser[holder, default: 0] < maximumPerUser else { return .quotaReached }
            guard state.allocations < maximumAllocations else { return .atCapacity }
            state.perUser[holder, default: 0] += 1
            state.allocations += 1
            return .granted
        }
    }

    func release(_ holder: QuotaHolder) {
        state.withLock { state in
            state.allocations -= 1
            state.perUser[holder, default: 1] -= 1
            if state.perUser[holder] == 0 { state.perUser[holder] = nil }
        }
    }

    /// One more new allocation at `now` (on the relay's clock): false when over
    /// `maximumAllocationsPerSecond`.
    func admitAllocation(now: Duration) -> Bool {
        state.withLock { state in state.allocateRate?.admit(now: now) ?? true }
    }

    /// One more request without valid credentials from `source` at `now` (on the relay's
    /// clock, shared by its loops): false when over the limits.
    func admitUnauthenticated(_ source: TransportAddress, now: Duration) -> Bool {
        state.withLock { $0.unauthenticated.admit(source, now: now) }
    }
}

/// Whom an allocation counts against for `maximumAllocationsPerUser`: a static user, or a
/// REST username's user part without its expiry (empty for a bare `expiry`), since whoever
/// holds one can mint a username for every expiry they like.
enum QuotaHolder: Hashable {
    case user(String)
    case restUser(Substring)

    init(_ username: String, configuration: RelayConfiguration) {
        if configuration.users[username] != nil {
            self = .user(username)
        } else {
            self = .restUser(username.firstIndex(of: ":").map { username[username.index(after: $0)...] } ?? "")
        }
    }
}
