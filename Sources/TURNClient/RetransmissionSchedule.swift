/// When a STUN request is sent again and when it is given up (RFC 8489 §6.2.1): over UDP and
/// DTLS the first send is followed by resends after RTO, 2·RTO, 4·RTO… until Rc sends in all,
/// then the client waits Rm·RTO more; over TCP and TLS the request goes once and times out
/// after Ti (39.5 s). With the defaults (RTO 500 ms, Rc 7, Rm 16) the sends go at 0, 0.5, 1.5,
/// 3.5, 7.5, 15.5 and 31.5 s and the transaction fails at 39.5 s.
public struct RetransmissionSchedule: Hashable, Sendable {
    public var rto: Duration
    public var maximumSends: Int
    public var finalWaitMultiplier: Int
    public var reliable: Bool

    /// A limit below the RFC's timeout, for a user's `--timeout`: sends stop and the
    /// transaction fails there.
    public var limit: Duration?

    public init(
        rto: Duration = .milliseconds(500), maximumSends: Int = 7, finalWaitMultiplier: Int = 16,
        reliable: Bool, limit: Duration? = nil
    ) {
        self.rto = rto
        self.maximumSends = maximumSends
        self.finalWaitMultiplier = finalWaitMultiplier
        self.reliable = reliable
        self.limit = limit
    }

    /// Offsets from the first send of every send, the first included.
    public var sendOffsets: [Duration] {
        guard let limit else { return uncappedSendOffsets }
        return uncappedSendOffsets.filter { $0 < limit }
    }

    /// Offset from the first send at which the transaction fails.
    public var timeout: Duration {
        guard let limit else { return uncappedTimeout }
        return min(limit, uncappedTimeout)
    }

    private var uncappedSendOffsets: [Duration] {
        if reliable { return [.zero] }
        var offsets: [Duration] = [.zero]
        var interval = rto
        while offsets.count < maximumSends {
            offsets.append(offsets.last! + interval)
            interval *= 2
        }
        return offsets
    }

    private var uncappedTimeout: Duration {
        if reliable { return .milliseconds(39_500) }
        return uncappedSendOffsets.last! + rto * finalWaitMultiplier
    }
}
