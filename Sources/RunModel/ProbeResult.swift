import Measurement

/// The steps a probe walks through, in order.
public enum ProbeStep: String, CaseIterable, Codable, Sendable {
    case resolve, connect, binding, allocate, permission, channel, echo, refresh, release
}

public struct ProbeStepResult: Codable, Sendable, Hashable {
    public var step: ProbeStep
    public var ok: Bool
    public var milliseconds: Double?
    public var detail: String?
    public var error: String?

    public init(step: ProbeStep, ok: Bool, milliseconds: Double?, detail: String? = nil, error: String? = nil) {
        self.step = step
        self.ok = ok
        self.milliseconds = milliseconds
        self.detail = detail
        self.error = error
    }
}

/// Round trips of the echo packets through the relay.
public struct EchoStatistics: Codable, Sendable, Hashable {
    public var sent: Int
    public var received: Int
    public var lossPercent: Double
    public var rttMinimumMilliseconds: Double?
    public var rttMedianMilliseconds: Double?
    public var rttP99Milliseconds: Double?

    /// `roundTrips` in nanoseconds, one sample per echo that came back.
    public init(sent: Int, roundTrips: Distribution) {
        self.sent = sent
        received = roundTrips.count
        lossPercent = sent == 0 ? 0 : Double(sent - roundTrips.count) * 100 / Double(sent)
        let summary = roundTrips.count == 0 ? nil : roundTrips.summary
        rttMinimumMilliseconds = summary?.min
        rttMedianMilliseconds = summary?.p50
        rttP99Milliseconds = summary?.p99
    }
}

/// Everything a probe learned about one URI. Holds no credential.
public struct ProbeResult: Encodable, Sendable, Hashable {
    public var uri: String
    public var transport: String
    /// The address that answered and was probed.
    public var server: String?
    /// Every address the name resolved to, in the order tried, when it had more than one.
    public var addresses: [String]?
    /// Addresses tried before `server` that did not answer, each with why.
    public var unanswered: [String]?
    /// The server that answered Allocate with 300 Try Alternate, when one did.
    public var redirectedFrom: String?
    public var steps: [ProbeStepResult] = []
    public var reflexiveAddress: String?
    /// The first relayed address; the echo goes through it unless `--peer` is of the other family.
    public var relayedAddress: String?
    /// Both relayed addresses of a dual allocation.
    public var relayedAddresses: [String]?
    /// The family a dual allocation did not get, and the server's reason.
    public var refusedFamily: String?
    public var lifetimeSeconds: UInt32?
    public var software: String?
    public var peer: String?
    public var echo: EchoStatistics?
    /// `--limits`: the allocation's packet-rate and bit-rate caps, with their evidence.
    public var limits: ProbeLimits?
    /// Stopped by SIGINT or SIGTERM before every step was taken.
    public var interrupted = false

    public var passed: Bool { !interrupted && !steps.isEmpty && steps.allSatisfy(\.ok) }

    public init(uri: String, transport: String) {
        self.uri = uri
        self.transport = transport
    }

    enum CodingKeys: String, CodingKey {
        case uri, transport, server, addresses, unanswered, redirectedFrom, passed, interrupted, steps, reflexiveAddress
        case relayedAddress, relayedAddresses, refusedFamily, lifetimeSeconds, software, peer, echo, limits
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uri, forKey: .uri)
        try container.encode(transport, forKey: .transport)
        try container.encodeIfPresent(server, forKey: .server)
        try container.encodeIfPresent(addresses, forKey: .addresses)
        try container.encodeIfPresent(unanswered, forKey: .unanswered)
        try container.encodeIfPresent(redirectedFrom, forKey: .redirectedFrom)
        try container.encode(passed, forKey: .passed)
        if interrupted { try container.encode(interrupted, forKey: .interrupted) }
        try container.encode(steps, forKey: .steps)
        try container.encodeIfPresent(reflexiveAddress, forKey: .reflexiveAddress)
        try container.encodeIfPresent(relayedAddress, forKey: .relayedAddress)
        try container.encodeIfPresent(relayedAddresses, forKey: .relayedAddresses)
        try container.encodeIfPresent(refusedFamily, forKey: .refusedFamily)
        try container.encodeIfPresent(lifetimeSeconds, forKey: .lifetimeSeconds)
        try container.encodeIfPresent(software, forKey: .software)
        try container.encodeIfPresent(peer, forKey: .peer)
        try container.encodeIfPresent(echo, forKey: .echo)
        try container.encodeIfPresent(limits, forKey: .limits)
    }
}
