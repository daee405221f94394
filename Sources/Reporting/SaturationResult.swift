import Foundation
import Measurement
import RunModel

/// A saturation run, as `saturation.json` holds it: the steps of rising load, each a whole run
/// with its own `result.json` in a folder beside it, their headline figures, and what they show.
public struct SaturationResult: Sendable, Codable {
    public static let currentSchemaVersion = 1
    public static let fileName = "saturation.json"

    public var schemaVersion = SaturationResult.currentSchemaVersion
    public var turnloadVersion: String
    /// The endpoint's URI, or "in-process relay".
    public var target: String
    public var startedAt: Date
    /// `complete` when stepping ended by itself (past the cliff, at the last step, or after the
    /// hold); otherwise why it was cut short.
    public var status: RunStatus
    public var thresholds: [Threshold]
    public var steps: [SaturationStep]
    public var finding: SaturationFinding
    /// The long run at a share of the clean capacity, when one was asked for.
    public var hold: SaturationHold?
    /// How the steps were loaded; absent in results from before `--live`, which were fresh.
    public var mode: SaturationMode?
    /// What the steps stepped up; absent in results from before `--axis`, which stepped calls.
    public var axis: SaturationAxis?

    public init(
        turnloadVersion: String, target: String, startedAt: Date, status: RunStatus, thresholds: [Threshold],
        steps: [SaturationStep], finding: SaturationFinding, hold: SaturationHold? = nil
    ) {
        self.turnloadVersion = turnloadVersion
        self.target = target
        self.startedAt = startedAt
        self.status = status
        self.thresholds = thresholds
        self.steps = steps
        self.finding = finding
        self.hold = hold
    }

    /// The axis stepped, calls when the result does not say.
    public var steppedAxis: SaturationAxis { axis ?? .calls }

    /// One sentence for a summary line.
    public var headline: String { finding.headline(steppedAxis) }

    /// Each step's load, in the axis's unit, and figures: what charts plot against load.
    var chartedSteps: [(load: Int, figures: LoadFigures)] { steps.map { ($0.clients, $0.figures) } }
}

/// How a search loads its steps.
public enum SaturationMode: String, Sendable, Codable {
    /// Each step a load of its own, allocated afresh and released at its end.
    case fresh
    /// One population that grows from step to step, each judged over its window (`--live`).
    case live
}

/// One step: its load, where its whole result is, and its headline figures.
public struct SaturationStep: Sendable, Codable {
    /// The step's load in the search's unit: its calls, or on the allocations axis its
    /// allocations a second (also in `allocationsPerSecond`, which says so).
    public var clients: Int
    /// The rate of new allocations the step offered, on the allocations axis.
    public var allocationsPerSecond: Int?
    /// The folder of the step's `result.json`, relative to `saturation.json`.
    public var folder: String
    public var status: RunStatus
    public var figures: LoadFigures
    /// Every threshold held against this step.
    public var checks: [ThresholdCheck]
    /// Times the step was measured again because the harness fell behind; these figures are
    /// the last measurement's.
    public var remeasured: Int?
    /// Why the measurement before the step's own was set aside: turnload's reasons for having
    /// fallen behind (late sends, CPU, its receive queues).
    public var remeasuredBecause: [String]?

    public init(clients: Int, folder: String, status: RunStatus, figures: LoadFigures, checks: [ThresholdCheck]) {
        self.clients = clients
        self.folder = folder
        self.status = status
        self.figures = figures
        self.checks = checks
    }
}

/// The hold after the search: a share of the clean capacity, long enough to push a volume.
public struct SaturationHold: Sendable, Codable {
    public var clients: Int
    /// The bytes it was to push through the endpoint, both ways on the wire.
    public var targetBytes: Double
    /// The bytes it did push.
    public var bytes: Double
    public var folder: String
    public var status: RunStatus
    public var figures: LoadFigures
    public var checks: [ThresholdCheck]

    public init(
        clients: Int, targetBytes: Double, bytes: Double, folder: String, status: RunStatus, figures: LoadFigures,
        checks: [ThresholdCheck]
    ) {
        self.clients = clients
        self.targetBytes = targetBytes
        self.bytes = bytes
        self.folder = folder
        self.status = status
        self.figures = figures
        self.checks = checks
    }
}
