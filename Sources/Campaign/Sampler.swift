/// Something sampled once a second beside a load, on a schedule that does not drift (second N
/// is taken N seconds after the start, whatever the samples before it cost), and handed back
/// when the load ends: a watched process, a scraped endpoint.
final class Sampler<State: Sendable>: Sendable {
    private let task: Task<State, Never>

    /// Starts at once: `sample` gets the state and the seconds since the start, 0 first, and
    /// answers false to stop before `finish`.
    init(_ state: State, sample: @escaping @Sendable (inout State, _ second: Int) async -> Bool) {
        task = Task {
            var state = state
            let started = ContinuousClock.now
            var second = 0
            while !Task.isCancelled, await sample(&state, second) {
                second += 1
                try? await Task.sleep(until: started + .seconds(second), clock: .continuous)
            }
            return state
        }
    }

    /// Stops sampling: the state as the last sample left it.
    func finish() async -> State {
        task.cancel()
        return await task.value
    }
}
