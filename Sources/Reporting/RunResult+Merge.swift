import Foundation
import Measurement
import RunModel

extension RunResult {
    /// The one run that the results of its shards (`--shard I/N`, one result each, in any order)
    /// make together: exactly what one process running every client would have measured.
    /// Counts and histograms add, the calls concatenate and are rated again over them all (the
    /// E-model uses the run's median delay), the status is the worst, the harness health the
    /// busiest machine's, and the per-second rows line up by the second they were measured in.
    ///
    /// - Throws: `MergeError` for anything but the N shards of one load, each once.
    public static func merged(_ results: [RunResult]) throws(MergeError) -> RunResult {
        let parts = try shards(of: results)
        let start = parts.dropFirst().reduce(parts[0].result.startedAt) { min($0, $1.result.startedAt) }
        // Shards aligned by --start-at begin within a fraction of a second of each other.
        let offsets = parts.map { Int($0.result.startedAt.timeIntervalSince(start).rounded()) }
        var merged = parts[0].result
        merged.startedAt = start
        merged.shard = nil
        merged.parts = zip(parts, offsets).map { MergedPart($0.result, shard: $0.shard, seriesOffsetSeconds: $1) }
        merged.outcome = try LoadOutcome.merged(
            zip(parts, offsets).map { ($0.result.outcome, $1) },
            frameInterval: Int64(merged.configuration.media.frameMilliseconds) * 1_000_000)
        return merged
    }

    /// The results in shard order, once each shard of one load is known to be there exactly once.
    private static func shards(of results: [RunResult]) throws(MergeError) -> [(shard: ShardAssignment, result: RunResult)] {
        guard let first = results.first else { throw .nothingToMerge }
        guard let count = first.shard?.count else { throw .notSharded(part: 0) }
        var parts: [(shard: ShardAssignment, result: RunResult)] = []
        for (position, result) in results.enumerated() {
            guard let shard = result.shard else { throw .notSharded(part: position) }
            guard result.target == first.target else { throw .otherTarget(part: position, target: result.target, expected: first.target) }
            let keys = result.configuration.differences(from: first.configuration)
            guard keys.isEmpty else { throw .otherConfiguration(part: position, keys: keys) }
            guard shard.count == count else { throw .otherShardCount(part: position, count: shard.count, expected: count) }
            if let twin = parts.firstIndex(where: { $0.shard == shard }) { throw .duplicateShard(shard, parts: [twin, position]) }
            parts.append((shard, result))
        }
        let missing = Set(1...count).subtracting(parts.map(\.shard.index)).sorted()
        guard missing.isEmpty else { throw .missingShards(missing, count: count) }
        return parts.sorted { $0.shard.index < $1.shard.index }
    }
}

extension RunConfiguration {
    /// The names of the settings that differ.
    func differences(from other: RunConfiguration) -> [String] {
        zip(Mirror(reflecting: self).children, Mirror(reflecting: other).children).compactMap { mine, theirs in
            String(describing: mine.value) == String(describing: theirs.value) ? nil : mine.label
        }
    }
}

extension LoadOutcome {
    /// The shards' outcomes as one, each shard's per-second rows moved `secondsLater`.
    public static func merged(_ parts: [(outcome: LoadOutcome, secondsLater: Int)], frameInterval: Int64) throws(MergeError) -> LoadOutcome
    {
        var merged = parts[0].outcome
        for (part, _) in parts.dropFirst() {
            merged.status = worse(merged.status, part.status)
            merged.endpointSoftware = merged.endpointSoftware ?? part.endpointSoftware
            merged.clients.merge(part.clients)
            merged.sendingSeconds = max(merged.sendingSeconds, part.sendingSeconds)
            merged.towardPeer.merge(part.towardPeer)
            if let towardClient = part.towardClient { merged.towardClient?.merge(towardClient) }
            if let rtt = part.rtt { merged.rtt?.merge(rtt) }
            merged.health.merge(part.health)
            merged.calls += part.calls
        }
        merged.calls.sort { $0.client < $1.client }
        merged.quality = CallQuality(rating: &merged.calls, model: merged.quality.model, delay: merged.towardPeer.oneWayDelay)
        merged.healthSummary = merged.health.summary(frameInterval: frameInterval)
        var series = TimeSeries()
        do {
            for (part, secondsLater) in parts {
                for var sample in part.series {
                    sample.second += secondsLater
                    try series.add(sample)
                }
            }
        } catch {
            throw .histograms(error)
        }
        merged.series = series.samples
        for (part, _) in parts.dropFirst() {
            if let arrivals = part.arrivals { merged.arrivals?.merge(arrivals, series: merged.series) }
        }
        merged.byTransport = PartOutcome.merged(parts.map(\.outcome.byTransport), calls: merged.calls)
        merged.byGroup = PartOutcome.merged(parts.map(\.outcome.byGroup), calls: merged.calls)
        return merged
    }

    /// A shard whose endpoint failed fails the run; one cut short by Ctrl-C leaves it interrupted.
    static func worse(_ status: RunStatus, _ other: RunStatus) -> RunStatus {
        if status == .endpointFailed || other == .endpointFailed { return .endpointFailed }
        if status == .interrupted || other == .interrupted { return .interrupted }
        if status == .inProgress || other == .inProgress { return .inProgress }
        return .complete
    }
}
