import Foundation

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
}

/// Round trips of the echo packets through the relay.
public struct EchoStatistics: Codable, Sendable, Hashable {
    public var sent: Int
    public var received: Int
    public var lossPercent: Double
    public var rttMinimumMilliseconds: Double?
    public var rttMedianMilliseconds: Double?
    public var rttP99Milliseconds: Double?

    public init(sent: Int, roundTrips: [Double]) {
        self.sent = sent
        received = roundTrips.count
        lossPercent = sent == 0 ? 0 : Double(sent - roundTrips.count) * 100 / Double(sent)
        let sorted = roundTrips.sorted()
        rttMinimumMilliseconds = sorted.first
        rttMedianMilliseconds = sorted.isEmpty ? nil : sorted[sorted.count / 2]
        rttP99Milliseconds = sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
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
    /// Stopped by SIGINT or SIGTERM before every step was taken.
    public var interrupted = false

    public var passed: Bool { !interrupted && !steps.isEmpty && steps.allSatisfy(\.ok) }

    public init(uri: String, transport: String) {
        self.uri = uri
        self.transport = transport
    }

    enum CodingKeys: String, CodingKey {
        case uri, transport, server, addresses, unanswered, redirectedFrom, passed, interrupted, steps, reflexiveAddress
        case relayedAddress, relayedAddresses, refusedFamily, lifetimeSeconds, software, peer, echo
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
    }
}

/// The table a person reads: a row per URI, a column per step, then what was learned and why
/// anything failed.
public enum ProbeTable {
    public static func render(_ results: [ProbeResult]) -> String {
        let header = ["URI"] + ProbeStep.allCases.map(\.rawValue)
        let rows = results.map { result in
            [result.uri]
                + ProbeStep.allCases.map { step in
                    guard let outcome = result.steps.first(where: { $0.step == step }) else { return "–" }
                    let time = outcome.milliseconds.map { " " + formatMilliseconds($0) } ?? ""
                    return (outcome.ok ? "✓" : "✗") + time
                }
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(header)] + rows.map(line)
        for result in results {
            var facts: [String] = []
            if let server = result.server {
                let others = (result.addresses ?? []).filter { $0 != server }
                facts.append("server \(server)" + (others.isEmpty ? "" : " (of \(result.addresses!.joined(separator: ", ")))"))
            }
            if let origin = result.redirectedFrom { facts.append("redirected from \(origin)") }
            if let software = result.software { facts.append("software \"\(software)\"") }
            if let reflexive = result.reflexiveAddress { facts.append("reflexive \(reflexive)") }
            if let relayed = result.relayedAddresses?.joined(separator: " and ") ?? result.relayedAddress {
                facts.append("relayed \(relayed)")
            }
            if let refused = result.refusedFamily { facts.append("no \(refused)") }
            if let lifetime = result.lifetimeSeconds { facts.append("lifetime \(lifetime) s") }
            if let echo = result.echo {
                var text = "echo \(echo.received)/\(echo.sent)"
                if let minimum = echo.rttMinimumMilliseconds, let median = echo.rttMedianMilliseconds,
                    let p99 = echo.rttP99Milliseconds
                {
                    text += ", RTT min/median/p99 \(formatMilliseconds(minimum))/\(formatMilliseconds(median))/\(formatMilliseconds(p99))"
                }
                facts.append(text)
            }
            lines.append("")
            let verdict = result.interrupted ? "INTERRUPTED" : result.passed ? "passed" : "FAILED"
            lines.append("\(result.uri): \(verdict)" + (facts.isEmpty ? "" : " — " + facts.joined(separator: ", ")))
            for address in result.unanswered ?? [] { lines.append("  · did not answer: \(address)") }
            for step in result.steps where !step.ok {
                lines.append("  ✗ \(step.step.rawValue): \(step.error ?? "failed")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

func formatMilliseconds(_ value: Double) -> String {
    if value >= 100 { return "\(Int(value.rounded())) ms" }
    if value >= 10 { return "\((value * 10).rounded() / 10) ms" }
    return "\((value * 100).rounded() / 100) ms"
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
