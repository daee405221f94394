import Measurement
import NIOConcurrencyHelpers

/// The seconds of several loads that run together (a `--mix`, one per transport) as one:
/// each second is passed on once every load has given its own, merged.
final class SecondGatherer: Sendable {
    private let loads: Int
    private let pending = NIOLockedValueBox<[Int: (sample: SecondSample, count: Int)]>([:])
    private let emit: @Sendable (SecondSample) -> Void

    init(loads: Int, emit: @escaping @Sendable (SecondSample) -> Void) {
        self.loads = loads
        self.emit = emit
    }

    func add(_ sample: SecondSample) {
        let whole: SecondSample? = pending.withLockedValue { pending in
            var entry = pending[sample.second] ?? (SecondSample(second: sample.second), 0)
            try? entry.sample.merge(sample)
            entry.count += 1
            guard entry.count == loads else {
                pending[sample.second] = entry
                return nil
            }
            pending[sample.second] = nil
            return entry.sample
        }
        if let whole { emit(whole) }
    }
}
