import Foundation
import Measurement
import RunModel

/// One shard of a merged run, as the merged `result.json` records it: which share it ran,
/// where and when, and how it went on its own.
public struct MergedPart: Sendable, Codable {
    public var shard: ShardAssignment
    public var startedAt: Date
    /// Whole seconds after the merged run's start that this shard started: its per-second rows
    /// were moved by this much to line up with the others' (0 when `--start-at` aligned them).
    public var seriesOffsetSeconds: Int
    public var status: RunStatus
    public var clientsRequested: Int
    public var clientsAllocated: Int
    public var environment: RunEnvironment
    /// Whether this shard's machine kept up: a saturated shard taints the merged run.
    public var harness: HarnessVerdict

    init(_ part: RunResult, shard: ShardAssignment, seriesOffsetSeconds: Int) {
        self.shard = shard
        startedAt = part.startedAt
        self.seriesOffsetSeconds = seriesOffsetSeconds
        status = part.outcome.status
        clientsRequested = part.outcome.clients.requested
        clientsAllocated = part.outcome.clients.allocated
        environment = part.environment
        harness = part.outcome.healthSummary.verdict
    }
}
