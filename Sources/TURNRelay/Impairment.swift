import FoundationEssentials
import Measurement
import TURNProtocol

/// Network impairment the relay injects on relayed packets, so that users can check that
/// turnload measures a known loss, delay or jitter exactly: `loss=1%,delay=20ms,jitter=5ms,
/// reorder=0.5%,duplicate=0.1%`, each optional.
public struct Impairment: Hashable, Sendable {
    public var loss: Double = 0
    public var delay: Duration = .zero
    public var jitter: Duration = .zero
    /// Share of packets held back until the next packet to the same place has gone: each
    /// swaps places with its successor, as a reordering path does, so that a receiver sees
    /// exactly one packet out of order per packet held, at any packet rate.
    public var reorder: Double = 0
    public var duplicate: Double = 0

    public init() {}

    public var isNone: Bool { self == Impairment() }

    public init(parsing text: String) throws(ImpairmentError) {
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw .invalid(item, "expected name=value") }
            switch parts[0] {
            case "loss": loss = try Self.percentage(parts[1], item)
            case "reorder": reorder = try Self.percentage(parts[1], item)
            case "duplicate": duplicate = try Self.percentage(parts[1], item)
            case "delay": delay = try Self.duration(parts[1], item)
            case "jitter": jitter = try Self.duration(parts[1], item)
            default: throw .invalid(item, "unknown impairment (loss, delay, jitter, reorder, duplicate)")
            }
        }
    }

    private static func percentage(_ text: String, _ item: String) throws(ImpairmentError) -> Double {
        guard text.hasSuffix("%"), let value = Double(text.dropLast()), (0...100).contains(value) else {
            throw .invalid(item, "expected a percentage from 0% to 100%")
        }
        return value / 100
    }

    private static func duration(_ text: String, _ item: String) throws(ImpairmentError) -> Duration {
        guard text.hasSuffix("ms"), let value = Double(text.dropLast(2)), value >= 0, value <= 10_000 else {
            throw .invalid(item, "expected milliseconds, e.g. 20ms (at most 10000ms)")
        }
        return .microseconds(Int64(value * 1000))
    }
}

public enum ImpairmentError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let item, let why): "--impair \(item): \(why)"
        }
    }
}

/// What happens to one packet.
public struct Fate: Hashable, Sendable {
    /// When to send each copy: none when it is lost, two when it is duplicated.
    public var delays: [Duration]
    /// Held back until the next packet of its flow has gone.
    public var heldBack: Bool
}

/// Decides each packet's fate, deterministically from a seed so that a run can be repeated.
public struct Impairer: Sendable {
    public let impairment: Impairment
    private var random: SplitMix64

    public init(_ impairment: Impairment, seed: UInt64) {
        self.impairment = impairment
        random = SplitMix64(seed: seed)
    }

    public mutating func fate() -> Fate {
        if random.unit() < impairment.loss { return Fate(delays: [], heldBack: false) }
        var delays = [delay()]
        if random.unit() < impairment.duplicate { delays.append(delay()) }
        return Fate(delays: delays, heldBack: random.unit() < impairment.reorder)
    }

    private mutating func delay() -> Duration {
        guard impairment.jitter > .zero else { return impairment.delay }
        // Uniform in ±jitter, never below zero.
        let offset = (random.unit() * 2 - 1) * (impairment.jitter / .nanoseconds(1))
        return max(.zero, impairment.delay + .nanoseconds(Int64(offset)))
    }
}
