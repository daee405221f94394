import Campaign
import Measurement
import Reporting
import RunModel

/// A step runner whose endpoint is a script: each load's figures come from `endpoint` (clients
/// in, loss percent out), a load may find turnload behind, and what the search kept and said
/// is recorded for the test to read.
final class ScriptedSteps: SaturationStepRunner {
    /// Loss in percent at a load of this many clients.
    let endpoint: (Int) -> Double
    /// Per load (clients), how many of its first measurements find turnload behind.
    var harnessBehind: [Int: Int] = [:]
    /// Loads that do not start (the endpoint refuses every client).
    var failsToStart: Set<Int> = []
    /// The load that Ctrl-C cuts short.
    var interruptedAt: Int?
    /// Each bit per second delivered per client.
    let bitsPerClientSecond = 80_000.0
    /// Failed setups in percent at a load.
    var setupFailures: (Int) -> Double = { _ in 0 }
    /// Clients a step's figures count per unit of its load: on the allocations axis, the
    /// seconds its calls arrived over.
    var clientsPerLoad = 1

    private(set) var measured: [(clients: Int, duration: Duration, folder: String)] = []
    private(set) var kept: [SaturationResult] = []
    private(set) var told: [String] = []

    init(endpoint: @escaping (Int) -> Double) {
        self.endpoint = endpoint
    }

    func measure(clients: Int, duration: Duration, folder: String) async throws(WriteError) -> StepMeasurement? {
        measured.append((clients, duration, folder))
        if failsToStart.contains(clients) { return nil }
        let behind = (harnessBehind[clients] ?? 0) > 0
        harnessBehind[clients, default: 0] -= 1
        let loss = endpoint(clients)
        let offered = 100 * Double(clients)
        let figures = LoadFigures(
            clients: clients * clientsPerLoad, allocated: clients * clientsPerLoad, allocationSuccessPercent: 100, lossPercent: loss,
            playoutLossPercent: loss,
            jitterP99Milliseconds: 2, delayP99Milliseconds: 5, rttP99Milliseconds: 10, meanMOS: loss < 1 ? 4.4 : 3.5,
            mos10thPercentile: 4.3, offeredPacketsPerSecond: offered, deliveredPacketsPerSecond: offered * (1 - loss / 100),
            deliveredWireBitsPerSecond: bitsPerClientSecond * Double(clients), harnessSaturated: behind,
            harnessReasons: behind ? ["sends 12 ms late at p99"] : [], allocationP50Milliseconds: 1, allocationP99Milliseconds: 3,
            setupFailurePercent: setupFailures(clients))
        let seconds = duration / .seconds(1)
        return StepMeasurement(
            status: clients == interruptedAt ? .interrupted : .complete, figures: figures,
            bytesOutOfEndpoint: bitsPerClientSecond / 8 * Double(clients) * seconds)
    }

    func keep(_ saturation: SaturationResult) throws(WriteError) {
        kept.append(saturation)
    }

    func tell(_ line: String) {
        told.append(line)
    }
}
