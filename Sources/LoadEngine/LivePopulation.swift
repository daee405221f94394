import RunModel

/// One population grown step by step (`saturate --live`): its driver asks for a number of
/// clients and a window; the engine opens the clients still missing (none leaves), lets them
/// settle, and answers with the window's figures as a run of their own.
public actor LivePopulation {
    public struct Step: Sendable {
        public var clients: Int
        public var window: Duration
    }

    private var queued: (step: Step, answer: CheckedContinuation<LoadOutcome?, Never>)?
    private var answer: CheckedContinuation<LoadOutcome?, Never>?
    private var engineWaiting: CheckedContinuation<Step?, Never>?
    private var ended = false

    public init() {}

    /// The window's figures once the population is `clients`; nil once the run has ended (a
    /// window it cut short is answered with its partial figures, marked).
    public func measure(clients: Int, window: Duration) async -> LoadOutcome? {
        guard !ended else { return nil }
        return await withCheckedContinuation { answer in
            let step = Step(clients: clients, window: window)
            if let engine = engineWaiting {
                engineWaiting = nil
                self.answer = answer
                engine.resume(returning: step)
            } else {
                queued = (step, answer)
            }
        }
    }

    /// No more steps: the run stops.
    public func finish() {
        ended = true
        engineWaiting?.resume(returning: nil)
        engineWaiting = nil
        queued?.answer.resume(returning: nil)
        queued = nil
    }

    /// The engine's next step, once asked for; nil when there is none.
    func nextStep() async -> Step? {
        if ended { return nil }
        if let queued {
            self.queued = nil
            answer = queued.answer
            return queued.step
        }
        return await withCheckedContinuation { engineWaiting = $0 }
    }

    func answer(_ outcome: LoadOutcome?) {
        answer?.resume(returning: outcome)
        answer = nil
    }

    /// The run is over (its end, Ctrl-C, a failed endpoint): a window under way gets `outcome`.
    func runEnded(_ outcome: LoadOutcome?) {
        answer(outcome)
        finish()
    }
}
