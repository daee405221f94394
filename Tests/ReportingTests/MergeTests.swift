import Foundation
import Measurement
import Reporting
import RunModel
import Testing

/// `RunResult.merged`: the shards of a run, merged, are the run; anything else is refused.
@Suite("Merging shards")
struct MergeTests {
    /// Three shards, given out of order and through their JSON files, merge into exactly what
    /// one process running all 30 clients measured.
    @Test func shardsMergeIntoTheWholeRun() throws {
        let whole = try ScriptedRun.result(0..<30).outcome
        let parts = try [
            ScriptedRun.result(10..<20, shard: "2/3", startedLater: 0.2),
            ScriptedRun.result(20..<30, shard: "3/3", startedLater: 0.4),
            ScriptedRun.result(0..<10, shard: "1/3"),
        ].map { try ResultWriter.decode(ResultWriter.encode($0)) }
        let merged = try RunResult.merged(parts)
        let outcome = merged.outcome

        #expect(outcome.towardPeer == whole.towardPeer)
        #expect(outcome.towardClient == whole.towardClient)
        #expect(outcome.rtt == whole.rtt)
        #expect(outcome.towardPeer.oneWayDelay.count > 6_000)
        #expect(outcome.clients.requested == 30 && outcome.clients.allocated == whole.clients.allocated)
        #expect(outcome.clients.allocationLatency == whole.clients.allocationLatency)
        #expect(outcome.clients.failures == whole.clients.failures && outcome.clients.failures.values.reduce(0, +) == 4)
        #expect(outcome.clients.allocationSuccessPercent == whole.clients.allocationSuccessPercent)
        #expect(outcome.calls.map(\.client) == whole.calls.map(\.client))
        #expect(outcome.calls.map(\.ssrc) == whole.calls.map(\.ssrc))
        #expect(outcome.calls.map(\.mos) == whole.calls.map(\.mos))
        #expect(outcome.quality.meanMOS == whole.quality.meanMOS && outcome.quality.worstMOS == whole.quality.worstMOS)
        #expect(outcome.quality.meanR == whole.quality.meanR)
        #expect(outcome.quality.mos10thPercentile == whole.quality.mos10thPercentile)
        #expect(outcome.series == whole.series)
        #expect(outcome.health.sendLateness == whole.health.sendLateness)
        // The busiest machine's CPU, the longest sending time.
        #expect(outcome.health.cpuTime == parts[1].outcome.health.cpuTime)
        #expect(outcome.sendingSeconds == parts[1].outcome.sendingSeconds)
        #expect(outcome.healthSummary == outcome.health.summary(frameInterval: 20_000_000))

        #expect(merged.shard == nil && merged.startedAt == ScriptedRun.start && merged.scheduledStart == ScriptedRun.start)
        #expect(merged.configuration == parts[0].configuration)
        let record = try #require(merged.parts)
        #expect(record.map(\.shard.description) == ["1/3", "2/3", "3/3"])
        #expect(record.map(\.seriesOffsetSeconds) == [0, 0, 0])
        // To the millisecond through the files.
        #expect(zip(record, [0, 0.2, 0.4]).allSatisfy { abs($0.startedAt.timeIntervalSince(ScriptedRun.start) - $1) < 0.001 })
        #expect(record.map(\.clientsRequested) == [10, 10, 10])
    }

    /// A shard that started 2.4 s after the others has its rows moved two seconds on: the rows
    /// add up by the second they were measured in.
    @Test func seriesLineUpByTheSecondTheyWereMeasuredIn() throws {
        let parts = try [
            ScriptedRun.result(0..<10, shard: "1/3"),
            ScriptedRun.result(10..<20, shard: "2/3", startedLater: 2.4),
            ScriptedRun.result(20..<30, shard: "3/3", startedLater: 0.3),
        ]
        let merged = try RunResult.merged(parts)
        let rows = Dictionary(uniqueKeysWithValues: merged.outcome.series.map { ($0.second, $0) })
        #expect(rows.keys.sorted() == Array(1...ScriptedRun.seconds + 2))
        #expect(merged.parts?.map(\.seriesOffsetSeconds) == [0, 2, 0])
        for second in 1...ScriptedRun.seconds + 2 {
            let measured = [(parts[0], 0), (parts[1], 2), (parts[2], 0)].compactMap { part, offset in
                part.outcome.series.first { $0.second + offset == second }
            }
            #expect(rows[second]?.sent == measured.map(\.sent).reduce(0, +))
            #expect(rows[second]?.activeClients == measured.map(\.activeClients).reduce(0, +))
            let delays = try measured.map { try Distribution($0.delay).count }.reduce(0, +)
            #expect(try rows[second].map { try Distribution($0.delay).count } == delays)
        }
        #expect(rows[1]?.sent == parts[0].outcome.series[0].sent + parts[2].outcome.series[0].sent)
    }

    /// Two groups over three shards, group `a` the first 15 clients and `b` the rest, so that
    /// the middle shard holds some of each and the others one: each group merged is what one
    /// process measured of its clients, its quality and fairness taken again over its calls.
    @Test func groupsMergeGroupByGroup() throws {
        func part(_ range: Range<Int>, group: String) -> PartOutcome {
            var part = PartOutcome(transport: "udp", uri: ScriptedRun.target, outcome: ScriptedRun.outcome(range))
            part.group = group
            part.fairness = CallSpread(ScriptedRun.outcome(range).calls).fairness
            return part
        }
        func shard(_ range: Range<Int>, _ index: Int) throws -> RunResult {
            var result = try ScriptedRun.result(range, shard: "\(index)/3")
            for index in result.outcome.calls.indices {
                result.outcome.calls[index].part = result.outcome.calls[index].client < 15 ? "a" : "b"
            }
            result.outcome.byGroup = [
                (range.clamped(to: 0..<15), "a"), (range.clamped(to: 15..<30), "b"),
            ].filter { !$0.0.isEmpty }.map { part($0, group: $1) }
            return result
        }
        let merged = try RunResult.merged([shard(0..<10, 1), shard(10..<20, 2), shard(20..<30, 3)]).outcome
        let groups = try #require(merged.byGroup)
        #expect(groups.map(\.key) == ["a", "b"])
        for (group, whole) in zip(groups, [part(0..<15, group: "a"), part(15..<30, group: "b")]) {
            #expect(group.clients.requested == whole.clients.requested && group.clients.allocated == whole.clients.allocated)
            #expect(group.towardPeer == whole.towardPeer && group.towardClient == whole.towardClient && group.rtt == whole.rtt)
            #expect(group.quality.meanMOS == whole.quality.meanMOS && group.quality.worstMOS == whole.quality.worstMOS)
            #expect(group.fairness == whole.fairness)
        }
        #expect(merged.byTransport == nil)
    }

    @Test func theWorstStatusWins() throws {
        var parts = try [
            ScriptedRun.result(0..<10, shard: "1/3"), ScriptedRun.result(10..<20, shard: "2/3"),
            ScriptedRun.result(20..<30, shard: "3/3"),
        ]
        parts[2].outcome.status = .interrupted
        #expect(try RunResult.merged(parts).outcome.status == .interrupted)
        parts[0].outcome.status = .endpointFailed
        #expect(try RunResult.merged(parts).outcome.status == .endpointFailed)
    }

    @Test func onlyEveryShardOfOneLoadOnceMerges() throws {
        let one = try ScriptedRun.result(0..<10, shard: "1/3")
        let two = try ScriptedRun.result(10..<20, shard: "2/3")
        let three = try ScriptedRun.result(20..<30, shard: "3/3")
        var elsewhere = three
        elsewhere.target = "turn:192.0.2.1:3478"
        var larger = ScriptedRun.configuration
        larger.clients = 40
        larger.seed = 2
        let otherLoad = try ScriptedRun.result(20..<30, shard: "3/3", configuration: larger)
        let ofTwo = try ScriptedRun.result(10..<20, shard: "2/2")

        #expect(throws: MergeError.nothingToMerge) { try RunResult.merged([]) }
        #expect(throws: MergeError.missingShards([3], count: 3)) { try RunResult.merged([one, two]) }
        #expect(throws: MergeError.duplicateShard(two.shard!, parts: [1, 2])) { try RunResult.merged([one, two, two, three]) }
        #expect(throws: MergeError.notSharded(part: 1)) { try RunResult.merged([one, ScriptedRun.result(0..<30), three]) }
        #expect(throws: MergeError.otherTarget(part: 2, target: "turn:192.0.2.1:3478", expected: ScriptedRun.target)) {
            try RunResult.merged([one, two, elsewhere])
        }
        #expect(throws: MergeError.otherConfiguration(part: 2, keys: ["clients", "seed"])) { try RunResult.merged([one, two, otherLoad]) }
        #expect(throws: MergeError.otherShardCount(part: 1, count: 2, expected: 3)) { try RunResult.merged([one, ofTwo, three]) }
    }

    @Test func refusalsNameTheFiles() {
        let error = MergeError.otherTarget(part: 1, target: "turn:b", expected: "turn:a")
        let message = error.description(naming: ["shard-1/result.json", "shard-2/result.json"])
        #expect(message == "shard-2/result.json loaded turn:b, not turn:a like shard-1/result.json: only the shards of one load merge")
        #expect(MergeError.missingShards([2, 3], count: 3).description == "shards 2/3, 3/3 missing: give the result of every shard")
    }
}
