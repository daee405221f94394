import TURNProtocol

/// How many requests without valid credentials the relay answers: at most `perAddress` a
/// second from any one source and `total` a second in all, so that a flood of credential-less
/// Allocates costs little and cannot crowd out the other clients. Fixed one-second windows: the
/// table of sources is emptied each second, so it stays as small as one second's sources.
struct UnauthenticatedLimit: Sendable {
    let perAddress: Int
    let total: Int
    private var window: Int64 = -1
    private var counts: [TransportAddress: Int] = [:]
    private var sum = 0

    init(perAddress: Int, total: Int) {
        self.perAddress = perAddress
        self.total = total
    }

    mutating func admit(_ source: TransportAddress, now: Duration) -> Bool {
        let second = now.components.seconds
        if second != window {
            window = second
            counts.removeAll(keepingCapacity: true)
            sum = 0
        }
        guard sum < total, counts[source, default: 0] < perAddress else { return false }
        counts[source, default: 0] += 1
        sum += 1
        return true
    }
}
