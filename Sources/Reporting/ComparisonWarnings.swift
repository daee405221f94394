import Measurement

/// What makes a comparison untrustworthy: loads or media that differ, results that are partial
/// or measured the harness, and too few runs to tell a difference from noise.
enum ComparisonWarnings {
    /// A fact of a run's load, media or machine that must match for a fair comparison.
    private struct Fact: Sendable {
        var name: String
        var value: @Sendable (RunResult) -> String
    }

    private static let facts = [
        Fact(name: "duration") { "\(DecimalText.short($0.configuration.durationSeconds)) s" },
        Fact(name: "ramp") { "\($0.configuration.rampPerSecond)/s" },
        Fact(name: "topology") { $0.configuration.topology.rawValue },
        Fact(name: "transport") { $0.configuration.transport },
        Fact(name: "media") { $0.configuration.media.summary },
        Fact(name: "threads") { String($0.configuration.threads) },
        Fact(name: "jitter buffer") { "\(DecimalText.short($0.configuration.jitterBufferMilliseconds)) ms" },
        Fact(name: "host") { $0.environment.hostname },
        Fact(name: "cores") { String($0.environment.cores) },
    ]

    static func warnings(_ groups: [Comparison.Group], kind: Comparison.Kind, sharedLoad: Int?) -> [String] {
        var warnings: [String] = []
        let results = groups.flatMap(\.results)
        // A saturation's steps differ in clients by design; its load is the ladder of steps.
        var checked = facts
        if kind == .runs {
            checked.insert(Fact(name: "clients") { String($0.configuration.clients) }, at: 0)
        } else {
            let ladders = Dictionary(grouping: results.compactMap(\.saturation), by: { $0.steps.map(\.clients) })
            if ladders.count > 1 {
                warnings.append(
                    "the saturation runs stepped through different loads ("
                        + groups.map { group in
                            "\(group.name): " + distinct(group.results.compactMap(\.saturation).map { ladder($0.steps.map(\.clients)) })
                        }
                        .joined(separator: "; ") + "): compare their capacities with care")
            }
            if sharedLoad == nil {
                warnings.append("the saturation runs share no step load: only their capacities are compared")
            }
            for result in results where result.runs.isEmpty {
                warnings.append("the steps of \(result.name) could not be read: its load and media are not checked")
            }
        }
        for fact in checked {
            let perGroup = groups.map { group in group.results.compactMap { $0.runs.first.map(fact.value) } }
            guard Set(perGroup.joined()).count > 1 else { continue }
            warnings.append(
                "the runs differ in \(fact.name) (" + zip(groups, perGroup).map { "\($0.name): \(distinct($1))" }.joined(separator: "; ")
                    + "): the comparison is not fair; give every target the same load and media on the same machine")
        }
        warnings += health(results)
        let few = groups.filter { $0.results.count < 3 }
        if !few.isEmpty {
            let counts = few.map { "\($0.name) has \($0.results.count) run\($0.results.count == 1 ? "" : "s")" }.joined(separator: ", ")
            let remedy =
                kind == .runs
                ? "repeat with `turnload run --repeat 3 --target A --target B`, which alternates the targets each round"
                : "repeat the saturation at least 3 times per target"
            warnings.append("\(counts): one run cannot tell a difference from noise: \(remedy)")
        }
        return warnings
    }

    /// Results that are partial, or whose figures are the harness's own.
    static func health(_ results: [LoadedResult]) -> [String] {
        results.flatMap { result -> [String] in
            switch result.content {
            case .run(let run):
                let figures = LoadFigures(run)
                return (run.outcome.status == .complete ? [] : ["\(result.name) has partial results (\(run.outcome.status.rawValue))"])
                    + (figures.harnessSaturated
                        ? ["\(result.name): HARNESS SATURATED, its figures measure turnload, not the endpoint"] : [])
            case .saturation(let saturation, _):
                return (saturation.status == .complete ? [] : ["\(result.name) has partial results (\(saturation.status.rawValue))"])
                    + (saturation.finding.harnessBoundAt.map {
                        ["\(result.name) was harness-bound at \($0) calls: beyond that it measured turnload"]
                    } ?? [])
            }
        }
    }

    /// The distinct values in order of appearance: `100` or `100 / 200`.
    static func distinct(_ values: [String]) -> String {
        var seen: [String] = []
        for value in values where !seen.contains(value) { seen.append(value) }
        return seen.isEmpty ? "unknown" : seen.joined(separator: " / ")
    }

    static func ladder(_ clients: [Int]) -> String {
        clients.count > 4
            ? "\(clients.prefix(2).map(String.init).joined(separator: ", ")), … \(clients.last!) calls"
            : clients.map(String.init).joined(separator: ", ") + " calls"
    }
}
