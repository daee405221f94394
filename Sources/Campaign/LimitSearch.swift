import RunModel

/// Which rate a limit search tries next and what it found, without I/O: rates double from
/// `start` until a step breaks (loses more than `lossLimitPercent`) or `ceiling` goes through
/// clean, then the geometric middle of the highest clean and the lowest broken rate is tried
/// until they are within `precision` of each other. A step the harness could not send at its
/// rate ends the search: beyond it the relay was not what was measured; so does a step whose
/// every new peer the relay forbade (403), which no rate would change.
public struct LimitSearch: Sendable {
    public let unit: String
    public let start: Double
    public let ceiling: Double
    public let lossLimitPercent: Double
    /// Broken over clean at which bisecting stops: 1.05 brackets the cap within 5%.
    public let precision: Double
    public private(set) var steps: [LimitStep] = []
    private var clean: LimitStep?
    private var broken: LimitStep?
    private var harnessBound = false
    private var forbidden = false

    /// A step sent at less than this share of its offered rate was the harness's limit, not the relay's.
    static let sendableShare = 0.9

    public init(unit: String, start: Double, ceiling: Double, lossLimitPercent: Double = 2, precision: Double = 1.05) {
        self.unit = unit
        self.start = start
        self.ceiling = max(start, ceiling)
        self.lossLimitPercent = lossLimitPercent
        self.precision = precision
    }

    /// The rate to offer next; nil when the search is over.
    public var next: Double? {
        if harnessBound || forbidden { return nil }
        switch (clean, broken) {
        case (nil, nil): return start
        case (let clean?, nil): return clean.offered >= ceiling ? nil : min(clean.offered * 2, ceiling)
        case (nil, let broken?):
            // Broken from the start: halve down to an eighth of it, below which the cap is
            // read from what the broken steps delivered.
            return broken.offered / 2 >= start / 8 ? broken.offered / 2 : nil
        case (let clean?, let broken?):
            return broken.offered / clean.offered <= precision ? nil : (clean.offered * broken.offered).squareRoot()
        }
    }

    public mutating func record(_ step: LimitStep) {
        steps.append(step)
        if step.sent < step.offered * Self.sendableShare {
            harnessBound = true
        } else if step.delivered == 0, let refused = step.refused, refused.keys.allSatisfy({ $0 == "403" }) {
            forbidden = true
        } else if step.lossPercent > lossLimitPercent {
            if broken.map({ step.offered < $0.offered }) ?? true { broken = step }
        } else if clean.map({ step.offered > $0.offered }) ?? true {
            clean = step
        }
    }

    public var finding: LimitFinding {
        var finding = LimitFinding(unit: unit, verdict: .noCap, steps: steps)
        finding.cleanUpTo = clean?.offered
        finding.below = clean
        if let broken {
            finding.verdict = .cap
            finding.broke = broken
            finding.cap = steps.filter { $0.sent >= $0.offered * Self.sendableShare }.map(\.delivered).max()
        } else if harnessBound {
            finding.verdict = .harnessBound
        } else if forbidden {
            finding.verdict = .forbidden
        }
        return finding
    }
}
