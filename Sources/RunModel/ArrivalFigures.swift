import Measurement

/// What calls that come and go did (`--arrivals`, `--erlangs`): how many came, talked and
/// hung up, and how many talked at once against what the plan offered.
public struct ArrivalFigures: Sendable, Codable, Equatable {
    public var ratePerSecond: Double
    public var holdTime: String
    public var meanHoldSeconds: Double
    /// Rate × mean holding time: the calls talking at once on average, by Little's law.
    public var offeredErlangs: Double
    public var arrived: Int
    /// Calls whose setup succeeded and whose media flowed.
    public var talked: Int
    /// Calls that hung up before the end; the others were cut by it.
    public var hungUp: Int
    /// From this second on, a holding time after the start, arrivals and hang-ups balance:
    /// the concurrency below is measured from there (or over the whole run, when shorter).
    public var steadyFromSecond: Int
    public var meanConcurrentCalls: Double
    public var peakConcurrentCalls: Int
    /// Clients a call has (2 in `pair`), to count calls in the series' active clients.
    public var clientsPerCall: Int

    public init(plan: ArrivalPlan, arrived: Int, talked: Int, hungUp: Int, series: [SecondSample], clientsPerCall: Int) {
        ratePerSecond = plan.rate
        holdTime = plan.holdTime.description
        meanHoldSeconds = plan.holdTime.mean / .seconds(1)
        offeredErlangs = plan.offeredErlangs
        self.arrived = arrived
        self.talked = talked
        self.hungUp = hungUp
        self.clientsPerCall = clientsPerCall
        (steadyFromSecond, meanConcurrentCalls, peakConcurrentCalls) = (1, 0, 0)
        measureConcurrency(series)
    }

    /// Another shard's calls: counts add up, and the concurrency is measured again over the
    /// merged `series` (the shards' calls together).
    public mutating func merge(_ other: ArrivalFigures, series: [SecondSample]) {
        arrived += other.arrived
        talked += other.talked
        hungUp += other.hungUp
        measureConcurrency(series)
    }

    private mutating func measureConcurrency(_ series: [SecondSample]) {
        let warmUp = Int(meanHoldSeconds.rounded(.up))
        steadyFromSecond = series.count > warmUp ? warmUp + 1 : 1
        let calls = Double(clientsPerCall)
        let steady = series.filter { $0.second >= steadyFromSecond }.map { Double($0.activeClients) / calls }
        meanConcurrentCalls = steady.isEmpty ? 0 : steady.reduce(0, +) / Double(steady.count)
        peakConcurrentCalls = series.map { $0.activeClients / clientsPerCall }.max() ?? 0
    }
}
