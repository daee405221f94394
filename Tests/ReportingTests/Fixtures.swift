import Foundation
import Measurement
import RunModel
import Testing

@testable import Reporting

/// Results to report on: a real 4-client, 2-second echo run against the in-process relay
/// (`turnload run --clients 4 --duration 2s`, re-encoded compactly), and variations of it.
enum Fixtures {
    static func echoRun() throws -> RunResult {
        let url = try #require(Bundle.module.url(forResource: "echo-run", withExtension: "json", subdirectory: "Fixtures"))
        return try ResultWriter.decode(Data(contentsOf: url))
    }

    /// The echo run with `percent` of its outbound packets lost, and optionally another target
    /// or load.
    static func run(loss percent: Double = 0, target: String? = nil, clients: Int? = nil) throws -> RunResult {
        var result = try echoRun()
        let outbound = result.outcome.towardPeer
        result.outcome.towardPeer.lost = Int((percent / 100 * Double(outbound.expected)).rounded())
        result.outcome.towardPeer.received = outbound.expected - result.outcome.towardPeer.lost
        if let target { result.target = target }
        if let clients {
            result.configuration.clients = clients
            result.outcome.clients.requested = clients
        }
        return result
    }

    static func loaded(_ result: RunResult, name: String) -> LoadedResult {
        LoadedResult(path: "/results/\(name)/result.json", content: .run(result))
    }

    /// A saturation stepping 100 to 500 calls whose loss passes 0.5 % at 400: clean capacity
    /// 300, cliff 400. `shift` moves the collapse by whole steps.
    static func saturation(target: String = "turn:relay.example.com", shift: Int = 0, loads: [Int] = [100, 200, 300, 400, 500]) throws
        -> (SaturationResult, steps: [RunResult])
    {
        let thresholds = Threshold.defaults
        let steps = loads.map { clients -> LoadFigures in
            let broken = clients >= 400 + 100 * shift
            let offered = Double(clients) * 100
            return LoadFigures(
                clients: clients, allocated: clients, allocationSuccessPercent: 100, lossPercent: broken ? 3.5 : 0.01,
                playoutLossPercent: broken ? 4 : 0.02, jitterP99Milliseconds: Double(clients) / 40,
                delayP99Milliseconds: Double(clients) / 20, rttP99Milliseconds: Double(clients) / 10,
                meanMOS: broken ? 3.6 : 4.4, mos10thPercentile: broken ? 3.2 : 4.3, offeredPacketsPerSecond: offered,
                deliveredPacketsPerSecond: broken ? 400 * 100 : offered, deliveredWireBitsPerSecond: offered * 800,
                harnessSaturated: false, harnessReasons: [])
        }
        let saturation = SaturationResult(
            turnloadVersion: "test", target: target, startedAt: Date(timeIntervalSince1970: 1_780_000_000), status: .complete,
            thresholds: thresholds,
            steps: steps.map { figures in
                SaturationStep(
                    clients: figures.clients, folder: "step-\(figures.clients)", status: .complete, figures: figures,
                    checks: thresholds.map { $0.check(figures) })
            },
            finding: CliffFinder.find(steps, thresholds: thresholds))
        return (saturation, try loads.map { try run(target: target, clients: $0) })
    }
}
