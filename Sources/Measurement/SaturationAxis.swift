/// What a saturation search steps up: the calls talking at once (the media plane), or the
/// rate of new allocations (the control plane: Allocate, 401 round, ChannelBind, release).
public enum SaturationAxis: String, Sendable, Codable, CaseIterable {
    case calls
    case allocations

    /// A step's load in this axis's unit, as findings say it: `200 calls`, `40 allocations/s`.
    public func load(_ value: Int) -> String {
        switch self {
        case .calls: "\(value) calls"
        case .allocations: "\(value) allocations/s"
        }
    }

    /// What a step must hold to be clean when no `--threshold` is given: the media figures
    /// for calls; for allocations, the setups themselves, since calls of a few seconds say
    /// little of the media and a relay's control plane fails by refusing or by stalling.
    public var defaultThresholds: [Threshold] {
        switch self {
        case .calls: Threshold.defaults
        case .allocations: [Threshold(.setupFailure, .below, 1), Threshold(.allocationP99, .below, 500)]
        }
    }
}
