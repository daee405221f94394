import ArgumentParser
import Measurement
import RunModel

/// What `saturate --axis` changes: the unit of the steps' loads, what it cannot run with, and
/// how many allocations its last step holds at once.
extension Saturate {
    /// The last step's load, in the axis's unit.
    var lastLoad: Int {
        switch axis {
        case .calls: maxClients ?? 2000
        case .allocations: maxRate ?? 1000
        }
    }

    /// What --axis allocations cannot go with: each of its steps is calls arriving at a rate.
    func validateAxis() throws {
        guard axis == .allocations else {
            if maxRate != nil || holdTime != nil { throw ValidationError("--max-rate and --hold-time go with --axis allocations") }
            return
        }
        let refused: [(given: Bool, option: String, why: String)] = [
            (maxClients != nil, "--max-clients", "its steps are rates: give --max-rate"),
            (live, "--live", "its calls come and go, so there is no population to grow"),
            (holdVolume != nil, "--hold-volume", "a hold keeps calls up, which is --axis calls"),
            (load.mix != nil, "--mix", "its calls come and go; --mix runs a held population"),
            (!load.groups.isEmpty, "--group", "its calls come and go; --group runs a held population"),
        ]
        if let (_, option, why) = refused.first(where: \.given) {
            throw ValidationError("--axis allocations does not go with \(option): \(why)")
        }
    }

    /// How long each call talks on the allocations axis.
    var callHoldTime: HoldTime { holdTime ?? .fixed(.seconds(2)) }

    /// Allocations held at once at the last step, for descriptors and the in-process relay.
    var allocationsAtOnce: Int {
        let last = lastLoad + lastLoad % 2
        guard axis == .allocations else { return last }
        let callSize = load.topology == .pair ? 2 : 1
        return ArrivalPlan(rate: Double(last) / Double(callSize), holdTime: callHoldTime)
            .allocationsAtOnce(drain: load.drain.duration, callSize: callSize)
    }
}

extension SaturationAxis: ExpressibleByArgument {}
