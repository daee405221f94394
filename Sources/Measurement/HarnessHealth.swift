/// The harness's check on itself: was the load generator, rather than the endpoint under test,
/// the bottleneck? A run whose verdict is `.saturated` measured the harness, not the relay.
///
/// Sends follow an absolute schedule (every frame interval at each client's phase); their
/// lateness is recorded instead of hidden, so coordinated omission shows.
public struct HarnessHealth: Sendable, Codable, Equatable {
    /// How late each send left against its scheduled moment, in nanoseconds.
    public var sendLateness = Distribution()
    /// Sends that left more than one frame interval after their scheduled moment (they are
    /// still sent, late, as the schedule is absolute; this counts how far behind it fell).
    public var missedTimers = 0
    /// Datagrams the kernel dropped from the harness's full socket receive queues (the per-socket
    /// counter SO_RXQ_OVFL reports).
    public var receiveQueueDrops = 0
    /// Datagrams the harness could not send because its own socket's send buffer was full.
    public var sendFailures = 0
    /// Process CPU time and the wall time it was measured over, in nanoseconds, and the cores
    /// the process could use.
    public var cpuTime: Int64 = 0
    public var elapsed: Int64 = 0
    public var coresAvailable = 0

    public init() {}

    /// Reads result files written before `sendFailures` existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sendLateness = try container.decode(Distribution.self, forKey: .sendLateness)
        missedTimers = try container.decode(Int.self, forKey: .missedTimers)
        receiveQueueDrops = try container.decode(Int.self, forKey: .receiveQueueDrops)
        sendFailures = try container.decodeIfPresent(Int.self, forKey: .sendFailures) ?? 0
        cpuTime = try container.decode(Int64.self, forKey: .cpuTime)
        elapsed = try container.decode(Int64.self, forKey: .elapsed)
        coresAvailable = try container.decode(Int.self, forKey: .coresAvailable)
    }

    /// One send went out `lateness` nanoseconds after its scheduled moment.
    @inlinable
    public mutating func recordSend(lateness: Int64) {
        sendLateness.record(lateness)
    }

    public mutating func recordMissedTimers(_ count: Int = 1) {
        missedTimers += count
    }

    public mutating func recordSendFailures(_ count: Int = 1) {
        sendFailures += count
    }

    public mutating func addReceiveQueueDrops(_ count: Int) {
        receiveQueueDrops += count
    }

    /// The process used `used` nanoseconds of CPU over `elapsed` nanoseconds of wall time,
    /// with `coresAvailable` cores to use.
    public mutating func recordCPU(used: Int64, over elapsed: Int64, coresAvailable: Int) {
        cpuTime = used
        self.elapsed = elapsed
        self.coresAvailable = coresAvailable
    }

    /// Sends made on schedule (late or not).
    public var sends: Int { sendLateness.count }

    /// Sends more than a frame interval late, as a fraction of all sends.
    public var missedTimerFraction: Double {
        sends == 0 ? 0 : Double(missedTimers) / Double(sends)
    }

    /// CPU used as a fraction of all available cores over the elapsed time (1 = every core busy).
    public var cpuUtilization: Double {
        guard elapsed > 0, coresAvailable > 0 else { return 0 }
        return Double(cpuTime) / (Double(elapsed) * Double(coresAvailable))
    }

    /// Adds another event loop's or shard's figures. Lateness, missed timers and drops add up;
    /// CPU keeps the busier of the two measurements, since shards run on separate machines and
    /// one saturated machine taints the whole run.
    public mutating func merge(_ other: HarnessHealth) {
        sendLateness.merge(other.sendLateness)
        missedTimers += other.missedTimers
        receiveQueueDrops += other.receiveQueueDrops
        sendFailures += other.sendFailures
        if other.cpuUtilization > cpuUtilization {
            recordCPU(used: other.cpuTime, over: other.elapsed, coresAvailable: other.coresAvailable)
        }
    }

    /// Saturated when any of these holds, each reported as a sentence with its figures:
    /// send lateness p99 above a quarter of the frame interval; more than 0.1 % of scheduled
    /// sends more than a frame interval late; any receive-queue drop; any send the harness's
    /// own socket refused; CPU above 90 % of the available cores.
    public func verdict(frameInterval: Int64) -> HarnessVerdict {
        var reasons: [String] = []

        let latenessLimit = frameInterval / 4
        let latenessP99 = sendLateness.percentile(99)
        if sends > 0, latenessP99 > latenessLimit {
            reasons.append(
                "send lateness p99 \(Self.milliseconds(latenessP99)) ms exceeds \(Self.milliseconds(latenessLimit)) ms "
                    + "(a quarter of the \(Self.milliseconds(frameInterval)) ms frame interval)")
        }
        if missedTimerFraction > 0.001 {
            reasons.append(
                "\(missedTimers) of \(sends) sends (\(DecimalText.short(100 * missedTimerFraction, decimals: 2))%) "
                    + "left more than one frame interval late, above the 0.1% limit")
        }
        if receiveQueueDrops > 0 {
            reasons.append(
                "the kernel dropped \(receiveQueueDrops) received datagrams from the harness's full socket receive queues")
        }
        if sendFailures > 0 {
            reasons.append("the harness could not send \(sendFailures) datagrams: its sockets' send buffers were full")
        }
        if cpuUtilization > 0.9 {
            let coresUsed = Double(cpuTime) / Double(elapsed)
            reasons.append(
                "CPU use \(DecimalText.short(coresUsed, decimals: 2)) of \(coresAvailable) cores "
                    + "(\(DecimalText.short(100 * cpuUtilization))%) exceeds 90% of the cores available")
        }
        return reasons.isEmpty ? .healthy : .saturated(reasons: reasons)
    }

    /// The figures for a report, with the verdict for `frameInterval` nanoseconds.
    public func summary(frameInterval: Int64) -> HarnessHealthSummary {
        HarnessHealthSummary(
            sends: sends,
            missedTimers: missedTimers,
            missedTimerPercent: 100 * missedTimerFraction,
            sendLateness: sendLateness.summary,
            receiveQueueDrops: receiveQueueDrops,
            cpuSeconds: Double(cpuTime) / 1e9,
            elapsedSeconds: Double(elapsed) / 1e9,
            coresAvailable: coresAvailable,
            cpuPercentOfAvailable: 100 * cpuUtilization,
            verdict: verdict(frameInterval: frameInterval)
        )
    }

    private static func milliseconds(_ nanoseconds: Int64) -> String {
        DecimalText.short(Double(nanoseconds) / 1e6)
    }
}

public enum HarnessVerdict: Sendable, Codable, Equatable {
    /// The harness kept its schedule and its queues: the figures describe the endpoint.
    case healthy
    /// The harness itself was a bottleneck; the reasons say where, with figures.
    case saturated(reasons: [String])
}

/// The report figures of `HarnessHealth`.
public struct HarnessHealthSummary: Sendable, Codable, Equatable {
    public var sends: Int
    public var missedTimers: Int
    public var missedTimerPercent: Double
    /// Milliseconds.
    public var sendLateness: DistributionSummary
    public var receiveQueueDrops: Int
    public var cpuSeconds: Double
    public var elapsedSeconds: Double
    public var coresAvailable: Int
    /// CPU time over elapsed time × cores, in percent.
    public var cpuPercentOfAvailable: Double
    public var verdict: HarnessVerdict
    /// What the harness's own work cost at full load (the ramp's allocations apart), from its
    /// threads' CPU: microseconds per echoed message in `echo` (a send, its echo and both
    /// receives), per packet sent otherwise.
    public var cpuMicrosecondsPerMessage: Double?
    /// Calls one core of this machine holds at this media setting, at that cost: a lower
    /// bound, since the cost per message falls as a heavier load batches more.
    public var callsPerCore: Double?

    /// Sets the cost figures: `cpuSeconds` spent on `messages` of `calls` calls over `seconds`.
    public mutating func recordCost(cpuSeconds: Double, messages: Int, calls: Int, seconds: Double) {
        guard messages > 0, calls > 0, cpuSeconds > 0 else { return }
        cpuMicrosecondsPerMessage = cpuSeconds * 1e6 / Double(messages)
        callsPerCore = Double(calls) * seconds / cpuSeconds
    }
}
