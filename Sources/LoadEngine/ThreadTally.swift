import Measurement

/// A thread's running figures, over the run or over one second; threads' tallies add up.
struct ThreadTally: Sendable {
    /// Each client's stream as the far end receives it (the peer socket, or the partner).
    var towardPeer = DirectionMetrics()
    /// The echo, as the client receives it.
    var towardClient = DirectionMetrics()
    var rtt = Distribution()
    /// Send lateness and sends more than a frame interval late.
    var health = HarnessHealth()

    mutating func merge(_ other: ThreadTally) {
        towardPeer.merge(other.towardPeer)
        towardClient.merge(other.towardClient)
        rtt.merge(other.rtt)
        health.merge(other.health)
    }
}
