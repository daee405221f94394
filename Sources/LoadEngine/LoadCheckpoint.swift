import RunModel

/// Partial results every `interval` while a run goes (`--checkpoint`), so that a run that
/// dies at hour 3 leaves 3 hours of results, marked `in-progress`.
public struct LoadCheckpoint: Sendable {
    public var interval: Duration
    public var write: @Sendable (LoadOutcome) async -> Void

    public init(interval: Duration, write: @escaping @Sendable (LoadOutcome) async -> Void) {
        self.interval = interval
        self.write = write
    }
}
