import TURNProtocol

/// How many requests without valid credentials (and Binding requests) the relay answers: at
/// most `perSource` a second from any one source address (IPv4, or IPv6 /64, whatever its
/// ports) and `total` a second in all, so that a flood costs little, cannot crowd out other
/// sources, and gains a reflector little. Fixed one-second windows: the table of sources is
/// emptied each second, so it stays as small as one second's sources.
struct UnauthenticatedLimit: Sendable {
    let perSource: Int
    let total: Int
    private var window: Int64 = -1
    private var counts: [IPAddress: Int] = [:]
    private var sum = 0

    init(perSource: Int, total: Int) {
        self.perSource = perSource
        self.total = total
    }

    mutating func admit(_ source: TransportAddress, now: Duration) -> Bool {
        let second = now.components.seconds
        if second != window {
            window = second
            counts.removeAll(keepingCapacity: true)
            sum = 0
        }
        let key = source.ip.source
        guard sum < total, counts[key, default: 0] < perSource else { return false }
        counts[key, default: 0] += 1
        sum += 1
        return true
    }
}
