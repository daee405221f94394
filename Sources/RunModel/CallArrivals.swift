import Foundation
import Measurement

/// Calls that come and go (`--arrivals`, `--erlangs`): they arrive as a Poisson process at
/// `rate` a second (or evenly spaced) and each talks for a length drawn from `holdTime`.
public struct ArrivalPlan: Sendable, Equatable {
    /// Calls a second, all shards together.
    public var rate: Double
    public var holdTime: HoldTime
    public var spacing: Spacing

    /// How arrivals are spread in time.
    public enum Spacing: String, Sendable, Equatable {
        /// Exponential gaps: calls as people place them, clustered by chance.
        case poisson
        /// One every 1/rate, as wrk2 and k6's constant-arrival-rate pace requests: a step
        /// offers exactly its rate, so that a limit at that rate is not crossed by chance.
        case even
    }

    public init(rate: Double, holdTime: HoldTime, spacing: Spacing = .poisson) {
        self.rate = rate
        self.holdTime = holdTime
        self.spacing = spacing
    }

    /// `erlangs` of offered load: as many calls under way on average (Little's law), so
    /// arrivals at that many over the mean holding time.
    public init(erlangs: Double, holdTime: HoldTime) {
        self.init(rate: erlangs / (holdTime.mean / .seconds(1)), holdTime: holdTime)
    }

    /// The calls talking at once on average, once the first have had time to hang up.
    public var offeredErlangs: Double { rate * (holdTime.mean / .seconds(1)) }

    /// The calls that arrive within `window` of the start, seeded. Every machine draws the same
    /// calls in the same order and a shard takes every Nth, so that shards together are the one
    /// big run, each at its share of the rate.
    public func calls(seed: UInt64, shard: ShardAssignment, within window: Duration) -> CallArrivals {
        CallArrivals(plan: self, seed: seed, shard: shard, window: window)
    }
}

/// One call of an `ArrivalPlan`.
public struct ArrivingCall: Sendable, Equatable {
    /// Its place among all shards' calls, from 0.
    public var index: Int
    /// When it arrives, after the run's start.
    public var arrival: Duration
    /// How long it talks once its media flows.
    public var holdTime: Duration
}

/// The calls of a plan in arrival order: exponential gaps between arrivals from one
/// generator; each call's holding time from its own, keyed by its index, so that it does not
/// depend on which shard runs it.
public struct CallArrivals: Sequence, IteratorProtocol, Sendable {
    private let plan: ArrivalPlan
    private let seed: UInt64
    private let shard: ShardAssignment
    private let window: Double
    private var gaps: SplitMix64
    private var clock = 0.0
    private var index = -1

    init(plan: ArrivalPlan, seed: UInt64, shard: ShardAssignment, window: Duration) {
        self.plan = plan
        self.seed = seed
        self.shard = shard
        self.window = window / .seconds(1)
        gaps = SplitMix64(seed: seed ^ 0xA11C_A115)
    }

    public mutating func next() -> ArrivingCall? {
        while true {
            clock += plan.spacing == .even ? 1 / plan.rate : -log(1 - gaps.unit()) / plan.rate
            index += 1
            guard clock < window else { return nil }
            guard index % shard.count == shard.index - 1 else { continue }
            var own = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            return ArrivingCall(
                index: index, arrival: .nanoseconds(Int64(clock * 1e9)), holdTime: plan.holdTime.draw(using: &own))
        }
    }
}

extension ArrivalPlan {
    /// Allocations at once that a run stays under but with vanishing odds: the calls talking,
    /// five standard deviations of a Poisson count above their mean, and those hung up within
    /// `drain` that still hold theirs; for sizing descriptors and the in-process relay.
    public func allocationsAtOnce(drain: Duration, callSize: Int) -> Int {
        let holding = offeredErlangs + rate * (drain / .seconds(1) + 2)
        return Int((holding + 5 * holding.squareRoot()).rounded(.up) + 10) * callSize
    }
}
