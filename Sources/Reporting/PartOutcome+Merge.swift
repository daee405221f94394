import Measurement
import RunModel

extension PartOutcome {
    /// Each shard's parts (`--mix`, `--group`) joined part by part, in the order first met:
    /// counts and histograms add, the status is the worst, the harness health the busiest
    /// machine's, and quality and fairness are taken again over the part's calls among all
    /// shards' `calls`. Nil unless every shard has parts (shards of one load all do).
    static func merged(_ shards: [[PartOutcome]?], calls: [CallFigures]) -> [PartOutcome]? {
        guard let first = shards.first, var merged = first else { return nil }
        for shard in shards.dropFirst() {
            guard let shard else { return nil }
            for part in shard {
                if let index = merged.firstIndex(where: { $0.key == part.key }) {
                    merged[index].add(part)
                } else {
                    merged.append(part)
                }
            }
        }
        for index in merged.indices {
            var own = calls.filter { $0.part == merged[index].key }
            guard !own.isEmpty else { continue }
            merged[index].quality = CallQuality(
                rating: &own, model: merged[index].quality.model, delay: merged[index].towardPeer.oneWayDelay)
            merged[index].fairness = CallSpread(own).fairness
        }
        return merged
    }

    private mutating func add(_ other: PartOutcome) {
        status = LoadOutcome.worse(status, other.status)
        clients.merge(other.clients)
        towardPeer.merge(other.towardPeer)
        if let towardClient = other.towardClient { self.towardClient?.merge(towardClient) }
        if let rtt = other.rtt { self.rtt?.merge(rtt) }
        if other.healthSummary.isBusier(than: healthSummary) { healthSummary = other.healthSummary }
    }
}

extension HarnessHealthSummary {
    /// Saturated where the other is not, else the later sends at p99.
    fileprivate func isBusier(than other: HarnessHealthSummary) -> Bool {
        let (saturated, otherSaturated) = (verdict != .healthy, other.verdict != .healthy)
        if saturated != otherSaturated { return saturated }
        return sendLateness.p99 > other.sendLateness.p99
    }
}
