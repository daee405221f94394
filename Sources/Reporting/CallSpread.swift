import Measurement
import RunModel

/// How the calls of one run fared against each other: Jain's index over each call's delivered
/// share of what it sent (its throughput against its own demand, so that calls of different
/// rates or lengths compare), and for loss, jitter and MOS the median call, the worst tenth's
/// edge and the worst call, named, so that one starved call among thousands shows.
public struct CallSpread: Sendable, Equatable {
    public struct Spread: Sendable, Equatable {
        public var metric: String
        public var median: Double
        /// The value the worst tenth of the calls reach or pass.
        public var worstDecile: Double
        public var worst: Double
        public var worstClient: Int
        /// The worst call's 5-tuple and relayed address, to find it in the relay's logs.
        public var worstFiveTuple: String?
    }

    public var fairness: Double?
    /// Loss in percent (each call's worse direction), jitter in milliseconds, MOS.
    public var spreads: [Spread]
    /// Each call's MOS and loss, worst first, for the report's curves.
    public var mosWorstFirst: [Double]
    public var lossWorstFirst: [Double]

    public init(_ calls: [CallFigures]) {
        let directions = { (call: CallFigures) in [call.towardPeer, call.towardClient].compactMap { $0 } }
        fairness = JainIndex.of(
            calls.map { call in
                let sent = directions(call).reduce(0) { $0 + $1.sent }
                return sent > 0 ? Double(directions(call).reduce(0) { $0 + $1.received }) / Double(sent) : 0
            })
        let loss = calls.map { call in
            (call.client, directions(call).map { $0.sent > 0 ? 100 * Double($0.lost) / Double($0.sent) : 0 }.max() ?? 0)
        }
        let jitter = calls.map { call in (call.client, Double(directions(call).compactMap(\.jitter).max() ?? 0) / 1e6) }
        let mos = calls.map { ($0.client, $0.mos) }
        spreads =
            calls.isEmpty
            ? []
            : [
                Self.spread("loss %", loss, higherIsWorse: true), Self.spread("jitter ms", jitter, higherIsWorse: true),
                Self.spread("MOS", mos, higherIsWorse: false),
            ]
        let fiveTuples = Dictionary(calls.compactMap { call in call.fiveTuple.map { (call.client, $0) } }) { first, _ in first }
        for index in spreads.indices { spreads[index].worstFiveTuple = fiveTuples[spreads[index].worstClient] }
        mosWorstFirst = mos.map(\.1).sorted()
        lossWorstFirst = loss.map(\.1).sorted(by: >)
    }

    private static func spread(_ metric: String, _ values: [(client: Int, value: Double)], higherIsWorse: Bool) -> Spread {
        let worstFirst = values.sorted { higherIsWorse ? $0.value > $1.value : $0.value < $1.value }
        return Spread(
            metric: metric, median: worstFirst[worstFirst.count / 2].value, worstDecile: worstFirst[(worstFirst.count - 1) / 10].value,
            worst: worstFirst[0].value, worstClient: worstFirst[0].client)
    }
}
