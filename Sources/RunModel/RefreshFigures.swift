import Measurement

/// The refreshes that kept the clients' allocations, permissions and channel bindings alive
/// through a run, each counted and timed; the failed ones by reason, each tried again.
public struct RefreshFigures: Sendable, Codable {
    /// Refreshes the server answered with success, by what they kept alive.
    public var allocation = 0
    public var permission = 0
    public var channel = 0
    /// Refreshes that met a 401 and went through with a fresh REST credential: the old one's
    /// TTL had run out.
    public var credentialRenewals = 0
    /// Failed refreshes by reason: an error code ("437", "403") or "timeout".
    public var failures: [String: Int] = [:]
    /// One full message per reason.
    public var failureExamples: [String: String] = [:]
    /// First send to success, every kind together.
    public var latency = Distribution()
    /// Why calls went silent with every refresh on schedule: the server's permission or
    /// channel lifetime ended before turnload refreshed them.
    public var lapse: String?

    public init() {}

    public var succeeded: Int { allocation + permission + channel }

    /// Another process's clients of the same run (a shard): counts and latencies add up.
    public mutating func merge(_ other: RefreshFigures) {
        allocation += other.allocation
        permission += other.permission
        channel += other.channel
        credentialRenewals += other.credentialRenewals
        failures.merge(other.failures, uniquingKeysWith: +)
        failureExamples.merge(other.failureExamples) { first, _ in first }
        latency.merge(other.latency)
        lapse = lapse ?? other.lapse
    }
}
